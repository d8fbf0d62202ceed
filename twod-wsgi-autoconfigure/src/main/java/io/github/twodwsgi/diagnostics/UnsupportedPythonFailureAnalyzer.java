package io.github.twodwsgi.diagnostics;

import io.github.twodwsgi.environment.PythonInterpreter;
import io.github.twodwsgi.environment.UnsupportedPythonException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an interpreter too old for the worker.
 */
class UnsupportedPythonFailureAnalyzer extends AbstractFailureAnalyzer<UnsupportedPythonException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnsupportedPythonException cause) {
		String action = "Use Python " + PythonInterpreter.OLDEST_SUPPORTED + " or newer: set twod.wsgi.apps."
				+ cause.getAppName() + ".python (or twod.wsgi.python) to its path.";
		return new FailureAnalysis(cause.getMessage() + ".", action, cause);
	}

}
