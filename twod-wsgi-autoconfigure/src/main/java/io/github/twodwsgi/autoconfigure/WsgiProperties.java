package io.github.twodwsgi.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.github.twodwsgi.settings.SettingType;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of twod-wsgi: the Python WSGI apps to mount and how to run them.
 */
@ConfigurationProperties("twod.wsgi")
public class WsgiProperties {

	private static final Pattern APP_SPEC = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*(:.+)?");

	private static final Pattern MOUNT = Pattern.compile("/|(/[A-Za-z0-9._~-]+)+");

	private static final Pattern MODULE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

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

	/**
	 * Whether to log each request to a mounted app in the combined log format, under the logger
	 * twod.wsgi.access.
	 */
	private boolean accessLog;

	/**
	 * Directory of the virtual environments built from the apps' requirements, reused by every later
	 * start. Defaults to twod-wsgi/venvs in the user's cache directory ($XDG_CACHE_HOME, or
	 * ~/.cache).
	 */
	private String venvCache;

	/**
	 * Whether to build every app's Python environment (see requirements) and exit with status 0,
	 * starting no worker and no web server: the step of a container build that leaves the running
	 * container needing no package index.
	 */
	private boolean prepareOnly;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isPrepareOnly() {
		return this.prepareOnly;
	}

	public void setPrepareOnly(boolean prepareOnly) {
		this.prepareOnly = prepareOnly;
	}

	public String getVenvCache() {
		return this.venvCache;
	}

