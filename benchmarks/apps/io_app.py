"""An I/O-bound WSGI app: every request waits 20 ms (as for a database or an HTTP call), then answers."""

import time

from werkzeug.middleware.proxy_fix import ProxyFix

BODY = b"waited 20 ms"


def app(environ, start_response):
    time.sleep(0.020)
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))])
    return [BODY]


# gunicorn serves it inside the ProxyFix that the demo app puts around every app it mounts.
app_behind_proxy = ProxyFix(app, x_for=1, x_proto=1)
