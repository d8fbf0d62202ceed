package io.github.twodwsgi.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker processes of one app, and their supervisor: starts them all before traffic (forked from
 * the app's fork server with preload), lends an idle worker thread to each request (waiting a bounded
 * time for one), replaces any worker that dies (with a growing delay when they keep dying), recycles
 * workers past their limits (a new one first), and stops them all, in-flight requests first, at
 * shutdown.
 */
public final class WorkerPool {

	private static final Logger logger = LoggerFactory.getLogger(WorkerPool.class);

	private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

	private static final Duration TERM_WAIT = Duration.ofSeconds(2);

	private static final Duration MAX_RESPAWN_DELAY = Duration.ofSeconds(10);

	/** A worker that dies younger than this, without having served, counts as a crash of a loop. */
	private static final Duration QUICK_DEATH = Duration.ofSeconds(10);

	/** How many failures in a row make a crash loop. */
	private static final int CRASH_LOOP = 3;

	private static final Duration MEMORY_CHECK_INTERVAL = Duration.ofSeconds(1);

	/** How many workers a request is offered to when each was found dead before it could be sent. */
	private static final int SEND_ATTEMPTS = 3;

	/**
	 * How often busy workers are checked against their request deadlines: one sweep for all of them
	 * rather than a timer scheduled and cancelled for every request.
	 */
	private static final Duration DEADLINE_CHECK_INTERVAL = Duration.ofMillis(50);

	private enum State {

		NEW, STARTING, RUNNING, STOPPING, STOPPED

	}

	private final WorkerSpec spec;

	private final WorkerLauncher launcher;

	private final ScheduledExecutorService scheduler;

	private final ExecutorService spawner;

	private final IdleConnections idle = new IdleConnections();

	private final Set<Worker> workers = ConcurrentHashMap.newKeySet();

	private final Set<WorkerProcess> processes = ConcurrentHashMap.newKeySet();

	/** With preload: the process that forks the workers; started when the first worker is needed. */
	private volatile ForkServer forkServer;

	/** Guards the pool's size as counted: the workers and the replacements on their way. */
	private final Object size = new Object();

	private final Object forkServerLock = new Object();

	private final List<CompletableFuture<Worker>> initialBoots = new ArrayList<>();

	/** Failures (quick deaths, failed starts) since a worker last proved healthy. */
	private final AtomicInteger failures = new AtomicInteger();

	/** Requests waiting for a free worker right now. */
	private final AtomicInteger waiting = new AtomicInteger();

	/** The 503 warnings of the pool, each logged once a second at most (with the count since). */
	private final LogThrottle workersDownLog = new LogThrottle();

	private final LogThrottle queueFullLog = new LogThrottle();

	private final LogThrottle queueTimeoutLog = new LogThrottle();

	/** Workers being started to replace dead ones, so that the pool does not overshoot its size. */
	private final AtomicInteger pendingReplacements = new AtomicInteger();

	private final Map<RestartReason, AtomicLong> restarts = new EnumMap<>(RestartReason.class);

	private volatile State state = State.NEW;

