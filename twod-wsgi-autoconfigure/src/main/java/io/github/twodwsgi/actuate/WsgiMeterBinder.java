package io.github.twodwsgi.actuate;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.twodwsgi.WsgiApplication;
import io.github.twodwsgi.gateway.WsgiMetrics;
import io.github.twodwsgi.worker.RestartReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of the WSGI apps: {@code wsgi.requests} (timer; app, status),
 * {@code wsgi.queue.wait} (timer; app), {@code wsgi.queue.waiting} (gauge; app: requests waiting for
 * a free worker thread now, each holding a container thread), {@code wsgi.workers} (gauge; app,
 * state=busy|idle; a worker is busy while any of its threads is), {@code wsgi.threads} (gauge; app,
 * state=busy|idle) and {@code wsgi.worker.restarts} (counter; app, reason).
 */
public class WsgiMeterBinder implements MeterBinder {

	private final List<WsgiApplication> applications;

	public WsgiMeterBinder(List<WsgiApplication> applications) {
		this.applications = applications;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (WsgiApplication application : this.applications) {
			String app = application.getName();
			Gauge.builder("wsgi.workers", application, (wsgi) -> busy(wsgi))
				.tags("app", app, "state", "busy")
				.description("Workers serving a request")
				.register(registry);
			Gauge.builder("wsgi.workers", application, (wsgi) -> wsgi.getPool().size() - busy(wsgi))
				.tags("app", app, "state", "idle")
				.description("Workers waiting for a request")
				.register(registry);
			Gauge.builder("wsgi.threads", application, (wsgi) -> busyThreads(wsgi))
				.tags("app", app, "state", "busy")
				.description("Worker threads serving a request")
				.register(registry);
			Gauge.builder("wsgi.threads", application,
					(wsgi) -> wsgi.getPool().size() * wsgi.getPool().spec().threads() - busyThreads(wsgi))
				.tags("app", app, "state", "idle")
				.description("Worker threads waiting for a request")
				.register(registry);
			Gauge.builder("wsgi.queue.waiting", application, (wsgi) -> wsgi.getPool().waitingCount())
				.tags("app", app)
				.description("Requests waiting for a free worker thread, each holding a container thread")
				.register(registry);
			for (RestartReason reason : RestartReason.values()) {
				FunctionCounter.builder("wsgi.worker.restarts", application, (wsgi) -> wsgi.getPool().restarts(reason))
					.tags("app", app, "reason", reason.tag())
					.description("Workers replaced")
					.register(registry);
			}
			application.setMetrics(new MicrometerMetrics(registry));
		}
	}

	private static double busyThreads(WsgiApplication application) {
		return application.getPool().workers().stream().mapToInt((worker) -> worker.busyThreads()).sum();
	}

	private static double busy(WsgiApplication application) {
		return application.getPool().workers().stream().filter((worker) -> worker.isBusy()).count();
	}

	/** The request and queue timers, looked up once per app and status (not per request). */
	private static final class MicrometerMetrics implements WsgiMetrics {

		private final MeterRegistry registry;

		private final Map<String, Timer> queueTimers = new ConcurrentHashMap<>();

		private final Map<String, Map<Integer, Timer>> requestTimers = new ConcurrentHashMap<>();

		MicrometerMetrics(MeterRegistry registry) {
			this.registry = registry;
		}

		@Override
		public void queueWait(String app, long nanos) {
			this.queueTimers
				.computeIfAbsent(app, (name) -> Timer.builder("wsgi.queue.wait")
					.tag("app", name)
					.description("Time requests waited for a free worker")
					.register(this.registry))
				.record(nanos, TimeUnit.NANOSECONDS);
		}

		@Override
		public void request(String app, int status, long nanos) {
			this.requestTimers.computeIfAbsent(app, (name) -> new ConcurrentHashMap<>())
				.computeIfAbsent(status, (code) -> Timer.builder("wsgi.requests")
					.tags("app", app, "status", String.valueOf(code))
					.description("Requests to mounted WSGI apps")
					.register(this.registry))
				.record(nanos, TimeUnit.NANOSECONDS);
		}

	}

}
