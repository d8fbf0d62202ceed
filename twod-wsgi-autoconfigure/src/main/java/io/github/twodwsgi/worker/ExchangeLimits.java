package io.github.twodwsgi.worker;

import java.time.Duration;

/**
 * How long a request may wait for a worker and run, and how large its body may grow.
 *
 * @param queueTimeout how long a request may wait for a free worker
 * @param queueSize most requests that may wait at once
 * @param requestTimeout how long a request may run once its worker has it
 * @param maxBodySize most body bytes the app may read, -1 for no limit
 */
public record ExchangeLimits(Duration queueTimeout, int queueSize, Duration requestTimeout, long maxBodySize) {
}
