package io.github.twodwsgi.worker;

/**
 * Why a request got no response from its app: what the gateway turns into a status (DESIGN.md
 * section 5). Thrown before the response started; failures after it are {@link java.io.IOException}s
 * of {@link WorkerExchange}.
 */
public final class ExchangeFailure extends RuntimeException {

	/** What went wrong. */
	public enum Kind {

		/** The app's workers cannot stay up (a crash loop with none alive). */
		WORKERS_DOWN,

		/** Too many requests wait for a worker already ({@code queue-size}). */
		QUEUE_FULL,

		/** No worker became free within the queue timeout. */
		NO_WORKER_FREE,

		/** The app raised before its response started. */
		APP_ERROR,

		/** The worker died or broke the protocol. */
		WORKER_LOST,

		/** The request ran past its request timeout; the worker was killed. */
		TIMED_OUT,

		/** The request body grew past {@code max-body-size} while the app read it. */
		BODY_TOO_LARGE,

		/** The request body could not be read from the client. */
		BODY_UNREADABLE

	}

	private final Kind kind;

	private final long queueWaitNanos;

	ExchangeFailure(Kind kind, String message, long queueWaitNanos) {
		super(message);
		this.kind = kind;
		this.queueWaitNanos = queueWaitNanos;
	}

	public Kind kind() {
		return this.kind;
	}

	/** How long the request waited for a worker, or -1 if it was refused before it waited. */
	public long queueWaitNanos() {
		return this.queueWaitNanos;
	}

	ExchangeFailure withQueueWait(long nanos) {
		ExchangeFailure failure = new ExchangeFailure(this.kind, getMessage(), nanos);
		failure.setStackTrace(getStackTrace());
		return failure;
	}

}
