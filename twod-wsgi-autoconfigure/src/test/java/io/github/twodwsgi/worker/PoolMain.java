package io.github.twodwsgi.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A JVM with one pool of workers and nothing else, for {@link JvmDeathTests} to kill: prints
 * {@code READY <fork server pid or -1> <worker pids...>} once the workers are up, then waits.
 * Arguments: {@code preload} or {@code spawn}, then the number of threads per worker.
 */
public final class PoolMain {

	private PoolMain() {
	}

	public static void main(String[] args) throws Exception {
		boolean preload = args[0].equals("preload");
		int threads = Integer.parseInt(args[1]);
		WorkerSpec spec = new WorkerSpec("orphans", "worker_model_apps:app", "python3",
				List.of(Path.of("src/test/python").toAbsolutePath()), Map.of(), 2, Duration.ofSeconds(30),
				RunDirectory.create())
			.withConcurrency(threads, preload);
		WorkerPool pool = new WorkerPool(spec);
		pool.awaitReady();
		System.out.println("READY " + pool.forkServerPid() + " "
				+ pool.pids().stream().map(String::valueOf).collect(Collectors.joining(" ")));
		System.out.flush();
		Thread.sleep(Long.MAX_VALUE);
	}

}
