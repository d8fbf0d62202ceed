package io.github.twodwsgi.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import io.github.twodwsgi.WsgiApplication;
import io.github.twodwsgi.autoconfigure.WsgiProperties.App;
import io.github.twodwsgi.worker.RunDirectory;
import io.github.twodwsgi.worker.WorkerPool;
import io.github.twodwsgi.worker.WorkerSpec;

/**
 * Turns the properties of one app into its {@link WsgiApplication}, filling in the defaults.
 */
final class WsgiApplicationFactory {

	private final WsgiProperties properties;

	private final RunDirectory runDirectory;

	WsgiApplicationFactory(WsgiProperties properties, RunDirectory runDirectory) {
		this.properties = properties;
		this.runDirectory = runDirectory;
	}

	WsgiApplication create(String name) {
		App app = this.properties.getApps().get(name);
		List<Path> pythonPath = app.getPythonPath().stream().map(this.runDirectory::resolvePythonPath).toList();
		WorkerSpec spec = new WorkerSpec(name, app.getApp(), interpreter(app), pythonPath, app.getEnv(),
				workers(app), app.getBootTimeout(), this.runDirectory);
		return new WsgiApplication(name, mount(name, app), new WorkerPool(spec), app.getRequestTimeout(),
				app.getQueueTimeout());
	}

	private String interpreter(App app) {
		return (app.getPython() != null && !app.getPython().isBlank()) ? app.getPython() : this.properties.getPython();
	}

	static int workers(App app) {
		return (app.getWorkers() != null) ? app.getWorkers() : Runtime.getRuntime().availableProcessors();
	}

	static String mount(String name, App app) {
		return (app.getMount() != null) ? app.getMount() : "/" + name;
	}

}
