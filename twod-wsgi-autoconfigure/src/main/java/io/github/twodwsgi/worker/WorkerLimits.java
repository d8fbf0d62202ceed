package io.github.twodwsgi.worker;

import org.springframework.util.unit.DataSize;

/**
 * When a worker is recycled: a new one is started first, and the old one leaves once it is idle.
 *
 * @param maxRequests requests a worker serves before it is recycled; 0 for no limit
 * @param maxRequestsJitter a random 0..jitter added to each worker's max-requests, so that workers
 * do not all recycle at once
 * @param maxMemory resident memory past which a worker is recycled, or {@code null} for no limit
 */
public record WorkerLimits(long maxRequests, long maxRequestsJitter, DataSize maxMemory) {

	/** No recycling. */
	public static WorkerLimits none() {
		return new WorkerLimits(0, 0, null);
	}

}
