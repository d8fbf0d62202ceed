package io.github.twodwsgi.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker processes of one app, and their supervisor: starts them all before traffic, lends an
 * idle one to each request (waiting a bounded time for one), replaces any that dies, and stops them
 * all, in-flight requests first, at shutdown.
 */
public final class WorkerPool {

	private static final Logger logger = LoggerFactory.getLogger(WorkerPool.class);

	private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

	private static final Duration TERM_WAIT = Duration.ofSeconds(2);

	private static final Duration MAX_RESPAWN_DELAY = Duration.ofSeconds(30);

	private enum State {

		NEW, STARTING, RUNNING, STOPPING, STOPPED

	}

	private final WorkerSpec spec;

	private final WorkerLauncher launcher;

	private final ScheduledExecutorService scheduler;

	private final ExecutorService spawner;

	private final BlockingDeque<Worker> idle = new LinkedBlockingDeque<>();

	private final Set<Worker> workers = ConcurrentHashMap.newKeySet();

	private final Set<Process> processes = ConcurrentHashMap.newKeySet();

	private final List<CompletableFuture<Worker>> initialBoots = new ArrayList<>();

	private final AtomicInteger failedSpawns = new AtomicInteger();

	private volatile State state = State.NEW;

	public WorkerPool(WorkerSpec spec) {
		this.spec = spec;
		ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, daemon(spec.appName() + "-timer"));
		timers.setRemoveOnCancelPolicy(true);
		this.scheduler = timers;
		this.spawner = Executors.newCachedThreadPool(daemon(spec.appName() + "-spawner"));
		this.launcher = new WorkerLauncher(spec, "worker", this.scheduler, this::track);
	}

	public WorkerSpec spec() {
		return this.spec;
	}

	/** Starts every worker without waiting for them; {@link #awaitReady()} waits. */
	public synchronized void start() {
		if (this.state != State.NEW) {
			return;
		}
		this.state = State.STARTING;
		logger.info("Starting {} worker(s) for WSGI app '{}' ({})", this.spec.workers(), this.spec.appName(),
				this.spec.appSpec());
		for (int i = 0; i < this.spec.workers(); i++) {
			this.initialBoots.add(CompletableFuture.supplyAsync(this::spawn, this.spawner));
		}
	}

	/**
	 * Waits until every worker has imported the app.
	 * @throws WorkerBootException if one could not (the pool is stopped then)
	 * @throws PythonInterpreterNotFoundException if the interpreter cannot be run
	 */
	public void awaitReady() {
		start();
		try {
			CompletableFuture.allOf(this.initialBoots.toArray(CompletableFuture[]::new)).join();
		}
		catch (CompletionException ex) {
			stop(Duration.ZERO);
			if (ex.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			throw ex;
		}
		synchronized (this) {
			if (this.state == State.STARTING) {
				this.state = State.RUNNING;
			}
		}
		logger.info("WSGI app '{}' is ready: {} worker(s), Python {}", this.spec.appName(), this.workers.size(),
				this.workers.stream().findAny().map(Worker::pythonVersion).orElse("?"));
	}

	/**
	 * Runs the app's once hooks in a process of their own (with the app imported and its settings),
	 * and waits until they are done; the process then exits.
	 * @throws WorkerBootException if a hook failed or ran past its timeout
	 */
	public void runOnceHooks() {
		if (this.spec.boot().onceHooks().isEmpty()) {
			return;
		}
		logger.info("Running {} once startup hook(s) of WSGI app '{}'", this.spec.boot().onceHooks().size(),
				this.spec.appName());
		Worker runner = new WorkerLauncher(this.spec, "once", this.scheduler, this::track).launch();
		runner.closeChannel();
		try {
			if (!runner.process().waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
				runner.kill("it did not exit after running the once hooks");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			runner.kill("interrupted");
		}
	}

	/**
	 * Lends an idle worker, waiting at most {@code timeout} for one.
	 * @return the worker, or {@code null} if none became free in time
	 */
	public Worker borrow(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			Worker worker = this.idle.pollFirst(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
			if (worker == null || worker.isUsable()) {
				return worker;
			}
		}
	}

	/** Takes back a worker whose request ended normally. */
	public void release(Worker worker) {
		if (worker.isUsable() && this.state != State.STOPPED) {
			// Most recently used first: its caches are warm.
			this.idle.offerFirst(worker);
		}
	}

	/** Kills a worker whose connection can no longer be trusted; a replacement is started. */
	public void discard(Worker worker, String reason) {
		worker.kill(reason);
	}

	/** Runs a task after a delay on the pool's timer thread (request timeouts). */
	public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
		return this.scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
	}

	/** The number of live workers, busy or idle. */
	public int size() {
		return this.workers.size();
	}

	/** The live workers' process ids. */
	public List<Long> pids() {
		return this.workers.stream().map(Worker::pid).sorted().toList();
	}

	public int idleCount() {
		return this.idle.size();
	}

	/**
	 * Stops the pool: waits up to {@code drainTimeout} for in-flight requests, then closes every
	 * connection (workers exit), then SIGTERM, then SIGKILL for those that do not.
	 */
	public void stop(Duration drainTimeout) {
		synchronized (this) {
			if (this.state == State.STOPPING || this.state == State.STOPPED) {
				return;
			}
			this.state = State.STOPPING;
		}
		awaitIdle(drainTimeout);
		this.spawner.shutdownNow();
		this.workers.forEach(Worker::closeChannel);
		if (!awaitExit(EXIT_WAIT)) {
			this.processes.forEach(Process::destroy);
			if (!awaitExit(TERM_WAIT)) {
				this.processes.forEach(Process::destroyForcibly);
				awaitExit(TERM_WAIT);
			}
		}
		this.scheduler.shutdownNow();
		this.idle.clear();
		this.state = State.STOPPED;
		logger.info("Stopped the workers of WSGI app '{}'", this.spec.appName());
	}

	private Worker spawn() {
		Worker worker = this.launcher.launch();
		this.workers.add(worker);
		worker.process().onExit().thenRun(() -> onExit(worker));
		if (this.state == State.STOPPING || this.state == State.STOPPED) {
			worker.closeChannel();
			return worker;
		}
		this.idle.offerFirst(worker);
		logger.debug("Worker {} of WSGI app '{}' is ready", worker.pid(), this.spec.appName());
		return worker;
	}

	private void track(Process process) {
		this.processes.add(process);
		process.onExit().thenRun(() -> this.processes.remove(process));
	}

	private void onExit(Worker worker) {
		worker.markExited();
		this.workers.remove(worker);
		this.idle.remove(worker);
		worker.closeChannel();
		if (this.state != State.RUNNING) {
			logger.debug("Worker {} of WSGI app '{}' {}", worker.pid(), this.spec.appName(), exitReason(worker));
			return;
		}
		logger.warn("Worker {} of WSGI app '{}' {}; starting a replacement", worker.pid(), this.spec.appName(),
				exitReason(worker));
		replace();
	}

	private void replace() {
		try {
			this.spawner.execute(() -> {
				try {
					spawn();
					this.failedSpawns.set(0);
				}
				catch (RuntimeException ex) {
					retryLater(ex);
				}
			});
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			// The pool is stopping.
		}
	}

	private void retryLater(RuntimeException failure) {
		if (this.state != State.RUNNING) {
			return;
		}
		int failures = this.failedSpawns.incrementAndGet();
		long delay = Math.min(MAX_RESPAWN_DELAY.toMillis(), 100L << Math.min(failures, 10));
		logger.error("Could not start a replacement worker for WSGI app '{}' (attempt {}); retrying in {} ms",
				this.spec.appName(), failures, delay, failure);
		try {
			this.scheduler.schedule(this::replace, delay, TimeUnit.MILLISECONDS);
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			// The pool is stopping.
		}
	}

	private static String exitReason(Worker worker) {
		String killReason = worker.killReason();
		if (killReason != null) {
			return "was killed: " + killReason;
		}
		return WorkerExitCode.describe(worker.process().exitValue());
	}

	private void awaitIdle(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.idle.size() < this.workers.size() && System.nanoTime() < deadline) {
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private boolean awaitExit(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		for (Process process : List.copyOf(this.processes)) {
			try {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0 || !process.waitFor(remaining, TimeUnit.NANOSECONDS)) {
					return false;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return this.processes.stream().noneMatch(Process::isAlive);
	}

	private static ThreadFactory daemon(String name) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, "twod-wsgi-" + name + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
