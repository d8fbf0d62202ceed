package io.github.twodwsgi.diagnostics;

import io.github.twodwsgi.worker.WorkerBootException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a WSGI app whose workers could not import it: the app, its module and the Python traceback.
 */
class WorkerBootFailureAnalyzer extends AbstractFailureAnalyzer<WorkerBootException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, WorkerBootException cause) {
		String module = cause.getAppSpec().split(":", 2)[0];
		StringBuilder description = new StringBuilder().append("WSGI app '")
			.append(cause.getAppName())
			.append("' failed to start because ")
			.append(cause.getReason())
			.append(".\n\n    app: ")
			.append(cause.getAppSpec())
			.append("\n    module: ")
			.append(module);
		if (!cause.getPythonOutput().isBlank()) {
			description.append("\n\nPython traceback:\n\n").append(cause.getPythonOutput().strip().indent(4));
		}
		String action = cause.getReason().contains("startup hook")
				? "Make sure that the hook can be imported with the app's python-path, takes the configured args and "
						+ "kwargs, and finishes within its timeout (twod.wsgi.apps." + cause.getAppName() + ".startup)."
				: cause.getReason().startsWith("WSGI middleware")
				? "Make sure that the middleware's factory can be imported with the app's python-path and accepts "
						+ "the WSGI app and the configured args (twod.wsgi.middleware, twod.wsgi.apps."
						+ cause.getAppName() + ".middleware, or WsgiMiddleware beans)."
				: "Make sure that module '" + module + "' can be imported with the app's python-path and "
						+ "interpreter (twod.wsgi.apps." + cause.getAppName() + ".python-path and .python), and that '"
						+ cause.getAppSpec() + "' names a WSGI callable.";
		return new FailureAnalysis(description.toString(), action, cause);
	}

}
