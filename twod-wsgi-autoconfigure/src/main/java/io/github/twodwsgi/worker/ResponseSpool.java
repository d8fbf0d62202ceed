package io.github.twodwsgi.worker;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded buffer between a worker and a slow client, as nginx's {@code proxy_buffering} has it:
 * one thread puts the app's chunks in as fast as the worker produces them, another takes them out as
 * fast as the client reads. The first {@code memoryLimit} bytes wait in memory, more in a temporary
 * file, up to {@code fileLimit}; past both, {@link #put} waits for the client (the worker is held then,
 * as nginx holds its upstream when its temporary file is full). Chunks leave in the order they came.
 */
final class ResponseSpool implements Closeable {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final int memoryLimit;

	private final long fileLimit;

	private final Path directory;

	private final ArrayDeque<byte[]> memory = new ArrayDeque<>();

	private int memoryBytes;

	private Path file;

	private FileChannel fileChannel;

	private long fileWritten;

	private long fileRead;

	/** Whether new chunks go to the file: from the first that did not fit in memory until the file is read out. */
	private boolean spilling;

	private boolean finished;

	private IOException failure;

	private boolean abandoned;

	/**
	 * @param memoryLimit bytes held in memory
	 * @param fileLimit bytes held in the temporary file, beyond those in memory
	 * @param directory where the temporary file is created (the run's private directory)
	 */
	ResponseSpool(int memoryLimit, long fileLimit, Path directory) {
		this.memoryLimit = memoryLimit;
		this.fileLimit = fileLimit;
		this.directory = directory;
	}

	/**
	 * Adds a chunk (the spool keeps {@code chunk}: the caller must not change it), waiting while the
	 * spool is full.
	 * @throws ClientGoneIOException if the client went away meanwhile: nobody will take the chunk
	 */
	void put(byte[] chunk) throws IOException {
		this.lock.lock();
		try {
			while (!this.abandoned && isFull(chunk.length)) {
				awaitChange();
			}
			if (this.abandoned) {
				throw new ClientGoneIOException();
			}
			if (!this.spilling && this.memoryBytes + chunk.length <= this.memoryLimit) {
				this.memory.add(chunk);
				this.memoryBytes += chunk.length;
			}
			else {
				this.spilling = true;
				writeToFile(chunk);
			}
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** No more chunks will come: the app's response is complete. */
	void finish() {
		end(null);
	}

	/** No more chunks will come: the response failed after them. */
	void fail(IOException failure) {
		end(failure);
	}

	private void end(IOException failure) {
		this.lock.lock();
		try {
			this.finished = true;
			this.failure = failure;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The client went away: a waiting {@link #put} gives up. */
	void abandon() {
		this.lock.lock();
		try {
			this.abandoned = true;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Whether a chunk is waiting to be taken, without waiting for one. */
	boolean hasWaiting() {
		this.lock.lock();
		try {
			return this.memoryBytes > 0 || this.fileRead < this.fileWritten;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The next bytes for the client, waiting for them if need be; {@code null} once the response is
	 * complete.
	 * @throws IOException the failure the response ended with, once every chunk before it was taken
	 */
	byte[] take() throws IOException {
		this.lock.lock();
		try {
			while (this.memoryBytes == 0 && this.fileRead == this.fileWritten && !this.finished) {
				awaitChange();
			}
			byte[] chunk;
			if (this.memoryBytes > 0) {
				chunk = this.memory.poll();
				this.memoryBytes -= chunk.length;
			}
			else if (this.fileRead < this.fileWritten) {
				chunk = readFromFile();
			}
			else if (this.failure != null) {
				throw this.failure;
			}
			else {
				return null;
			}
			this.changed.signalAll();
			return chunk;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Deletes the temporary file. */
	@Override
	public void close() {
		this.lock.lock();
		try {
			if (this.fileChannel != null) {
				try {
					this.fileChannel.close();
				}
				catch (IOException ex) {
					// deleted next
				}
				this.fileChannel = null;
			}
			if (this.file != null) {
				try {
					Files.deleteIfExists(this.file);
				}
				catch (IOException ex) {
					// the run directory goes at shutdown
				}
				this.file = null;
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private boolean isFull(int length) {
		boolean memoryFull = this.spilling || this.memoryBytes + length > this.memoryLimit;
		long inFile = this.fileWritten - this.fileRead;
		// An empty spool takes any chunk, so a chunk larger than both limits cannot wait forever.
		boolean empty = this.memoryBytes == 0 && inFile == 0;
		return memoryFull && inFile + length > this.fileLimit && !empty;
	}

	private void writeToFile(byte[] chunk) throws IOException {
		if (this.fileChannel == null) {
			this.file = Files.createTempFile(this.directory, "response-", ".tmp");
			this.fileChannel = FileChannel.open(this.file, StandardOpenOption.READ, StandardOpenOption.WRITE);
		}
		ByteBuffer buffer = ByteBuffer.wrap(chunk);
		while (buffer.hasRemaining()) {
			this.fileWritten += this.fileChannel.write(buffer, this.fileWritten);
		}
	}

	private byte[] readFromFile() throws IOException {
		int length = (int) Math.min(64 * 1024, this.fileWritten - this.fileRead);
		byte[] chunk = new byte[length];
		ByteBuffer buffer = ByteBuffer.wrap(chunk);
		while (buffer.hasRemaining()) {
			int read = this.fileChannel.read(buffer, this.fileRead + buffer.position());
			if (read < 0) {
				throw new IOException("The buffered response " + this.file + " ended early");
			}
		}
		this.fileRead += length;
		if (this.fileRead == this.fileWritten) {
			// Read out: start over at the beginning of the file, and take chunks in memory again.
			this.fileRead = 0;
			this.fileWritten = 0;
			this.fileChannel.truncate(0);
			this.spilling = false;
		}
		return (length == chunk.length) ? chunk : Arrays.copyOf(chunk, length);
	}

	private void awaitChange() throws InterruptedIOException {
		try {
			this.changed.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("Interrupted while waiting on a buffered response");
		}
	}

	/** The client went away while a chunk waited for room. */
	static final class ClientGoneIOException extends IOException {

		ClientGoneIOException() {
			super("the client went away");
		}

	}

}
