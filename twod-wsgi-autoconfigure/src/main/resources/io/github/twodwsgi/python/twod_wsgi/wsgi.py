"""PEP 3333 for one request: the environ, wsgi.input, wsgi.errors, start_response and the response loop."""

import json
import logging
import re
import threading

from . import protocol

log = logging.getLogger("twod_wsgi")

_INPUT_CHUNK = 64 * 1024

# RFC 9110 token characters: what a header name may be made of.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
# Control characters (RFC 9110 allows HTAB only): CR and LF would split the header, the others Tomcat
# would quietly turn into spaces.
_BAD_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_CONTROL_BEYOND_NUL = re.compile(r"[\x01-\x08\x0a-\x1f\x7f]")
# A final status: a WSGI app cannot send an interim (1xx) response.
_STATUS = re.compile(r"[2-9][0-9][0-9] [^\x00-\x08\x0a-\x1f\x7f]*\Z")
_HOP_BY_HOP = frozenset(
    ("connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
     "transfer-encoding", "upgrade")
)


class ClientDisconnected(OSError):
    """Raised by wsgi.input when the client went away before sending the whole body."""


class RequestEnded(ValueError):
    """Raised by wsgi.input, write() and wsgi.errors used after their request has ended (from a thread
    the app left behind, say): they belong to that request only, and the worker's connection has moved
    on to the next one."""


class Input:
    """wsgi.input: the request body, pulled from the JVM on demand, never buffered whole."""

    def __init__(self, channel, request, has_body):
        self._channel = channel
        self._request = request
        self._buffer = bytearray()
        self._eof = not has_body

    def read(self, size=-1):
        self._request.check_active("wsgi.input")
        if size is None or size < 0:
            while self._fill(_INPUT_CHUNK):
                pass
            size = len(self._buffer)
        else:
            while len(self._buffer) < size and self._fill(size - len(self._buffer)):
                pass
        return self._take(size)

    def readline(self, size=-1):
        self._request.check_active("wsgi.input")
        start = 0
        while True:
            newline = self._buffer.find(b"\n", start)
            if newline >= 0:
                end = newline + 1
                break
            if 0 <= size <= len(self._buffer):
                end = size
                break
            start = len(self._buffer)
            if not self._fill(1):
                end = len(self._buffer)
                break
        if 0 <= size < end:
            end = size
        return self._take(end)

    def readlines(self, hint=-1):
        lines = []
        total = 0
        for line in self:
            lines.append(line)
            total += len(line)
            if 0 < hint <= total:
                break
        return lines

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def _take(self, size):
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def _fill(self, wanted):
        """Asks the JVM for at least `wanted` more body bytes (it sends up to 64 KiB when more have
        arrived); False at the end of the body."""
        if self._eof:
            return False
        with self._request.lock:
            # Checked again under the lock: the request may have ended while this thread waited.
            self._request.check_active("wsgi.input")
            # INPUT is never held back with corked frames: the JVM answers it wherever it comes.
            self._channel.send_now(protocol.INPUT, protocol.SIZE.pack(min(max(wanted, 1), _INPUT_CHUNK)))
            kind, payload = self._request.read_reply()
        if kind != protocol.BODY:
            raise protocol.ProtocolError("expected BODY, got frame %r" % chr(kind))
        if self._request.cancelled:
            self._eof = True
            raise ClientDisconnected("the client disconnected before sending the whole request body")
        if not payload:
            self._eof = True
            return False
        self._buffer += payload
        return True


_ERRORS_LOGGER = logging.getLogger("wsgi.errors")


class ErrorStream:
    """wsgi.errors: text written here is logged, a line a record, under the logger "wsgi.errors"."""

    __slots__ = ("_logger", "_pending", "_request")

    def __init__(self, request=None):
        self._logger = _ERRORS_LOGGER
        self._pending = ""
        self._request = request

    def write(self, text):
        if self._request is not None:
            self._request.check_active("wsgi.errors")
        if not isinstance(text, str):
            raise TypeError("wsgi.errors takes str, not %s" % type(text).__name__)
        self._pending += text
        if "\n" in self._pending:
            *lines, self._pending = self._pending.split("\n")
            for line in lines:
                self._logger.error(line)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        if self._pending:
            self._logger.error(self._pending)
            self._pending = ""


class FileWrapper:
    """wsgi.file_wrapper: iterates a file-like object in blocks, and closes it when closed."""

    def __init__(self, filelike, blksize=8192):
        self.filelike = filelike
        self.blksize = blksize
        if hasattr(filelike, "close"):
            self.close = filelike.close

    def __iter__(self):
        return self

    def __next__(self):
        data = self.filelike.read(self.blksize)
        if data:
            return data
        raise StopIteration


