package io.github.twodwsgi.gateway;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * The gateway could not get a response from a WSGI app. Its status is the one DESIGN.md section 5
 * gives for the case, so that Spring MVC answers with it when a controller lets it through: 500 when
 * the app raised, 502 when the worker died, 503 (with {@code Retry-After}) when no worker was free,
 * 504 when the request ran past its timeout, 400 when the request cannot be expressed as an environ.
 */
public class WsgiGatewayException extends ResponseStatusException {

	/** Seconds a client is asked to wait before retrying after a 503. */
	public static final String RETRY_AFTER_SECONDS = "1";

	public WsgiGatewayException(HttpStatus status, String reason) {
		super(status, reason);
	}

	public static WsgiGatewayException appError(String app) {
		return new WsgiGatewayException(HttpStatus.INTERNAL_SERVER_ERROR,
				"WSGI app '" + app + "' raised an error before its response started");
	}

	public static WsgiGatewayException workerLost(String app, String detail) {
		return new WsgiGatewayException(HttpStatus.BAD_GATEWAY,
				"A worker of WSGI app '" + app + "' failed while handling the request: " + detail);
	}

	public static WsgiGatewayException noWorkerFree(String app) {
		return new WsgiGatewayException(HttpStatus.SERVICE_UNAVAILABLE,
				"No worker of WSGI app '" + app + "' became free in time");
	}

	public static WsgiGatewayException down(String app) {
		return new WsgiGatewayException(HttpStatus.SERVICE_UNAVAILABLE,
				"The workers of WSGI app '" + app + "' cannot stay up");
	}

	public static WsgiGatewayException bodyTooLarge(String app, long maxBodySize) {
		return new WsgiGatewayException(HttpStatus.CONTENT_TOO_LARGE,
				"The request body is larger than max-body-size (" + maxBodySize + " bytes) of WSGI app '" + app + "'");
	}

	public static WsgiGatewayException timedOut(String app) {
		return new WsgiGatewayException(HttpStatus.GATEWAY_TIMEOUT,
				"WSGI app '" + app + "' did not answer within its request-timeout");
	}

	public static WsgiGatewayException badRequest(String detail) {
		return new WsgiGatewayException(HttpStatus.BAD_REQUEST, detail);
	}

	/** 400, or 431 for headers over the limit, as the exception says. */
	public static WsgiGatewayException badRequest(BadRequestException failure) {
		return new WsgiGatewayException(HttpStatus.valueOf(failure.status()), failure.getMessage());
	}

	@Override
	public HttpHeaders getHeaders() {
		if (getStatusCode().value() != HttpStatus.SERVICE_UNAVAILABLE.value()) {
			return HttpHeaders.EMPTY;
		}
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
		return headers;
	}

}
