package io.github.twodwsgi.gateway;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The statuses the gateway itself answers with (DESIGN.md section 5), in one place. Once a
 * response has started, a status can no longer be sent: the connection is cut instead, so that the
 * client sees an incomplete response rather than a silently truncated one.
 */
public final class GatewayErrors {

	/** Seconds a client is asked to wait before retrying after a 503. */
	public static final String RETRY_AFTER_SECONDS = "1";

	private GatewayErrors() {
	}

	/** The app raised: 500 if nothing was sent yet, else the connection is cut. */
	public static void appError(HttpServletResponse response) throws IOException {
		send(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "The WSGI application raised an error");
	}

	/** The worker died or broke the protocol mid-request. */
	public static void workerLost(HttpServletResponse response) throws IOException {
		send(response, HttpServletResponse.SC_BAD_GATEWAY, "The WSGI worker failed while handling the request");
	}

	/** No worker became free within the queue timeout. */
	public static void noWorkerFree(HttpServletResponse response) throws IOException {
		send(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "No WSGI worker became free in time");
	}

	/** The request ran past the request timeout. */
	public static void timedOut(HttpServletResponse response) throws IOException {
		send(response, HttpServletResponse.SC_GATEWAY_TIMEOUT, "The WSGI application did not answer in time");
	}

	/** The request cannot be given to a WSGI app. */
	public static void badRequest(HttpServletResponse response, String message) throws IOException {
		send(response, HttpServletResponse.SC_BAD_REQUEST, message);
	}

	private static void send(HttpServletResponse response, int status, String message) throws IOException {
		if (response.isCommitted()) {
			throw new ResponseAbortedException(status, message);
		}
		// Drop what the app had set (a Content-Length, say): the error page is a response of its own.
		response.reset();
		if (status == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
			response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
		}
		response.sendError(status, message);
	}

	/** Thrown to cut a response that had already started when it failed. */
	public static final class ResponseAbortedException extends IOException {

		ResponseAbortedException(int status, String message) {
			super(message + " after the response had started (would have been " + status
					+ "): the connection is closed");
		}

	}

}
