package io.github.twodwsgi.worker;

import java.time.Duration;

/**
 * The request a worker is serving, and when it must be over: past the deadline the pool kills the
 * worker (request-timeout).
 *
 * @param deadline the {@link System#nanoTime()} by which the request must end
 * @param timeout the request timeout the deadline came from
 * @param description the request, for the log ("GET /app/path")
 */
public record RequestDeadline(long deadline, Duration timeout, String description) {

	/** A deadline {@code timeout} from now. */
	public static RequestDeadline after(Duration timeout, String description) {
		return new RequestDeadline(System.nanoTime() + timeout.toNanos(), timeout, description);
	}

	boolean hasPassed(long now) {
		return now - this.deadline >= 0;
	}

	String reason() {
		return this.description + " ran past request-timeout (" + this.timeout + ")";
	}

}
