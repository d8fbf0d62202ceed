"""Plain WSGI apps that the gateway tests mount. Each shows the client what the gateway did."""

import hashlib
import json
import os
import sys
import time
import wsgiref.validate


def environ_app(environ, start_response):
    """Answers with the environ as JSON: str values as they are, the rest described."""
    described = {}
    for key, value in environ.items():
        if isinstance(value, str):
            described[key] = value
        elif key == "wsgi.version":
            described[key] = list(value)
        elif key == "wsgiorg.routing_args":
            described[key] = [list(value[0]), value[1]]
            described[key + ".types"] = ",".join(type(part).__name__ for part in (value, value[0], value[1]))
        elif key == "myapp.flags":
            described[key] = list(value)
            described[key + ".type"] = type(value).__name__
        elif isinstance(value, bool):
            described[key] = value
        else:
            described[key] = "<%s>" % type(value).__name__
    input_stream = environ["wsgi.input"]
    described["input.methods"] = sorted(
        name for name in ("read", "readline", "readlines", "__iter__") if hasattr(input_stream, name)
    )
    described["body"] = input_stream.read().decode("latin-1")
    body = json.dumps(described, sort_keys=True).encode("utf-8")
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def _simple(environ, start_response):
    body = b"validated " + environ["PATH_INFO"].encode("latin-1")
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


# wsgiref's validator checks both sides of PEP 3333; run with PYTHONWARNINGS=error, any
# complaint about the server fails the request.
validated_app = wsgiref.validate.validator(_simple)


class _Closing:
    """An iterable whose close() leaves a mark in a file, so that tests can see it was called."""

    def __init__(self, chunks, marker):
        self._chunks = chunks
        self._marker = marker

    def __iter__(self):
        return iter(self._chunks)

    def close(self):
        if self._marker:
            with open(self._marker, "a") as marker:
                marker.write("closed\n")


def behaviour_app(environ, start_response):
    """Dispatches on PATH_INFO to behaviours the tests provoke."""
    path = environ["PATH_INFO"]
    query = dict(part.split("=", 1) for part in environ["QUERY_STRING"].split("&") if "=" in part)
    if path == "/stream":
        _mark(query.get("runs"), "ran")
        return _stream(environ, start_response, int(query.get("chunks", "3")), float(query.get("pause", "0.5")),
                       query.get("marker"))
    if path == "/sha256":
        digest = hashlib.sha256()
        size = 0
        while True:
            chunk = environ["wsgi.input"].read(65536)
            if not chunk:
                break
            digest.update(chunk)
            size += len(chunk)
        body = json.dumps({"sha256": digest.hexdigest(), "size": size}).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]
    if path == "/echo":
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return iter(lambda: environ["wsgi.input"].read(65536), b"")
    if path == "/lines":
        lines = environ["wsgi.input"].readlines()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps([line.decode() for line in lines]).encode()]
    if path in ("/later-read", "/later-write"):
        return _later(environ, start_response, path, query["marker"])
    if path == "/raise":
        raise RuntimeError("boom from the test app")
    if path == "/raise-late":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return _fail_after_first_chunk(float(query.get("pause", "0")))
    if path == "/download":
        size = int(query.get("size", "0"))
        start_response("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", str(size))])
        return _pattern(size)
    if path == "/exit":
        os._exit(17)
    if path == "/sleep":
        time.sleep(float(query.get("seconds", "5")))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"slept"]
    if path == "/linger":
        # A non-daemon thread keeps the interpreter from exiting: the JVM must end the worker itself.
        import threading
        threading.Thread(target=time.sleep, args=(600,), daemon=False).start()
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"lingering"]
    if path == "/trail":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [environ.get("test.trail", "none").encode()]
    if path == "/pid":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [str(os.getpid()).encode()]
    if path == "/headers":
        start_response("201 Created", [
            ("Content-Type", "text/plain"),
            ("X-Repeated", "one"),
            ("X-Repeated", "two"),
            ("Set-Cookie", "a=1; Path=/"),
            ("Set-Cookie", "b=2; HttpOnly"),
        ])
        return [b"created"]
    if path == "/hop-by-hop":
        start_response("200 OK", [("Connection", "close")])
        return [b"never"]
    if path == "/write":
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"written, ")
        return [b"then returned"]
    if path == "/log-value":
        # Logs and prints what the client sent, as apps do with query parameters.
        from urllib.parse import unquote
        value = unquote(query.get("value", ""))
        import logging
        logging.getLogger("gateway_apps").warning("client sent: %s", value)
        print("printed: " + value)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"logged"]
    if path == "/log":
        print("printed to stdout by the app")
        environ["wsgi.errors"].write("written to wsgi.errors\n")
        import logging
        logging.getLogger("gateway_apps").warning("logged by the app")
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"logged"]
    if path == "/short":
        _mark(query.get("marker"), "short")
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "100")])
        return [b"only twenty-two bytes"]
    if path == "/short-download":
        # size bytes of a Content-Length 1000 larger: cut short after a body that needs the spool.
        size = int(query.get("size", "0"))
        start_response("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", str(size + 1000))])
        return _pattern(size)
    if path == "/interim":
        start_response(query.get("status", "100").replace("+", " ") + " Interim", [])
        return [b"never"]
    if path == "/big-header":
        start_response("200 OK", [("X-Big", "x" * int(query.get("size", "10000")))])
        return [b"with a big header"]
    if path == "/control-header":
        start_response("200 OK", [("X-Value", "a\x01b")])
        return [b"never"]
    if path == "/past-length":
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "8")])
        return _endless(query.get("marker"))
    if path == "/die-mid-stream":
        _mark(query.get("marker"), "ran")
        start_response("200 OK", [("Content-Type", "text/plain")])
        return _die_after_first_chunk()
    if path == "/cookies":
        start_response("200 OK", [
            ("Content-Type", "text/plain"),
            ("Set-Cookie", "session=abc; Path=/app; Domain=example.org; Max-Age=3600; "
                           "Expires=Thu, 01 Jan 2037 00:00:00 GMT; Secure; HttpOnly; SameSite=Strict"),
            ("Set-Cookie", "theme=dark; Path=/; SameSite=Lax"),
            ("Set-Cookie", "tracking=; Max-Age=0"),
        ])
        return [b"cookies"]
    if path == "/empty":
        start_response("204 No Content", [])
        return []
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"no such behaviour: " + path.encode("latin-1")]


