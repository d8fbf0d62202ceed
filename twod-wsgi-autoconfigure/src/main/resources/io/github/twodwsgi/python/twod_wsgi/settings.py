"""The app's settings, as Spring resolved them: ``from twod_wsgi import settings``.

Each setting is an attribute (``settings.SECRET_KEY``), and ``settings.as_dict()`` gives them all.
They are loaded before the app is imported, so app factories can read them. For Django the worker
merges them into the project's settings module (see ``twod_wsgi.django_settings``); for Flask they
are applied to ``app.config``.
"""

import logging

log = logging.getLogger("twod_wsgi.settings")

_SECRET_WORDS = ("PASSWORD", "SECRET", "TOKEN", "KEY")

_values = {}
_django = {}


def __getattr__(name):
    try:
        return _values[name]
    except KeyError:
        raise AttributeError("no setting named %r" % name) from None


def as_dict():
    """All settings, by name (a copy)."""
    return dict(_values)


def get(name, default=None):
    return _values.get(name, default)


def is_secret(name):
    """Whether a setting's name looks like it holds a secret: its value is never logged."""
    upper = name.upper()
    return any(word in upper for word in _SECRET_WORDS)


def load(values, django=None):
    """Called by the worker at boot, before the app is imported."""
    _values.clear()
    _values.update(values)
    _django.clear()
    _django.update(django or {})


def django_settings_module():
    """The project's own settings module, which twod_wsgi.django_settings builds on; None if unset."""
    return _django.get("settings_module")


def merge_into(namespace, merge="extend"):
    """Merges the settings into a settings namespace (a module's globals), by these rules:

    - a name the namespace lacks is added;
    - a list or tuple in the namespace is extended with the items it lacks (merge="extend", the
      default), keeping its type, or replaced (merge="replace");
    - any other existing value is replaced.

    Each addition, extension and replacement is logged at INFO with the setting's name; values are
    logged only for names that do not look secret.
    """
    for name, value in _values.items():
        if name not in namespace:
            namespace[name] = value
            _log_change("added", name, value)
            continue
        current = namespace[name]
        if merge == "extend" and isinstance(current, (list, tuple)) and isinstance(value, (list, tuple)):
            extra = [item for item in value if item not in current]
            namespace[name] = type(current)(list(current) + extra)
            _log_change("extended", name, extra)
        else:
            namespace[name] = value
            _log_change("replaced", name, value)


def apply_to_flask(app):
    """Applies the settings to a Flask app's config (any object with a dict-like ``config``)."""
    config = getattr(app, "config", None)
    if not _values or not isinstance(config, dict):
        return False
    for name, value in _values.items():
        if name in config and config[name] != value:
            _log_change("replaced", name, value)
        config[name] = value
    log.info("applied %d setting(s) to app.config", len(_values))
    return True


def _log_change(what, name, value):
    if is_secret(name):
        log.info("setting %s %s", name, what)
    else:
        log.info("setting %s %s: %r", name, what, value)
