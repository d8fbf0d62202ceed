"""The app of PythonEnvironmentEndToEndTests: it needs a package that only its virtual environment has."""

import json
import sys

import twod_tiny


def app(environ, start_response):
    body = json.dumps({"greeting": twod_tiny.GREETING, "prefix": sys.prefix}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
