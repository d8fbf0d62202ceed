"""A plain WSGI app with startup hooks that leave traces the tests can read."""

import json
import os
import time

STATE = {"hooks": []}


def per_worker_hook(label="first"):
    STATE["hooks"].append(label)


def once_hook(marker):
    with open(marker, "a") as trace:
        trace.write("%d\n" % os.getpid())


def slow_hook(seconds):
    time.sleep(float(seconds))


def failing_hook():
    raise RuntimeError("this hook fails on purpose")


def app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/exit":
        os._exit(3)
    if path == "/slow":
        time.sleep(0.5)
    body = json.dumps({"pid": os.getpid(), "hooks": STATE["hooks"]}).encode()
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]
