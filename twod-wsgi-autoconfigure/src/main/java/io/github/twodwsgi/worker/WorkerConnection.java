package io.github.twodwsgi.worker;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One connection to a worker, served in the worker by a thread of its own: what the pool lends to a
 * request. A worker with {@code threads=N} has N of them, each carrying one request at a time.
 */
public final class WorkerConnection {

	private static final Object TIMED_OUT = new Object();

	private final Worker worker;

	private final FrameChannel channel;

	private final AtomicReference<Object> request = new AtomicReference<>();

	WorkerConnection(Worker worker, FrameChannel channel) {
		this.worker = worker;
		this.channel = channel;
	}

	/** The worker process this connection leads to. */
	public Worker worker() {
		return this.worker;
	}

	public FrameChannel channel() {
		return this.channel;
	}

	/** Whether it carries a request right now. */
	public boolean isBusy() {
		Object current = this.request.get();
		return current != null && current != TIMED_OUT;
	}

	/** Marks the start of a request; the pool ends it if it is still running at its deadline. */
	public void beginRequest(RequestDeadline deadline) {
		this.request.set(deadline);
	}

	/**
	 * Ends the request that {@link #beginRequest} started.
	 * @return {@code false} if the request had timed out meanwhile
	 */
	public boolean endRequest(RequestDeadline deadline) {
		return this.request.compareAndSet(deadline, null);
	}

	/** Whether the current (or last) request was ended by its deadline. */
	public boolean timedOut() {
		return this.request.get() == TIMED_OUT;
	}

	/**
	 * Marks the request timed out if it is past its deadline (and has not ended meanwhile).
	 * @return why, for the log, or {@code null} if it is not overdue
	 */
	String timeOutIfOverdue(long now) {
		Object current = this.request.get();
		if (current instanceof RequestDeadline deadline && deadline.hasPassed(now)
				&& this.request.compareAndSet(current, TIMED_OUT)) {
			return deadline.reason();
		}
		return null;
	}

	boolean isUsable() {
		return this.worker.takesRequests();
	}

	/** Closes the connection: the worker's thread for it ends once its request, if any, is over. */
	void close() {
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// Closing is best effort: the process is stopping anyway.
		}
	}

	@Override
	public String toString() {
		return "a connection to " + this.worker;
	}

}
