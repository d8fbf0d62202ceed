package io.github.twodwsgi.autoconfigure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.twodwsgi.WsgiApplication;
import io.github.twodwsgi.WsgiEnvironCustomizer;
import io.github.twodwsgi.WsgiMiddleware;
import io.github.twodwsgi.autoconfigure.WsgiProperties.App;
import io.github.twodwsgi.autoconfigure.WsgiProperties.Middleware;
import io.github.twodwsgi.autoconfigure.WsgiProperties.StartupHook;
import io.github.twodwsgi.environment.PythonEnvironments;
import io.github.twodwsgi.gateway.RequestLimits;
import io.github.twodwsgi.settings.SettingsResolver;
import io.github.twodwsgi.settings.SettingsTypes;
import io.github.twodwsgi.settings.WsgiSettings;
import io.github.twodwsgi.worker.BootConfiguration;
import io.github.twodwsgi.worker.PythonHook;
import io.github.twodwsgi.worker.PythonJson;
import io.github.twodwsgi.worker.PythonMiddleware;
import io.github.twodwsgi.worker.RunDirectory;
import io.github.twodwsgi.worker.WorkerLimits;
import io.github.twodwsgi.worker.WorkerPool;
import io.github.twodwsgi.worker.WorkerSpec;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Turns the properties of one app into its {@link WsgiApplication}, filling in the defaults.
 */
final class WsgiApplicationFactory {

	private final WsgiProperties properties;

	private final RunDirectory runDirectory;

	private final List<WsgiMiddleware> middlewareBeans;

	private final List<WsgiEnvironCustomizer> customizers;

	private final ConfigurableEnvironment environment;

	private final AppInterpreters interpreters;

	WsgiApplicationFactory(WsgiProperties properties, RunDirectory runDirectory, List<WsgiMiddleware> middlewareBeans,
			List<WsgiEnvironCustomizer> customizers, ConfigurableEnvironment environment,
			PythonEnvironments environments) {
		this.interpreters = new AppInterpreters(properties, environments);
		this.properties = properties;
		this.runDirectory = runDirectory;
		this.middlewareBeans = middlewareBeans;
		this.customizers = customizers;
		this.environment = environment;
	}

	WsgiApplication create(String name) {
		App app = this.properties.getApps().get(name);
		List<Path> pythonPath = app.getPythonPath().stream().map(this.runDirectory::resolvePythonPath).toList();
		WsgiSettings settings = SettingsResolver.resolve(this.environment, name,
				new SettingsTypes(app.getSettingsTypes().byType()));
		BootConfiguration boot = new BootConfiguration(middleware(name, app), settings,
				app.getDjango().getSettingsModule(), app.getDjango().getMerge().name().toLowerCase(Locale.ROOT),
				hooks(name, "per-worker", app.getStartup().getPerWorker()), hooks(name, "once", app.getStartup().getOnce()));
		WorkerSpec spec = new WorkerSpec(name, app.getApp(), this.interpreters.interpreter(name, app), pythonPath, app.getEnv(),
				workers(app), app.getBootTimeout(), this.runDirectory, boot,
				new WorkerLimits(app.getMaxRequests(), app.getMaxRequestsJitter(), app.getMaxMemory()),
				app.getThreads(), app.isPreload());
		WsgiApplication application = new WsgiApplication(name, mount(name, app), new WorkerPool(spec),
				app.getRequestTimeout(), app.getQueueTimeout());
		application.setEnvironCustomizers(this.customizers);
		application.setAccessLog(this.properties.isAccessLog());
		if (reload(app)) {
			application.setReloadDirectories(pythonPath);
		}
		application.setLimits(new RequestLimits(app.getMaxBodySize().toBytes(), app.getMaxHeaderSize().toBytes(),
				app.getQueueSize()));
		application.setRequestBuffering(app.isRequestBuffering(), (int) app.getRequestBufferMemory().toBytes());
		application.setResponseBuffering(app.isResponseBuffering(), (int) app.getResponseBufferMemory().toBytes(),
				app.getResponseBufferMaxFileSize().toBytes());
		return application;
	}

	/**
	 * The app's middleware, outermost first: twod.wsgi.middleware, then the WsgiMiddleware beans in
	 * their order, then twod.wsgi.apps.&lt;name&gt;.middleware.
	 */
	private List<PythonMiddleware> middleware(String name, App app) {
		List<PythonMiddleware> middleware = new ArrayList<>();
		for (Middleware global : this.properties.getMiddleware()) {
			if (global.getApps().isEmpty() || global.getApps().contains(name)) {
				middleware.add(fromProperties(global, "twod.wsgi.middleware"));
			}
		}
		this.middlewareBeans.stream()
			.filter((bean) -> bean.appliesTo(name))
			.forEach((bean) -> middleware.add(bean.toPython()));
		for (Middleware own : app.getMiddleware()) {
			middleware.add(fromProperties(own, "twod.wsgi.apps." + name + ".middleware"));
		}
		return middleware;
	}

	private static List<PythonHook> hooks(String name, String kind, List<StartupHook> hooks) {
		List<PythonHook> python = new ArrayList<>();
		for (int i = 0; i < hooks.size(); i++) {
			StartupHook hook = hooks.get(i);
			String property = "twod.wsgi.apps." + name + ".startup." + kind + "[" + i + "]";
			if (hook.getCall() == null) {
				throw new InvalidWsgiConfigurationException(property + ".call", "a startup hook needs 'call'");
			}
			try {
				PythonJson.of(property, List.of(hook.getArgs(), hook.getKwargs()));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidWsgiConfigurationException(property, ex.getMessage());
			}
			python.add(new PythonHook(hook.getCall(), hook.getArgs(), hook.getKwargs(), hook.getTimeout()));
		}
		return python;
	}

	private static PythonMiddleware fromProperties(Middleware middleware, String property) {
		try {
			return WsgiMiddleware.python(middleware.getFactory(), middleware.getArgs()).toPython();
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidWsgiConfigurationException(property, ex.getMessage());
		}
	}


	/** Reload is on when asked for, and by default when spring-boot-devtools is there (development). */
	private static boolean reload(App app) {
		return (app.getReload() != null) ? app.getReload()
				: ClassUtils.isPresent("org.springframework.boot.devtools.restart.Restarter",
						WsgiApplicationFactory.class.getClassLoader());
	}

	static int workers(App app) {
		return (app.getWorkers() != null) ? app.getWorkers() : Runtime.getRuntime().availableProcessors();
	}

	static String mount(String name, App app) {
		return (app.getMount() != null) ? app.getMount() : "/" + name;
	}

}
