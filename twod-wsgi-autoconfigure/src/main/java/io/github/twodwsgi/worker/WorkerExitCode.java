package io.github.twodwsgi.worker;

/**
 * Why a worker process ended, from its exit code; the codes are those of {@code twod_wsgi/protocol.py}.
 */
public enum WorkerExitCode {

	OK(0, "stopped normally"),

	BOOT_ERROR(3, "could not set up its socket"),

	APP_LOAD_ERROR(4, "could not import the WSGI application"),

	PARENT_GONE(5, "lost its parent JVM"),

	PROTOCOL_ERROR(6, "received a frame it did not expect");

	private final int code;

	private final String description;

	WorkerExitCode(int code, String description) {
		this.code = code;
		this.description = description;
	}

	public int code() {
		return this.code;
	}

	/** Describes an exit code, including deaths by signal (128 + signal number, as Java reports them). */
	public static String describe(int exitCode) {
		for (WorkerExitCode known : values()) {
			if (known.code == exitCode) {
				return known.description + " (exit code " + exitCode + ")";
			}
		}
		if (exitCode > 128) {
			return "was killed by signal " + (exitCode - 128) + signalName(exitCode - 128);
		}
		return "exited with code " + exitCode;
	}

	private static String signalName(int signal) {
		return switch (signal) {
			case 9 -> " (SIGKILL)";
			case 15 -> " (SIGTERM)";
			case 11 -> " (SIGSEGV)";
			case 6 -> " (SIGABRT)";
			default -> "";
		};
	}

}
