"""An app whose import takes longer than any test waits (a fork server importing it must still notice
that the JVM is gone)."""

import time

time.sleep(60)


def app(environ, start_response):
    start_response("200 OK", [])
    return [b""]
