package io.github.twodwsgi.gateway;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A request body read whole from the client, as nginx's {@code proxy_request_buffering} does: the
 * first {@code memoryThreshold} bytes in memory, the rest in a temporary file in the run's private
 * directory, never more than the app's {@code max-body-size}. Read it as often as needed with
 * {@link #open()}; {@link #close()} deletes the file.
 */
public final class BufferedBody implements Closeable {

	private static final int CHUNK = 16 * 1024;

	private static final int FILE_CHUNK = 64 * 1024;

	private static final BufferedBody EMPTY = new BufferedBody(List.of(), 0, null, 0);

	private final List<byte[]> memory;

	private final int memoryBytes;

	private final Path file;

	private final long length;

	private BufferedBody(List<byte[]> memory, int memoryBytes, Path file, long length) {
		this.memory = memory;
		this.memoryBytes = memoryBytes;
		this.file = file;
		this.length = length;
	}

	/** A body with no bytes. */
	public static BufferedBody empty() {
		return EMPTY;
	}

	/**
	 * Reads {@code body} to its end.
	 * @param maxBodySize most bytes accepted, -1 for no limit
	 * @param memoryThreshold bytes kept in memory before the rest goes to a file
	 * @param directory where that file is created
	 * @throws BodyTooLargeException as soon as the body grows past {@code maxBodySize} (what was read
	 * so far is dropped)
	 * @throws IOException if the client's body cannot be read (a timeout, a malformed chunk, the client
	 * gone) or the file cannot be written
	 */
	public static BufferedBody read(InputStream body, long maxBodySize, int memoryThreshold, Path directory)
			throws IOException {
		List<byte[]> memory = new ArrayList<>();
		int memoryBytes = 0;
		long length = 0;
		Path file = null;
		FileChannel out = null;
		byte[] chunk = new byte[Math.min(CHUNK, Math.max(memoryThreshold, 1))];
		try {
			while (true) {
				int count = body.readNBytes(chunk, 0, chunk.length);
				if (count == 0) {
					break;
				}
				length += count;
				if (maxBodySize >= 0 && length > maxBodySize) {
					throw new BodyTooLargeException(maxBodySize);
				}
				if (out == null && memoryBytes + count <= memoryThreshold) {
					memory.add((count == chunk.length) ? chunk.clone() : Arrays.copyOf(chunk, count));
					memoryBytes += count;
					continue;
				}
				if (out == null) {
					file = Files.createTempFile(directory, "body-", ".tmp");
					out = FileChannel.open(file, StandardOpenOption.WRITE);
				}
				ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, count);
				while (buffer.hasRemaining()) {
					out.write(buffer);
				}
				if (chunk.length < FILE_CHUNK) {
					chunk = new byte[FILE_CHUNK];
				}
			}
			if (out != null) {
				out.close();
			}
			return (length == 0) ? EMPTY : new BufferedBody(memory, memoryBytes, file, length);
		}
		catch (IOException | RuntimeException ex) {
			closeQuietly(out);
			deleteQuietly(file);
			throw ex;
		}
	}

	/** The body's size in bytes. */
	public long length() {
		return this.length;
	}

	/** Whether part of the body went to a temporary file. */
	public boolean isOnDisk() {
		return this.file != null;
	}

	/** A new stream over the whole body. */
	public InputStream open() {
		return new BodyStream();
	}

	/** Deletes the temporary file, if any. */
	@Override
	public void close() {
		deleteQuietly(this.file);
	}

	private static void closeQuietly(Closeable closeable) {
		if (closeable != null) {
			try {
				closeable.close();
			}
			catch (IOException ex) {
				// nothing to do: the file is deleted next
			}
		}
	}

	private static void deleteQuietly(Path file) {
		if (file != null) {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("The buffered request body " + file + " could not be deleted", ex);
			}
		}
	}

	/** Reads the memory part, then the file. */
	private final class BodyStream extends InputStream {

		private int chunkIndex;

		private int chunkOffset;

		private FileChannel fileIn;

		private long remaining = BufferedBody.this.length;

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xFF);
		}

		@Override
		public int read(byte[] target, int offset, int length) throws IOException {
			if (length == 0) {
				return 0;
			}
			if (this.remaining == 0) {
				return -1;
			}
			List<byte[]> memory = BufferedBody.this.memory;
			if (this.chunkIndex < memory.size()) {
				byte[] chunk = memory.get(this.chunkIndex);
				int count = Math.min(length, chunk.length - this.chunkOffset);
				System.arraycopy(chunk, this.chunkOffset, target, offset, count);
				this.chunkOffset += count;
				if (this.chunkOffset == chunk.length) {
					this.chunkIndex++;
					this.chunkOffset = 0;
				}
				this.remaining -= count;
				return count;
			}
			if (this.fileIn == null) {
				this.fileIn = FileChannel.open(BufferedBody.this.file, StandardOpenOption.READ);
			}
			int count = this.fileIn.read(ByteBuffer.wrap(target, offset, (int) Math.min(length, this.remaining)));
			if (count < 0) {
				throw new IOException("The buffered request body " + BufferedBody.this.file + " is shorter than "
						+ BufferedBody.this.length + " bytes");
			}
			this.remaining -= count;
			return count;
		}

		@Override
		public int available() {
			return (int) Math.min(Integer.MAX_VALUE, this.remaining);
		}

		@Override
		public void close() throws IOException {
			if (this.fileIn != null) {
				this.fileIn.close();
			}
		}

	}

	/** The body grew past the app's {@code max-body-size}. */
	public static final class BodyTooLargeException extends IOException {

		private final long maxBodySize;

		BodyTooLargeException(long maxBodySize) {
			super("The request body is larger than max-body-size (" + maxBodySize + " bytes)");
			this.maxBodySize = maxBodySize;
		}

		public long maxBodySize() {
			return this.maxBodySize;
		}

	}

}
