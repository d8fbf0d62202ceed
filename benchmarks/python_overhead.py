"""Python-side cost of a request through the twod-wsgi worker, against calling the app in-process.

For the plain-WSGI and Flask hello apps, times (1) calling the app in a loop in-process, the way a
WSGI server's inner loop would at best, and (2) the worker's handling of the same request from the
moment its REQUEST frame is in hand to the moment its last frame is written (twod_wsgi.wsgi.Handler
over a socketpair; the JVM's side is played by this script between the timed calls). Prints the
microseconds per request and the ratio (target: within 1.3x).

    python3 benchmarks/python_overhead.py            # 20000 requests each
"""

import os
import socket
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[0:0] = [
    os.path.join(HERE, "..", "twod-wsgi-autoconfigure", "src", "main", "resources", "io", "github", "twodwsgi", "python"),
    os.path.join(HERE, "apps"),
]

from twod_wsgi import protocol, wsgi  # noqa: E402

import hello_apps  # noqa: E402

ENVIRON = {
    "REQUEST_METHOD": "GET", "SCRIPT_NAME": "/plain", "PATH_INFO": "/", "QUERY_STRING": "",
    "SERVER_NAME": "localhost", "SERVER_PORT": "8080", "SERVER_PROTOCOL": "HTTP/1.1",
    "REMOTE_ADDR": "127.0.0.1", "REMOTE_PORT": "50000", "wsgi.url_scheme": "http",
    "HTTP_HOST": "localhost:8080", "HTTP_USER_AGENT": "wrk", "HTTP_ACCEPT": "*/*",
}


def in_process(app, count):
    def start_response(status, headers, exc_info=None):
        return None

    base = wsgi.base_environ()
    started = time.perf_counter()
    for _ in range(count):
        environ = dict(base)
        environ.update(ENVIRON)
        environ["wsgi.input"] = wsgi.Input(None, None, False)
        result = app(environ, start_response)
        try:
            b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
    return (time.perf_counter() - started) / count


def through_worker(app, count):
    jvm, worker = socket.socketpair()
    channel = protocol.Channel(worker)
    handler = wsgi.Handler(app, channel, wsgi.base_environ())
    block = b"\x00" + "\0".join(part for item in ENVIRON.items() for part in item).encode("latin-1")
    frame = protocol.HEADER.pack(protocol.REQUEST, len(block)) + block
    jvm_channel = protocol.Channel(jvm)
    spent = 0.0
    for _ in range(count):
        jvm.sendall(frame)
        kind, payload = channel.read_frame()
        started = time.perf_counter()
        handler.handle(payload)
        spent += time.perf_counter() - started
        while jvm_channel.read_frame()[0] != protocol.END:
            pass
    jvm.close()
    worker.close()
    return spent / count


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    print("%-8s %14s %14s %7s" % ("app", "in-process us", "worker us", "ratio"))
    for name, app in (("plain", hello_apps.plain), ("flask", hello_apps.flask_app)):
        in_process(app, count // 10)
        through_worker(app, count // 10)
        direct = min(in_process(app, count) for _ in range(3))
        worker = min(through_worker(app, count) for _ in range(3))
        print("%-8s %14.2f %14.2f %6.2fx" % (name, direct * 1e6, worker * 1e6, worker / direct))


if __name__ == "__main__":
    main()
