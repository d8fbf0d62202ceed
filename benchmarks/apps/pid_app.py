"""A WSGI app that answers its worker's pid: benchmarks/replacement.sh tells a fresh worker by it."""

import os

from werkzeug.middleware.proxy_fix import ProxyFix


def app(environ, start_response):
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


# gunicorn serves it inside the ProxyFix that the demo app puts around every app it mounts.
app_behind_proxy = ProxyFix(app, x_for=1, x_proto=1)