	public void setVenvCache(String venvCache) {
		this.venvCache = venvCache;
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

	public boolean isAccessLog() {
		return this.accessLog;
	}

	public void setAccessLog(boolean accessLog) {
		this.accessLog = accessLog;
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
	 * Names of settings per type, for values that arrive as strings.
	 */
	public static class SettingsTypes {

		/**
		 * Settings whose values are booleans: true/yes/on/1 or false/no/off/0.
		 */
		private List<String> booleans = new ArrayList<>();

		/**
		 * Settings whose values are integers.
		 */
		private List<String> integers = new ArrayList<>();

		/**
		 * Settings whose values are lists: items separated by spaces or lines, or a JSON array.
		 */
		private List<String> lists = new ArrayList<>();

		/**
		 * Settings whose values are lists of lists: one per line, fields separated by ';'.
		 */
		private List<String> nestedLists = new ArrayList<>();

		/**
		 * Settings whose values are dictionaries: one 'key = value' per line, or a JSON object.
		 */
		private List<String> dicts = new ArrayList<>();

		/**
		 * Settings that are None when empty.
		 */
		private List<String> noneIfEmpty = new ArrayList<>();

		public List<String> getBooleans() {
			return this.booleans;
		}

		public void setBooleans(List<String> booleans) {
			this.booleans = booleans;
		}

		public List<String> getIntegers() {
			return this.integers;
		}

		public void setIntegers(List<String> integers) {
			this.integers = integers;
		}

		public List<String> getLists() {
			return this.lists;
		}

		public void setLists(List<String> lists) {
			this.lists = lists;
		}

		public List<String> getNestedLists() {
			return this.nestedLists;
		}

		public void setNestedLists(List<String> nestedLists) {
			this.nestedLists = nestedLists;
		}

		public List<String> getDicts() {
			return this.dicts;
		}

		public void setDicts(List<String> dicts) {
			this.dicts = dicts;
		}

		public List<String> getNoneIfEmpty() {
			return this.noneIfEmpty;
		}

		public void setNoneIfEmpty(List<String> noneIfEmpty) {
			this.noneIfEmpty = noneIfEmpty;
		}

		/** The declarations by type. */
		public Map<SettingType, List<String>> byType() {
			return Map.of(SettingType.BOOLEAN, this.booleans, SettingType.INTEGER, this.integers, SettingType.LIST,
					this.lists, SettingType.NESTED_LIST, this.nestedLists, SettingType.DICT, this.dicts,
					SettingType.NONE_IF_EMPTY, this.noneIfEmpty);
		}

	}

	/**
	 * Python startup hooks of an app.
	 */
	public static class Startup {

		/**
		 * Hooks every worker runs after importing the app and before its first request, also a worker
		 * started to replace another: "module:callable" or {call, args, kwargs, timeout}.
		 */
		private List<StartupHook> perWorker = new ArrayList<>();

		/**
		 * Hooks run once per application start, in a Python process of the app with its settings,
		 * before the app takes traffic: "module:callable" or {call, args, kwargs, timeout}.
		 */
		private List<StartupHook> once = new ArrayList<>();

		public List<StartupHook> getPerWorker() {
			return this.perWorker;
		}

		public void setPerWorker(List<StartupHook> perWorker) {
			this.perWorker = perWorker;
		}

		public List<StartupHook> getOnce() {
			return this.once;
		}

		public void setOnce(List<StartupHook> once) {
			this.once = once;
		}

	}

	/**
	 * A Python startup hook: call(*args, **kwargs). Written either as "module:callable" or as a map.
	 */
	public static class StartupHook {

		/**
		 * The callable, "module:callable".
		 */
		private String call;

		/**
		 * Positional arguments of the call.
		 */
		private List<Object> args = new ArrayList<>();

		/**
		 * Keyword arguments of the call.
		 */
		private Map<String, Object> kwargs = new LinkedHashMap<>();

		/**
		 * How long the hook may run before startup fails.
		 */
		private Duration timeout = Duration.ofSeconds(60);

		public StartupHook() {
		}

		/** The short form: a hook given as "module:callable". */
		public StartupHook(String call) {
			setCall(call);
		}

		public String getCall() {
			return this.call;
		}

		public void setCall(String call) {
			Assert.isTrue(call != null && APP_SPEC.matcher(call).matches() && call.contains(":")
					&& !call.contains("("), () -> "Startup hook '" + call + "' must be 'module:callable'");
			this.call = call;
		}

		public List<Object> getArgs() {
			return this.args;
		}

		public void setArgs(List<Object> args) {
			this.args = args;
		}

		public Map<String, Object> getKwargs() {
			return this.kwargs;
		}

		public void setKwargs(Map<String, Object> kwargs) {
			this.kwargs = kwargs;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(),
					"A startup hook's timeout must be positive");
			this.timeout = timeout;
		}

	}

	/**
	 * How settings reach a Django project.
	 */
	public static class Django {

		/**
		 * The project's settings module (e.g. mysite.settings); the app's settings are merged into it
		 * and Django uses the result.
		 */
		private String settingsModule;

		/**
		 * How a setting that is a list or tuple in the settings module is merged: extend it or replace
		 * it.
		 */
		private Merge merge = Merge.EXTEND;

		public String getSettingsModule() {
			return this.settingsModule;
		}

		public void setSettingsModule(String settingsModule) {
			Assert.isTrue(settingsModule == null || MODULE.matcher(settingsModule).matches(),
					() -> "Django settings module '" + settingsModule + "' must be a dotted module name");
			this.settingsModule = settingsModule;
		}

		public Merge getMerge() {
			return this.merge;
		}

		public void setMerge(Merge merge) {
			this.merge = merge;
		}

		/** How list settings of the Django settings module are merged. */
		public enum Merge {

			/** The configured items are appended to the module's list (those already there are skipped). */
			EXTEND,

			/** The configured list replaces the module's. */
			REPLACE

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
		 * A requirements file ("classpath:" or a file system path): the app runs in a virtual
		 * environment that the app's interpreter creates and its pip fills from it, cached under
		 * twod.wsgi.venv-cache. pip's own configuration (pip.conf, PIP_INDEX_URL, PIP_FIND_LINKS...)
		 * applies.
		 */
		private String requirements;

		/**
		 * An existing virtual environment to run the app with, as it is (its bin/python); instead of
		 * python and requirements.
		 */
		private String venv;

		/**
		 * More arguments of "pip install" for the requirements, e.g. [--no-index, --find-links,
		 * /opt/wheels] for a wheel directory shipped with the app.
		 */
		private List<String> pipArgs = new ArrayList<>();

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
		 * Requests each worker serves at once, a thread each (as gunicorn's gthread worker):
		 * worth raising for apps that mostly wait on databases or other services. With more than
		 * one, wsgi.multithread is true and the app must be thread-safe.
		 */
		private int threads = 1;

		/**
		 * Whether the app is imported once, in a fork server, and the workers forked from it:
		 * they share the imported code's memory and a replacement starts in milliseconds. The
		 * app must not open connections or start threads while it is imported (or close them
		 * before the fork; Django's database connections are closed). Off: each worker imports
		 * the app itself.
		 */
		private boolean preload = true;

		/**
		 * Longest time a request may run; a longer one gets 504 and its worker is replaced (a
		 * worker with other threads is replaced once their requests are over).
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
		 * Requests a worker serves before it is recycled: it takes no more, its successor starts, and
		 * it leaves once its requests in flight are over. 0 for no limit.
		 */
		private long maxRequests;

		/**
		 * Largest random number added to each worker's max-requests, so that workers do not recycle
		 * at the same time.
		 */
		private long maxRequestsJitter;

		/**
		 * Resident memory past which a worker is recycled (checked every second; Linux only). No
		 * limit by default.
		 */
		private DataSize maxMemory;

		/**
		 * Largest request body; a larger one gets 413 without being read into memory, also when it
		 * is sent chunked. -1 for no limit.
		 */
		private DataSize maxBodySize = DataSize.ofMegabytes(100);

		/**
		 * Largest total size of the request headers; larger ones get 431. The servlet container's
		 * own limit (server.max-http-request-header-size) applies first.
		 */
		private DataSize maxHeaderSize = DataSize.ofKilobytes(64);

		/**
		 * Most requests that may wait for a free worker at once; more get 503 with Retry-After at once.
		 * A waiting request holds a servlet container thread, so with Tomcat's 200 threads no more
		 * than about 200 wait here and the rest wait in the container for a thread (without
		 * queue-timeout), as connections wait in the listen backlog that gunicorn's workers accept
		 * from (2048 by default); with virtual threads this number is the bound. Lower it to keep
		 * threads for the application's other endpoints while a Python app is overloaded (and give
		 * Actuator its own management.server.port for health probes).
		 */
		private int queueSize = 1000;

		/**
		 * Whether to read the whole request body (up to max-body-size) before a worker is taken, as
		 * nginx's proxy_request_buffering does, so that slow uploads hold no worker. Off, the body
		 * streams to the app as it reads wsgi.input.
		 */
		private boolean requestBuffering = true;

		/**
		 * Bytes of a buffered request body kept in memory; the rest goes to a temporary file in the
		 * application run's private directory, removed when the request ends.
		 */
		private DataSize requestBufferMemory = DataSize.ofKilobytes(256);

		/**
		 * Whether to drain each response from its worker as fast as the app produces it, as nginx's
		 * proxy_buffering does, so that a slow client holds no worker once the app is done; chunks
		 * still leave for the client as soon as it can take them. Off, the worker waits for the client.
		 */
		private boolean responseBuffering = true;

		/**
		 * Bytes of a buffered response held in memory; more go to a temporary file in the application
		 * run's private directory.
		 */
		private DataSize responseBufferMemory = DataSize.ofKilobytes(256);

		/**
		 * Most bytes of a buffered response held in its temporary file; past that the worker waits for
		 * the client (nginx's proxy_max_temp_file_size). 0 keeps responses in memory only.
		 */
		private DataSize responseBufferMaxFileSize = DataSize.ofGigabytes(1);

		/**
		 * Whether to replace the workers when a .py file under the python-path changes, like
		 * gunicorn --reload. Defaults to on when spring-boot-devtools is on the classpath.
		 */
		private Boolean reload;

		/**
		 * Python WSGI middleware around this app, the first outermost; inside those of
		 * twod.wsgi.middleware and of WsgiMiddleware beans.
		 */
		private List<Middleware> middleware = new ArrayList<>();

		/**
		 * Directories of static files served beside the app by Spring ("static" in the configuration).
		 */
		private List<StaticFiles> staticFiles = new ArrayList<>();

		/**
		 * Settings of the app, names kept as written (SECRET_KEY): applied to Django's settings or
		 * Flask's app.config, and importable as twod_wsgi.settings. The environment variable
		 * TWOD_WSGI_APPS_NAME_SETTINGS_KEY sets KEY.
		 */
		private Map<String, Object> settings = new LinkedHashMap<>();

		/**
		 * Types of settings that arrive as strings, beyond the Django settings whose types are known.
		 */
		private final SettingsTypes settingsTypes = new SettingsTypes();

		/**
		 * How the settings reach a Django project.
		 */
		private final Django django = new Django();

		/**
		 * Python startup hooks of the app.
		 */
		private final Startup startup = new Startup();

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

		public String getRequirements() {
			return this.requirements;
		}

		public void setRequirements(String requirements) {
			this.requirements = requirements;
		}

		public String getVenv() {
			return this.venv;
		}

		public void setVenv(String venv) {
			this.venv = venv;
		}

		public List<String> getPipArgs() {
			return this.pipArgs;
		}

		public void setPipArgs(List<String> pipArgs) {
			this.pipArgs = pipArgs;
		}

		public Integer getWorkers() {
			return this.workers;
		}

		public void setWorkers(Integer workers) {
			Assert.isTrue(workers == null || workers >= 1, () -> "workers must be at least 1, not " + workers);
			this.workers = workers;
		}

		public int getThreads() {
			return this.threads;
		}

		public void setThreads(int threads) {
			Assert.isTrue(threads >= 1, () -> "threads must be at least 1, not " + threads);
			this.threads = threads;
		}

		public boolean isPreload() {
			return this.preload;
		}

		public void setPreload(boolean preload) {
			this.preload = preload;
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

		public long getMaxRequests() {
			return this.maxRequests;
		}

		public void setMaxRequests(long maxRequests) {
			Assert.isTrue(maxRequests >= 0, "max-requests must not be negative");
			this.maxRequests = maxRequests;
		}

		public long getMaxRequestsJitter() {
			return this.maxRequestsJitter;
		}

		public void setMaxRequestsJitter(long maxRequestsJitter) {
			Assert.isTrue(maxRequestsJitter >= 0, "max-requests-jitter must not be negative");
			this.maxRequestsJitter = maxRequestsJitter;
		}

		public DataSize getMaxMemory() {
			return this.maxMemory;
		}

		public void setMaxMemory(DataSize maxMemory) {
			Assert.isTrue(maxMemory == null || maxMemory.toBytes() > 0, "max-memory must be positive");
			this.maxMemory = maxMemory;
		}

		public DataSize getMaxBodySize() {
			return this.maxBodySize;
		}

		public void setMaxBodySize(DataSize maxBodySize) {
			Assert.isTrue(maxBodySize != null && (maxBodySize.toBytes() >= 0 || maxBodySize.toBytes() == -1),
					"max-body-size must be a size, or -1 for no limit");
			this.maxBodySize = maxBodySize;
		}

		public DataSize getMaxHeaderSize() {
			return this.maxHeaderSize;
		}

		public void setMaxHeaderSize(DataSize maxHeaderSize) {
			Assert.isTrue(maxHeaderSize != null && maxHeaderSize.toBytes() > 0, "max-header-size must be positive");
			this.maxHeaderSize = maxHeaderSize;
		}

		public int getQueueSize() {
			return this.queueSize;
		}

		public void setQueueSize(int queueSize) {
			Assert.isTrue(queueSize >= 0, "queue-size must not be negative");
			this.queueSize = queueSize;
		}

		public boolean isRequestBuffering() {
			return this.requestBuffering;
		}

		public void setRequestBuffering(boolean requestBuffering) {
			this.requestBuffering = requestBuffering;
		}

		public DataSize getRequestBufferMemory() {
			return this.requestBufferMemory;
		}

		public void setRequestBufferMemory(DataSize requestBufferMemory) {
			Assert.isTrue(requestBufferMemory != null && requestBufferMemory.toBytes() >= 0
					&& requestBufferMemory.toBytes() <= Integer.MAX_VALUE - 8,
					"request-buffer-memory must be a size between 0 and 2GB");
			this.requestBufferMemory = requestBufferMemory;
		}

		public boolean isResponseBuffering() {
			return this.responseBuffering;
		}

		public void setResponseBuffering(boolean responseBuffering) {
			this.responseBuffering = responseBuffering;
		}

		public DataSize getResponseBufferMemory() {
			return this.responseBufferMemory;
		}

		public void setResponseBufferMemory(DataSize responseBufferMemory) {
			Assert.isTrue(responseBufferMemory != null && responseBufferMemory.toBytes() >= 0
					&& responseBufferMemory.toBytes() <= Integer.MAX_VALUE - 8,
					"response-buffer-memory must be a size between 0 and 2GB");
			this.responseBufferMemory = responseBufferMemory;
		}

		public DataSize getResponseBufferMaxFileSize() {
			return this.responseBufferMaxFileSize;
		}

		public void setResponseBufferMaxFileSize(DataSize responseBufferMaxFileSize) {
			Assert.isTrue(responseBufferMaxFileSize != null && responseBufferMaxFileSize.toBytes() >= 0,
					"response-buffer-max-file-size must not be negative");
			this.responseBufferMaxFileSize = responseBufferMaxFileSize;
		}

		public Boolean getReload() {
			return this.reload;
		}

		public void setReload(Boolean reload) {
			this.reload = reload;
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

		public Map<String, Object> getSettings() {
			return this.settings;
		}

		public void setSettings(Map<String, Object> settings) {
			this.settings = settings;
		}

		public SettingsTypes getSettingsTypes() {
			return this.settingsTypes;
		}

		public Django getDjango() {
			return this.django;
		}

		public Startup getStartup() {
			return this.startup;
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
