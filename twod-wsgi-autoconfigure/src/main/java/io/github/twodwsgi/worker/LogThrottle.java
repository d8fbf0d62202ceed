package io.github.twodwsgi.worker;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a warning that each refused request would log through at most once a second, saying how many
 * occurrences went unlogged since: under overload a line per 503 would flood the log (thousands a
 * second) and cost the CPU the workers need, while one line a second still says what happens.
 */
final class LogThrottle {

	private static final long INTERVAL = TimeUnit.SECONDS.toNanos(1);

	private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - INTERVAL - 1);

	private final AtomicLong unlogged = new AtomicLong();

	/**
	 * An occurrence at {@code now} (System.nanoTime): -1 if it is not to be logged, else how many
	 * occurrences were not logged since the last line.
	 */
	long occurred(long now) {
		long last = this.lastLogged.get();
		if (now - last > INTERVAL && this.lastLogged.compareAndSet(last, now)) {
			return this.unlogged.getAndSet(0);
		}
		this.unlogged.incrementAndGet();
		return -1;
	}

	/** Suffix for a logged line: nothing, or how many were not logged. */
	static String since(long unlogged) {
		return (unlogged > 0) ? " (" + unlogged + " more since the last such line)" : "";
	}

}