class Request:
    """One request on the channel: start_response, write() and the frames of the response."""

    __slots__ = ("_channel", "_head_only", "status", "headers", "_headers_sent", "cancelled", "_content_length",
                 "_sent", "ended", "lock")

    def __init__(self, channel, head_only):
        self._channel = channel
        self._head_only = head_only
        self.status = None
        self.headers = None
        self._headers_sent = False
        self.cancelled = False
        self._content_length = None
        self._sent = 0
        self.ended = False
        # Serialises this request's use of the connection: the app may read wsgi.input or call write()
        # from threads of its own.
        self.lock = threading.Lock()

    def check_active(self, what):
        if self.ended:
            raise RequestEnded("%s was used after its request had ended" % what)

    def end(self):
        """Nothing may use this request's objects from now on; waits for a thread that is using them."""
        with self.lock:
            self.ended = True

    def start_response(self, status, headers, exc_info=None):
        if exc_info is not None:
            try:
                if self._headers_sent:
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        elif self.status is not None:
            raise AssertionError("start_response() called a second time without exc_info")
        self.headers, self._content_length = _header_block(status, headers)
        self.status = status
        return self.write

    def write(self, data):
        """The write() callable of PEP 3333: sends data at once."""
        with self.lock:
            self.check_active("write()")
            if self.status is None:
                raise AssertionError("write() called before start_response()")
            self._send_body(data)

    def send_body(self, data):
        with self.lock:
            self._send_body(data)

    def _send_body(self, data):
        if type(data) is not bytes:
            data = _as_bytes(data)
        if not data:
            return
        if self._content_length is not None and self._sent + len(data) > self._content_length:
            # Never more than the header promised (PEP 3333); the iteration stops once it is all sent.
            log.warning("the application yielded more than its Content-Length (%d bytes): the rest is dropped",
                        self._content_length)
            data = data[:self._content_length - self._sent]
            if not data:
                return
        self._sent += len(data)
        if self._headers_sent:
            if not self._head_only:
                self._channel.send(protocol.DATA, data)
        elif self._head_only:
            self._send_headers()
        else:
            self._headers_sent = True
            # Sent at once even when it is the whole body: the client must not wait for the rest of the
            # iteration or for close() (Django's request_finished receivers run there).
            self._channel.send_two(protocol.START, self.headers, protocol.DATA, data)

    def send_body_end(self):
        """Before the iterable is closed (Django's request_finished receivers run then): a body the JVM
        cannot tell complete by its Content-Length is declared so, and the client gets it whole now, as
        gunicorn sends its last chunk before close()."""
        with self.lock:
            if self._content_length is None and not self._head_only and not self.cancelled:
                self._channel.send(protocol.BODY_END)

    @property
    def complete(self):
        """Whether every byte the Content-Length promised has been sent."""
        return self._content_length is not None and self._sent >= self._content_length

    def send_headers(self):
        with self.lock:
            self._send_headers()

    def _send_headers(self):
        if self.status is None:
            raise AssertionError("the application returned without calling start_response()")
        self._headers_sent = True
        self._channel.send(protocol.START, self.headers)

    @property
    def headers_sent(self):
        return self._headers_sent

    @headers_sent.setter
    def headers_sent(self, value):
        self._headers_sent = value

    @property
    def head_only(self):
        return self._head_only

    def check_cancelled(self):
        """Whether the client went away; reads the CANCEL that the JVM may have sent meanwhile."""
        if not self.cancelled and self._channel.has_pending():
            with self.lock:
                return self._read_cancel()
        return self.cancelled

    def _read_cancel(self):
        if not self.cancelled and self._channel.has_pending():
            kind, _ = self._channel.read_frame()
            if kind != protocol.CANCEL:
                raise protocol.ProtocolError("unexpected frame %r while sending a response" % chr(kind))
            self.cancelled = True
        return self.cancelled

    def read_reply(self):
        """Reads the JVM's answer to a frame of this request, noting a CANCEL that came first."""
        while True:
            kind, payload = self._channel.read_frame()
            if kind != protocol.CANCEL:
                return kind, payload
            self.cancelled = True


def _as_bytes(data):
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    raise TypeError("a WSGI application must produce bytes, not %s" % type(data).__name__)


# Status lines and header names already found valid: most responses repeat the same few.
_VALID_STATUSES = set()
_VALID_NAMES = set()
_CACHE_LIMIT = 1024


