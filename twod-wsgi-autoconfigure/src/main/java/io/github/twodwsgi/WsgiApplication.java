package io.github.twodwsgi;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.github.twodwsgi.gateway.BadRequestException;
import io.github.twodwsgi.gateway.BufferedBody;
import io.github.twodwsgi.gateway.MountedRequest;
import io.github.twodwsgi.gateway.Environ;
import io.github.twodwsgi.gateway.GatewayErrors;
import io.github.twodwsgi.gateway.RequestLimits;
import io.github.twodwsgi.gateway.WorkerExchange;
import io.github.twodwsgi.gateway.WsgiGatewayException;
import io.github.twodwsgi.gateway.WsgiMetrics;
import io.github.twodwsgi.settings.WsgiSettings;
import io.github.twodwsgi.gateway.AccessLog;
import io.github.twodwsgi.worker.Frames;
import io.github.twodwsgi.worker.PythonSourceWatcher;
import io.github.twodwsgi.worker.RestartReason;
import io.github.twodwsgi.worker.Worker;
import io.github.twodwsgi.worker.WorkerPool;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
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

	/** Starts before the embedded web server and stops after it. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Logger logger = LoggerFactory.getLogger(WsgiApplication.class);

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

	private WsgiMetrics metrics = WsgiMetrics.NONE;

	/** Requests waiting for a free worker right now. */
	private final AtomicInteger waiting = new AtomicInteger();

	/** When the last "workers cannot stay up" line was logged, to log it once a second at most. */
	private final AtomicLong lastDownLog = new AtomicLong();

	private PythonSourceWatcher reloader;

	private boolean accessLog;

	/** Open once the app's once hooks have run; mounted requests wait for it. */
	private final CountDownLatch openToTraffic;

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
		this.bodyPolicy = new MountedRequest.BodyPolicy(true, this.limits.maxBodySize(), 256 * 1024,
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

	public MountedRequest.BodyPolicy getBodyPolicy() {
		return this.bodyPolicy;
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
		long start = System.nanoTime();
		MountedRequest mounted = MountedRequest.of(request);
		boolean ownWrapper = (mounted == null);
		if (ownWrapper) {
			// No MountedRequestFilter ran (MockMvc without filters, say): the body is still the app's.
			mounted = MountedRequest.wrap(request, this.bodyPolicy);
		}
		try {
			serve(request, mounted, response);
		}
		finally {
			if (ownWrapper) {
				mounted.close();
			}
			long nanos = System.nanoTime() - start;
			this.metrics.request(this.name, response.getStatus(), nanos);
			if (this.accessLog) {
				AccessLog.log(request, response, nanos);
			}
		}
	}

	/**
	 * The request path, top-down: limits, the body (read whole first when request buffering is on, so
	 * a slow client holds no worker), startup hooks, a worker, the response.
	 */
	private void serve(HttpServletRequest request, MountedRequest mounted, HttpServletResponse response)
			throws IOException {
		WsgiGatewayException refused = checkLimits(request);
		if (refused == null) {
			refused = readBody(request, mounted);
		}
		if (refused != null) {
			logger.info("WSGI app '{}': {} {} refused: {}", this.name, request.getMethod(), request.getRequestURI(),
					refused.getReason());
			GatewayErrors.send(response, refused);
			return;
		}
		if (!awaitOpenToTraffic()) {
			logger.warn("WSGI app '{}': {} {} came before its startup hooks were done", this.name, request.getMethod(),
					request.getRequestURI());
			GatewayErrors.send(response, WsgiGatewayException.noWorkerFree(this.name));
			return;
		}
		WsgiResponse answer;
		try {
			Map<String, Object> environ = Environ.ofMount(request, pathWithinApplication(request), this.mountPrefix,
					this.limits.maxHeaderSize());
			for (WsgiEnvironCustomizer customizer : this.environCustomizers) {
				customizer.customize(request, environ);
			}
			boolean hasBody = mounted.isBuffered() ? mounted.bufferBody().length() > 0 : Environ.hasBody(request);
			answer = call(request, environ, hasBody, mounted::appInput);
		}
		catch (BadRequestException ex) {
			GatewayErrors.send(response, WsgiGatewayException.badRequest(ex));
			return;
		}
		catch (WsgiGatewayException ex) {
			GatewayErrors.send(response, ex);
			return;
		}
		catch (IllegalArgumentException ex) {
			logger.error("WSGI app '{}': the environ of {} {} cannot be given to Python: {}", this.name,
					request.getMethod(), request.getRequestURI(), ex.getMessage());
			GatewayErrors.send(response, new WsgiGatewayException(HttpStatus.INTERNAL_SERVER_ERROR, ex.getMessage()));
			return;
		}
		try {
			answer.writeTo(response);
		}
		catch (WorkerExchange.ClientGoneException ex) {
			logger.debug("WSGI app '{}': the client of {} {} went away", this.name, request.getMethod(),
					request.getRequestURI());
		}
		catch (IOException ex) {
			logger.warn("WSGI app '{}': {} {} failed mid-response: {}", this.name, request.getMethod(),
					request.getRequestURI(), ex.getMessage());
			throw GatewayErrors.abortStarted(response, ex);
		}
	}

	/**
	 * Reads the whole body when request buffering is on (or a filter needed it): the refusal of a body
	 * that cannot be had, or {@code null}.
	 */
	private WsgiGatewayException readBody(HttpServletRequest request, MountedRequest mounted) {
		if (!this.bodyPolicy.buffering() && !mounted.isBufferingStarted()) {
			return null;
		}
		try {
			mounted.bufferBody();
			return null;
		}
		catch (BufferedBody.BodyTooLargeException ex) {
			return WsgiGatewayException.bodyTooLarge(this.name, ex.maxBodySize());
		}
		catch (IOException ex) {
			if (isTimeout(ex)) {
				return new WsgiGatewayException(HttpStatus.REQUEST_TIMEOUT,
						"The client sent the request body too slowly: " + ex.getMessage());
			}
			return WsgiGatewayException.badRequest("The request body could not be read: " + ex.getMessage());
		}
	}

	private static boolean isTimeout(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SocketTimeoutException) {
				return true;
			}
		}
		return false;
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
		for (WsgiEnvironCustomizer customizer : this.environCustomizers) {
			customizer.customize(request, environ);
		}
		callCustomizer.accept(environ);
		return call(request, environ, Environ.hasBody(request), request::getInputStream);
	}

	/** Sends a request whose environ the customizers have seen, with its body from {@code body}. */
	private WsgiResponse call(HttpServletRequest request, Map<String, Object> environ, boolean hasBody,
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
		WorkerExchange exchange = new WorkerExchange(this.name, this.pool, this.requestTimeout, block, body,
				description, this.limits.maxBodySize());
		lendWorker(exchange, description);
		exchange.start();
		return new WsgiResponse(exchange, head);
	}

	/** The refusal of a request whose declared body is over the limit, or {@code null}. */
	private WsgiGatewayException checkLimits(HttpServletRequest request) {
		long maxBody = this.limits.maxBodySize();
		if (maxBody >= 0 && request.getContentLengthLong() > maxBody) {
			return WsgiGatewayException.bodyTooLarge(this.name, maxBody);
		}
		return null;
	}

	private boolean awaitOpenToTraffic() {
		try {
			return this.openToTraffic.getCount() == 0
					|| this.openToTraffic.await(this.queueTimeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Sends the exchange's request to a free worker, waited for up to the queue timeout.
	 * @throws WsgiGatewayException (503) if the workers cannot stay up, the queue is full, or none
	 * became free in time
	 */
	private void lendWorker(WorkerExchange exchange, String description) {
		if (this.pool.isUnavailable()) {
			long now = System.nanoTime();
			long last = this.lastDownLog.get();
			if (now - last > TimeUnit.SECONDS.toNanos(1) && this.lastDownLog.compareAndSet(last, now)) {
				logger.error("WSGI app '{}' answers 503: its workers cannot stay up ({} of {} alive; see the "
						+ "worker errors above)", this.name, this.pool.size(), this.pool.spec().workers());
			}
			throw WsgiGatewayException.down(this.name);
		}
		if (this.waiting.incrementAndGet() > this.limits.queueSize()) {
			this.waiting.decrementAndGet();
			logger.warn("WSGI app '{}': {} requests already wait for a worker (queue-size); {} refused", this.name,
					this.limits.queueSize(), description);
			throw WsgiGatewayException.noWorkerFree(this.name);
		}
		long start = System.nanoTime();
		Worker worker;
		try {
			worker = this.pool.borrow(this.queueTimeout, exchange::send);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			worker = null;
		}
		finally {
			this.waiting.decrementAndGet();
			this.metrics.queueWait(this.name, System.nanoTime() - start);
		}
		if (worker == null) {
			logger.warn("WSGI app '{}': no worker became free within {} for {}", this.name, this.queueTimeout,
					description);
			throw WsgiGatewayException.noWorkerFree(this.name);
		}
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
