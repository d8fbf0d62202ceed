package io.github.twodwsgi.worker;

/**
 * What a request does with the worker connection lent to it (sends its environ).
 * {@link WorkerPool#borrow} runs it on the thread that lends the connection: the request's own thread
 * when one is idle, or else the thread that has just given one back, so that the request reaches the
 * worker without waiting for its own thread to wake up.
 */
@FunctionalInterface
public interface WorkerAssignment {

	/** Called once, with the connection; must not block for long nor throw. */
	void assigned(WorkerConnection connection);

}
