package io.github.twodwsgi.actuate;

import io.github.twodwsgi.WsgiApplication;
import io.github.twodwsgi.worker.WorkerPool;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of one WSGI app: UP while its workers can serve, DOWN when none is alive or they keep
 * dying (a crash loop); details tell the live, busy and configured workers.
 */
public class WsgiHealthIndicator implements HealthIndicator {

	private final WsgiApplication application;

	public WsgiHealthIndicator(WsgiApplication application) {
		this.application = application;
	}

	@Override
	public Health health() {
		WorkerPool pool = this.application.getPool();
		int live = pool.size();
		long busy = pool.workers().stream().filter((worker) -> worker.isBusy()).count();
		Health.Builder health = pool.isDown() ? Health.down() : Health.up();
		health.withDetail("mount", this.application.getMount())
			.withDetail("workers", live)
			.withDetail("configuredWorkers", pool.spec().workers())
			.withDetail("busy", busy);
		if (pool.spec().threads() > 1) {
			health.withDetail("threads", pool.spec().threads())
				.withDetail("busyThreads", pool.workers().stream().mapToInt((worker) -> worker.busyThreads()).sum());
		}
		if (pool.isCrashLooping()) {
			health.withDetail("crashLoop", true);
		}
		return health.build();
	}

}
