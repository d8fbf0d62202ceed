"""gunicorn configuration for worker_memory.sh's "gunicorn --preload, gc.freeze()": what issue #14's
preload will do (import the app once, gc.freeze(), fork). Before each fork the arbiter moves every
object it has into the collector's permanent generation, so the workers' collections never write to
the preloaded objects' headers (which would copy their pages); their reference counts still do."""

import gc


def pre_fork(server, worker):
    gc.freeze()
