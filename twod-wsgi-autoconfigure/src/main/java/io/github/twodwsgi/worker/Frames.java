package io.github.twodwsgi.worker;

/**
 * Frame types and flags of the JVM-worker protocol; the Python side is {@code twod_wsgi/protocol.py}.
 * A frame is one type byte, a big-endian unsigned 32-bit payload length, then the payload.
 */
public final class Frames {

	/** JVM to worker: the run's secret, first frame on a connection. */
	public static final byte HELLO = 'H';

	/** JVM to worker: a flags byte, then the environ block. */
	public static final byte REQUEST = 'R';

	/** JVM to worker: request body bytes answering an INPUT; empty at the end of the body. */
	public static final byte BODY = 'B';

	/** JVM to worker: the client went away, stop producing the response. */
	public static final byte CANCEL = 'C';

	/** Worker to JVM: the app is imported; payload {@code pid=<pid> python=<version>}. */
	public static final byte READY = 'A';

	/** Worker to JVM: the app failed to import; payload is the Python traceback. */
	public static final byte BOOT_ERROR = 'F';

	/**
	 * Worker to JVM: the app needs body bytes; payload is how many at least (4 bytes). The JVM waits
	 * for that many (or the end of the body) and adds what else has arrived, up to 64 KiB.
	 */
	public static final byte INPUT = 'I';

	/** Worker to JVM: status and headers, {@code <status>\0<name>\0<value>...} in latin-1. */
	public static final byte START = 'S';

	/** Worker to JVM: response body bytes. */
	public static final byte DATA = 'D';

	/**
	 * Worker to JVM: a body without Content-Length is complete; the app's iterable is being closed and
	 * END follows. The client may have the whole response meanwhile.
	 */
	public static final byte BODY_END = 'T';

	/** Worker to JVM: the response is complete and the app's iterable closed. */
	public static final byte END = 'E';

	/** Worker to JVM: the app failed before the response started. */
	public static final byte ERROR = 'X';

	/** Worker to JVM: the app failed after the response started. */
	public static final byte ABORT = 'Z';

	/** JVM to fork server (preload): fork a worker; payload {@code <role>\0<socket path>}. */
	public static final byte SPAWN = 'P';

	/** Fork server to JVM: the worker is forked; payload is its pid, ASCII ({@code -1}: it could not be). */
	public static final byte SPAWNED = 'N';

	/** Fork server to JVM: a worker exited; payload {@code <pid> <exit code>}, 128 + signal for a signal. */
	public static final byte EXITED = 'Q';

	/** REQUEST flag: the request has a body to pull. */
	public static final int FLAG_HAS_BODY = 0x01;

	private Frames() {
	}

}
