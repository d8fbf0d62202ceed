"""The Python side of twod-wsgi: the worker process that runs one WSGI application for the JVM.

This package ships inside the twod-wsgi-autoconfigure jar. The JVM extracts it into a private
run directory and starts ``python -m twod_wsgi.worker``; nothing needs to be installed.
"""

__version__ = "0.1.0"
