package io.github.twodwsgi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.github.twodwsgi.gateway.BadRequestException;
import io.github.twodwsgi.gateway.Environ;
import io.github.twodwsgi.gateway.MountedRequest;
import io.github.twodwsgi.gateway.GatewayErrors;
import io.github.twodwsgi.gateway.RequestLimits;
import io.github.twodwsgi.gateway.WsgiGatewayException;
import io.github.twodwsgi.gateway.WsgiMetrics;
import io.github.twodwsgi.settings.WsgiSettings;
import io.github.twodwsgi.worker.Frames;
import io.github.twodwsgi.worker.PythonSourceWatcher;
import io.github.twodwsgi.worker.RestartReason;
import io.github.twodwsgi.worker.ExchangeFailure;
import io.github.twodwsgi.worker.ExchangeLimits;
import io.github.twodwsgi.worker.ResponseBuffering;
import io.github.twodwsgi.worker.WorkerExchange;
import io.github.twodwsgi.worker.WorkerPool;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.HttpRequestHandler;

/**
 * The gateway adapter of one WSGI app: owns the app's {@link WorkerPool}, serves the requests under
 * its mount path, and runs the calls that {@link WsgiGateway} makes to it.
 * <p>
 * The workers start booting as soon as the bean is created, and {@link #start()} (a lifecycle
 * phase before the web server's) waits until all of them have imported the app, so that no request
 * arrives before the app is ready and a broken app fails startup. {@link #stop()} drains in-flight
 * requests and stops every worker process.
 */
public class WsgiApplication implements HttpRequestHandler, SmartLifecycle, InitializingBean, DisposableBean {

	/** Bytes of a buffered request or response held in memory, unless configured otherwise. */
	private static final int DEFAULT_BUFFER_MEMORY = 256 * 1024;

	/** Bytes of a buffered response held in its temporary file, unless configured otherwise (as nginx's). */
	private static final long DEFAULT_RESPONSE_FILE_LIMIT = 1024L * 1024 * 1024;

	/** Starts before the embedded web server and stops after it. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final String name;

	private final String mount;

	private final String mountPrefix;

	private volatile WorkerPool pool;

	private final Duration requestTimeout;

	private final Duration queueTimeout;

	private volatile boolean running;

	private List<WsgiEnvironCustomizer> environCustomizers = List.of();

	private RequestLimits limits = RequestLimits.defaults();

	private MountedRequest.BodyPolicy bodyPolicy;

	/** How mounted responses are drained from the workers; {@code null} streams them straight through. */
	private ResponseBuffering responseBuffering;

	private WsgiMetrics metrics = WsgiMetrics.NONE;

	private PythonSourceWatcher reloader;

	private boolean accessLog;

	/** Open once the app's once hooks have run; mounted requests wait for it. */
	private final CountDownLatch openToTraffic;

	private final MountHandler mountHandler = new MountHandler(this);

	/**
	 * @param name the app's name
	 * @param mount the path the app is mounted at, {@code "/"} or {@code "/a/b"}
	 * @param pool the app's worker pool
	 * @param requestTimeout how long a request may run before it gets 504
	 * @param queueTimeout how long a request may wait for a free worker before it gets 503
	 */
	public WsgiApplication(String name, String mount, WorkerPool pool, Duration requestTimeout,
			Duration queueTimeout) {
		this.name = name;
		this.mount = mount;
		this.mountPrefix = mount.equals("/") ? "" : mount;
		this.pool = pool;
		this.requestTimeout = requestTimeout;
		this.queueTimeout = queueTimeout;
		this.openToTraffic = new CountDownLatch(pool.spec().boot().onceHooks().isEmpty() ? 0 : 1);
		this.bodyPolicy = new MountedRequest.BodyPolicy(true, this.limits.maxBodySize(), DEFAULT_BUFFER_MEMORY,
				pool.spec().runDirectory().root());
		this.responseBuffering = new ResponseBuffering(DEFAULT_BUFFER_MEMORY, DEFAULT_RESPONSE_FILE_LIMIT,
				pool.spec().runDirectory().root());
	}

	public String getName() {
		return this.name;
	}

	/** The path the app is mounted at: {@code "/"} for the root, otherwise without a trailing slash. */
	public String getMount() {
		return this.mount;
	}

	/** The app's worker pool (a new one after each restart of this bean). */
	public WorkerPool getPool() {
		return this.pool;
	}

	/** The app's settings, exactly as its workers got them (read-only). */
	public WsgiSettings getSettings() {
		return this.pool.spec().boot().settings();
	}

