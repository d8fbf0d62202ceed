package io.github.twodwsgi.worker;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One running worker process and the JVM's connection to it. A worker serves one request at a time;
 * the {@link WorkerPool} lends it to a request thread and takes it back.
 */
public final class Worker {

	private static final Object TIMED_OUT = new Object();

	private final Process process;

	private final FrameChannel channel;

	private final String pythonVersion;

	private final AtomicReference<Object> request = new AtomicReference<>();

	private volatile String killReason;

	private volatile RestartReason restartReason = RestartReason.CRASHED;

	private volatile boolean exited;

	private final long startedAt = System.nanoTime();

	private final AtomicLong served = new AtomicLong();

	private volatile long requestLimit = Long.MAX_VALUE;

	/** Set when a replacement is starting: the worker serves on until the replacement is ready. */
	private volatile RestartReason retiring;

	/** Set when the replacement is ready: the worker leaves at its next release. */
	private volatile boolean leaveWhenIdle;

	Worker(Process process, FrameChannel channel, String pythonVersion) {
		this.process = process;
		this.channel = channel;
		this.pythonVersion = pythonVersion;
	}

	/** How many requests this worker has served. */
	public long served() {
		return this.served.get();
	}

	/** When the worker became ready, as {@link System#nanoTime()}. */
	public long startedAt() {
		return this.startedAt;
	}

	/** Whether it is serving a request right now. */
	public boolean isBusy() {
		return this.request.get() != null;
	}

	void limitRequests(long limit) {
		this.requestLimit = limit;
	}

	/** Counts a request that ended normally; true when the worker has now served its limit. */
	boolean countServed() {
		return this.served.incrementAndGet() >= this.requestLimit;
	}

	/** Marks the worker for recycling; false if it already was. */
	synchronized boolean startRetiring(RestartReason reason) {
		if (this.retiring != null) {
			return false;
		}
		this.retiring = reason;
		return true;
	}

	/** Its successor could not start: it stays. */
	synchronized void stopRetiring() {
		this.retiring = null;
	}

	RestartReason retiring() {
		return this.retiring;
	}

	void leaveWhenIdle() {
		this.leaveWhenIdle = true;
	}

	boolean shouldLeave() {
		return this.leaveWhenIdle;
	}

	/** Why it was (or will be) replaced. */
	RestartReason restartReason() {
		return (this.retiring != null) ? this.retiring : this.restartReason;
	}

	public long pid() {
		return this.process.pid();
	}

	public String pythonVersion() {
		return this.pythonVersion;
	}

	public FrameChannel channel() {
		return this.channel;
	}

	Process process() {
		return this.process;
	}

	/** Marks the start of a request, identified by {@code token}. */
	public void beginRequest(Object token) {
		this.request.set(token);
	}

	/**
	 * Ends the request identified by {@code token}.
	 * @return {@code false} if the request had timed out meanwhile
	 */
	public boolean endRequest(Object token) {
		return this.request.compareAndSet(token, null);
	}

	/**
	 * Kills the worker because the request identified by {@code token} ran too long, unless that
	 * request has already ended.
	 * @return whether the worker was killed
	 */
	public boolean timeOut(Object token, String reason) {
		if (!this.request.compareAndSet(token, TIMED_OUT)) {
			return false;
		}
		kill(RestartReason.TIMEOUT, reason);
		return true;
	}

	/** Whether the current (or last) request was ended by {@link #timeOut}. */
	public boolean timedOut() {
		return this.request.get() == TIMED_OUT;
	}

	/** Kills the process at once (SIGKILL); its replacement is the pool's business. */
	public void kill(RestartReason reason, String detail) {
		this.restartReason = reason;
		this.killReason = detail;
		this.process.destroyForcibly();
		closeChannel();
	}

	/** Why the JVM killed this worker, or {@code null}. */
	public String killReason() {
		return this.killReason;
	}

	boolean isUsable() {
		return !this.exited && this.killReason == null;
	}

	void markExited() {
		this.exited = true;
	}

	/** Closes the connection: an idle worker takes that as the signal to exit. */
	void closeChannel() {
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// Closing is best effort: the process is stopping anyway.
		}
	}

	@Override
	public String toString() {
		return "worker " + pid();
	}

}
