package io.github.twodwsgi.worker;

import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request on a leased worker, pulled by its caller: {@link #start()} sends the environ and
 * returns once the app has produced its status and headers; the body is then read chunk by chunk
 * ({@link #read}, {@link #transferBodyTo}). Whenever the app reads {@code wsgi.input}, the worker asks
 * for body bytes and they are read from the request's body stream then.
 * <p>
 * {@link #close()} ends the exchange at any point: if the app is not done, the worker is told that
 * the response is not wanted any more (it stops iterating and closes the app's iterable), the rest is
 * discarded, and the worker goes back to its pool. A worker whose connection fails is discarded (a
 * replacement starts); the failure surfaces as an {@link ExchangeFailure} before the response
 * started, or as an {@link IOException} while the body is read. Not thread-safe: one thread at a time.
 */
public final class WorkerExchange implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(WorkerExchange.class);

	private static final byte[] NO_BYTES = {};

	private static final int BODY_CHUNK = 64 * 1024;

	private enum State {

		SENT, STARTED, COMPLETE, FAILED

	}

	private final String app;

	private final WorkerPool pool;

	private final Duration requestTimeout;

	private final byte[] environ;

	// Set by send(), on the thread that lends the connection; WorkerPool#borrow publishes them.
	private WorkerConnection connection;

	private RequestDeadline deadline;

	private FrameChannel channel;

	private IOException sendFailure;

	private final RequestBody requestBody;

	private final String description;

	private State state = State.SENT;

	private boolean cancelled;

	private boolean inData;

	private byte[] bodyBuffer;

	private String status;

	private final long maxBodySize;

	private long bodyBytes;

	private boolean bodyTooLarge;

	/** Why the request body could not be read (a malformed chunk, a body shorter than declared). */
	private IOException bodyUnreadable;

	private final List<String> headers = new ArrayList<>();

	private long queueWaitNanos;

	/** The worker declared the body complete (BODY_END); END comes once the iterable is closed. */
	private boolean bodyEnded;

	/** The response's Content-Length, or -1. */
	private long declaredLength = -1;

	/** Body bytes moved into a response spool so far. */
	private long bodyRead;

	/** Where the request body comes from; opened only if the app reads it. */
	@FunctionalInterface
	public interface RequestBody {

		InputStream open() throws IOException;

	}

	/**
	 * A request for {@code app}, encoded as {@code environ}, to be sent by {@link #send} to the worker
	 * that {@code pool} lends it.
	 */
	WorkerExchange(String app, WorkerPool pool, Duration requestTimeout, byte[] environ,
			RequestBody requestBody, String description, long maxBodySize) {
		this.app = app;
		this.pool = pool;
		this.requestTimeout = requestTimeout;
		this.environ = environ;
		this.requestBody = requestBody;
		this.description = description;
		this.maxBodySize = maxBodySize;
	}

	/**
	 * Sends the request on {@code connection}, whose request timeout starts now. Meant as the
	 * {@link WorkerAssignment} of {@link WorkerPool#borrow}: it may run on another request's thread,
	 * so a failure is kept for {@link #start()} to report.
	 */
	void send(WorkerConnection connection) {
		this.connection = connection;
		this.channel = connection.channel();
		this.deadline = RequestDeadline.after(this.requestTimeout, this.description);
		connection.beginRequest(this.deadline);
		if (this.channel.bufferedBytes() > 0) {
			// Bytes that came after the last request's end belong to no request: never to this one.
			this.sendFailure = new IOException("the worker sent " + this.channel.bufferedBytes()
					+ " bytes between two requests");
			return;
		}
		try {
			this.channel.write(Frames.REQUEST, this.environ);
			this.channel.flush();
		}
		catch (IOException ex) {
			this.sendFailure = ex;
		}
	}

	/**
	 * Waits for the app's status and headers, answering its reads of the request body meanwhile.
	 * @throws ExchangeFailure if the app raised, the worker failed or the request timed out
	 */
	void start() {
		if (this.sendFailure != null) {
			// The app never saw the request: the pool may offer it to another worker.
			this.state = State.FAILED;
			this.connection.endRequest(this.deadline);
			logger.warn("WSGI app '{}': {} could not be sent to worker {}: {}", this.app, this.description,
					this.connection.worker().pid(), this.sendFailure.toString());
			this.pool.discard(this.connection, "its connection failed before " + this.description + " reached it ("
					+ this.sendFailure.getMessage() + ")");
			throw failure(ExchangeFailure.Kind.WORKER_LOST, "A worker of WSGI app '" + this.app
					+ "' was gone before the request reached it: " + this.sendFailure.getMessage());
		}
		try {
			while (true) {
				byte type = this.channel.readFrame();
				switch (type) {
					case Frames.INPUT -> sendBody(this.channel.readPayloadInt());
					case Frames.START -> {
						parseStart(this.channel.readPayload());
						this.state = State.STARTED;
						if (this.bodyTooLarge || this.bodyUnreadable != null) {
							close();
							throw bodyFailure();
						}
						return;
					}
					case Frames.ERROR, Frames.ABORT -> {
						finish();
						throw (this.bodyTooLarge || this.bodyUnreadable != null) ? bodyFailure()
								: failure(ExchangeFailure.Kind.APP_ERROR,
										"WSGI app '" + this.app + "' raised an error before its response started");
					}
					default -> throw new IOException("unexpected frame '" + (char) type + "' before the response");
				}
			}
		}
		catch (IOException ex) {
			throw failedBeforeStart(ex);
		}
	}

	/**
	 * Whether the request never reached the worker: its REQUEST frame could not be written (the worker
	 * was gone), so the app did not see it and it may go to another worker.
	 */
	boolean wasNeverSent() {
		return this.sendFailure != null;
	}

	/** 413 for a body over the limit, 400 for one that could not be read. */
	private ExchangeFailure bodyFailure() {
		if (this.bodyTooLarge) {
			return failure(ExchangeFailure.Kind.BODY_TOO_LARGE, "The request body is larger than max-body-size ("
					+ this.maxBodySize + " bytes) of WSGI app '" + this.app + "'");
		}
		return failure(ExchangeFailure.Kind.BODY_UNREADABLE,
				"The request body could not be read: " + this.bodyUnreadable.getMessage());
	}

	/** How long the request waited for a free worker. */
	public long queueWaitNanos() {
		return this.queueWaitNanos;
	}

	void setQueueWaitNanos(long nanos) {
		this.queueWaitNanos = nanos;
	}

	/** The status line the app gave, e.g. {@code "200 OK"}. */
	public String status() {
		return this.status;
	}

	/** The app's headers, in order: name, value, name, value... */
	public List<String> headers() {
		return this.headers;
	}

	/** Reads body bytes as the app produces them; -1 at the end of the body. */
	public int read(byte[] target, int offset, int length) throws IOException {
		if (length == 0) {
			return 0;
		}
		if (!this.inData || this.channel.payloadRemaining() == 0) {
			if (!nextChunk()) {
				return -1;
			}
		}
		try {
			return this.channel.readPayload(target, offset, length);
		}
		catch (IOException ex) {
			throw failedMidResponse(ex);
		}
	}

	/**
	 * Writes the rest of the body to {@code target}, flushing after each chunk of the app unless the
	 * next frame is already here.
	 * @param flusher flushes what was written to {@code target} on to the client
	 * @param abandoned tells, after each chunk of the app, whether the client went away meanwhile
	 * @return the number of bytes written
	 * @throws ClientGoneException if writing to {@code target} failed or the client was abandoned (the
	 * exchange is closed then)
	 * @throws IOException if the app or its worker failed mid-response
	 */
	public long transferBodyTo(OutputStream target, Flushable flusher, BooleanSupplier abandoned)
			throws IOException {
		long written = 0;
		ClientOutput client = new ClientOutput(target, flusher);
		try {
			while ((this.inData && this.channel.payloadRemaining() > 0) || nextChunk()) {
				if (abandoned.getAsBoolean()) {
					throw new ClientGoneException(new IOException("the client went away"));
				}
				written += this.channel.payloadRemaining();
				this.channel.transferPayloadTo(client);
				this.inData = false;
				if (!this.channel.hasBuffered()) {
					client.flush();
				}
			}
			return written;
		}
		catch (ClientGoneException ex) {
			close();
			throw ex;
		}
		catch (AppFailedException | WorkerFailedException ex) {
			throw ex;
		}
		catch (IOException ex) {
			throw failedMidResponse(ex);
		}
	}

	/**
	 * Moves the rest of the body into {@code spool} as the worker sends it, and ends the spool with
	 * the outcome; the worker goes back to its pool as soon as the app is done, whoever reads the spool.
	 * @param waiting whether to wait for the worker; without, only what has arrived already is moved
	 * @return whether the response is complete (the spool is ended then)
	 */
	boolean drainTo(ResponseSpool spool, boolean waiting) {
		try {
			while (true) {
				if (this.state == State.COMPLETE) {
					spool.finish();
					return true;
				}
				if (this.inData && this.channel.payloadRemaining() > 0) {
					int length = (int) Math.min(BODY_CHUNK, this.channel.payloadRemaining());
					if (!waiting) {
						length = Math.min(length, this.channel.bufferedBytes());
						if (length == 0) {
							return false;
						}
					}
					byte[] chunk = new byte[length];
					readFully(chunk);
					this.bodyRead += length;
					spool.put(chunk);
					continue;
				}
				if (!waiting && !this.channel.hasBufferedFrameHeader()) {
					return false;
				}
				if (!waiting && this.channel.peekFrameType() == Frames.INPUT) {
					// Answering it may mean waiting for the client: left to the waiting drain.
					return false;
				}
				if (!nextChunk()) {
					spool.finish();
					if (this.state == State.COMPLETE) {
						return true;
					}
					// BODY_END: the client may have the whole body; END comes once the iterable is closed.
				}
			}
		}
		catch (ResponseSpool.ClientGoneIOException ex) {
			close();
			return true;
		}
		catch (IOException ex) {
			// The worker failed (it is discarded), the app did (it is done), or the spool could not take
			// the chunk (the app is told to stop): either way the worker is free again.
			close();
			spool.fail(ex);
			return true;
		}
	}

	private void readFully(byte[] chunk) throws IOException {
		int offset = 0;
		try {
			while (offset < chunk.length) {
				offset += this.channel.readPayload(chunk, offset, chunk.length - offset);
			}
		}
		catch (IOException ex) {
			throw failedMidResponse(ex);
		}
	}

	/**
	 * Ends the exchange. If the app is not done, the worker is told to stop (the app's iterable is
	 * closed) and what it still sends is discarded; the worker goes back to its pool.
	 */
	@Override
	public void close() {
		if (this.state == State.COMPLETE || this.state == State.FAILED) {
			return;
		}
		try {
			if (!this.bodyEnded) {
				cancel();
			}
			while (true) {
				byte type = this.channel.readFrame();
				switch (type) {
					case Frames.INPUT -> sendBody(this.channel.readPayloadInt());
					case Frames.END, Frames.ERROR, Frames.ABORT -> {
						finish();
						return;
					}
					default -> this.channel.skipPayload();
				}
			}
		}
		catch (IOException ex) {
			discard("its connection failed while " + this.description + " was being cancelled", ex);
		}
	}

	/** Moves to the next DATA frame; false at the end of the body. */
	private boolean nextChunk() throws IOException {
		if (this.state == State.COMPLETE) {
			return false;
		}

		try {
			while (true) {
				byte type = this.channel.readFrame();
				switch (type) {
					case Frames.DATA -> {
						if (this.bodyEnded) {
							// Written while the iterable was being closed: the body was declared complete.
							this.channel.skipPayload();
						}
						else if (this.channel.payloadRemaining() > 0) {
							this.inData = true;
							return true;
						}
					}
					case Frames.INPUT -> sendBody(this.channel.readPayloadInt());
					case Frames.BODY_END -> {
						this.bodyEnded = true;
						return false;
					}
					case Frames.END -> {
						finish();
						return false;
					}
					case Frames.ABORT, Frames.ERROR -> {
						finish();
						throw new AppFailedException(this.app);
					}
					default -> throw new IOException("unexpected frame '" + (char) type + "' in the response body");
				}
			}
		}
		catch (AppFailedException ex) {
			throw ex;
		}
		catch (IOException ex) {
			throw failedMidResponse(ex);
		}
	}

	private void sendBody(int wanted) throws IOException {
		int count = -1;
		if (!this.cancelled) {
			if (this.bodyBuffer == null) {
				this.bodyBuffer = new byte[BODY_CHUNK];
			}
			try {
				count = readAtLeast(this.requestBody.open(), Math.max(1, Math.min(wanted, this.bodyBuffer.length)));
			}
			catch (IOException ex) {
				// A malformed body, or a client gone: either way the app is stopped and, if the client
				// still listens, it gets 400.
				logger.debug("Reading the request body of {} failed: {}", this.description, ex.toString());
				this.bodyUnreadable = ex;
				cancel();
			}
		}
		if (count > 0 && this.maxBodySize >= 0 && (this.bodyBytes += count) > this.maxBodySize) {
			// A chunked body that grew past the limit: the app is told the client is gone, the client gets 413.
			logger.info("WSGI app '{}': the body of {} grew past max-body-size ({} bytes)", this.app,
					this.description, this.maxBodySize);
			this.bodyTooLarge = true;
			cancel();
			count = 0;
		}
		if (count > 0) {
			this.channel.write(Frames.BODY, this.bodyBuffer, 0, count);
		}
		else {
			this.channel.write(Frames.BODY, NO_BYTES);
		}
		this.channel.flush();
	}

	/**
	 * Reads the {@code needed} bytes the app waits for anyway (or up to the end of the body), then
	 * whatever else has already arrived, up to the buffer's size: few round trips to the worker for a
	 * fast upload, no waiting beyond what the app asked for on a slow one.
	 * @return the bytes read, or -1 at the end of the body
	 */
	private int readAtLeast(InputStream body, int needed) throws IOException {
		int count = 0;
		while (count < needed) {
			int read = body.read(this.bodyBuffer, count, this.bodyBuffer.length - count);
			if (read < 0) {
				return (count > 0) ? count : -1;
			}
			count += read;
		}
		while (count < this.bodyBuffer.length && body.available() > 0) {
			int read = body.read(this.bodyBuffer, count, this.bodyBuffer.length - count);
			if (read <= 0) {
				break;
			}
			count += read;
		}
		return count;
	}

	private void cancel() throws IOException {
		if (!this.cancelled) {
			this.cancelled = true;
			this.channel.write(Frames.CANCEL, NO_BYTES);
			this.channel.flush();
		}
	}

	private void parseStart(byte[] block) {
		String[] fields = new String(block, StandardCharsets.ISO_8859_1).split("\0", -1);
		this.status = fields[0];
		for (int i = 1; i + 1 < fields.length; i += 2) {
			this.headers.add(fields[i]);
			this.headers.add(fields[i + 1]);
			if (fields[i].equalsIgnoreCase("Content-Length")) {
				this.declaredLength = parseLength(fields[i + 1]);
			}
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

	/**
	 * Whether the whole body its Content-Length declared has been read; only the end of the exchange
	 * (the app's iterable being closed) may still be to come.
	 */
	boolean isDeclaredBodyRead() {
		return this.declaredLength >= 0 && this.bodyRead >= this.declaredLength
				&& !(this.inData && this.channel.payloadRemaining() > 0);
	}

	/** The app is done: the worker goes back to its pool, unless it timed out just now. */
	private void finish() {
		this.state = State.COMPLETE;
		this.inData = false;
		if (this.connection.endRequest(this.deadline)) {
			this.pool.release(this.connection);
		}
	}

	private ExchangeFailure failedBeforeStart(IOException cause) {
		if (lostWorker(cause)) {
			return failure(ExchangeFailure.Kind.TIMED_OUT,
					"WSGI app '" + this.app + "' did not answer within its request-timeout");
		}
		return failure(ExchangeFailure.Kind.WORKER_LOST,
				"A worker of WSGI app '" + this.app + "' failed while handling the request: " + cause.getMessage());
	}

	private static ExchangeFailure failure(ExchangeFailure.Kind kind, String message) {
		return new ExchangeFailure(kind, message, -1);
	}

	private IOException failedMidResponse(IOException cause) {
		boolean timedOut = lostWorker(cause);
		return new WorkerFailedException(this.app, timedOut, cause);
	}

	/** Discards the worker after a connection failure; true if the failure was the request timeout. */
	private boolean lostWorker(IOException cause) {
		if (this.connection.timedOut()) {
			// The pool ended it at its deadline: nothing left to cancel.
			this.state = State.FAILED;
			Worker worker = this.connection.worker();
			logger.warn("WSGI app '{}': {} ran past its request-timeout; worker {} was {}", this.app,
					this.description, worker.pid(), (worker.threads() == 1) ? "killed"
							: "closed to new requests, and is killed once its other requests are over");
			return true;
		}
		discard("its connection failed during " + this.description, cause);
		return false;
	}

	private void discard(String reason, IOException cause) {
		this.state = State.FAILED;
		if (this.connection.timedOut()) {
			// The pool closed the connection at the deadline and has dealt with the worker (a worker with
			// other threads serving is spared until they are done): nothing more to do here.
			return;
		}
		this.connection.endRequest(this.deadline);
		logger.warn("WSGI app '{}': worker {} failed during {}: {}", this.app, this.connection.worker().pid(),
				this.description, cause.toString());
		this.pool.discard(this.connection, reason + " (" + cause.getMessage() + ")");
	}

	/** The app raised after its response had started. */
	public static final class AppFailedException extends IOException {

		AppFailedException(String app) {
			super("WSGI app '" + app + "' raised an error after its response had started");
		}

	}

	/** The worker died or broke the protocol, or was killed for running too long, mid-response. */
	public static final class WorkerFailedException extends IOException {

		private final boolean timedOut;

		WorkerFailedException(String app, boolean timedOut, IOException cause) {
			super(timedOut ? "WSGI app '" + app + "' ran past its request-timeout mid-response"
					: "A worker of WSGI app '" + app + "' failed mid-response: " + cause.getMessage(), cause);
			this.timedOut = timedOut;
		}

		public boolean isTimedOut() {
			return this.timedOut;
		}

	}

	/** Writing to the client failed: the client went away. */
	public static final class ClientGoneException extends IOException {

		ClientGoneException(IOException cause) {
			super(cause.getMessage(), cause);
		}

	}

	/** Tells client failures apart from worker failures while a frame is copied to the client. */
	private static final class ClientOutput extends OutputStream {

		private final OutputStream target;

		private final Flushable flusher;

		ClientOutput(OutputStream target, Flushable flusher) {
			this.target = target;
			this.flusher = flusher;
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
				this.flusher.flush();
			}
			catch (IOException ex) {
				throw new ClientGoneException(ex);
			}
		}

	}

}
