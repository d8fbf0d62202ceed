package io.github.twodwsgi.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import io.github.twodwsgi.worker.FrameChannel;
import io.github.twodwsgi.worker.Frames;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one request through a worker and streams the answer into the servlet response: sends the
 * environ, answers the worker's requests for body bytes, writes status and headers, writes and
 * flushes each body chunk as it comes. When the client goes away, the worker is told to stop (it
 * closes the app's iterable) and the rest of its answer is discarded.
 * <p>
 * An {@link IOException} out of {@link #run()} means the worker connection failed: the worker
 * cannot be trusted any more. Client failures never surface as exceptions.
 */
public final class ServletExchange {

	private static final Logger logger = LoggerFactory.getLogger(ServletExchange.class);

	private static final byte[] NO_BYTES = {};

	private final HttpServletRequest request;

	private final HttpServletResponse response;

	private final FrameChannel channel;

	private byte[] bodyBuffer;

	private InputStream requestBody;

	private OutputStream responseBody;

	private boolean cancelled;

	private long declaredLength = -1;

	private long written;

	public ServletExchange(HttpServletRequest request, HttpServletResponse response, FrameChannel channel) {
		this.request = request;
		this.response = response;
		this.channel = channel;
	}

	/** The end of an exchange, as the worker reported it. */
	public enum Outcome {

		/** The response was sent whole (or the client left and the app was stopped). */
		COMPLETED,

		/** The app raised before the response started: the caller answers 500. */
		APP_ERROR,

		/** The app raised after the response started: the caller cuts the connection. */
		ABORTED

	}

	public Outcome run(byte[] environ) throws IOException {
		this.channel.write(Frames.REQUEST, environ);
		this.channel.flush();
		while (true) {
			byte type = this.channel.readFrame();
			switch (type) {
				case Frames.INPUT -> sendBody(this.channel.readPayloadInt());
				case Frames.START -> start(this.channel.readPayload());
				case Frames.DATA -> write();
				case Frames.END -> {
					return checkLength();
				}
				case Frames.ERROR -> {
					return this.cancelled ? Outcome.COMPLETED : Outcome.APP_ERROR;
				}
				case Frames.ABORT -> {
					return this.cancelled ? Outcome.COMPLETED : Outcome.ABORTED;
				}
				default -> throw new IOException("unexpected frame '" + (char) type + "' from the worker");
			}
		}
	}

	private void sendBody(int wanted) throws IOException {
		int count = -1;
		if (!this.cancelled) {
			if (this.bodyBuffer == null) {
				this.bodyBuffer = new byte[64 * 1024];
			}
			try {
				if (this.requestBody == null) {
					this.requestBody = this.request.getInputStream();
				}
				count = this.requestBody.read(this.bodyBuffer, 0, Math.max(1, Math.min(wanted, this.bodyBuffer.length)));
			}
			catch (IOException ex) {
				cancel();
			}
		}
		if (count > 0) {
			this.channel.write(Frames.BODY, this.bodyBuffer, 0, count);
		}
		else {
			this.channel.write(Frames.BODY, NO_BYTES);
		}
		this.channel.flush();
	}

	private void start(byte[] headerBlock) throws IOException {
		String[] fields = new String(headerBlock, StandardCharsets.ISO_8859_1).split("\0", -1);
		if (this.cancelled) {
			return;
		}
		this.response.setStatus(Integer.parseInt(fields[0], 0, 3, 10));
		for (int i = 1; i + 1 < fields.length; i += 2) {
			if (fields[i].equalsIgnoreCase("Content-Length")) {
				this.declaredLength = parseLength(fields[i + 1]);
			}
			this.response.addHeader(fields[i], fields[i + 1]);
		}
	}

	private static long parseLength(String value) {
		try {
			return Long.parseLong(value.strip());
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/** A body shorter than its Content-Length would leave the client waiting for bytes that never come. */
	private Outcome checkLength() {
		if (this.cancelled || this.declaredLength < 0 || this.written >= this.declaredLength
				|| "HEAD".equals(this.request.getMethod())) {
			return Outcome.COMPLETED;
		}
		logger.warn("WSGI response to {} {} declared Content-Length {} but had {} bytes: the connection is closed",
				this.request.getMethod(), this.request.getRequestURI(), this.declaredLength, this.written);
		return Outcome.ABORTED;
	}

	private void write() throws IOException {
		if (this.cancelled) {
			this.channel.skipPayload();
			return;
		}
		try {
			if (this.responseBody == null) {
				this.responseBody = new ClientOutput(this.response.getOutputStream());
			}
			this.written += this.channel.payloadRemaining();
			this.channel.transferPayloadTo(this.responseBody);
			// Flush now unless the worker's next frame is already here (then END will complete the response).
			if (!this.channel.hasBuffered()) {
				this.responseBody.flush();
			}
		}
		catch (ClientOutput.ClientGoneException ex) {
			cancel();
		}
	}

	private void cancel() throws IOException {
		if (!this.cancelled) {
			this.cancelled = true;
			this.channel.write(Frames.CANCEL, NO_BYTES);
			this.channel.flush();
		}
	}

	/** Tells client failures apart from worker failures while copying a frame to the client. */
	private static final class ClientOutput extends OutputStream {

		private final OutputStream target;

		ClientOutput(OutputStream target) {
			this.target = target;
		}

		@Override
		public void write(int b) throws IOException {
			try {
				this.target.write(b);
			}
			catch (IOException ex) {
				throw new ClientGoneException(ex);
			}
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			try {
				this.target.write(bytes, offset, length);
			}
			catch (IOException ex) {
				throw new ClientGoneException(ex);
			}
		}

		@Override
		public void flush() throws IOException {
			try {
				this.target.flush();
			}
			catch (IOException ex) {
				throw new ClientGoneException(ex);
			}
		}

		static final class ClientGoneException extends IOException {

			ClientGoneException(IOException cause) {
				super(cause);
			}

		}

	}

}