	public WorkerPool(WorkerSpec spec) {
		this.spec = spec;
		ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, daemon(spec.appName() + "-timer"));
		timers.setRemoveOnCancelPolicy(true);
		this.scheduler = timers;
		this.spawner = Executors.newCachedThreadPool(daemon(spec.appName() + "-spawner"));
		this.launcher = new WorkerLauncher(spec, spec.preload() ? "preload" : "worker", this.scheduler, this::track);
		for (RestartReason reason : RestartReason.values()) {
			this.restarts.put(reason, new AtomicLong());
		}
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
		logger.info("Starting {} worker(s){} for WSGI app '{}' ({}{})", this.spec.workers(),
				(this.spec.threads() > 1) ? " of " + this.spec.threads() + " threads" : "", this.spec.appName(),
				this.spec.appSpec(), this.spec.preload() ? ", preloaded" : "");
		// With preload the fork server imports the app first, once: an import that fails fails every
		// boot at once, rather than each boot importing it again in turn.
		CompletableFuture<?> imported = this.spec.preload() ? CompletableFuture.runAsync(this::forkServer, this.spawner)
				: CompletableFuture.completedFuture(null);
		for (int i = 0; i < this.spec.workers(); i++) {
			this.initialBoots.add(imported.thenApplyAsync((ignored) -> spawn(false), this.spawner));
		}
		this.scheduler.scheduleWithFixedDelay(this::enforceDeadlines, DEADLINE_CHECK_INTERVAL.toNanos(),
				DEADLINE_CHECK_INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
		if (this.spec.limits().maxMemory() != null) {
			this.scheduler.scheduleWithFixedDelay(this::checkMemory, MEMORY_CHECK_INTERVAL.toMillis(),
					MEMORY_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
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
		// With preload the once hooks run in a fork too: the app is imported once, whatever runs.
		Worker runner = this.spec.preload() ? this.launcher.fork(forkServer(), "once")
				: new WorkerLauncher(this.spec, "once", this.scheduler, this::track).launch();
		runner.closeConnections();
		try {
			if (!runner.process().waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
				runner.kill(RestartReason.FAILED, "it did not exit after running the once hooks");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			runner.kill(RestartReason.FAILED, "interrupted");
		}
	}

	/**
	 * Sends a request to a free worker and waits for the app's status and headers: the one call the
	 * gateway makes per request. The body is pulled from {@code body} whenever the app reads it.
	 * @param environ the encoded environ ({@code Environ.encode})
	 * @param description how logs name the request, e.g. {@code GET /shop/cart}
	 * @throws ExchangeFailure if the workers are down, too many requests wait, no worker became free
	 * in time, or the app, its worker or the request's body failed before the response started
	 */
	public WorkerExchange exchange(byte[] environ, WorkerExchange.RequestBody body, String description,
			ExchangeLimits limits) {
		admit(description, limits);
		long start = System.nanoTime();
		long deadline = start + limits.queueTimeout().toNanos();
		for (int attempt = 1;; attempt++) {
			WorkerExchange exchange = new WorkerExchange(this.spec.appName(), this, limits.requestTimeout(), environ,
					body, description, limits.maxBodySize());
			WorkerConnection connection;
			try {
				connection = this.idle.take(Math.max(0, deadline - System.nanoTime()), exchange::send);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				connection = null;
			}
			finally {
				this.waiting.decrementAndGet();
			}
			long waited = System.nanoTime() - start;
			if (connection == null) {
				long unlogged = this.queueTimeoutLog.occurred(System.nanoTime());
				if (unlogged >= 0) {
					logger.warn("WSGI app '{}': no worker became free within {} for {}{}", this.spec.appName(),
							limits.queueTimeout(), description, LogThrottle.since(unlogged));
				}
				throw new ExchangeFailure(ExchangeFailure.Kind.NO_WORKER_FREE,
						"No worker of WSGI app '" + this.spec.appName() + "' became free in time", waited);
			}
			exchange.setQueueWaitNanos(waited);
			try {
				exchange.start();
				return exchange;
			}
			catch (ExchangeFailure failure) {
				// The worker was dead before the request reached it (its process gone, the pool not told
				// yet): the app never saw the request, so another worker may serve it. A request whose
				// worker died once it had it is not sent again, whatever its method: the app may have
				// acted on it (and a request that kills its worker would kill the next one too).
				if (!exchange.wasNeverSent() || attempt == SEND_ATTEMPTS) {
					throw failure.withQueueWait(waited);
				}
				logger.info("WSGI app '{}': {} goes to another worker, as it could not be sent to worker {}",
						this.spec.appName(), description, connection.worker().pid());
				this.waiting.incrementAndGet();
			}
		}
	}
	/** Refuses a request at once when the workers are down or too many requests wait already. */
	private void admit(String description, ExchangeLimits limits) {
		if (isUnavailable()) {
			long unlogged = this.workersDownLog.occurred(System.nanoTime());
			if (unlogged >= 0) {
				logger.error("WSGI app '{}' answers 503: its workers cannot stay up ({} of {} alive; see the "
						+ "worker errors above){}", this.spec.appName(), size(), this.spec.workers(),
						LogThrottle.since(unlogged));
			}
			throw new ExchangeFailure(ExchangeFailure.Kind.WORKERS_DOWN,
					"The workers of WSGI app '" + this.spec.appName() + "' cannot stay up", -1);
		}
		if (this.waiting.incrementAndGet() > limits.queueSize()) {
			this.waiting.decrementAndGet();
			long unlogged = this.queueFullLog.occurred(System.nanoTime());
			if (unlogged >= 0) {
				logger.warn("WSGI app '{}': {} requests already wait for a worker (queue-size); {} refused{}",
						this.spec.appName(), limits.queueSize(), description, LogThrottle.since(unlogged));
			}
			throw new ExchangeFailure(ExchangeFailure.Kind.QUEUE_FULL,
					"No worker of WSGI app '" + this.spec.appName() + "' became free in time", -1);
		}
	}

	/**
	 * Takes back a connection whose request ended normally. A worker that has now served its
	 * max-requests takes no more: it leaves once its other requests are over, and is replaced then.
	 */
	public void release(WorkerConnection connection) {
		this.failures.set(0);
		Worker worker = connection.worker();
		worker.giveBack();
		if (worker.countServed() && worker.startRetiring(RestartReason.MAX_REQUESTS)) {
			// No overshoot: it takes no more requests from now on, and is replaced when it has left.
			worker.stopTakingRequests();
		}
		if (this.state == State.STOPPED || !this.idle.offer(connection)) {
			leaveIfIdle(worker);
		}
	}

	/**
	 * Kills a worker whose connection can no longer be trusted; a replacement is started. A worker
	 * whose connection failed because it died by itself is left to count as crashed.
	 */
	public void discard(WorkerConnection connection, String reason) {
		Worker worker = connection.worker();
		try {
			if (worker.process().waitFor(50, TimeUnit.MILLISECONDS)) {
				worker.closeConnections();
				return;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		worker.kill(RestartReason.FAILED, reason);
	}

	/** Replaces every worker, new ones first (after the app's code changed, say). */
	public void recycleAll(RestartReason reason) {
		if (this.spec.preload()) {
			// The new workers must come from a fork server that imports the new code.
			retireForkServer();
		}
		for (Worker worker : List.copyOf(this.workers)) {
			if (worker.startRetiring(reason)) {
				recycle(worker);
			}
		}
	}

	/** The pid of the fork server (preload), or -1 when there is none. */
	public long forkServerPid() {
		// Read without the lock, which is held while a fork server imports the app.
		ForkServer server = this.forkServer;
		return (server != null) ? server.pid() : -1;
	}

	/** The number of live workers, busy or idle. */
	public int size() {
		return this.workers.size();
	}

	/** The live workers' process ids. */
	public List<Long> pids() {
		return this.workers.stream().map(Worker::pid).sorted().toList();
	}

	/** The live workers. */
	public List<Worker> workers() {
		return List.copyOf(this.workers);
	}

	/**
	 * Requests waiting for a free worker thread now (admitted ones, up to {@code queue-size}, and,
	 * for an instant, one being refused or about to take an idle thread); each holds a container
	 * thread while it waits.
	 */
	public int waitingCount() {
		return this.waiting.get();
	}

	/** Worker threads free for a request now. */
	public int idleCount() {
		return this.idle.size();
	}

	/** Workers replaced so far, by reason. */
	public long restarts(RestartReason reason) {
		return this.restarts.get(reason).get();
	}

	/**
	 * Whether the workers cannot stay up: none is alive, or starts keep failing and the pool is short.
	 */
	public boolean isDown() {
		if (this.state != State.RUNNING) {
			return this.state != State.STARTING && this.state != State.NEW;
		}
		return this.workers.isEmpty() || (isCrashLooping() && this.workers.size() < this.spec.workers());
	}

	/**
	 * Whether requests should be refused at once rather than wait: no worker is alive and starting
	 * new ones keeps failing.
	 */
	public boolean isUnavailable() {
		return this.state == State.RUNNING && this.workers.isEmpty() && isCrashLooping();
	}

	/** Whether the pool was stopped; a stopped pool does not start again. */
	public boolean isStopped() {
		return this.state == State.STOPPED || this.state == State.STOPPING;
	}

	/** Whether the last starts or lives of workers failed several times in a row. */
	public boolean isCrashLooping() {
		return this.failures.get() >= CRASH_LOOP;
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
		// The fork server leaves once its workers have.
		retireForkServer();
		this.workers.forEach(Worker::closeConnections);
		if (!awaitExit(EXIT_WAIT)) {
			this.processes.forEach(WorkerProcess::terminate);
			if (!awaitExit(TERM_WAIT)) {
				this.processes.forEach(WorkerProcess::kill);
				awaitExit(TERM_WAIT);
			}
		}
		this.scheduler.shutdownNow();
		this.idle.clear();
		this.state = State.STOPPED;
		logger.info("Stopped the workers of WSGI app '{}'", this.spec.appName());
	}

	/**
	 * Starts a worker and adds it to the pool.
	 * @param pending whether it was counted in {@link #pendingReplacements}: the count goes down as the
	 * worker is added, at once, so that no count of the pool sees it twice (or not at all)
	 */
	private Worker spawn(boolean pending) {
		Worker worker = launch();
		long maxRequests = this.spec.limits().maxRequests();
		if (maxRequests > 0) {
			long jitter = this.spec.limits().maxRequestsJitter();
			worker.limitRequests(maxRequests + ((jitter > 0) ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0));
		}
		synchronized (this.size) {
			this.workers.add(worker);
			if (pending) {
				this.pendingReplacements.decrementAndGet();
			}
		}
		worker.process().onExit().thenRun(() -> onExit(worker));
		if (this.state == State.STOPPING || this.state == State.STOPPED) {
			worker.closeConnections();
			return worker;
		}
		worker.connections().forEach(this.idle::offer);
		logger.debug("Worker {} of WSGI app '{}' is ready", worker.pid(), this.spec.appName());
		if (worker.forkServer() != null && worker.forkServer().isRetired() && worker.startRetiring(RestartReason.RELOAD)) {
			// Forked by a fork server that a reload retired meanwhile: it has the old code.
			recycle(worker);
		}
		return worker;
	}

	/** A new worker: forked (preload) or a process of its own. */
	private Worker launch() {
		if (!this.spec.preload()) {
			return this.launcher.launch();
		}
		ForkServer server = forkServer();
		try {
			return this.launcher.fork(server, "worker");
		}
		catch (WorkerBootException ex) {
			if (!server.isRetired()) {
				throw ex;
			}
			// A reload retired it as it was asked to fork: the new one forks instead.
			return this.launcher.fork(forkServer(), "worker");
		}
	}

	/**
	 * The fork server to fork the next worker from: the current one, or a new one when there is none
	 * (the first worker, after a reload, or after the last one died).
	 */
	private ForkServer forkServer() {
		synchronized (this.forkServerLock) {
			if (this.forkServer == null || !this.forkServer.isUsable()) {
				ForkServer server = this.launcher.launchForkServer();
				server.process().onExit().thenRun(() -> onForkServerExit(server));
				logger.info("Fork server {} of WSGI app '{}' imported the app", server.pid(), this.spec.appName());
				this.forkServer = server;
			}
			return this.forkServer;
		}
	}

	/** The current fork server forks no more; the next worker comes from a new one. */
	private void retireForkServer() {
		synchronized (this.forkServerLock) {
			if (this.forkServer != null) {
				this.forkServer.retire();
				this.forkServer = null;
			}
		}
	}

	private void onForkServerExit(ForkServer server) {
		synchronized (this.forkServerLock) {
			if (this.forkServer != server) {
				return; // retired: it was leaving
			}
			this.forkServer = null;
		}
		if (this.state == State.RUNNING) {
			logger.warn("Fork server {} of WSGI app '{}' {}; its workers are gone with it, and a new one will fork "
					+ "their replacements", server.pid(), this.spec.appName(),
					WorkerExitCode.describe(server.process().exitValue()));
		}
	}

	/**
	 * Starts a successor for a retiring worker (past max-memory, or with old code), which serves on
	 * until the successor is ready and leaves once its requests in flight are over.
	 */
	void recycle(Worker old) {
		old.markReplaced();
		this.restarts.get(old.retiring()).incrementAndGet();
		// Counted as pending, so that a worker dying meanwhile does not get a replacement too many.
		synchronized (this.size) {
			this.pendingReplacements.incrementAndGet();
		}
		Runnable successor = () -> {
			try {
				spawn(true);
			}
			catch (RuntimeException ex) {
				this.pendingReplacements.decrementAndGet();
				old.stopRetiring();
				logger.error("Could not start a successor for worker {} of WSGI app '{}'; {}", old.pid(),
						this.spec.appName(), old.isUsable() ? "it serves on" : "retrying", ex);
				if (!old.isUsable()) {
					replaceLater(backoff(this.failures.incrementAndGet()));
				}
				return;
			}
			old.stopTakingRequests();
			leaveIfIdle(old);
		};
		if (!submit(successor)) {
			this.pendingReplacements.decrementAndGet();
			old.stopRetiring();
		}
	}

	/**
	 * Makes a worker that takes no more requests leave, if none of its requests is in flight: its
	 * connections are closed (it exits), or, when a thread of it is stuck in a request, it is killed.
	 */
	private void leaveIfIdle(Worker worker) {
		this.idle.removeAll(worker);
		if (worker.isIdle() && worker.markLeft()) {
			if (worker.hung() != null) {
				worker.kill(RestartReason.TIMEOUT, worker.hung());
			}
			else {
				worker.closeConnections();
			}
		}
	}

	private void track(WorkerProcess process) {
		this.processes.add(process);
		process.onExit().thenRun(() -> this.processes.remove(process));
	}

	private void onExit(Worker worker) {
		worker.markExited();
		this.workers.remove(worker);
		this.idle.removeAll(worker);
		worker.closeConnections();
		if (this.state != State.RUNNING) {
			logger.debug("Worker {} of WSGI app '{}' {}", worker.pid(), this.spec.appName(), exitReason(worker));
			return;
		}
		if (worker.isReplaced()) {
			// Its successor is ready, or on its way.
			if (worker.killReason() != null) {
				logger.warn("Worker {} of WSGI app '{}' {}; its successor is on its way", worker.pid(),
						this.spec.appName(), exitReason(worker));
			}
			else {
				logger.info("Worker {} of WSGI app '{}' retired after {} requests ({})", worker.pid(),
						this.spec.appName(), worker.served(), worker.retiring().tag());
			}
			return;
		}
		if (worker.retiring() != null && worker.killReason() == null) {
			// It took no more requests (max-requests, or a thread hung past its deadline) and has left.
			this.restarts.get(worker.retiring()).incrementAndGet();
			logger.info("Worker {} of WSGI app '{}' retired after {} requests ({}); starting its successor",
					worker.pid(), this.spec.appName(), worker.served(), worker.retiring().tag());
			replaceLater(0);
			return;
		}
		RestartReason reason = worker.restartReason();
		this.restarts.get(reason).incrementAndGet();
		// A worker that died with its fork server did nothing wrong itself: no back-off for it.
		boolean quick = worker.served() == 0 && !diedWithForkServer(worker)
				&& System.nanoTime() - worker.startedAt() < QUICK_DEATH.toNanos() && reason == RestartReason.CRASHED;
		long delay = quick ? backoff(this.failures.incrementAndGet()) : 0;
		logger.warn("Worker {} of WSGI app '{}' {}; starting a replacement{}", worker.pid(), this.spec.appName(),
				exitReason(worker), (delay > 0) ? " in " + delay + " ms" : "");
		replaceLater(delay);
	}

	private void replaceLater(long delayMillis) {
		synchronized (this.size) {
			// Retiring workers do not count: their successors are on their way already.
			long staying = this.workers.stream().filter((worker) -> worker.retiring() == null).count();
			if (staying + this.pendingReplacements.get() >= this.spec.workers()) {
				return;
			}
			this.pendingReplacements.incrementAndGet();
		}
		Runnable replace = () -> submit(() -> {
			try {
				spawn(true);
			}
			catch (RuntimeException ex) {
				int failed = this.failures.incrementAndGet();
				long delay = backoff(failed);
				logger.error("Could not start a worker for WSGI app '{}' ({} failure(s) in a row{}); retrying in {} ms",
						this.spec.appName(), failed, isCrashLooping() ? ", crash loop" : "", delay, ex);
				this.pendingReplacements.decrementAndGet();
				replaceLater(delay);
			}
		});
		try {
			if (delayMillis <= 0) {
				replace.run();
			}
			else {
				this.scheduler.schedule(replace, delayMillis, TimeUnit.MILLISECONDS);
			}
		}
		catch (RejectedExecutionException ex) {
			this.pendingReplacements.decrementAndGet();
		}
	}

	/** Runs a task on a spawner thread; false if the pool is not running. */
	private boolean submit(Runnable task) {
		if (this.state != State.RUNNING) {
			return false;
		}
		try {
			this.spawner.execute(task);
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false; // The pool is stopping.
		}
	}

	private static long backoff(int failures) {
		return Math.min(MAX_RESPAWN_DELAY.toMillis(), 100L << Math.min(Math.max(failures - 1, 0), 16));
	}

	/** Ends the requests that ran past their deadline (request-timeout). */
	private void enforceDeadlines() {
		long now = System.nanoTime();
		for (Worker worker : this.workers) {
			for (WorkerConnection connection : worker.connections()) {
				String overdue = connection.timeOutIfOverdue(now);
				if (overdue != null) {
					timedOut(worker, connection, overdue);
				}
			}
		}
	}

	/**
	 * A request ran past its deadline: its worker is killed. A thread cannot be killed on its own, so
	 * a worker with other threads is spared while they serve: the late request's connection is closed
	 * (its client gets 504), the worker takes no more requests, a successor starts, and the worker is
	 * killed once its other requests are over (each still bounded by its own deadline).
	 */
	private void timedOut(Worker worker, WorkerConnection connection, String reason) {
		if (worker.threads() == 1) {
			worker.kill(RestartReason.TIMEOUT, reason);
			return;
		}
		logger.warn("Worker {} of WSGI app '{}': {}; it takes no more requests and is killed once its other "
				+ "requests are over", worker.pid(), this.spec.appName(), reason);
		worker.markHung(reason);
		connection.close();
		worker.giveBack();
		if (worker.startRetiring(RestartReason.TIMEOUT)) {
			recycle(worker);
		}
		leaveIfIdle(worker);
	}

	/** Recycles workers whose resident memory grew past max-memory (Linux: /proc/&lt;pid&gt;/status). */
	private void checkMemory() {
		long limit = this.spec.limits().maxMemory().toBytes();
		for (Worker worker : this.workers) {
			long rss = residentBytes(worker.pid());
			if (rss > limit && worker.startRetiring(RestartReason.MAX_MEMORY)) {
				logger.info("Worker {} of WSGI app '{}' uses {} MB (max-memory {} MB); starting its successor",
						worker.pid(), this.spec.appName(), rss >> 20, limit >> 20);
				recycle(worker);
			}
		}
	}

	static long residentBytes(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// Not Linux, or the process is gone.
		}
		return 0;
	}

	private static String exitReason(Worker worker) {
		String killReason = worker.killReason();
		if (killReason != null) {
			return "was killed: " + killReason;
		}
		if (diedWithForkServer(worker)) {
			return "died with its fork server";
		}
		return WorkerExitCode.describe(worker.process().exitValue());
	}

	private static boolean diedWithForkServer(Worker worker) {
		return worker.process() instanceof ForkedProcess forked && forked.diedWithParent();
	}

	private void awaitIdle(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.workers.stream().anyMatch(Worker::isBusy) && System.nanoTime() < deadline) {
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
		for (WorkerProcess process : List.copyOf(this.processes)) {
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
		return this.processes.stream().noneMatch(WorkerProcess::isAlive);
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
