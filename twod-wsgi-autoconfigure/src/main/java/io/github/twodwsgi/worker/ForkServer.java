package io.github.twodwsgi.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM's end of an app's fork server (preload): a Python process that imported the app once and
 * forks a worker for each {@link #fork} (see {@code twod_wsgi/forkserver.py}). A thread reads what
 * the fork server reports: the pid of each fork, in order, and the exit of each worker it reaped. When
 * the fork server dies, its workers are gone with it.
 */
final class ForkServer {

	private static final Logger logger = LoggerFactory.getLogger(ForkServer.class);

	private final String appName;

	private final ChildProcess process;

	private final FrameChannel channel;

	private final PythonOutputRelay stderr;

	private final Map<Long, ForkedProcess> children = new ConcurrentHashMap<>();

	/** Forks asked for and not yet answered, oldest first: the fork server answers in order. */
	private final ArrayDeque<CompletableFuture<ForkedProcess>> pending = new ArrayDeque<>();

	/** No more forks: the code changed (reload), or the fork server failed. */
	private volatile boolean retired;

	private volatile boolean gone;

	ForkServer(String appName, ChildProcess process, FrameChannel channel, PythonOutputRelay stderr) {
		this.appName = appName;
		this.process = process;
		this.channel = channel;
		this.stderr = stderr;
		Thread reader = new Thread(this::readReports, "twod-wsgi-" + appName + "-fork-server-" + process.pid());
		reader.setDaemon(true);
		reader.start();
		process.onExit().thenRun(this::parentGone);
	}

	long pid() {
		return this.process.pid();
	}

	ChildProcess process() {
		return this.process;
	}

	PythonOutputRelay stderr() {
		return this.stderr;
	}

	/** Whether it can fork workers. */
	boolean isUsable() {
		return !this.retired && !this.gone;
	}

	/** Whether a reload (or a stop) retired it: what it forked has the old code. */
	boolean isRetired() {
		return this.retired;
	}

	/**
	 * Forks a worker that listens on {@code socket}.
	 * @param role {@code worker}, or {@code once} for a process that runs the once hooks and exits
	 * @throws IOException if the fork server is gone or did not answer in time
	 */
	ForkedProcess fork(Path socket, String role, Duration timeout) throws IOException {
		CompletableFuture<ForkedProcess> forked = new CompletableFuture<>();
		synchronized (this) {
			if (!isUsable()) {
				throw new IOException("the fork server " + pid() + " is "
						+ (this.gone ? "gone" : "retired"));
			}
			this.pending.addLast(forked);
			this.channel.write(Frames.SPAWN, (role + "\0" + socket).getBytes(StandardCharsets.UTF_8));
			this.channel.flush();
		}
		try {
			return forked.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			// Its pid, if it comes, finds nobody waiting: the fork is killed then.
			forked.cancel(false);
			throw new IOException("interrupted while forking", ex);
		}
		catch (ExecutionException ex) {
			throw new IOException(ex.getCause().getMessage(), ex.getCause());
		}
		catch (TimeoutException ex) {
			forked.cancel(false);
			// A fork server that does not answer cannot be trusted with the next fork either.
			this.process.kill();
			throw new IOException("the fork server " + pid() + " did not fork within " + timeout.toMillis() + " ms");
		}
		finally {
			closeIfUnused();
		}
	}

	/** Forks no more; it leaves once its workers have. */
	void retire() {
		this.retired = true;
		closeIfUnused();
	}

	/** The workers it forked that are alive. */
	int children() {
		return this.children.size();
	}

	/** Closes the connection: the fork server leaves once its workers have. */
	void close() {
		this.retired = true;
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// It is leaving anyway.
		}
	}

	/** A retired fork server is closed once nothing of it is left: no worker, no fork on its way. */
	private synchronized void closeIfUnused() {
		if (this.retired && this.children.isEmpty() && this.pending.isEmpty()) {
			close();
		}
	}

	private void readReports() {
		try {
			while (true) {
				byte type = this.channel.readFrame();
				String report = new String(this.channel.readPayload(), StandardCharsets.US_ASCII);
				switch (type) {
					case Frames.SPAWNED -> spawned(Long.parseLong(report.strip()));
					case Frames.EXITED -> {
						String[] fields = report.split(" ");
						exited(Long.parseLong(fields[0]), Integer.parseInt(fields[1]));
					}
					default -> throw new IOException("unexpected frame '" + (char) type + "' from the fork server");
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			if (!this.retired) {
				// It died, or broke the protocol: either way it is of no use any more.
				logger.debug("Fork server {} of WSGI app '{}' failed: {}", pid(), this.appName, ex.toString());
				this.process.kill();
			}
		}
	}

	private void spawned(long pid) {
		if (pid < 0) {
			CompletableFuture<ForkedProcess> failed;
			synchronized (this) {
				failed = this.pending.pollFirst();
			}
			if (failed != null) {
				failed.completeExceptionally(new IOException("the fork server " + pid() + " could not fork (see its log)"));
			}
			return;
		}
		ForkedProcess child = new ForkedProcess(pid);
		CompletableFuture<ForkedProcess> forked;
		synchronized (this) {
			this.children.put(pid, child);
			forked = this.pending.pollFirst();
		}
		if (forked == null || !forked.complete(child)) {
			// Nobody waits for it any more (the fork timed out, or its thread was interrupted): it must
			// not live on unsupervised.
			child.kill();
		}
	}

	private void exited(long pid, int code) {
		ForkedProcess child = this.children.remove(pid);
		if (child != null) {
			child.exited(code);
		}
		closeIfUnused();
	}

	private void parentGone() {
		this.gone = true;
		synchronized (this) {
			CompletableFuture<ForkedProcess> forked;
			while ((forked = this.pending.pollFirst()) != null) {
				forked.completeExceptionally(new IOException("the fork server " + pid() + " "
						+ WorkerExitCode.describe(this.process.exitValue())));
			}
		}
		this.children.values().forEach(ForkedProcess::parentGone);
		this.children.clear();
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// Gone already.
		}
	}

	@Override
	public String toString() {
		return "fork server " + pid();
	}

}
