"""Django settings for gunicorn in benchmarks/worker_memory.sh: the project's own settings module
(BENCH_DJANGO_SETTINGS) with BENCH_DJANGO_DB as its SQLite database, as the starter merges
twod.wsgi.apps.<name>.settings.DATABASES into the project's settings (twod_wsgi.django_settings)."""

import importlib
import os

_base = importlib.import_module(os.environ["BENCH_DJANGO_SETTINGS"])
for _name in dir(_base):
    if _name.isupper():
        globals()[_name] = getattr(_base, _name)
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["BENCH_DJANGO_DB"]}}
