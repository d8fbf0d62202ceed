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

		private static boolean isPositive(Duration duration) {
			return duration != null && !duration.isNegative() && !duration.isZero();
		}

	}

}
