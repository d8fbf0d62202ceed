package io.github.twodwsgi.gateway;

import java.io.Flushable;
import java.io.IOException;

import io.github.twodwsgi.worker.ExchangeFailure;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;

/**
 * Sends the statuses the gateway itself answers with (DESIGN.md section 5), in one place. Once the
 * app's response has started, a status can no longer be sent: what the app produced is sent, then the
 * connection is cut, so that the client sees an incomplete response rather than a silently truncated
 * one, and never an error page glued to the app's body.
 */
public final class GatewayErrors {

	private GatewayErrors() {
	}

	/** Answers with the exception's status, or cuts the connection if the response has started. */
	public static void send(HttpServletResponse response, WsgiGatewayException failure) throws IOException {
		if (response.isCommitted()) {
			if (response.getStatus() == failure.getStatusCode().value()) {
				// The container answered already, with this very status (a malformed body, say).
				return;
			}
			throw ResponseAborts.abort(failure.getReason() + " after the response had started", failure);
		}
		// Drop what the app had set (a Content-Length, say): the error page is a response of its own.
		response.reset();
		if (failure.getStatusCode().value() == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
			response.setHeader("Retry-After", WsgiGatewayException.RETRY_AFTER_SECONDS);
		}
		response.sendError(failure.getStatusCode().value(), failure.getReason());
	}

	/** The status of a request that got no response from its app, as DESIGN.md section 5 gives it. */
	public static WsgiGatewayException toException(String app, ExchangeFailure failure, long maxBodySize) {
		return switch (failure.kind()) {
			case WORKERS_DOWN -> WsgiGatewayException.down(app);
			case QUEUE_FULL, NO_WORKER_FREE -> WsgiGatewayException.noWorkerFree(app);
			case APP_ERROR -> WsgiGatewayException.appError(app);
			case WORKER_LOST -> new WsgiGatewayException(HttpStatus.BAD_GATEWAY, failure.getMessage());
			case TIMED_OUT -> WsgiGatewayException.timedOut(app);
			case BODY_TOO_LARGE -> WsgiGatewayException.bodyTooLarge(app, maxBodySize);
			case BODY_UNREADABLE -> WsgiGatewayException.badRequest(failure.getMessage());
		};
	}

	/**
	 * A failure after the app's response started (its status and first chunk): every byte the app
	 * produced is sent, then the connection is cut (PEP 3333 has the server abort the response).
	 * @return never: always throws
	 * @throws IOException the abort, which the container answers by closing the connection
	 */
	public static IOException abortStarted(HttpServletResponse response, IOException failure) throws IOException {
		flushQuietly(response::flushBuffer);
		throw ResponseAborts.abort(failure.getMessage() + "; the connection is closed", failure);
	}

	/**
	 * As {@link #abortStarted(HttpServletResponse, IOException)}, for a body that a controller streams
	 * through {@code flusher} ({@code WsgiResponse.toResponseEntity()}). Spring MVC takes the
	 * container's own abort there for a client that went away and would end the response as if
	 * complete; so a plain exception goes to the container, whose error page {@code request} is marked
	 * to skip ({@link AbortedResponseFilter}), and the container cuts the connection.
	 * @param request the request whose response failed, or {@code null} if unknown
	 * @return the abort to throw
	 */
	public static IOException abortStreamed(HttpServletRequest request, Flushable flusher, IOException failure) {
		flushQuietly(flusher);
		if (request != null) {
			request.setAttribute(AbortedResponseFilter.ATTRIBUTE, Boolean.TRUE);
		}
		return new ResponseAbortedException(failure.getMessage() + "; the connection is closed", failure);
	}

	/** Sends what the app produced; a client that is gone gets nothing more anyway. */
	private static void flushQuietly(Flushable flusher) {
		try {
			flusher.flush();
		}
		catch (IOException ex) {
			// nothing to do: the connection is cut next
		}
	}

	/** Thrown to cut a response that had already started when it failed. */
	public static final class ResponseAbortedException extends IOException {

		public ResponseAbortedException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
