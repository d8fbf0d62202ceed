"""DJANGO_SETTINGS_MODULE of a Django app whose settings come from Spring.

It copies the settings of the project's own module (``twod.wsgi.apps.<name>.django.settings-module``)
and merges the Spring settings into them, by the rules of ``twod_wsgi.settings.merge_into``.
"""

import importlib

from twod_wsgi import settings as _spring

_base_name = _spring.django_settings_module()
if not _base_name:
    raise ImportError("twod_wsgi.django_settings needs twod.wsgi.apps.<name>.django.settings-module")
_base = importlib.import_module(_base_name)
for _name in dir(_base):
    if _name.isupper():
        globals()[_name] = getattr(_base, _name)
_spring.merge_into(globals(), _spring._django.get("merge", "extend"))
