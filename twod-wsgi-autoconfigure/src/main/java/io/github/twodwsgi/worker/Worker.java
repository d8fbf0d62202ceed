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

	/** Marks the start of a request; the pool kills the worker if it is still busy at its deadline. */
	public void beginRequest(RequestDeadline request) {
		this.request.set(request);
	}

	/**
	 * Ends the request that {@link #beginRequest} started.
	 * @return {@code false} if the request had timed out meanwhile
	 */
	public boolean endRequest(RequestDeadline request) {
		return this.request.compareAndSet(request, null);
	}

	/** Kills the worker if its request is past its deadline (and has not ended meanwhile). */
	void timeOutIfOverdue(long now) {
		Object current = this.request.get();
		if (current instanceof RequestDeadline deadline && deadline.hasPassed(now)
				&& this.request.compareAndSet(current, TIMED_OUT)) {
			kill(RestartReason.TIMEOUT, deadline.reason());
		}
	}

	/** Whether the current (or last) request was ended by its deadline. */
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
