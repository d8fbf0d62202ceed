package io.github.twodwsgi;

import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.twodwsgi.gateway.GatewayErrors;
import io.github.twodwsgi.worker.ResponseBuffering;
import io.github.twodwsgi.worker.WorkerExchange;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.Assert;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * What a WSGI app answered to a call from Java ({@link WsgiGateway#call}): its status and headers,
 * and a body that streams from the Python worker as it is read, so that a large response never sits
 * whole in memory. The caller may change the status, the headers and the body before passing the
 * response on ({@link #toResponseEntity()}, {@link #writeTo(HttpServletResponse)}).
 * <p>
 * A response holds one of the app's workers until its body has been read to the end or it is
 * closed: close it (try-with-resources), or hand it over with {@link #toResponseEntity()} or
 * {@link #writeTo(HttpServletResponse)}, which close it when they are done. Closing it early (or the
 * client going away) reaches the app's iterable {@code close()}. Not thread-safe.
 */
public final class WsgiResponse implements AutoCloseable {

	/** Threads that copy bodies for {@link #toResponseEntity()}; idle ones end after a minute. */
	private static final ExecutorService STREAMERS = Executors.newCachedThreadPool(new CustomizableThreadFactory("twod-wsgi-stream-") {
		{
			setDaemon(true);
		}
	});

	private final WorkerExchange exchange;

	private final boolean headRequest;

	private int status;

	private final String reason;

	private HttpHeaders headers;

	private InputStream replacementBody;

	private boolean bodyTaken;

	private volatile boolean abandoned;

	/** The request this answers, when known: marked when its started response is aborted. */
	private HttpServletRequest request;

	/** Whether response buffering took over the exchange: only its threads may touch it then. */
	private boolean handedOff;

	WsgiResponse(WorkerExchange exchange, boolean headRequest) {
		this.exchange = exchange;
		this.headRequest = headRequest;
		String statusLine = exchange.status();
		this.status = Integer.parseInt(statusLine, 0, 3, 10);
		this.reason = (statusLine.length() > 4) ? statusLine.substring(4) : "";
	}

	/** The status code. */
	public int status() {
		return this.status;
	}

	/** Changes the status code that {@link #toResponseEntity()} and {@link #writeTo} send. */
	public void setStatus(int status) {
		Assert.isTrue(status >= 100 && status <= 999, () -> "Invalid HTTP status " + status);
		this.status = status;
	}

	/** The reason phrase the app gave with its status, e.g. {@code "OK"}. */
	public String reason() {
		return this.reason;
	}

	/**
	 * The app's headers, in order and with repeated ones (several {@code Set-Cookie}) kept; the
	 * returned object is live: changes to it are what {@link #toResponseEntity()} and {@link #writeTo}
	 * send.
	 */
	public HttpHeaders headers() {
		if (this.headers == null) {
			this.headers = new HttpHeaders();
			List<String> raw = this.exchange.headers();
			for (int i = 0; i + 1 < raw.size(); i += 2) {
				this.headers.add(raw.get(i), raw.get(i + 1));
			}
		}
		return this.headers;
	}

	/**
	 * The app's body, read from the worker as the stream is read; it can be taken once. Closing the
	 * stream closes this response.
	 */
	public InputStream body() {
		Assert.state(!this.bodyTaken, "The body of a WsgiResponse can be taken once");
		this.bodyTaken = true;
		if (this.replacementBody != null) {
			return this.replacementBody;
		}
		return new InputStream() {

			@Override
			public int read() throws IOException {
				byte[] one = new byte[1];
				return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xFF);
			}

			@Override
			public int read(byte[] target, int offset, int length) throws IOException {
				return WsgiResponse.this.exchange.read(target, offset, length);
			}

			@Override
			public void close() {
				WsgiResponse.this.close();
			}

		};
	}

	/**
	 * Replaces the body; the app's own is not wanted any more, so the app is told to stop (its
	 * iterable is closed) and its worker freed. The app's {@code Content-Length} is dropped with it.
	 */
	public void setBody(InputStream body) {
		Assert.notNull(body, "body must not be null");
		Assert.state(!this.bodyTaken, "The body of this WsgiResponse was already taken");
		this.exchange.close();
		headers().remove(HttpHeaders.CONTENT_LENGTH);
		this.replacementBody = body;
	}

	/**
	 * This response as a Spring MVC return value: status, headers and a body streamed to the client
	 * chunk by chunk. The response is closed once its body has been written.
	 */
	public ResponseEntity<StreamingResponseBody> toResponseEntity() {
		// Spring Framework 7 ignores flush() on a StreamingResponseBody's stream: flush through the
		// servlet response instead, so that each chunk still reaches the client as the app yields it.
		HttpServletResponse servletResponse = currentServletResponse();
		this.request = currentServletRequest();
		Flushable flusher = (servletResponse != null) ? servletResponse::flushBuffer : null;
		return ResponseEntity.status(this.status).headers(headers()).body((out) -> streamBody(out, flusher));
	}

	/**
	 * Spring interrupts the thread of a StreamingResponseBody when the client goes away, and an
	 * interrupt closes the worker's connection mid-read (a socket channel is interruptible). So the
	 * body is copied on a thread of ours; an interrupt of Spring's thread only marks the response
	 * abandoned, and the copying thread then stops the app cleanly (its iterable is closed) and frees
	 * the worker.
	 */
	private void streamBody(OutputStream out, Flushable flusher) throws IOException {
		Future<?> transfer = STREAMERS.submit(() -> {
			try {
				writeBody(out, (flusher != null) ? flusher : out::flush);
			}
			finally {
				close();
			}
			return null;
		});
		try {
			transfer.get();
		}
		catch (InterruptedException ex) {
			this.abandoned = true;
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("The client of the WSGI response went away");
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof IOException failure) {
				throw failure;
			}
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			throw new IOException(ex.getCause());
		}
	}

	private static HttpServletRequest currentServletRequest() {
		return (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)
				? attributes.getRequest() : null;
	}

	private static HttpServletResponse currentServletResponse() {
		return (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)
				? attributes.getResponse() : null;
	}

	/** Writes status, headers and body to a servlet response, then closes this response. */
	public void writeTo(HttpServletResponse response) throws IOException {
		writeTo(response, null, new BodyBytes());
	}

	/**
	 * Writes status, headers and body to a servlet response, the body through {@code buffering} (or
	 * straight from the worker when it is {@code null}), then closes this response.
	 * @param sent counts the body bytes written, also when the response is cut short
	 */
	void writeTo(HttpServletResponse response, ResponseBuffering buffering, BodyBytes sent) throws IOException {
		try {
			response.setStatus(this.status);
			if (this.headers == null) {
				List<String> raw = this.exchange.headers();
				for (int i = 0; i + 1 < raw.size(); i += 2) {
					response.addHeader(raw.get(i), raw.get(i + 1));
				}
			}
			else {
				this.headers.forEach((name, values) -> values.forEach((value) -> response.addHeader(name, value)));
			}
			OutputStream out = sent.counting(response.getOutputStream());
			if (buffering != null && this.replacementBody == null
					&& buffering.isNeeded(this.headRequest ? 0 : declaredLength(), response.getBufferSize())) {
				Assert.state(!this.bodyTaken, "The body of this WsgiResponse was already taken");
				this.bodyTaken = true;
				// From here the exchange is the buffering's (and its drain thread's) to end.
				this.handedOff = true;
				checkLength(buffering.transfer(this.exchange, out, out::flush));
			}
			else {
				writeBody(out, out::flush);
			}
		}
		finally {
			close();
		}
	}

	/** Writes the body; fails if it was shorter than its Content-Length. */
	private void writeBody(OutputStream out, Flushable flusher) throws IOException {
		Assert.state(!this.bodyTaken, "The body of this WsgiResponse was already taken");
		this.bodyTaken = true;
		if (this.replacementBody != null) {
			try (InputStream body = this.replacementBody) {
				body.transferTo(out);
			}
			return;
		}
		try {
			checkLength(this.exchange.transferBodyTo(out, flusher, () -> this.abandoned));
		}
		catch (WorkerExchange.ClientGoneException ex) {
			throw ex;
		}
		catch (IOException ex) {
			// The app's response has started: what it produced goes out once, then the connection is cut.
			throw GatewayErrors.abortStreamed(this.request, flusher, ex);
		}
	}

	private void checkLength(long written) throws ShortBodyException {
		long declared = declaredLength();
		if (!this.headRequest && declared > written) {
			throw new ShortBodyException(declared, written);
		}
	}

	private long declaredLength() {
		if (this.headers != null) {
			return this.headers.getContentLength();
		}
		List<String> raw = this.exchange.headers();
		for (int i = 0; i + 1 < raw.size(); i += 2) {
			if (raw.get(i).equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
				try {
					return Long.parseLong(raw.get(i + 1).strip());
				}
				catch (NumberFormatException ex) {
					return -1;
				}
			}
		}
		return -1;
	}

	/**
	 * Frees the app's worker; if the app has not sent its whole body, it is told to stop and its
	 * iterable is closed.
	 */
	@Override
	public void close() {
		if (!this.handedOff) {
			this.exchange.close();
		}
	}

	/** The app sent fewer bytes than its Content-Length promised. */
	public static final class ShortBodyException extends IOException {

		ShortBodyException(long declared, long written) {
			super("The WSGI response declared Content-Length " + declared + " but had " + written + " bytes");
		}

	}

}
