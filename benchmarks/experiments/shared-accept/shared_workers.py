"""An experiment of issue #16 (benchmarks/README.md, "A shared accept queue"), not the product.

N forked sync workers that accept a connection per request from one shared Unix socket, as
gunicorn's sync workers accept from their shared listener, and serve it with the starter's own
Handler and framing (one Channel per worker, its socket swapped for each connection: the receive
buffer is kept, as the starter keeps a connection's).

usage: shared_workers.py SOCKET WORKERS module:app [sys.path entries...]
"""
import ctypes
import importlib
import os
import select
import signal
import socket
import sys
import traceback

sock_path, workers, spec = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sys.path[0:0] = sys.argv[4:]
from twod_wsgi import protocol, wsgi  # noqa: E402

module, _, name = spec.partition(":")
app = getattr(importlib.import_module(module), name)
if os.path.exists(sock_path):
    os.unlink(sock_path)
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
listener.bind(sock_path)
listener.listen(2048)

children = []
for _ in range(workers):
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        # Die with the parent, however it dies (PR_SET_PDEATHSIG; Linux, as the rest of the benchmarks).
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
        channel = None
        while True:
            conn, _ = listener.accept()
            if channel is None:
                channel = protocol.Channel(conn)
                handler = wsgi.Handler(app, channel, wsgi.base_environ(multithread=False))
            else:
                channel._sock = conn
                channel._start = channel._end = 0
                channel._corked = None
                channel._poller = select.poll()
                channel._poller.register(conn, select.POLLIN)
            try:
                kind, payload = channel.read_frame()
                if kind == protocol.REQUEST:
                    handler.handle(payload)
            except (protocol.ConnectionClosed, OSError):
                pass
            except Exception:  # noqa: BLE001 - a worker that died here would skew the run unseen
                traceback.print_exc()
            conn.close()
    children.append(pid)


def stop(signum, frame):
    for child in children:
        os.kill(child, signal.SIGTERM)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
while True:
    signal.pause()
