package io.github.twodwsgi.worker;

import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The idle workers of a pool and the requests waiting for one.
 * <p>
 * A worker that comes back goes straight to the longest-waiting request, and the thread giving it
 * back runs that request's {@link WorkerAssignment} (sends its environ) before waking the request's
 * thread. The worker starts on the next request without waiting for a thread to be scheduled, and
 * the woken thread finds its request under way, often with the response already arriving: on a
 * busy machine each avoided wake-up is a context switch saved. Idle workers are lent most recently
 * used first, as their caches are warm.
 */
final class IdleWorkers {

	private static final int WAITING = 0;

	/** A worker was handed over; the assignment is being run by the thread that handed it. */
	private static final int CLAIMED = 1;

	private static final int ASSIGNED = 2;

	/** A worker was handed over, but its assignment is left to the waiting thread. */
	private static final int HANDED = 3;

	private final ReentrantLock lock = new ReentrantLock();

	private final ArrayDeque<Worker> idle = new ArrayDeque<>();

	private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

	/** A request thread waiting for a worker. */
	private static final class Waiter {

		private final Thread thread = Thread.currentThread();

		private final WorkerAssignment assignment;

		private Worker worker;

		private volatile int state = WAITING;

		Waiter(WorkerAssignment assignment) {
			this.assignment = assignment;
		}

	}

	/**
	 * Takes an idle worker, waiting at most {@code timeoutNanos} for one to come back, and runs
	 * {@code assignment} with it (on this thread, or on the one that handed the worker over).
	 * @return the worker, or {@code null} if none came in time
	 */
	Worker take(long timeoutNanos, WorkerAssignment assignment) throws InterruptedException {
		Worker worker;
		Waiter waiter = null;
		this.lock.lock();
		try {
			worker = pollUsable();
			if (worker == null && timeoutNanos > 0) {
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
		if (worker != null) {
			assignment.assigned(worker);
		}
		return worker;
	}

	/** Lends {@code worker} to the longest-waiting request, or keeps it if none waits. */
	void offer(Worker worker) {
		Waiter waiter;
		this.lock.lock();
		try {
			waiter = this.waiters.pollFirst();
			if (waiter == null) {
				this.idle.addFirst(worker);
				return;
			}
			waiter.worker = worker;
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
				waiter.assignment.assigned(worker);
			}
			finally {
				waiter.state = ASSIGNED;
			}
		}
		LockSupport.unpark(waiter.thread);
	}

	/** Removes an idle worker; false if it was not idle (busy, or gone already). */
	boolean remove(Worker worker) {
		this.lock.lock();
		try {
			return this.idle.remove(worker);
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

	/** The requests waiting for a worker now. */
	int waiting() {
		this.lock.lock();
		try {
			return this.waiters.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	private Worker pollUsable() {
		Worker worker;
		do {
			worker = this.idle.pollFirst();
		}
		while (worker != null && !worker.isUsable());
		return worker;
	}

	private Worker await(Waiter waiter, long deadline) throws InterruptedException {
		boolean interrupted = false;
		while (true) {
			int state = waiter.state;
			if (state == ASSIGNED || state == HANDED) {
				if (interrupted) {
					// The request is on its way to the worker already: too late to give up.
					Thread.currentThread().interrupt();
				}
				if (state == HANDED) {
					waiter.assignment.assigned(waiter.worker);
				}
				return waiter.worker;
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
				// CLAIMED: the thread that handed the worker over is sending the request right now.
				LockSupport.parkNanos(this, 100_000);
			}
		}
	}

	/** Stops waiting; false if a worker was handed over meanwhile. */
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
