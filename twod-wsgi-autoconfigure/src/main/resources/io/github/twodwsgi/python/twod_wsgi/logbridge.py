"""Python logging to the JVM: each record becomes one marked line on stderr, which the JVM
turns into an SLF4J event at the same level, under a logger named after the app.

A record: RECORD_MARK, the level number, the pid of the process that logged it (forked workers share
their fork server's stderr), the logger's name and the message, separated by FIELD_SEPARATOR."""

import logging
import re
import sys

RECORD_MARK = "\x1e"
FIELD_SEPARATOR = "\x1f"
NEWLINE_STANDIN = "\x1d"  # records are one line each; the JVM turns this back into "\n"

# Every control character but newline and tab: the JVM reads lines ending at "\r" too, so a "\r" in a
# logged value (a query parameter, say) followed by a record mark would forge a record of its own.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape(text):
    """Text that cannot end a line nor start a record: control characters as \\xNN, newlines as the stand-in."""
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda match: "\\x%02x" % ord(match.group()), text)
    return text.replace("\n", NEWLINE_STANDIN)


class JvmHandler(logging.Handler):
    def __init__(self, stream):
        super().__init__()
        self._stream = stream
        self.setFormatter(logging.Formatter("%(message)s"))

    def emit(self, record):
        try:
            self._stream.write(
                RECORD_MARK + str(record.levelno) + FIELD_SEPARATOR + str(record.process) + FIELD_SEPARATOR
                + escape(record.name) + FIELD_SEPARATOR + escape(self.format(record)) + "\n"
            )
            self._stream.flush()
        except Exception:
            self.handleError(record)


class PlainStream:
    """sys.stderr for everything but the log records (tracebacks of threads, writes of the app's own):
    a carriage return or a record mark in it cannot start a forged record."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        return self._stream.write(text.replace("\r", "\\r").replace(RECORD_MARK, "\\x1e"))

    def __getattr__(self, name):
        return getattr(self._stream, name)


def install(level_name):
    """Routes the root logger (and warnings) to the JVM, at the level the JVM's logger has."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(JvmHandler(sys.stderr))
    sys.stderr = PlainStream(sys.stderr)
    root.setLevel(getattr(logging, level_name, logging.INFO))
    logging.captureWarnings(True)
