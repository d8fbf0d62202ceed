package io.github.twodwsgi.gateway;

/**
 * Limits on the requests an app takes.
 *
 * @param maxBodySize largest request body in bytes, or -1 for no limit (413 beyond it)
 * @param maxHeaderSize largest total size of the request headers in bytes (431 beyond it)
 * @param queueSize most requests waiting for a free worker at once (503 beyond it)
 */
public record RequestLimits(long maxBodySize, long maxHeaderSize, int queueSize) {

	/** Generous limits, for apps built by hand. */
	public static RequestLimits defaults() {
		return new RequestLimits(100L * 1024 * 1024, 64 * 1024, 100);
	}

}