def _stream(environ, start_response, chunks, pause, marker):
    start_response("200 OK", [("Content-Type", "text/plain")])

    def generate():
        for number in range(chunks):
            yield ("chunk %d\n" % number).encode()
            time.sleep(pause)

    return _Closing(generate(), marker)


def _later(environ, start_response, path, marker):
    """Answers at once, and leaves a thread that uses the request's wsgi.input or write() half a
    second later, when the worker serves other requests: what it got goes to the marker file."""
    import threading

    write = start_response("200 OK", [("Content-Type", "text/plain")])

    def use_it_later():
        time.sleep(0.5)
        try:
            if path == "/later-read":
                outcome = "read %r" % environ["wsgi.input"].read()
            else:
                write(b"LEAKED-FROM-AN-EARLIER-REQUEST")
                outcome = "wrote"
        except Exception as e:
            outcome = type(e).__name__
        with open(marker, "w") as out:
            out.write(outcome)

    threading.Thread(target=use_it_later, daemon=True).start()
    return [b"accepted"]


def _mark(marker, text):
    if marker:
        with open(marker, "a") as out:
            out.write(text + "\n")


def _endless(marker):
    """Yields for ever; the server must stop once Content-Length is sent."""
    while True:
        _mark(marker, "chunk")
        yield b"12345"


def _die_after_first_chunk():
    yield b"first chunk, then the worker dies"
    time.sleep(0.2)
    os._exit(17)


def _fail_after_first_chunk(pause):
    yield b"first chunk, then "
    time.sleep(pause)
    raise RuntimeError("failed mid-stream")


def _pattern(size):
    """size bytes of a repeating pattern, 64 KiB at a time."""
    block = bytes(range(256)) * 256
    while size > 0:
        chunk = block[:size]
        size -= len(chunk)
        yield chunk


def trail_middleware(app, name):
    """Notes its name in environ["test.trail"], so that tests see the order middleware ran in."""

    def wrapped(environ, start_response):
        environ["test.trail"] = environ.get("test.trail", "") + name + ">"
        return app(environ, start_response)

    return wrapped


def broken_middleware(app):
    raise RuntimeError("this middleware is broken on purpose")


def factory(greeting="hello"):
    """An app factory, for the module:factory() form."""

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [greeting.encode()]

    return app


not_callable = 42
