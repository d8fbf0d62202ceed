package io.github.twodwsgi.worker;

/**
 * A worker could not start its app: the interpreter failed, the app failed to import, or the worker
 * did not report ready in time. Startup fails with a report built from this exception.
 */
public class WorkerBootException extends RuntimeException {

	private final String appName;

	private final String appSpec;

	private final String reason;

	private final String pythonOutput;

	public WorkerBootException(String appName, String appSpec, String reason, String pythonOutput) {
		super("WSGI app '" + appName + "' (" + appSpec + ") failed to start: " + reason
				+ (pythonOutput.isBlank() ? "" : "\n" + pythonOutput.strip()));
		this.appName = appName;
		this.appSpec = appSpec;
		this.reason = reason;
		this.pythonOutput = pythonOutput;
	}

	/** Why, in one line: "the application could not be loaded", say. */
	public String getReason() {
		return this.reason;
	}

	public String getAppName() {
		return this.appName;
	}

	public String getAppSpec() {
		return this.appSpec;
	}

	/** The Python traceback or the worker's last output lines; empty when there was none. */
	public String getPythonOutput() {
		return this.pythonOutput;
	}

}
