"""Apps of WorkerModelTests: what preload, threads and recycling look like from inside a worker.

Importing this module appends a line to the file named by $IMPORT_LOG: with preload, the file has one
line however many workers run.
"""

import json
import os
import signal
import threading
import time
from urllib.parse import parse_qs

if os.environ.get("IMPORT_LOG"):
    with open(os.environ["IMPORT_LOG"], "a") as log:
        log.write("%d\n" % os.getpid())

_imported_by = os.getpid()


def app(environ, start_response):
    query = parse_qs(environ.get("QUERY_STRING", ""))
    if "die-once" in query:
        # Each run is a line in the marker; the first kills its worker before it answers.
        with open(query["die-once"][0], "a+") as marker:
            marker.seek(0)
            first = not marker.read()
            marker.write("%d\n" % os.getpid())
        if first:
            os.kill(os.getpid(), signal.SIGKILL)
    if "sleep" in query:
        time.sleep(float(query["sleep"][0]))
    body = json.dumps({
        "pid": os.getpid(),
        "ppid": os.getppid(),
        "importedBy": _imported_by,
        "multithread": environ["wsgi.multithread"],
        "multiprocess": environ["wsgi.multiprocess"],
        "thread": threading.current_thread().name,
    }).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def record_worker(path):
    """A per-worker hook: which process ran it, and its parent."""
    with open(path, "a") as log:
        log.write("%d %d\n" % (os.getpid(), os.getppid()))


def record_once(path):
    with open(path, "a") as log:
        log.write("%d\n" % os.getpid())
