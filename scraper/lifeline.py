"""Tie the crawler child's life to its runner's, so a crawl never outlives its source locks.

The runner holds each source's lock (models.locks) while its child crawls. If the
runner dies, even by SIGKILL, the database drops the locks at once; the child must
die with it, or a second crawler could start beside an orphan. On Linux the kernel
does this (PR_SET_PDEATHSIG); elsewhere an orphan keeps beating its runs' heartbeats,
so no other crawler takes them over until it ends.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PARENT_ENV = "JOBBOARD_CRAWL_PARENT"
PR_SET_PDEATHSIG = 1


def parent_env() -> dict[str, str]:
    """Environment for a child that should die with this process."""
    return {PARENT_ENV: str(os.getpid())}


def die_with_parent() -> None:
    """In the child: ask to be SIGKILLed when the parent dies; exit now if it already has."""
    parent = os.environ.get(PARENT_ENV)
    if not parent or not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != int(parent):  # the parent died before the request took effect
        os._exit(1)
