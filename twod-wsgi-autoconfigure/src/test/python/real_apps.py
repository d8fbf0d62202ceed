"""A Flask app that uses the framework's own request parsing, as users' apps do: request.files,
request.form, request.get_data(). Mounted by RealAppsTests behind Spring Boot's defaults."""

import hashlib
import os
import time

from flask import Flask, Response, jsonify, request

flask_app = Flask(__name__)


def _count_call(name):
    """Notes a call in the file CALLS_FILE names, so that tests can tell the app was never called."""
    calls = os.environ.get("CALLS_FILE")
    if calls:
        with open(calls, "a") as marker:
            marker.write(name + "\n")


@flask_app.post("/files")
def files():
    """Every uploaded part with its size and sha256, and the text fields."""
    parts = []
    for field, storage in request.files.items(multi=True):
        data = storage.read()
        parts.append({"field": field, "filename": storage.filename, "size": len(data),
                      "sha256": hashlib.sha256(data).hexdigest()})
    return jsonify(parts=parts, form=request.form.to_dict(flat=False))


@flask_app.route("/form", methods=["POST", "PUT", "PATCH", "DELETE"])
def form():
    """The raw body as the client sent it, and what Flask parsed of it."""
    raw = request.get_data(cache=True)
    return jsonify(method=request.method, raw=raw.decode("latin-1"), form=request.form.to_dict(flat=False),
                   content_length=request.content_length)


@flask_app.post("/csrf/form")
def csrf_form():
    return jsonify(raw=request.get_data().decode("latin-1"), form=request.form.to_dict(flat=False))


@flask_app.post("/upload")
def upload():
    _count_call("upload")
    data = request.get_data()
    return jsonify(size=len(data), sha256=hashlib.sha256(data).hexdigest())


@flask_app.get("/hello")
def hello():
    return "hello"


@flask_app.get("/pid")
def pid():
    return str(os.getpid())


@flask_app.get("/private/whoami")
def whoami():
    return jsonify(remote_user=request.environ.get("REMOTE_USER"), auth_type=request.environ.get("AUTH_TYPE"))


@flask_app.get("/whoami")
def anonymous_whoami():
    return jsonify(remote_user=request.environ.get("REMOTE_USER"), auth_type=request.environ.get("AUTH_TYPE"))


@flask_app.get("/big")
def big():
    """size bytes in 64 KiB chunks, each yielded as soon as it is made."""
    size = int(request.args.get("size", "0"))
    block = bytes(range(256)) * 256

    def generate():
        left = size
        while left > 0:
            chunk = block[:left]
            left -= len(chunk)
            yield chunk

    return Response(generate(), mimetype="application/octet-stream", headers={"Content-Length": str(size)})


def fail_after_first_chunk(environ, start_response):
    """Plain WSGI: yields a chunk, then fails, reporting it through start_response with exc_info as
    PEP 3333 describes (which re-raises, since the headers are out)."""
    _count_call("fail")

    def generate():
        yield b"the first and only chunk\n"
        time.sleep(0.01)
        try:
            raise RuntimeError("failed after the first chunk")
        except RuntimeError:
            import sys
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")], sys.exc_info())

    start_response("200 OK", [("Content-Type", "text/plain")])
    return generate()


def short_body(environ, start_response):
    """Plain WSGI: promises 100 bytes and sends 22."""
    _count_call("short")
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "100")])
    return [b"only twenty-two bytes"]


def app(environ, start_response):
    """The Flask app, with /fail-late and /short as plain WSGI beside it."""
    if environ.get("PATH_INFO") == "/fail-late":
        return fail_after_first_chunk(environ, start_response)
    if environ.get("PATH_INFO") == "/short":
        return short_body(environ, start_response)
    return flask_app(environ, start_response)
