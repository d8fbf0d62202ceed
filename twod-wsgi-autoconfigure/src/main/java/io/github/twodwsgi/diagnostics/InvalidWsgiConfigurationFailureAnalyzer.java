package io.github.twodwsgi.diagnostics;

import io.github.twodwsgi.autoconfigure.InvalidWsgiConfigurationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains {@code twod.wsgi.*} properties that describe apps which cannot be mounted.
 */
class InvalidWsgiConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidWsgiConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidWsgiConfigurationException cause) {
		return new FailureAnalysis("The WSGI configuration is invalid: " + cause.getMessage(),
				"Update property '" + cause.getProperty() + "' in your application's configuration.", cause);
	}

}
