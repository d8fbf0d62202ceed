package io.github.twodwsgi.worker;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The JVM's end of a worker connection: reads and writes {@link Frames frames} on a blocking Unix
 * domain socket, through one read buffer and one write buffer. Not thread-safe: one request at a
 * time uses it.
 */
public final class FrameChannel implements Closeable {

	private static final int BUFFER_SIZE = 64 * 1024;

	private final SocketChannel socket;

	private final ByteBuffer in = ByteBuffer.allocate(BUFFER_SIZE).flip();

	private final ByteBuffer out = ByteBuffer.allocate(BUFFER_SIZE);

	private long payloadRemaining;

	private FrameChannel(SocketChannel socket) {
		this.socket = socket;
	}

	/** Connects to a worker's socket; fails at once if nothing listens there yet. */
	public static FrameChannel connect(Path socketPath) throws IOException {
		SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
		try {
			socket.connect(UnixDomainSocketAddress.of(socketPath));
			return new FrameChannel(socket);
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	/** Reads the next frame's header and returns its type; its payload is read next. */
	public byte readFrame() throws IOException {
		if (this.payloadRemaining > 0) {
			skipPayload();
		}
		fill(5);
		byte type = this.in.get();
		this.payloadRemaining = Integer.toUnsignedLong(this.in.getInt());
		return type;
	}

	/** Bytes of the current frame's payload not yet read. */
	public long payloadRemaining() {
		return this.payloadRemaining;
	}

	/** Reads the whole payload of the current frame (for small control frames). */
	public byte[] readPayload() throws IOException {
		if (this.payloadRemaining > Integer.MAX_VALUE - 8) {
			throw new IOException("frame payload of " + this.payloadRemaining + " bytes is too large");
		}
		byte[] payload = new byte[(int) this.payloadRemaining];
		int offset = 0;
		while (offset < payload.length) {
			offset += readPayload(payload, offset, payload.length - offset);
		}
		return payload;
	}

	/** Reads the current payload's 4-byte unsigned integer. */
	public int readPayloadInt() throws IOException {
		if (this.payloadRemaining != 4) {
			throw new IOException("expected a 4-byte payload, got " + this.payloadRemaining + " bytes");
		}
		fill(4);
		this.payloadRemaining = 0;
		return this.in.getInt();
	}

	/** Reads up to {@code length} bytes of the current payload, at least one. */
	public int readPayload(byte[] target, int offset, int length) throws IOException {
		if (this.payloadRemaining == 0) {
			return -1;
		}
		if (!this.in.hasRemaining()) {
			fill(1);
		}
		int count = (int) Math.min(Math.min(length, this.in.remaining()), this.payloadRemaining);
		this.in.get(target, offset, count);
		this.payloadRemaining -= count;
		return count;
	}

	/** Copies the rest of the current payload to {@code target}, buffer by buffer. */
	public void transferPayloadTo(OutputStream target) throws IOException {
		while (this.payloadRemaining > 0) {
			if (!this.in.hasRemaining()) {
				fill(1);
			}
			int count = (int) Math.min(this.in.remaining(), this.payloadRemaining);
			target.write(this.in.array(), this.in.arrayOffset() + this.in.position(), count);
			this.in.position(this.in.position() + count);
			this.payloadRemaining -= count;
		}
	}

	/** Discards the rest of the current payload. */
	public void skipPayload() throws IOException {
		while (this.payloadRemaining > 0) {
			if (!this.in.hasRemaining()) {
				fill(1);
			}
			int count = (int) Math.min(this.in.remaining(), this.payloadRemaining);
			this.in.position(this.in.position() + count);
			this.payloadRemaining -= count;
		}
	}

	/** Bytes that have arrived and are not read yet. */
	public int bufferedBytes() {
		return this.in.remaining();
	}

	/** Whether the next frame's header has arrived whole (no payload of the current frame is left). */
	public boolean hasBufferedFrameHeader() {
		return this.payloadRemaining == 0 && this.in.remaining() >= 5;
	}

	/** The type of the next frame, whose header has arrived ({@link #hasBufferedFrameHeader()}), without reading it. */
	public byte peekFrameType() {
		return this.in.get(this.in.position());
	}

	/** Whether bytes of a next frame have already arrived (so flushing can wait for it). */
	public boolean hasBuffered() {
		return this.in.hasRemaining();
	}

	/** Queues a frame; {@link #flush()} sends what is queued. */
	public void write(byte type, byte[] payload, int offset, int length) throws IOException {
		writeHeader(type, length);
		while (length > 0) {
			if (!this.out.hasRemaining()) {
				flush();
			}
			int count = Math.min(length, this.out.remaining());
			this.out.put(payload, offset, count);
			offset += count;
			length -= count;
		}
	}

	public void write(byte type, byte[] payload) throws IOException {
		write(type, payload, 0, payload.length);
	}

	private void writeHeader(byte type, int length) throws IOException {
		if (this.out.remaining() < 9) {
			flush();
		}
		this.out.put(type).putInt(length);
	}

	public void flush() throws IOException {
		this.out.flip();
		while (this.out.hasRemaining()) {
			this.socket.write(this.out);
		}
		this.out.clear();
	}

	private void fill(int needed) throws IOException {
		if (this.in.remaining() >= needed) {
			return;
		}
		this.in.compact();
		try {
			while (this.in.position() < needed) {
				if (this.socket.read(this.in) < 0) {
					throw new EOFException("the worker closed the connection");
				}
			}
		}
		finally {
			this.in.flip();
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
