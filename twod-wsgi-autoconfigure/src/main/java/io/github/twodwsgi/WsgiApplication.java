package io.github.twodwsgi;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.github.twodwsgi.gateway.BadRequestException;
import io.github.twodwsgi.gateway.Environ;
import io.github.twodwsgi.gateway.GatewayErrors;
import io.github.twodwsgi.gateway.WorkerExchange;
import io.github.twodwsgi.gateway.WsgiGatewayException;
import io.github.twodwsgi.settings.WsgiSettings;
import io.github.twodwsgi.worker.Frames;
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

	private final WorkerPool pool;

	private final Duration requestTimeout;

	private final Duration queueTimeout;

	private volatile boolean running;

	private List<WsgiEnvironCustomizer> environCustomizers = List.of();

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
	}

	public String getName() {
		return this.name;
	}

	/** The path the app is mounted at: {@code "/"} for the root, otherwise without a trailing slash. */
	public String getMount() {
		return this.mount;
	}

	public WorkerPool getPool() {
		return this.pool;
	}

	/** The app's settings, exactly as its workers got them (read-only). */
	public WsgiSettings getSettings() {
		return this.pool.spec().boot().settings();
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

	@Override
	public void afterPropertiesSet() {
		this.pool.start();
	}

	@Override
	public void start() {
		this.pool.awaitReady();
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
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

	/** Serves a request under the app's mount path. */
	@Override
	public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
		WsgiResponse answer;
		try {
			answer = call(request, Environ.ofMount(request, pathWithinApplication(request), this.mountPrefix),
					(environ) -> {
					});
		}
		catch (BadRequestException ex) {
			GatewayErrors.send(response, WsgiGatewayException.badRequest(ex.getMessage()));
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
			GatewayErrors.sendMidResponse(response, ex);
		}
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
		byte[] block;
		try {
			block = Environ.encode(environ, Environ.hasBody(request) ? Frames.FLAG_HAS_BODY : 0);
		}
		catch (BadRequestException ex) {
			throw WsgiGatewayException.badRequest(ex.getMessage());
		}
		Worker worker = borrowWorker();
		if (worker == null) {
			logger.warn("WSGI app '{}': no worker became free within {} for {} {}", this.name, this.queueTimeout,
					request.getMethod(), request.getRequestURI());
			throw WsgiGatewayException.noWorkerFree(this.name);
		}
		WorkerExchange exchange = WorkerExchange.open(this.name, this.pool, worker, this.requestTimeout, block,
				request::getInputStream, request.getMethod() + " " + request.getRequestURI());
		exchange.start();
		return new WsgiResponse(exchange, "HEAD".equals(request.getMethod()));
	}

	private Worker borrowWorker() {
		try {
			return this.pool.borrow(this.queueTimeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
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
