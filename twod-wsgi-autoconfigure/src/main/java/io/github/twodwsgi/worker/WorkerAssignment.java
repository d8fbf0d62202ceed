package io.github.twodwsgi.worker;

/**
 * What a request does with the worker lent to it (sends its environ). {@link WorkerPool#borrow} runs
 * it on the thread that lends the worker: the request's own thread when a worker is idle, or else
 * the thread that has just given a worker back, so that the request reaches the worker without
 * waiting for its own thread to wake up.
 */
@FunctionalInterface
public interface WorkerAssignment {

	/** Called once, with the worker; must not block for long nor throw. */
	void assigned(Worker worker);

}
