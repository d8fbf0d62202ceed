package io.github.twodwsgi.gateway;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Sends the statuses the gateway itself answers with (DESIGN.md section 5), in one place. Once a
 * response has started, a status can no longer be sent: the connection is cut instead, so that the
 * client sees an incomplete response rather than a silently truncated one.
 */
public final class GatewayErrors {

	private GatewayErrors() {
	}

	/** Answers with the exception's status, or cuts the connection if the response has started. */
	public static void send(HttpServletResponse response, WsgiGatewayException failure) throws IOException {
		send(response, failure.getStatusCode().value(), failure.getReason());
	}

	/** A failure in the middle of a response: 500 if nothing was sent yet, else the connection is cut. */
	public static void sendMidResponse(HttpServletResponse response, IOException failure) throws IOException {
		boolean timedOut = failure instanceof WorkerExchange.WorkerFailedException lost && lost.isTimedOut();
		int status = timedOut ? HttpServletResponse.SC_GATEWAY_TIMEOUT
				: (failure instanceof WorkerExchange.WorkerFailedException) ? HttpServletResponse.SC_BAD_GATEWAY
						: HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
		send(response, status, failure.getMessage());
	}

	private static void send(HttpServletResponse response, int status, String message) throws IOException {
		if (response.isCommitted()) {
			if (response.getStatus() == status) {
				// The container answered already, with this very status (a malformed body, say).
				return;
			}
			throw new ResponseAbortedException(status, message);
		}
		// Drop what the app had set (a Content-Length, say): the error page is a response of its own.
		response.reset();
		if (status == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
			response.setHeader("Retry-After", WsgiGatewayException.RETRY_AFTER_SECONDS);
		}
		response.sendError(status, message);
	}

	/** Thrown to cut a response that had already started when it failed. */
	public static final class ResponseAbortedException extends IOException {

		public ResponseAbortedException(int status, String message) {
			super(message + " after the response had started (would have been " + status
					+ "): the connection is closed");
		}

	}

}
