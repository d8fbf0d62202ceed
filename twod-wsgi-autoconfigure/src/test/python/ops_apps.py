"""Helpers of the operations tests."""

import os


def fail_if_flagged(flag):
    """A per-worker hook that fails while the file `flag` exists: a worker that cannot start."""
    if os.path.exists(flag):
        raise RuntimeError("the flag file %s says this worker must not start" % flag)
