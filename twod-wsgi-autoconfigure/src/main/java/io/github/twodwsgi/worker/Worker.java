package io.github.twodwsgi.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One running worker process and the JVM's connections to it, one per thread of the worker. The
 * {@link WorkerPool} lends the connections to requests and takes them back.
 */
public final class Worker {

	private final WorkerProcess process;

	private final List<WorkerConnection> connections = new ArrayList<>();

	private final String pythonVersion;

	private volatile String killReason;

	private volatile RestartReason restartReason = RestartReason.CRASHED;

	private volatile boolean exited;

	private final long startedAt = System.nanoTime();

	private final AtomicLong served = new AtomicLong();

	/** Connections lent to requests right now. */
	private final AtomicInteger lent = new AtomicInteger();

	private volatile long requestLimit = Long.MAX_VALUE;

	/** Set when a replacement is starting. */
	private volatile RestartReason retiring;

	/** Set when the worker is to take no more requests: it leaves once none is in flight. */
	private volatile boolean leaving;

	private final AtomicBoolean left = new AtomicBoolean();

	/** Set while its successor is starting or ready: its exit needs no replacement. */
	private volatile boolean replaced;

	/** Why a thread of the worker is stuck in a request past its deadline; it is killed when it leaves. */
	private volatile String hung;

	/** The fork server it was forked by, or {@code null}. */
	private volatile ForkServer forkServer;

	Worker(WorkerProcess process, List<FrameChannel> channels, String pythonVersion) {
		this.process = process;
		this.pythonVersion = pythonVersion;
		channels.forEach((channel) -> this.connections.add(new WorkerConnection(this, channel)));
	}

	/** How many requests this worker has served. */
	public long served() {
		return this.served.get();
	}

	/** When the worker became ready, as {@link System#nanoTime()}. */
	public long startedAt() {
		return this.startedAt;
	}

	/** Its threads: how many requests it serves at once. */
	public int threads() {
		return this.connections.size();
	}

	/** How many of its threads serve a request right now. */
	public int busyThreads() {
		int busy = 0;
		for (WorkerConnection connection : this.connections) {
			if (connection.isBusy()) {
				busy++;
			}
		}
		return busy;
	}

	/** Whether it is serving a request right now. */
	public boolean isBusy() {
		return busyThreads() > 0;
	}

	public long pid() {
		return this.process.pid();
	}

	public String pythonVersion() {
		return this.pythonVersion;
	}

	List<WorkerConnection> connections() {
		return this.connections;
	}

	WorkerProcess process() {
		return this.process;
	}

	ForkServer forkServer() {
		return this.forkServer;
	}

	void forkedBy(ForkServer server) {
		this.forkServer = server;
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

	/** Its successor could not start: it stays, if it can. */
	synchronized void stopRetiring() {
		this.replaced = false;
		if (!this.leaving) {
			this.retiring = null;
		}
	}

	RestartReason retiring() {
		return this.retiring;
	}

	void markReplaced() {
		this.replaced = true;
	}

	boolean isReplaced() {
		return this.replaced;
	}

	/** From now on it takes no request; it leaves once those in flight are over. */
	void stopTakingRequests() {
		this.leaving = true;
	}

	/** Whether its connections may be lent. */
	boolean takesRequests() {
		return !this.leaving && !this.exited && this.killReason == null && this.served.get() < this.requestLimit;
	}

	void lend() {
		this.lent.incrementAndGet();
	}

	/** A lent connection came back (or will not: it timed out); the number still out. */
	int giveBack() {
		return this.lent.decrementAndGet();
	}

	/** Whether none of its connections is out on a request. */
	boolean isIdle() {
		return this.lent.get() == 0;
	}

	/** True once, for whoever is to make it leave. */
	boolean markLeft() {
		return this.left.compareAndSet(false, true);
	}

	/** A thread of it is stuck in a request past its deadline: it takes no more requests. */
	void markHung(String reason) {
		this.hung = reason;
		this.leaving = true;
	}

	String hung() {
		return this.hung;
	}

	/** Why it was (or will be) replaced. */
	RestartReason restartReason() {
		return (this.retiring != null) ? this.retiring : this.restartReason;
	}

	/** Kills the process at once (SIGKILL); its replacement is the pool's business. */
	public void kill(RestartReason reason, String detail) {
		this.restartReason = reason;
		this.killReason = detail;
		this.process.kill();
		closeConnections();
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

	/** Closes every connection: the worker takes that as the signal to exit. */
	void closeConnections() {
		this.connections.forEach(WorkerConnection::close);
	}

	@Override
	public String toString() {
		return "worker " + pid();
	}

}
