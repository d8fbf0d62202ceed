"""Binary framing between the JVM and a worker, over one persistent Unix domain socket.

A frame is a 5-byte header, one type byte and a big-endian unsigned 32-bit payload length,
followed by the payload. The JVM speaks first (HELLO), then sends one REQUEST at a time. The worker
answers each REQUEST with START and DATA frames and exactly one terminal frame (END, ERROR or
ABORT); a body without Content-Length is declared complete by BODY_END before the app's iterable is
closed, so that the client has it whole while close() runs. The worker pulls the request body with INPUT frames, each answered by one BODY frame
(empty at the end of the body). The JVM sends CANCEL, unasked, when the client has gone away.

Environ and header blocks are latin-1 text: names and values separated by NUL characters, which
HTTP forbids in both (the JVM refuses a request that would carry one).
"""

import mmap
import select
import socket
import struct

HEADER = struct.Struct(">BI")
SIZE = struct.Struct(">I")

# JVM -> worker
HELLO = ord("H")  # payload: the run's secret
REQUEST = ord("R")  # payload: flags byte, then the environ block
BODY = ord("B")  # payload: request body bytes; empty means end of body
CANCEL = ord("C")  # the client went away: stop producing the response

# worker -> JVM
READY = ord("A")  # payload: "pid=<pid> python=<version>" once the app is imported
BOOT_ERROR = ord("F")  # payload: UTF-8 traceback; the worker exits after it
INPUT = ord("I")  # payload: how many body bytes the app needs at least (the JVM may send up to 64 KiB)
START = ord("S")  # payload: header block, "<status>\0<name>\0<value>..."
DATA = ord("D")  # payload: response body bytes
BODY_END = ord("T")  # the body is complete, the iterable is being closed: END follows (no Content-Length)
END = ord("E")  # the response is complete and the iterable closed
ERROR = ord("X")  # the app failed before the response started: the JVM answers 500
ABORT = ord("Z")  # the app failed after the response started: the JVM cuts the connection

# JVM <-> fork server (preload), after READY
SPAWN = ord("P")  # JVM -> parent; payload: the socket path of the worker to fork
SPAWNED = ord("N")  # parent -> JVM; payload: the child's pid, ASCII (-1: it could not fork)
EXITED = ord("Q")  # parent -> JVM; payload: "<pid> <exit code>", 128 + signal for a death by signal

# Environ key under which the values that are not strings arrive, as JSON (arrays become tuples).
TYPED_VALUES_KEY = "twod.typed"

# Flags of a REQUEST frame.
FLAG_HAS_BODY = 0x01

# Exit codes, shared with the JVM's WorkerExitCode.
EXIT_OK = 0
EXIT_BOOT_ERROR = 3
EXIT_APP_LOAD_ERROR = 4
EXIT_PARENT_GONE = 5
EXIT_PROTOCOL_ERROR = 6

_RECV_SIZE = 256 * 1024
_SMALL_FRAME = 16 * 1024
_MAX_BUFFERS = 512  # below IOV_MAX (1024 on Linux)


class ConnectionClosed(Exception):
    """The JVM closed the connection."""


class ProtocolError(Exception):
    """The JVM sent a frame that makes no sense at this point."""


