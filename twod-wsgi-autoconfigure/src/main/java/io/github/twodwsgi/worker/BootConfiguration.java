package io.github.twodwsgi.worker;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.twodwsgi.settings.WsgiSettings;

/**
 * What a worker is told at boot, besides its command line: the middleware to wrap the app in, the
 * app's settings, and how Django gets them. It travels as one line of JSON on the worker's stdin, so
 * that no setting (secrets included) shows in the process list.
 *
 * @param middleware the WSGI middleware, outermost first
 * @param settings the app's settings
 * @param djangoSettingsModule the Django settings module the settings are merged into, or {@code null}
 * @param djangoMerge how settings that are lists in that module are merged: {@code extend} or
 * {@code replace}
 * @param perWorkerHooks hooks every worker runs after importing the app, before its first request
 * @param onceHooks hooks one process of the app runs once per application start
 */
public record BootConfiguration(List<PythonMiddleware> middleware, WsgiSettings settings,
		String djangoSettingsModule, String djangoMerge, List<PythonHook> perWorkerHooks, List<PythonHook> onceHooks) {

	public BootConfiguration {
		middleware = List.copyOf(middleware);
		perWorkerHooks = List.copyOf(perWorkerHooks);
		onceHooks = List.copyOf(onceHooks);
	}

	/** Nothing but the app. */
	public static BootConfiguration none() {
		return new BootConfiguration(List.of(), WsgiSettings.empty(), null, "extend", List.of(), List.of());
	}

	/** How long the once hooks may take in all. */
	Duration onceHooksTimeout() {
		return this.onceHooks.stream().map(PythonHook::timeout).reduce(Duration.ZERO, Duration::plus);
	}

	String toJson(String appName, String role, int threads) {
		Map<String, Object> configuration = new LinkedHashMap<>();
		configuration.put("role", role);
		configuration.put("threads", threads);
		configuration.put("startup", Map.of("per_worker", this.perWorkerHooks.stream().map(PythonHook::toJson).toList(),
				"once", this.onceHooks.stream().map(PythonHook::toJson).toList()));
		configuration.put("middleware", this.middleware.stream()
			.map((entry) -> Map.<String, Object>of("factory", entry.factory(), "args", entry.args()))
			.toList());
		configuration.put("settings", this.settings.values());
		if (this.djangoSettingsModule != null) {
			configuration.put("django", Map.of("settings_module", this.djangoSettingsModule, "merge", this.djangoMerge));
		}
		return PythonJson.of("the boot configuration of WSGI app '" + appName + "'", configuration);
	}

}
