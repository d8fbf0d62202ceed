package io.github.twodwsgi.environment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.github.twodwsgi.worker.PythonInterpreterNotFoundException;

/**
 * A Python interpreter as it says it is: its version and the executable behind the command (a name on
 * the PATH, a link, a virtual environment's {@code python}).
 *
 * @param command how the configuration names it
 * @param version {@code major.minor.micro}
 * @param executable {@code sys.executable}
 */
public record PythonInterpreter(String command, String version, String executable) {

	/** The oldest Python the worker runs on. */
	public static final String OLDEST_SUPPORTED = "3.8";

	private static final String PROBE = "import sys; print('%d.%d.%d' % sys.version_info[:3]); print(sys.executable)";

	/**
	 * Asks {@code command} what it is, and checks that the worker runs on it.
	 * @throws PythonInterpreterNotFoundException if it cannot be run
	 * @throws UnsupportedPythonException if it is older than {@value #OLDEST_SUPPORTED}
	 */
	public static PythonInterpreter probe(String appName, String command) {
		Process process;
		try {
			process = new ProcessBuilder(command, "-c", PROBE).redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			throw new PythonInterpreterNotFoundException(appName, command, ex);
		}
		try {
			process.getOutputStream().close();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new PythonInterpreterNotFoundException(appName, command,
						new IOException("it did not tell its version: " + output.strip()));
			}
			String[] lines = output.strip().split("\\R");
			PythonInterpreter interpreter = new PythonInterpreter(command, lines[0].strip(),
					(lines.length > 1) ? lines[1].strip() : command);
			if (!interpreter.isSupported()) {
				throw new UnsupportedPythonException(appName, interpreter);
			}
			return interpreter;
		}
		catch (IOException ex) {
			throw new PythonInterpreterNotFoundException(appName, command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
			throw new PythonInterpreterNotFoundException(appName, command, new IOException("interrupted"));
		}
	}

	/** Whether the worker runs on it: CPython 3.8 or newer. */
	public boolean isSupported() {
		String[] parts = this.version.split("\\.");
		try {
			int major = Integer.parseInt(parts[0]);
			int minor = (parts.length > 1) ? Integer.parseInt(parts[1]) : 0;
			return major > 3 || (major == 3 && minor >= 8);
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

}
