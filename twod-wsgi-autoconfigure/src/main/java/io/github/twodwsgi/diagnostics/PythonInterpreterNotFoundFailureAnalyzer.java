package io.github.twodwsgi.diagnostics;

import io.github.twodwsgi.worker.PythonInterpreterNotFoundException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a Python interpreter that cannot be run.
 */
class PythonInterpreterNotFoundFailureAnalyzer extends AbstractFailureAnalyzer<PythonInterpreterNotFoundException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, PythonInterpreterNotFoundException cause) {
		String description = "WSGI app '" + cause.getAppName() + "' failed to start because its Python interpreter '"
				+ cause.getInterpreter() + "' cannot be run: " + cause.getCause().getMessage();
		String action = "Make sure that '" + cause.getInterpreter() + "' is installed and on the PATH, or set "
				+ "twod.wsgi.apps." + cause.getAppName() + ".python (or twod.wsgi.python) to the absolute path "
				+ "of a Python 3 interpreter.";
		return new FailureAnalysis(description, action, cause);
	}

}
