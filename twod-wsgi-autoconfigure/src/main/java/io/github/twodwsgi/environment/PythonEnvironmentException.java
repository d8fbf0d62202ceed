package io.github.twodwsgi.environment;

/**
 * An app's virtual environment could not be built: {@code venv} or pip failed. Carries what they said.
 */
public class PythonEnvironmentException extends RuntimeException {

	private final String appName;

	private final String requirements;

	private final String output;

	public PythonEnvironmentException(String appName, String requirements, String reason, String output) {
		super("The Python environment of WSGI app '" + appName + "' (requirements " + requirements
				+ ") could not be built: " + reason);
		this.appName = appName;
		this.requirements = requirements;
		this.output = output;
	}

	public String getAppName() {
		return this.appName;
	}

	/** Where the requirements came from. */
	public String getRequirements() {
		return this.requirements;
	}

	/** The last lines {@code venv} or pip wrote. */
	public String getOutput() {
		return this.output;
	}

}
