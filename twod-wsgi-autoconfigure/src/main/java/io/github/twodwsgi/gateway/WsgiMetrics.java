package io.github.twodwsgi.gateway;

/**
 * What the gateway reports about each request, for Micrometer's {@code wsgi.requests} and
 * {@code wsgi.queue.wait} timers; a no-op unless metrics are on.
 */
public interface WsgiMetrics {

	/** Reports nothing. */
	WsgiMetrics NONE = new WsgiMetrics() {
	};

	/** A request waited this long for a free worker (whether it got one or not). */
	default void queueWait(String app, long nanos) {
	}

	/** A mounted request was answered with this status after this long. */
	default void request(String app, int status, long nanos) {
	}

}
