"""The app of benchmarks/slow_clients.sh: /hello answers a few bytes, /upload reads the whole request
body and answers its length, /big?size=N streams N bytes in 64 KiB chunks."""

BLOCK = b"x" * 65536
HELLO = b"Hello, World!"


def app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/upload":
        stream = environ["wsgi.input"]
        total = 0
        while True:
            chunk = stream.read(65536)
            if not chunk:
                break
            total += len(chunk)
        return _answer(start_response, "200 OK", str(total).encode())
    if path == "/big":
        size = 0
        for pair in environ.get("QUERY_STRING", "").split("&"):
            name, _, value = pair.partition("=")
            if name == "size":
                size = int(value)
        start_response("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", str(size))])
        return _chunks(size)
    if path == "/hello":
        return _answer(start_response, "200 OK", HELLO)
    return _answer(start_response, "404 Not Found", b"not found")


def _answer(start_response, status, body):
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def _chunks(size):
    while size > 0:
        chunk = BLOCK[:size]
        size -= len(chunk)
        yield chunk
