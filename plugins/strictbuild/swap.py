"""Put a finished site in place of the previous one in one step.

The site is built into a staging folder beside the output folder; only a
build that succeeded swaps it in, so a failed or interrupted build leaves
the previous output byte for byte as it was.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["replace_output"]

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step (Linux ``renameat2``); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return bool(done == 0)


def replace_output(output: Path, staging: Path, job: Path | None = None) -> None:
    """Move the new site into place; the old one is removed in the background.

    Where the system can, the two folders are exchanged in one atomic step,
    so there is no moment without a site at ``output`` even if the process
    is killed. Elsewhere the two renames run with SIGINT and SIGTERM blocked.
    Removing thousands of old files can take longer than writing the new
    ones when the disk is busy, and the new site is already in place, so the
    build does not wait for it. Old sites left by an earlier build that
    stopped before removing its own are removed too. ``job``, a file of the
    pages the build wrote, or linked to the previous site's files
    (:func:`strictbuild.reuse.settle_job`), is handed to the removal, which
    stamps those pages, removing the previous site's names of linked ones
    first (:mod:`strictbuild.settle`), and removes the file.
    """
    previous = output.with_name(f".{output.name}-previous-{os.getpid()}-{time.monotonic_ns()}")
    if output.exists() and _exchange(staging, output):
        staging.rename(previous)
    else:
        blocked = {signal.SIGINT, signal.SIGTERM}
        old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
        try:
            if output.exists():
                output.rename(previous)
            staging.rename(output)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
    settle = [] if job is None else ["--job", str(job), "--previous", str(previous)]
    old = sorted(output.parent.glob(f".{output.name}-previous-*"))
    if old or settle:
        subprocess.Popen(
            [sys.executable, "-I", _SETTLE, *settle, *map(str, old)],  # -I: the standard library only
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )


#: Run as a script: it removes the old sites and stamps the kept pages.
_SETTLE = str(Path(__file__).with_name("settle.py"))
