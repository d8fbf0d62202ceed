package io.github.twodwsgi;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Map;

import io.github.twodwsgi.gateway.AccessLog;
import io.github.twodwsgi.gateway.BadRequestException;
import io.github.twodwsgi.gateway.BufferedBody;
import io.github.twodwsgi.gateway.Environ;
import io.github.twodwsgi.gateway.GatewayErrors;
import io.github.twodwsgi.gateway.MountedRequest;
import io.github.twodwsgi.gateway.WsgiGatewayException;
import io.github.twodwsgi.worker.WorkerExchange;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Serves the requests under one app's mount, top-down: the path and limits are checked, the body is
 * read whole (request buffering), the environ is built, the app answers through one of its workers,
 * and the response is written through the response buffer. Every failure becomes the status the
 * README's table gives, or, once the app's response has started, a cut connection.
 */
final class MountHandler {

	private static final Logger logger = LoggerFactory.getLogger(WsgiApplication.class);

	private final WsgiApplication application;

	MountHandler(WsgiApplication application) {
		this.application = application;
	}

	void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
		DispatcherType dispatch = request.getDispatcherType();
		if (dispatch != DispatcherType.REQUEST && dispatch != DispatcherType.ASYNC) {
			// An error page, an include or a forward that leads here must never run the app (again).
			logger.debug("WSGI app '{}': a {} dispatch to {} is not served", name(), dispatch, request.getRequestURI());
			if (!response.isCommitted()) {
				response.sendError(HttpServletResponse.SC_NOT_FOUND);
			}
			return;
		}
		long start = System.nanoTime();
		// Spring's http.server.requests: the mount as the URI pattern, rather than UNKNOWN for every request.
		ServerHttpObservationFilter.findObservationContext(request)
			.ifPresent((context) -> context.setPathPattern(this.application.mountPrefix() + "/**"));
		MountedRequest mounted = MountedRequest.of(request);
		boolean ownWrapper = (mounted == null);
		if (ownWrapper) {
			// No MountedRequestFilter ran (MockMvc without filters, say): the body is still the app's.
			mounted = MountedRequest.wrap(request, this.application.getBodyPolicy());
		}
		BodyBytes sent = new BodyBytes();
		try {
			serve(request, mounted, response, sent);
		}
		finally {
			if (ownWrapper) {
				mounted.close();
			}
			long nanos = System.nanoTime() - start;
			this.application.metrics().request(this.application.getName(), response.getStatus(), nanos);
			if (this.application.isAccessLog()) {
				AccessLog.log(request, response, sent.count(), nanos);
			}
		}
	}

	/** Serves the request; {@code sent} counts the body bytes of the app's response, if it has one. */
	private void serve(HttpServletRequest request, MountedRequest mounted, HttpServletResponse response,
			BodyBytes sent) throws IOException {
		String path = WsgiApplication.pathWithinApplication(request);
		WsgiGatewayException refused = checkPathAndLimits(request, path);
		if (refused == null) {
			refused = readBody(mounted);
		}
		if (refused != null) {
			logger.info("WSGI app '{}': {} {} refused: {}", name(), request.getMethod(), request.getRequestURI(),
					refused.getReason());
			GatewayErrors.send(response, refused);
			return;
		}
		if (!this.application.awaitOpenToTraffic()) {
			logger.warn("WSGI app '{}': {} {} came before its startup hooks were done", name(), request.getMethod(),
					request.getRequestURI());
			GatewayErrors.send(response, WsgiGatewayException.noWorkerFree(name()));
			return;
		}
		WsgiResponse answer;
		try {
			answer = send(request, path, mounted);
		}
		catch (WsgiGatewayException ex) {
			GatewayErrors.send(response, ex);
			return;
		}
		try {
			// A body that still streams from the client is read by this thread: the response is then
			// not drained by another (the app reads its body while it answers, in step).
			answer.writeTo(response, mounted.isStreamingBody() ? null : this.application.responseBuffering(), sent);
		}
		catch (WorkerExchange.ClientGoneException ex) {
			logger.debug("WSGI app '{}': the client of {} {} went away", name(), request.getMethod(),
					request.getRequestURI());
		}
		catch (IOException ex) {
			logger.warn("WSGI app '{}': {} {} failed mid-response: {}", name(), request.getMethod(),
					request.getRequestURI(), ex.getMessage());
			throw GatewayErrors.abortStarted(response, ex);
		}
	}

	/**
	 * A path the container had to normalise, or one outside the mount, gets 400; a declared body over
	 * the limit 413: the refusal, or {@code null}.
	 */
	private WsgiGatewayException checkPathAndLimits(HttpServletRequest request, String path) {
		try {
			Environ.checkNormalized(path);
		}
		catch (BadRequestException ex) {
			return WsgiGatewayException.badRequest(ex);
		}
		if (!this.application.matches(path)) {
			return WsgiGatewayException.badRequest(
					"The request path " + path + " is not under the mount " + this.application.getMount());
		}
		long maxBody = this.application.getLimits().maxBodySize();
		if (maxBody >= 0 && request.getContentLengthLong() > maxBody) {
			return WsgiGatewayException.bodyTooLarge(name(), maxBody);
		}
		return null;
	}

	/**
	 * Reads the whole body when request buffering is on (or a filter needed it): the refusal of a body
	 * that cannot be had, or {@code null}.
	 */
	private WsgiGatewayException readBody(MountedRequest mounted) {
		if (!this.application.getBodyPolicy().buffering() && !mounted.isBufferingStarted()) {
			return null;
		}
		try {
			mounted.bufferBody();
			return null;
		}
		catch (BufferedBody.BodyTooLargeException ex) {
			return WsgiGatewayException.bodyTooLarge(name(), ex.maxBodySize());
		}
		catch (IOException ex) {
			if (isTimeout(ex)) {
				return new WsgiGatewayException(HttpStatus.REQUEST_TIMEOUT,
						"The client sent the request body too slowly: " + ex.getMessage());
			}
			return WsgiGatewayException.badRequest("The request body could not be read: " + ex.getMessage());
		}
	}

	/** The environ of the mounted request, then the app's status and headers. */
	private WsgiResponse send(HttpServletRequest request, String path, MountedRequest mounted) {
		try {
			Map<String, Object> environ = Environ.ofMount(request, path, this.application.mountPrefix(),
					this.application.getLimits().maxHeaderSize());
			this.application.customize(request, environ);
			return this.application.send(request, environ, mounted.hasBodyForApp(), mounted::appInput);
		}
		catch (BadRequestException ex) {
			throw WsgiGatewayException.badRequest(ex);
		}
		catch (IllegalArgumentException ex) {
			logger.error("WSGI app '{}': the environ of {} {} cannot be given to Python: {}", name(),
					request.getMethod(), request.getRequestURI(), ex.getMessage());
			throw new WsgiGatewayException(HttpStatus.INTERNAL_SERVER_ERROR, ex.getMessage());
		}
	}

	private String name() {
		return this.application.getName();
	}

	private static boolean isTimeout(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SocketTimeoutException) {
				return true;
			}
		}
		return false;
	}

}
