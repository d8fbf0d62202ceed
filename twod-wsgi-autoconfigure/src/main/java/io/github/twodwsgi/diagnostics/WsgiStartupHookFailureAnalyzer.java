package io.github.twodwsgi.diagnostics;

import io.github.twodwsgi.WsgiStartupHookException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a Java startup hook ({@code WsgiStartupHook}) that failed.
 */
class WsgiStartupHookFailureAnalyzer extends AbstractFailureAnalyzer<WsgiStartupHookException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, WsgiStartupHookException cause) {
		return new FailureAnalysis("The WSGI startup hook " + cause.getHook() + " failed: " + cause.getCause(),
				"Make sure that the hook can run once the WSGI apps are up, or fix what it reports.", cause);
	}

}