def _header_block(status, headers):
    """The START payload for a status and headers, checked; and the Content-Length, if any."""
    if type(status) is not str or status not in _VALID_STATUSES:
        _check_status(status)
    parts = [status]
    append = parts.append
    content_length = None
    for header in headers:
        if type(header) is not tuple or len(header) != 2:
            raise TypeError("each WSGI header must be a (name, value) tuple, got %r" % (header,))
        name, value = header
        if type(name) is not str or name not in _VALID_NAMES:
            _check_name(name)
        if type(value) is not str:
            raise ValueError("invalid value for header %s: %r" % (name, value))
        if len(name) == 14 and name.lower() == "content-length" and value.isdigit():
            content_length = int(value)
        append(name)
        append(value)
    text = "\0".join(parts)
    # One scan of the whole block instead of one per value: names and the status are known clean,
    # so a control character anywhere, or a NUL beyond the separators, is in a value.
    if _CONTROL_BEYOND_NUL.search(text) or text.count("\0") != len(parts) - 1:
        for name, value in headers:
            if _BAD_VALUE.search(value):
                raise ValueError("invalid value for header %s: %r" % (name, value))
    try:
        return text.encode("latin-1"), content_length
    except UnicodeEncodeError as e:
        raise ValueError("WSGI status and headers must be latin-1 text: %s" % e) from None


def _check_status(status):
    if type(status) is str and status[:1] == "1":
        raise ValueError("a WSGI app cannot send the interim status %r: the server answers 100 Continue itself, "
                         "and WSGI has no way to send a response after an interim one" % (status,))
    if type(status) is not str or not _STATUS.match(status):
        raise ValueError("invalid WSGI status %r: expected a str like '200 OK'" % (status,))
    if len(_VALID_STATUSES) < _CACHE_LIMIT:
        _VALID_STATUSES.add(status)


def _check_name(name):
    if type(name) is not str or not _TOKEN.match(name):
        raise ValueError("invalid header name %r" % (name,))
    if name.lower() in _HOP_BY_HOP:
        raise ValueError("hop-by-hop header %s is not allowed in a WSGI response (PEP 3333)" % name)
    if len(_VALID_NAMES) < _CACHE_LIMIT:
        _VALID_NAMES.add(name)


class Handler:
    """Runs requests through the application, one at a time, on one channel."""

    def __init__(self, app, channel, base_environ):
        self._app = app
        self._channel = channel
        self._base_environ = base_environ

    def handle(self, payload):
        flags = payload[0]
        environ = self._base_environ.copy()
        fields = iter(payload[1:].decode("latin-1").split("\0"))
        environ.update(zip(fields, fields))
        typed = environ.pop(protocol.TYPED_VALUES_KEY, None)
        if typed is not None:
            environ.update(_tuples(json.loads(typed)))
        request = Request(self._channel, environ.get("REQUEST_METHOD") == "HEAD")
        environ["wsgi.input"] = Input(self._channel, request, flags & protocol.FLAG_HAS_BODY)
        errors = environ["wsgi.errors"] = ErrorStream(request)
        try:
            terminal = self._run(environ, request)
        finally:
            errors.flush()
            # From here on, the objects of this request refuse to act (a thread the app left behind
            # must never reach the next request through this connection).
            request.end()
        self._channel.send(terminal)
        self._channel.uncork()

    def _run(self, environ, request):
        result = None
        try:
            result = self._app(environ, request.start_response)
            if type(result) is list or type(result) is tuple:
                # Every chunk is here already: nothing to stream, so one write carries the whole response.
                self._channel.cork()
                for chunk in result:
                    request.send_body(chunk)
                    if request.headers_sent and (request.head_only or request.complete):
                        break
            else:
                for chunk in result:
                    request.send_body(chunk)
                    if request.headers_sent and (request.head_only or request.complete
                                                 or request.check_cancelled()):
                        break
            if not request.headers_sent:
                request.send_headers()
            if hasattr(result, "close"):
                request.send_body_end()
        except (protocol.ConnectionClosed, protocol.ProtocolError):
            raise
        except Exception:
            return self._failed(environ, request)
        finally:
            if result is not None and hasattr(result, "close"):
                try:
                    result.close()
                except Exception:
                    log.exception("close() of the response iterable failed for %s", _describe(environ))
        return protocol.END

    def _failed(self, environ, request):
        if self._channel.discard_corked():
            request.headers_sent = False
        if request.cancelled:
            log.info("request %s ended early: the client disconnected", _describe(environ))
            return protocol.ABORT
        if request.headers_sent:
            log.exception("error after the response started for %s: the connection is cut", _describe(environ))
            return protocol.ABORT
        log.exception("error handling %s", _describe(environ))
        return protocol.ERROR


def _tuples(value):
    """JSON arrays from the JVM become tuples, as WSGI conventions (wsgiorg.routing_args) have them."""
    if isinstance(value, list):
        return tuple(_tuples(item) for item in value)
    if isinstance(value, dict):
        return {key: _tuples(item) for key, item in value.items()}
    return value


def _describe(environ):
    return "%s %s%s" % (environ.get("REQUEST_METHOD"), environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""))


def base_environ(multithread=False):
    return {
        "wsgi.version": (1, 0),
        "wsgi.multithread": multithread,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.input_terminated": True,
        "wsgi.file_wrapper": FileWrapper,
    }