class Channel:
    """Reads and writes frames on the worker's connection to the JVM."""

    def __init__(self, sock):
        self._sock = sock
        # One receive area for the connection's life: a fresh 256 KiB buffer per recv() would cost
        # an mmap, page faults and a munmap on every request. Unread bytes are _buffer[_start:_end].
        # Anonymous memory rather than a bytearray (which is zeroed, so resident, at once): a page
        # costs memory only once a frame reaches it, and a worker has a connection per thread.
        # Private: a process the app forks must get a copy, not share the live buffer.
        self._buffer = mmap.mmap(-1, _RECV_SIZE, flags=mmap.MAP_PRIVATE)
        self._view = memoryview(self._buffer)
        self._start = 0
        self._end = 0
        self._poller = select.poll()
        self._poller.register(sock, select.POLLIN)
        self._corked = None

    def fileno(self):
        return self._sock.fileno()

    def close(self):
        self._sock.close()

    def stop_reading(self):
        """Ends a blocking read_frame() in another thread (it sees the connection closed)."""
        try:
            self._sock.shutdown(socket.SHUT_RD)
        except OSError:
            pass

    def read_frame(self):
        """The next frame's type and payload (bytes; a bytearray for payloads over 256 KiB)."""
        self._fill(HEADER.size)
        kind, length = HEADER.unpack_from(self._buffer, self._start)
        self._start += HEADER.size
        if not length:
            return kind, b""
        if length > len(self._buffer):
            return kind, self._read_large(length)
        self._fill(length)
        start = self._start
        self._start += length
        return kind, bytes(self._view[start:start + length])

    def has_pending(self):
        """Whether the JVM sent something unasked (a CANCEL), without blocking."""
        # A frame, or the connection closed: the next read tells which.
        return self._end > self._start or bool(self._poller.poll(0))

    def has_buffered(self):
        return self._end > self._start

    def cork(self):
        """Holds the frames sent from now on until uncork(), which writes them all at once (frames
        held already stay held)."""
        if self._corked is None:
            self._corked = []

    @property
    def corked(self):
        return self._corked is not None

    def discard_corked(self):
        """Drops the frames held since cork(); True if there were any, none of which reached the JVM."""
        if not self._corked:
            return False
        self._corked = []
        return True

    def uncork(self):
        frames, self._corked = self._corked, None
        if frames:
            self._write_all(frames)

    def send(self, kind, payload=b""):
        header = HEADER.pack(kind, len(payload))
        if self._corked is not None:
            self._corked.append(header)
            if payload:
                self._corked.append(payload)
        elif len(payload) <= _SMALL_FRAME:
            self._sock.sendall(header + payload)
        else:  # two writes rather than copying a large payload
            self._sock.sendall(header)
            self._sock.sendall(payload)

    def send_now(self, kind, payload=b""):
        """Sends a frame at once, even while others are held by cork()."""
        self._sock.sendall(HEADER.pack(kind, len(payload)) + payload)

    def send_two(self, kind1, payload1, kind2, payload2):
        """Sends two frames with one write when they are small (START with the first DATA)."""
        if self._corked is not None:
            self.send(kind1, payload1)
            self.send(kind2, payload2)
        elif len(payload1) + len(payload2) <= _SMALL_FRAME:
            self._sock.sendall(
                HEADER.pack(kind1, len(payload1)) + payload1 + HEADER.pack(kind2, len(payload2)) + payload2
            )
        else:
            self.send(kind1, payload1)
            self.send(kind2, payload2)

    def _write_all(self, buffers):
        if sum(len(buffer) for buffer in buffers) <= _SMALL_FRAME:
            self._sock.sendall(b"".join(buffers))
            return
        views = [memoryview(buffer) for buffer in buffers]
        while views:
            sent = self._sock.sendmsg(views[:_MAX_BUFFERS])
            while sent:
                if sent >= len(views[0]):
                    sent -= len(views.pop(0))
                else:
                    views[0] = views[0][sent:]
                    sent = 0

    def _fill(self, needed):
        """Receives until `needed` unread bytes are buffered (at most the buffer's size)."""
        if self._end - self._start >= needed:
            return
        if self._start == self._end:
            self._start = self._end = 0
        elif self._start + needed > len(self._buffer):
            # Not enough room after the unread bytes: move them to the front.
            unread = self._end - self._start
            self._view[:unread] = self._view[self._start:self._end]
            self._start, self._end = 0, unread
        while self._end - self._start < needed:
            received = self._sock.recv_into(self._view[self._end:])
            if not received:
                raise ConnectionClosed()
            self._end += received

    def _read_large(self, length):
        """A payload larger than the receive buffer, received straight into its own bytearray."""
        payload = bytearray(length)
        target = memoryview(payload)
        got = self._end - self._start
        target[:got] = self._view[self._start:self._end]
        self._start = self._end = 0
        while got < length:
            received = self._sock.recv_into(target[got:])
            if not received:
                raise ConnectionClosed()
            got += received
        return payload