	/** Limits on the requests the app takes: body and header sizes, queue length. */
	public void setLimits(RequestLimits limits) {
		this.limits = limits;
		this.bodyPolicy = new MountedRequest.BodyPolicy(this.bodyPolicy.buffering(), limits.maxBodySize(),
				this.bodyPolicy.memoryThreshold(), this.bodyPolicy.bufferDirectory());
	}

	public RequestLimits getLimits() {
		return this.limits;
	}

	/**
	 * How the bodies of mounted requests are read (nginx's {@code proxy_request_buffering}).
	 * @param buffering whether the whole body is read before a worker is taken (on by default), or
	 * streamed to the app as it reads it
	 * @param memoryThreshold bytes of a buffered body kept in memory; the rest goes to a file in the
	 * run's private directory
	 */
	public void setRequestBuffering(boolean buffering, int memoryThreshold) {
		this.bodyPolicy = new MountedRequest.BodyPolicy(buffering, this.limits.maxBodySize(), memoryThreshold,
				this.bodyPolicy.bufferDirectory());
	}

	/**
	 * How mounted responses are read from the workers (nginx's {@code proxy_buffering}).
	 * @param buffering whether to drain a worker's response as fast as the app produces it (on by
	 * default), so that a slow client holds no worker; off, the worker waits for the client
	 * @param memoryLimit bytes of a response held in memory
	 * @param fileLimit bytes held in a temporary file beyond those; past both, the worker waits
	 */
	public void setResponseBuffering(boolean buffering, int memoryLimit, long fileLimit) {
		this.responseBuffering = buffering
				? new ResponseBuffering(memoryLimit, fileLimit, this.bodyPolicy.bufferDirectory()) : null;
	}

	public MountedRequest.BodyPolicy getBodyPolicy() {
		return this.bodyPolicy;
	}

	/** How mounted responses are drained from the workers; {@code null} streams them straight through. */
	ResponseBuffering responseBuffering() {
		return this.responseBuffering;
	}

	/** The mount path as SCRIPT_NAME's end: {@code ""} for the root. */
	String mountPrefix() {
		return this.mountPrefix;
	}

	WsgiMetrics metrics() {
		return this.metrics;
	}

	boolean isAccessLog() {
		return this.accessLog;
	}

