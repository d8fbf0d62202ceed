package io.github.twodwsgi.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.twodwsgi.WsgiApplication;
import io.github.twodwsgi.worker.RestartReason;
import io.github.twodwsgi.worker.Worker;
import io.github.twodwsgi.worker.WorkerPool;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/wsgi}: the mounted apps, their interpreter, their workers (pid, uptime, requests
 * served, busy threads, state), their fork server (preload) and their settings, with secret-looking
 * values masked.
 */
@Endpoint(id = "wsgi")
public class WsgiEndpoint {

	private final List<WsgiApplication> applications;

	public WsgiEndpoint(List<WsgiApplication> applications) {
		this.applications = applications;
	}

	@ReadOperation
	public Map<String, Object> apps() {
		Map<String, Object> apps = new LinkedHashMap<>();
		this.applications.forEach((application) -> apps.put(application.getName(), describe(application)));
		return Map.of("apps", apps);
	}

	@ReadOperation
	public Map<String, Object> app(@Selector String name) {
		return this.applications.stream()
			.filter((application) -> application.getName().equals(name))
			.findFirst()
			.map(this::describe)
			.orElse(null);
	}

	private Map<String, Object> describe(WsgiApplication application) {
		WorkerPool pool = application.getPool();
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("app", pool.spec().appSpec());
		description.put("mount", application.getMount());
		description.put("interpreter", pool.spec().interpreter());
		description.put("pythonVersion",
				pool.workers().stream().findAny().map(Worker::pythonVersion).orElse(null));
		description.put("configuredWorkers", pool.spec().workers());
		description.put("threads", pool.spec().threads());
		description.put("preload", pool.spec().preload());
		long forkServer = pool.forkServerPid();
		description.put("forkServerPid", (forkServer >= 0) ? forkServer : null);
		description.put("down", pool.isDown());
		description.put("waiting", pool.waitingCount());
		description.put("workers", pool.workers().stream().map(WsgiEndpoint::describe).toList());
		Map<String, Long> restarts = new LinkedHashMap<>();
		for (RestartReason reason : RestartReason.values()) {
			restarts.put(reason.tag(), pool.restarts(reason));
		}
		description.put("restarts", restarts);
		description.put("settings", application.getSettings().masked());
		return description;
	}

	private static Map<String, Object> describe(Worker worker) {
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("pid", worker.pid());
		description.put("uptime", Duration.ofNanos(System.nanoTime() - worker.startedAt()).toString());
		description.put("requests", worker.served());
		description.put("busyThreads", worker.busyThreads());
		description.put("state", worker.isBusy() ? "busy" : "idle");
		return description;
	}

}
