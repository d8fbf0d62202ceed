"""Bulk transfers for benchmarks/memory.sh: /sink reads the request body, /source streams one."""

BLOCK = b"x" * 65536


def app(environ, start_response):
    if environ["PATH_INFO"] == "/sink":
        stream = environ["wsgi.input"]
        total = 0
        while True:
            chunk = stream.read(65536)
            if not chunk:
                break
            total += len(chunk)
        body = str(total).encode()
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]
    size = int(environ["QUERY_STRING"].partition("=")[2] or 0)
    start_response("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", str(size))])
    return _source(size)


def _source(size):
    while size > 0:
        chunk = BLOCK[:size]
        size -= len(chunk)
        yield chunk
