package io.github.twodwsgi.environment;

/**
 * The Python interpreter of an app is older than the worker needs.
 */
public class UnsupportedPythonException extends RuntimeException {

	private final String appName;

	private final PythonInterpreter interpreter;

	public UnsupportedPythonException(String appName, PythonInterpreter interpreter) {
		super("WSGI app '" + appName + "' needs Python " + PythonInterpreter.OLDEST_SUPPORTED + " or newer, but '"
				+ interpreter.command() + "' (" + interpreter.executable() + ") is Python " + interpreter.version());
		this.appName = appName;
		this.interpreter = interpreter;
	}

	public String getAppName() {
		return this.appName;
	}

	public PythonInterpreter getInterpreter() {
		return this.interpreter;
	}

}
