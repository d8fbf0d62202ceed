"""A small WSGI middleware of the demo's own, declared in application.yml."""

import os


def served_by(app, label="twod-wsgi"):
    """Adds an X-Served-By header naming the worker process to every response."""

    def wrapped(environ, start_response):
        def start(status, headers, exc_info=None):
            return start_response(status, headers + [("X-Served-By", "%s worker %d" % (label, os.getpid()))],
                                  exc_info)

        return app(environ, start)

    return wrapped
