"""Startup hooks: Python callables a worker runs after importing the app, before its first request
(per-worker hooks), or that one process of the app runs once per application start (once hooks)."""

import logging
import signal
import time

log = logging.getLogger("twod_wsgi.hooks")


class HookError(Exception):
    """A hook raised or ran past its timeout; the message names it, the cause holds the traceback."""


class HookTimeout(Exception):
    pass


def run_hooks(hooks, kind, load_object):
    """Runs each hook, {"call": "module:callable", "args": [...], "kwargs": {...}, "timeout": seconds},
    in order, each within its timeout."""
    for number, hook in enumerate(hooks, 1):
        name = "%s startup hook %s (number %d)" % (kind, hook["call"], number)
        started = time.monotonic()
        try:
            target = load_object(hook["call"], calls=False)
            with _deadline(hook.get("timeout")):
                target(*hook.get("args", []), **hook.get("kwargs", {}))
        except HookTimeout as e:
            # The cause's traceback shows where the hook was when its time ran out.
            raise HookError("%s ran past its timeout of %ss" % (name, _seconds(hook.get("timeout")))) from e
        except BaseException as e:
            raise HookError("%s failed" % name) from e
        log.info("%s ran in %.2fs", name, time.monotonic() - started)


class _deadline:
    """Raises HookTimeout in the main thread when the timeout passes (SIGALRM)."""

    def __init__(self, seconds):
        self._seconds = seconds

    def __enter__(self):
        if self._seconds:
            self._previous = signal.signal(signal.SIGALRM, self._expired)
            signal.setitimer(signal.ITIMER_REAL, self._seconds)

    def __exit__(self, *exc_info):
        if self._seconds:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)
        return False

    @staticmethod
    def _expired(signum, frame):
        raise HookTimeout()


def _seconds(value):
    return ("%g" % value) if value else "?"