	/** Waits, at most the queue timeout, until the app's once hooks are done; false if they are not. */
	boolean awaitOpenToTraffic() {
		try {
			return this.openToTraffic.getCount() == 0
					|| this.openToTraffic.await(this.queueTimeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** Replaces the workers whenever a .py file under these directories changes (development). */
	public void setReloadDirectories(List<Path> directories) {
		this.reloader = directories.isEmpty() ? null : new PythonSourceWatcher(this.name, directories,
				() -> this.pool.recycleAll(RestartReason.RELOAD));
	}

	/** Whether to log each mounted request in the common log format, under {@code twod.wsgi.access}. */
	public void setAccessLog(boolean accessLog) {
		this.accessLog = accessLog;
	}

	/** Where request metrics go. */
	public void setMetrics(WsgiMetrics metrics) {
		this.metrics = metrics;
	}

	/** Customizers applied, in order, to the environ of every request to this app. */
	public void setEnvironCustomizers(List<WsgiEnvironCustomizer> environCustomizers) {
		this.environCustomizers = List.copyOf(environCustomizers);
	}

	/** Whether a path within the application (after the context path) belongs to this app. */
	public boolean matches(String pathWithinApplication) {
		return this.mountPrefix.isEmpty() || pathWithinApplication.equals(this.mountPrefix)
				|| (pathWithinApplication.startsWith(this.mountPrefix)
						&& pathWithinApplication.charAt(this.mountPrefix.length()) == '/');
	}

	/**
	 * Runs the app's Python once hooks (see {@code startup.once}); the runner of twod-wsgi calls it.
	 * @throws io.github.twodwsgi.worker.WorkerBootException if a hook fails or runs past its timeout
	 */
	public void runOnceHooks() {
		this.pool.runOnceHooks();
	}

	/** Lets mounted requests through: the startup hooks are done. */
	public void openToTraffic() {
		this.openToTraffic.countDown();
	}

	@Override
	public void afterPropertiesSet() {
		this.pool.start();
	}

	@Override
	public void start() {
		if (this.pool.isStopped()) {
			// Started again after a stop (a paused test context resumed, say): new workers.
			this.pool = new WorkerPool(this.pool.spec());
		}
		this.pool.awaitReady();
		if (this.reloader != null) {
			this.reloader.start();
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.reloader != null) {
			this.reloader.stop();
		}
		this.pool.stop(this.requestTimeout);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public void destroy() {
		this.running = false;
		this.pool.stop(Duration.ZERO);
	}

	/**
	 * Serves a request under the app's mount path: from its mount servlet or, for an app mounted at
	 * the root (and under MockMvc), from Spring MVC.
	 */
	@Override
	public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
		this.mountHandler.handle(request, response);
	}

	/**
	 * Sends a request with the given environ to the app and waits for its status and headers. The
	 * environ customizers run first, then {@code callCustomizer}.
	 * @throws WsgiGatewayException if no worker is free, the app raises, its worker fails or the
	 * request times out before the response starts
	 * @throws IllegalArgumentException if an environ value cannot be given to Python
	 */
	WsgiResponse call(HttpServletRequest request, Map<String, Object> environ,
			Consumer<Map<String, Object>> callCustomizer) {
		customize(request, environ);
		callCustomizer.accept(environ);
		return send(request, environ, Environ.hasBody(request), request::getInputStream);
	}

	/** Applies the environ customizers, in order. */
	void customize(HttpServletRequest request, Map<String, Object> environ) {
		for (WsgiEnvironCustomizer customizer : this.environCustomizers) {
			customizer.customize(request, environ);
		}
	}

	/** Sends a request whose environ is complete, with its body from {@code body}. */
	WsgiResponse send(HttpServletRequest request, Map<String, Object> environ, boolean hasBody,
			WorkerExchange.RequestBody body) {
		return exchange(environ, hasBody, body, "HEAD".equals(request.getMethod()),
				request.getMethod() + " " + request.getRequestURI());
	}

	/**
	 * Sends a GET with no body and no servlet request behind it (startup hooks, warm-ups): SCRIPT_NAME
	 * is the mount, the server is {@code localhost}; the environ customizers do not run.
	 * @param pathAndQuery PATH_INFO, percent-encoded, optionally followed by {@code ?query}
	 */
	WsgiResponse get(String pathAndQuery) {
		int question = pathAndQuery.indexOf('?');
		String path = (question < 0) ? pathAndQuery : pathAndQuery.substring(0, question);
		Map<String, Object> environ = new LinkedHashMap<>();
		environ.put("REQUEST_METHOD", "GET");
		environ.put("SCRIPT_NAME", this.mountPrefix);
		environ.put("PATH_INFO", Environ.percentDecode(path));
		environ.put("QUERY_STRING", (question < 0) ? "" : pathAndQuery.substring(question + 1));
		environ.put("SERVER_NAME", "localhost");
		environ.put("SERVER_PORT", "80");
		environ.put("SERVER_PROTOCOL", "HTTP/1.1");
		environ.put("REMOTE_ADDR", "127.0.0.1");
		environ.put("REMOTE_PORT", "0");
		environ.put("HTTP_HOST", "localhost");
		environ.put("wsgi.url_scheme", "http");
		return exchange(environ, false, InputStream::nullInputStream, false, "GET " + pathAndQuery + " (from Java)");
	}

	private WsgiResponse exchange(Map<String, Object> environ, boolean hasBody, WorkerExchange.RequestBody body,
			boolean head, String description) {
		byte[] block;
		try {
			block = Environ.encode(environ, hasBody ? Frames.FLAG_HAS_BODY : 0);
		}
		catch (BadRequestException ex) {
			throw WsgiGatewayException.badRequest(ex);
		}
		ExchangeLimits limits = new ExchangeLimits(this.queueTimeout, this.limits.queueSize(), this.requestTimeout,
				this.limits.maxBodySize());
		WorkerExchange exchange;
		try {
			exchange = this.pool.exchange(block, body, description, limits);
		}
		catch (ExchangeFailure failure) {
			if (failure.queueWaitNanos() >= 0) {
				this.metrics.queueWait(this.name, failure.queueWaitNanos());
			}
			throw GatewayErrors.toException(this.name, failure, this.limits.maxBodySize());
		}
		this.metrics.queueWait(this.name, exchange.queueWaitNanos());
		return new WsgiResponse(exchange, head);
	}

	/** The request path after the context path, still percent-encoded. */
	public static String pathWithinApplication(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String contextPath = request.getContextPath();
		return uri.startsWith(contextPath) ? uri.substring(contextPath.length()) : uri;
	}

	@Override
	public String toString() {
		return "WsgiApplication '" + this.name + "' at " + this.mount;
	}

}
