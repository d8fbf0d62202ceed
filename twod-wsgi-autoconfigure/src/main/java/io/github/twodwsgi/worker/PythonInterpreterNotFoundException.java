package io.github.twodwsgi.worker;

/**
 * The Python interpreter configured for an app cannot be run.
 */
public class PythonInterpreterNotFoundException extends RuntimeException {

	private final String appName;

	private final String interpreter;

	public PythonInterpreterNotFoundException(String appName, String interpreter, Throwable cause) {
		super("Python interpreter '" + interpreter + "' of WSGI app '" + appName + "' cannot be run: "
				+ cause.getMessage(), cause);
		this.appName = appName;
		this.interpreter = interpreter;
	}

	public String getAppName() {
		return this.appName;
	}

	public String getInterpreter() {
		return this.interpreter;
	}

}
