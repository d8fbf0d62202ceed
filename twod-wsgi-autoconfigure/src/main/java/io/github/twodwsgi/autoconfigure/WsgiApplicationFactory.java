package io.github.twodwsgi.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import io.github.twodwsgi.environment.PythonInterpreter;
import io.github.twodwsgi.environment.Requirements;
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
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.util.ClassUtils;
import org.springframework.util.ResourceUtils;

/**
 * Turns the properties of one app into its {@link WsgiApplication}, filling in the defaults.
 */
final class WsgiApplicationFactory {

	private final WsgiProperties properties;

	private final RunDirectory runDirectory;

	private final List<WsgiMiddleware> middlewareBeans;

	private final List<WsgiEnvironCustomizer> customizers;

	private final ConfigurableEnvironment environment;

	private final PythonEnvironments environments;

	WsgiApplicationFactory(WsgiProperties properties, RunDirectory runDirectory, List<WsgiMiddleware> middlewareBeans,
			List<WsgiEnvironCustomizer> customizers, ConfigurableEnvironment environment,
			PythonEnvironments environments) {
		this.environments = environments;
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
		WorkerSpec spec = new WorkerSpec(name, app.getApp(), interpreter(name, app), pythonPath, app.getEnv(),
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

	/**
	 * The interpreter of the app's workers, checked: an existing virtual environment's, one built from
	 * the app's requirements, or the configured one.
	 */
	private String interpreter(String name, App app) {
		String prefix = "twod.wsgi.apps." + name;
		if (app.getVenv() != null && !app.getVenv().isBlank()) {
			if (app.getRequirements() != null) {
				throw new InvalidWsgiConfigurationException(prefix + ".venv",
						"an app runs either in an existing virtual environment (venv) or in one built from its "
								+ "requirements, not both");
			}
			String python = existingVenvPython(prefix, app.getVenv());
			PythonInterpreter.probe(name, python);
			return python;
		}
		String configured = (app.getPython() != null && !app.getPython().isBlank()) ? app.getPython()
				: this.properties.getPython();
		PythonInterpreter base = PythonInterpreter.probe(name, configured);
		if (app.getRequirements() == null || app.getRequirements().isBlank()) {
			return configured;
		}
		Requirements requirements = requirements(prefix, app.getRequirements());
		return this.environments.prepare(name, base, requirements, app.getPipArgs()).python().toString();
	}

	private static String existingVenvPython(String prefix, String venv) {
		Path directory = Path.of(venv).toAbsolutePath();
		Path python = directory.resolve("bin").resolve("python");
		if (!Files.isRegularFile(directory.resolve("pyvenv.cfg")) || !Files.isExecutable(python)) {
			throw new InvalidWsgiConfigurationException(prefix + ".venv", "'" + venv + "' is not a virtual "
					+ "environment: it has no pyvenv.cfg and bin/python (create one with 'python3 -m venv " + venv + "')");
		}
		return python.toString();
	}

	private static Requirements requirements(String prefix, String location) {
		Resource resource = location.startsWith(ResourceUtils.CLASSPATH_URL_PREFIX)
				? new ClassPathResource(location.substring(ResourceUtils.CLASSPATH_URL_PREFIX.length()))
				: new FileSystemResource(location.startsWith(ResourceUtils.FILE_URL_PREFIX)
						? location.substring(ResourceUtils.FILE_URL_PREFIX.length()) : location);
		try (InputStream in = resource.getInputStream()) {
			return new Requirements(new String(in.readAllBytes(), StandardCharsets.UTF_8), location);
		}
		catch (IOException ex) {
			throw new InvalidWsgiConfigurationException(prefix + ".requirements",
					"the requirements file '" + location + "' cannot be read: " + ex.getMessage());
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
