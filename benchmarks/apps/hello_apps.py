"""The benchmark's apps: the smallest plain-WSGI and Flask answers, served by both contenders."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

BODY = b"Hello, World!"


def plain(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))])
    return [BODY]


flask_app = Flask(__name__)


@flask_app.get("/")
def hello():
    return "Hello, World!"


# The demo app wraps every app it mounts in Werkzeug's ProxyFix (its WsgiMiddleware bean), so
# gunicorn serves these: both servers then run the same Python per request.
plain_behind_proxy = ProxyFix(plain, x_for=1, x_proto=1)
flask_behind_proxy = ProxyFix(flask_app, x_for=1, x_proto=1)
