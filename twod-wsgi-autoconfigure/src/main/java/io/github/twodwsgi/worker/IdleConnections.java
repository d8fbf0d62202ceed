package io.github.twodwsgi.worker;

import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The idle worker connections of a pool (one per worker thread) and the requests waiting for one.
 * <p>
 * A connection that comes back goes straight to the longest-waiting request, and the thread giving it
 * back runs that request's {@link WorkerAssignment} (sends its environ) before waking the request's
 * thread. The worker starts on the next request without waiting for a thread to be scheduled, and
 * the woken thread finds its request under way, often with the response already arriving: on a
 * busy machine each avoided wake-up is a context switch saved. Idle connections are lent most recently
 * used first, as their workers' caches are warm. A connection is lent only while its worker takes
 * requests, and the worker counts it as lent until it comes back.
 */
final class IdleConnections {

	private static final int WAITING = 0;

	/** A connection was handed over; the assignment is being run by the thread that handed it. */
	private static final int CLAIMED = 1;

	private static final int ASSIGNED = 2;

	/** A connection was handed over, but its assignment is left to the waiting thread. */
	private static final int HANDED = 3;

	private final ReentrantLock lock = new ReentrantLock();

	private final ArrayDeque<WorkerConnection> idle = new ArrayDeque<>();

	private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

	/** A request thread waiting for a connection. */
	private static final class Waiter {

		private final Thread thread = Thread.currentThread();

		private final WorkerAssignment assignment;

		private WorkerConnection connection;

		private volatile int state = WAITING;

		Waiter(WorkerAssignment assignment) {
			this.assignment = assignment;
		}

	}

	/**
	 * Takes an idle connection, waiting at most {@code timeoutNanos} for one to come back, and runs
	 * {@code assignment} with it (on this thread, or on the one that handed the connection over).
	 * @return the connection, or {@code null} if none came in time
	 */
	WorkerConnection take(long timeoutNanos, WorkerAssignment assignment) throws InterruptedException {
		WorkerConnection connection;
		Waiter waiter = null;
		this.lock.lock();
		try {
			connection = pollUsable();
			if (connection == null && timeoutNanos > 0) {
				waiter = new Waiter(assignment);
				this.waiters.addLast(waiter);
			}
		}
		finally {
			this.lock.unlock();
		}
		if (waiter != null) {
			return await(waiter, System.nanoTime() + timeoutNanos);
		}
		if (connection != null) {
			assignment.assigned(connection);
		}
		return connection;
	}

	/**
	 * Lends {@code connection} to the longest-waiting request, or keeps it if none waits.
	 * @return false if its worker takes no more requests (the connection is neither kept nor lent)
	 */
	boolean offer(WorkerConnection connection) {
		Waiter waiter;
		this.lock.lock();
		try {
			if (!connection.isUsable()) {
				return false;
			}
			waiter = this.waiters.pollFirst();
			if (waiter == null) {
				this.idle.addFirst(connection);
				return true;
			}
			connection.worker().lend();
			waiter.connection = connection;
			waiter.state = CLAIMED;
		}
		finally {
			this.lock.unlock();
		}
		// An interrupted thread would close the worker's socket if it wrote to it (NIO channels
		// close on interrupt): the waiting thread sends its request itself then.
		if (Thread.currentThread().isInterrupted()) {
			waiter.state = HANDED;
		}
		else {
			try {
				waiter.assignment.assigned(connection);
			}
			finally {
				waiter.state = ASSIGNED;
			}
		}
		LockSupport.unpark(waiter.thread);
		return true;
	}

	/** Removes the idle connections of {@code worker}. */
	void removeAll(Worker worker) {
		this.lock.lock();
		try {
			this.idle.removeIf((connection) -> connection.worker() == worker);
		}
		finally {
			this.lock.unlock();
		}
	}

	void clear() {
		this.lock.lock();
		try {
			this.idle.clear();
		}
		finally {
			this.lock.unlock();
		}
	}

	int size() {
		this.lock.lock();
		try {
			return this.idle.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The requests waiting for a connection now. */
	int waiting() {
		this.lock.lock();
		try {
			return this.waiters.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	private WorkerConnection pollUsable() {
		WorkerConnection connection;
		do {
			connection = this.idle.pollFirst();
		}
		while (connection != null && !connection.isUsable());
		if (connection != null) {
			connection.worker().lend();
		}
		return connection;
	}

	private WorkerConnection await(Waiter waiter, long deadline) throws InterruptedException {
		boolean interrupted = false;
		while (true) {
			int state = waiter.state;
			if (state == ASSIGNED || state == HANDED) {
				if (interrupted) {
					// The request is on its way to the worker already: too late to give up.
					Thread.currentThread().interrupt();
				}
				if (state == HANDED) {
					waiter.assignment.assigned(waiter.connection);
				}
				return waiter.connection;
			}
			if (state == WAITING) {
				interrupted |= Thread.interrupted();
				if (interrupted || deadline - System.nanoTime() <= 0) {
					if (withdraw(waiter)) {
						if (interrupted) {
							throw new InterruptedException();
						}
						return null;
					}
					continue; // handed over meanwhile
				}
				LockSupport.parkNanos(this, deadline - System.nanoTime());
			}
			else {
				// CLAIMED: the thread that handed the connection over is sending the request right now.
				LockSupport.parkNanos(this, 100_000);
			}
		}
	}

	/** Stops waiting; false if a connection was handed over meanwhile. */
	private boolean withdraw(Waiter waiter) {
		this.lock.lock();
		try {
			if (waiter.state != WAITING) {
				return false;
			}
			this.waiters.remove(waiter);
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

}
