package io.github.twodwsgi.worker;

import java.io.IOException;
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

	private volatile boolean exited;

	Worker(Process process, FrameChannel channel, String pythonVersion) {
		this.process = process;
		this.channel = channel;
		this.pythonVersion = pythonVersion;
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
		kill(reason);
		return true;
	}

	/** Whether the current (or last) request was ended by {@link #timeOut}. */
	public boolean timedOut() {
		return this.request.get() == TIMED_OUT;
	}

	/** Kills the process at once (SIGKILL); its replacement is the pool's business. */
	public void kill(String reason) {
		this.killReason = reason;
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
