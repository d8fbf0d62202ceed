package io.github.twodwsgi.worker;

import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Response buffering, as nginx's {@code proxy_buffering}: the worker's response is drained into a
 * {@link ResponseSpool} as fast as the app produces it, so that the worker is free as soon as the app
 * is done, however slowly the client reads; every chunk still leaves for the client as soon as the
 * client can take it.
 * <p>
 * A response that has arrived whole by the time its headers are read (small responses, which a worker
 * sends in one write) is moved on the request's own thread; only a response still coming gets a
 * drain thread of its own, so buffering costs small responses no thread hand-off.
 *
 * @param memoryLimit bytes of a response held in memory
 * @param fileLimit bytes held in a temporary file beyond those; past both, the worker waits for the client
 * @param directory where temporary files are created
 */
public record ResponseBuffering(int memoryLimit, long fileLimit, Path directory) {

	/** Threads that drain workers whose responses are still coming; idle ones end after a minute. */
	private static final ExecutorService DRAINERS = Executors.newCachedThreadPool(new CustomizableThreadFactory(
			"twod-wsgi-drain-") {
		{
			setDaemon(true);
		}
	});

	/**
	 * Whether a response needs the spool: not when its declared length fits in the container's own
	 * output buffer, for then nothing a slow client does can hold up the worker (the body goes into
	 * that buffer and, flushed, into the socket's), and the copy into a spool would be for nothing.
	 * @param declaredLength the response's Content-Length, or -1
	 * @param containerBuffer the servlet response's buffer size
	 */
	public boolean isNeeded(long declaredLength, int containerBuffer) {
		return declaredLength < 0 || declaredLength > containerBuffer;
	}

	/**
	 * Sends the rest of the exchange's body to {@code target} through a spool. The exchange is this
	 * method's from now on: it ends it (or a drain thread does), the caller must not touch it again.
	 * @return the number of body bytes sent
	 * @throws WorkerExchange.ClientGoneException if the client went away (the app is told to stop)
	 * @throws IOException the failure of the app or its worker, once every byte before it was sent
	 */
	public long transfer(WorkerExchange exchange, OutputStream target, Flushable flusher) throws IOException {
		ResponseSpool spool = new ResponseSpool(this.memoryLimit, this.fileLimit, this.directory);
		// The spool's temporary file goes when both sides are done with it.
		AtomicInteger users = new AtomicInteger(1);
		boolean sent = false;
		try {
			long early = 0;
			if (!exchange.drainTo(spool, false)) {
				if (exchange.isDeclaredBodyRead()) {
					early = sendBeforeTheEnd(exchange, spool, target, flusher);
				}
				else {
					users.incrementAndGet();
					DRAINERS.execute(() -> {
						try {
							exchange.drainTo(spool, true);
						}
						finally {
							release(spool, users);
						}
					});
				}
			}
			long bytes = early + send(spool, target, flusher);
			sent = true;
			return bytes;
		}
		finally {
			if (!sent) {
				// The client went away (or this thread was interrupted): the drain must not wait for it.
				spool.abandon();
			}
			release(spool, users);
		}
	}

	/**
	 * The whole body is here and the worker is closing the app's iterable (Django's request_finished
	 * receivers run then): the client gets the body now, and this thread waits for the end itself,
	 * without a drain thread.
	 */
	private static long sendBeforeTheEnd(WorkerExchange exchange, ResponseSpool spool, OutputStream target,
			Flushable flusher) throws IOException {
		long sent = 0;
		try {
			while (spool.hasWaiting()) {
				byte[] chunk = spool.take();
				target.write(chunk);
				sent += chunk.length;
			}
			flusher.flush();
		}
		catch (IOException ex) {
			exchange.close();
			throw new WorkerExchange.ClientGoneException(ex);
		}
		exchange.drainTo(spool, true);
		return sent;
	}

	private static long send(ResponseSpool spool, OutputStream target, Flushable flusher) throws IOException {
		long sent = 0;
		byte[] chunk;
		while ((chunk = spool.take()) != null) {
			try {
				target.write(chunk);
				if (!spool.hasWaiting()) {
					flusher.flush();
				}
			}
			catch (IOException ex) {
				throw new WorkerExchange.ClientGoneException(ex);
			}
			sent += chunk.length;
		}
		return sent;
	}

	private static void release(ResponseSpool spool, AtomicInteger users) {
		if (users.decrementAndGet() == 0) {
			spool.close();
		}
	}

}
