package io.github.twodwsgi.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;

/**
 * Configuration properties of twod-wsgi: the Python WSGI apps to mount and how to run them.
 */
@ConfigurationProperties("twod.wsgi")
public class WsgiProperties {

	private static final Pattern APP_SPEC = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*(:.+)?");

	private static final Pattern MOUNT = Pattern.compile("/|(/[A-Za-z0-9._~-]+)+");

	/**
	 * Whether to mount the configured WSGI apps.
	 */
	private boolean enabled = true;

	/**
	 * Default Python interpreter of the apps: a command on the PATH or an absolute path.
	 */
	private String python = "python3";

	/**
	 * WSGI apps to mount, by name. Names use lowercase letters, digits and '-'.
	 */
	private Map<String, App> apps = new LinkedHashMap<>();

	/**
	 * Python WSGI middleware around every app (or the apps each entry names), the first outermost.
	 */
	private List<Middleware> middleware = new ArrayList<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPython() {
		return this.python;
	}

	public void setPython(String python) {
		Assert.hasText(python, "twod.wsgi.python must name a Python interpreter");
		this.python = python;
	}

	public Map<String, App> getApps() {
		return this.apps;
	}

	public void setApps(Map<String, App> apps) {
		this.apps = apps;
	}

	public List<Middleware> getMiddleware() {
		return this.middleware;
	}

	public void setMiddleware(List<Middleware> middleware) {
		this.middleware = middleware;
	}

	/**
	 * A Python WSGI middleware: the worker wraps the app as {@code factory(app, **args)}.
	 */
	public static class Middleware {

		/**
		 * The middleware factory, "module:callable", called as factory(app, **args).
		 */
		private String factory;

		/**
		 * Keyword arguments of the factory (YAML types pass through; from properties files they are
		 * strings).
		 */
		private Map<String, Object> args = new LinkedHashMap<>();

		/**
		 * Apps this middleware wraps, for twod.wsgi.middleware; empty means every app.
		 */
		private List<String> apps = new ArrayList<>();

		public String getFactory() {
			return this.factory;
		}

		public void setFactory(String factory) {
			this.factory = factory;
		}

		public Map<String, Object> getArgs() {
			return this.args;
		}

		public void setArgs(Map<String, Object> args) {
			this.args = args;
		}

		public List<String> getApps() {
			return this.apps;
		}

		public void setApps(List<String> apps) {
			this.apps = apps;
		}

	}

	/**
	 * A directory of static files served beside an app by Spring, without a Python worker.
	 */
	public static class StaticFiles {

		/**
		 * URL path the files are served under, e.g. "/media" (within the servlet context).
		 */
		private String path;

		/**
		 * Where the files are: a directory ("file:/srv/media/", or a plain path) or a "classpath:"
		 * location.
		 */
		private String location;

		/**
		 * How long clients may cache a file without asking again; 0 makes them revalidate each time
		 * (with ETag and Last-Modified).
		 */
		private Duration cacheMaxAge = Duration.ZERO;

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			Assert.isTrue(path != null && MOUNT.matcher(path).matches() && !path.equals("/"), () -> "Static path '"
					+ path + "' must start with '/', use letters, digits, '.', '_', '~', '-' and have no trailing '/'");
			this.path = path;
		}

		public String getLocation() {
			return this.location;
		}

		public void setLocation(String location) {
			Assert.hasText(location, "A static files location must not be empty");
			this.location = location;
		}

		public Duration getCacheMaxAge() {
			return this.cacheMaxAge;
		}

