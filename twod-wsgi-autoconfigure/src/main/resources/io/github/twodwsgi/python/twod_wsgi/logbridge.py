"""Python logging to the JVM: each record becomes one marked line on stderr, which the JVM
turns into an SLF4J event at the same level, under a logger named after the app."""

import logging
import sys

RECORD_MARK = "\x1e"
FIELD_SEPARATOR = "\x1f"
NEWLINE_STANDIN = "\x1d"  # records are one line each; the JVM turns this back into "\n"


class JvmHandler(logging.Handler):
    def __init__(self, stream):
        super().__init__()
        self._stream = stream
        self.setFormatter(logging.Formatter("%(message)s"))

    def emit(self, record):
        try:
            text = self.format(record).replace("\n", NEWLINE_STANDIN)
            self._stream.write(
                RECORD_MARK + str(record.levelno) + FIELD_SEPARATOR + record.name + FIELD_SEPARATOR + text + "\n"
            )
            self._stream.flush()
        except Exception:
            self.handleError(record)


def install(level_name):
    """Routes the root logger (and warnings) to the JVM, at the level the JVM's logger has."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(JvmHandler(sys.stderr))
    root.setLevel(getattr(logging, level_name, logging.INFO))
    logging.captureWarnings(True)
