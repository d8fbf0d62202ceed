package io.github.twodwsgi.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to start the worker processes of one app.
 *
 * @param appName the app's name in the configuration (used in logs and bean names)
 * @param appSpec the WSGI callable, {@code module:callable} or {@code module:factory()}
 * @param interpreter the Python interpreter, a name on the PATH or an absolute path
 * @param pythonPath directories prepended to {@code sys.path}
 * @param environment extra environment variables for the workers
 * @param workers how many worker processes to keep running
 * @param bootTimeout how long a worker may take to import the app
 * @param runDirectory the private directory for sockets and the worker's own Python code
 * @param boot what the worker is told at boot: middleware, settings, Django
 * @param limits when workers are recycled
 * @param threads how many requests each worker serves at once, a thread each
 * @param preload whether the app is imported once, by a fork server, and the workers forked from it
 */
public record WorkerSpec(String appName, String appSpec, String interpreter, List<Path> pythonPath,
		Map<String, String> environment, int workers, Duration bootTimeout, RunDirectory runDirectory,
		BootConfiguration boot, WorkerLimits limits, int threads, boolean preload) {

	public WorkerSpec {
		pythonPath = List.copyOf(pythonPath);
		environment = Map.copyOf(environment);
		if (threads < 1) {
			throw new IllegalArgumentException("threads must be at least 1, not " + threads);
		}
	}

	/** One thread per worker, no preload. */
	public WorkerSpec(String appName, String appSpec, String interpreter, List<Path> pythonPath,
			Map<String, String> environment, int workers, Duration bootTimeout, RunDirectory runDirectory) {
		this(appName, appSpec, interpreter, pythonPath, environment, workers, bootTimeout, runDirectory,
				BootConfiguration.none(), WorkerLimits.none(), 1, false);
	}

	/** The same spec with another number of threads per worker and preload on or off. */
	public WorkerSpec withConcurrency(int threads, boolean preload) {
		return new WorkerSpec(this.appName, this.appSpec, this.interpreter, this.pythonPath, this.environment,
				this.workers, this.bootTimeout, this.runDirectory, this.boot, this.limits, threads, preload);
	}

	/** What a worker reads on stdin after the secret: its boot configuration, as one line of JSON. */
	String bootConfiguration(String role) {
		return this.boot.toJson(this.appName, role, this.threads);
	}

	/** The SLF4J logger under which the app's Python output is logged. */
	public String loggerName() {
		return "twod.wsgi." + this.appName;
	}

}