		public void setCacheMaxAge(Duration cacheMaxAge) {
			Assert.isTrue(cacheMaxAge != null && !cacheMaxAge.isNegative(), "cache-max-age must not be negative");
			this.cacheMaxAge = cacheMaxAge;
		}

	}

	/**
	 * One WSGI app and its worker processes.
	 */
	public static class App {

		/**
		 * WSGI callable as gunicorn takes it: "module:callable", "module:object.attribute", or
		 * "module:factory()" to call a factory (literal arguments allowed).
		 */
		private String app;

		/**
		 * Path the app is mounted at, without a trailing slash; "/" mounts it at the root (below every
		 * Spring endpoint). Defaults to "/" followed by the app's name.
		 */
		private String mount;

		/**
		 * Python interpreter of this app; overrides twod.wsgi.python.
		 */
		private String python;

		/**
		 * Directories prepended to the workers' sys.path: file system paths (relative to the working
		 * directory) or "classpath:" locations, which are extracted when they are inside a jar.
		 */
		private List<String> pythonPath = new ArrayList<>();

		/**
		 * Number of worker processes. Defaults to the number of available processors.
		 */
		private Integer workers;

		/**
		 * Longest time a request may run; a longer one gets 504 and its worker is replaced.
		 */
		private Duration requestTimeout = Duration.ofSeconds(30);

		/**
		 * Longest time a request waits for a free worker before it gets 503 with Retry-After.
		 */
		private Duration queueTimeout = Duration.ofSeconds(10);

		/**
		 * Longest time a worker may take to start and import the app before startup fails.
		 */
		private Duration bootTimeout = Duration.ofSeconds(60);

		/**
		 * Extra environment variables of the worker processes.
		 */
		private Map<String, String> env = new LinkedHashMap<>();

		/**
		 * Python WSGI middleware around this app, the first outermost; inside those of
		 * twod.wsgi.middleware and of WsgiMiddleware beans.
		 */
		private List<Middleware> middleware = new ArrayList<>();

		/**
		 * Directories of static files served beside the app by Spring ("static" in the configuration).
		 */
		private List<StaticFiles> staticFiles = new ArrayList<>();

		public String getApp() {
			return this.app;
		}

		public void setApp(String app) {
			Assert.isTrue(app != null && APP_SPEC.matcher(app).matches(),
					() -> "WSGI app '" + app + "' must be 'module:callable' or 'module:factory()'");
			this.app = app;
		}

		public String getMount() {
			return this.mount;
		}

		public void setMount(String mount) {
			Assert.isTrue(mount != null && MOUNT.matcher(mount).matches(), () -> "Mount path '" + mount
					+ "' must be '/' or start with '/', use letters, digits, '.', '_', '~', '-' and have no trailing '/'");
			this.mount = mount;
		}

		public String getPython() {
			return this.python;
		}

		public void setPython(String python) {
			this.python = python;
		}

		public List<String> getPythonPath() {
			return this.pythonPath;
		}

		public void setPythonPath(List<String> pythonPath) {
			this.pythonPath = pythonPath;
		}

		public Integer getWorkers() {
			return this.workers;
		}

		public void setWorkers(Integer workers) {
			Assert.isTrue(workers == null || workers >= 1, () -> "workers must be at least 1, not " + workers);
			this.workers = workers;
		}

		public Duration getRequestTimeout() {
			return this.requestTimeout;
		}

		public void setRequestTimeout(Duration requestTimeout) {
			Assert.isTrue(isPositive(requestTimeout), "request-timeout must be positive");
			this.requestTimeout = requestTimeout;
		}

		public Duration getQueueTimeout() {
			return this.queueTimeout;
		}

		public void setQueueTimeout(Duration queueTimeout) {
			Assert.isTrue(queueTimeout != null && !queueTimeout.isNegative(), "queue-timeout must not be negative");
			this.queueTimeout = queueTimeout;
		}

		public Duration getBootTimeout() {
			return this.bootTimeout;
		}

		public void setBootTimeout(Duration bootTimeout) {
			Assert.isTrue(isPositive(bootTimeout), "boot-timeout must be positive");
			this.bootTimeout = bootTimeout;
		}

		public Map<String, String> getEnv() {
			return this.env;
		}

		public void setEnv(Map<String, String> env) {
			this.env = env;
		}

		public List<Middleware> getMiddleware() {
			return this.middleware;
		}

		public void setMiddleware(List<Middleware> middleware) {
			this.middleware = middleware;
		}

		/** The static directories, bound from {@code twod.wsgi.apps.<name>.static}. */
		public List<StaticFiles> getStatic() {
			return this.staticFiles;
		}

		public void setStatic(List<StaticFiles> staticFiles) {
			this.staticFiles = staticFiles;
		}

		private static boolean isPositive(Duration duration) {
			return duration != null && !duration.isNegative() && !duration.isZero();
		}

	}

}
