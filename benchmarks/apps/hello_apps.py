"""The benchmark's apps: the smallest plain-WSGI and Flask answers, served by both contenders."""

from flask import Flask

BODY = b"Hello, World!"


def plain(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))])
    return [BODY]


flask_app = Flask(__name__)


@flask_app.get("/")
def hello():
    return "Hello, World!"
