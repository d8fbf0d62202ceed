"""Startup hooks of the demo's Flask app (see application.yml, twod.wsgi.apps.flask.startup)."""

import logging
import os
import sqlite3

from twod_wsgi import settings

log = logging.getLogger(__name__)


def create_tables():
    """A once hook: runs in one process before any worker takes traffic, like a migration."""
    with sqlite3.connect(settings.VISITS_DB) as database:
        database.execute("CREATE TABLE IF NOT EXISTS visits (id INTEGER PRIMARY KEY, path TEXT)")
    log.info("visits table ready in %s", settings.VISITS_DB)


def announce(greeting="ready"):
    """A per-worker hook: runs in every worker after the app is imported, before its first request."""
    log.info("worker %d %s", os.getpid(), greeting)
