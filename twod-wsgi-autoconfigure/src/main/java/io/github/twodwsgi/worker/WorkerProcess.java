package io.github.twodwsgi.worker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An operating-system process of an app: a worker, a fork server, or the process of the once hooks.
 * Either the JVM started it ({@link ChildProcess}) or an app's fork server forked it
 * ({@link ForkedProcess}); the pool supervises both alike.
 */
interface WorkerProcess {

	long pid();

	/** Completes with the exit code once the process is gone (128 + the signal for a death by signal). */
	CompletableFuture<Integer> onExit();

	default boolean isAlive() {
		return !onExit().isDone();
	}

	/** The exit code; only once {@link #onExit()} is done. */
	default int exitValue() {
		return onExit().join();
	}

	/** Asks the process to stop (SIGTERM). */
	void terminate();

	/** Ends the process at once (SIGKILL). */
	void kill();

	/** Waits for the exit; false if the process is still alive after {@code timeout}. */
	default boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
		try {
			onExit().get(timeout, unit);
			return true;
		}
		catch (java.util.concurrent.TimeoutException ex) {
			return false;
		}
		catch (java.util.concurrent.ExecutionException ex) {
			return true;
		}
	}

}
