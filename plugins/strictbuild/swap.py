"""Put a finished site in place of the previous one in one step.

The site is built into a staging folder beside the output folder; only a
build that succeeded swaps it in, so a failed or interrupted build leaves
the previous output byte for byte as it was.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .state import current_state

__all__ = ["remove_later", "replace_ahead", "replace_output"]


@dataclass
class _Later:
    """Folders to remove once the new site is in place (see :func:`remove_later`)."""

    paths: list[str] = field(default_factory=list)
    #: set by the driver, whose build ends with :func:`replace_output`
    deferred: bool = False

    def remove(self) -> None:
        """Remove what was not handed to the background removal (the build did not replace the site)."""
        paths, self.paths = self.paths, []
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)


def replace_ahead() -> None:
    """Say that the running build ends with :func:`replace_output` (the driver's builds do)."""
    state = current_state()
    if state is not None:
        state.slot(_Later).deferred = True


def remove_later(path: str | os.PathLike[str]) -> None:
    """Have the folder ``path`` removed after the build, in the background.

    For a build's own temporary folders whose removal the build need not
    wait for: ``path`` must be renamed out of every other reader's way, and
    no file of the site may share an inode with a file in it (removing a
    link moves the other names' change time, which the up-to-date record
    and the stamps read). The folders go to the background removal of the
    previous site (:func:`replace_output`), which removes them last, after
    stamping the kept pages; a build that does not replace
    the site removes them as it ends. Outside a build that will replace the
    site (:func:`replace_ahead`: the driver's; not plain ``pelican``, whose
    state nothing closes), ``path`` is removed now.
    """
    state = current_state()
    later = state.peek(_Later) if state is not None else None
    if state is None or later is None or not later.deferred:
        shutil.rmtree(path, ignore_errors=True)
        return
    if not later.paths:  # none pending: the last removal ran (or none was asked for yet)
        state.on_close(later.remove)
    if os.fspath(path) not in later.paths:
        later.paths.append(os.fspath(path))


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
    first (:mod:`strictbuild.settle`), and removes the file. The folders
    given to :func:`remove_later` during the build are removed after that.
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
    old = [str(path) for path in sorted(output.parent.glob(f".{output.name}-previous-*"))]
    state = current_state()
    later = state.peek(_Later) if state is not None else None
    # The build's own folders last: they hold up neither the stamping nor a later build.
    last = ["--later", *later.paths] if later is not None and later.paths else []
    if old or settle or last:
        subprocess.Popen(
            [sys.executable, "-I", _SETTLE, *settle, *old, *last],  # -I: the standard library only
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    if later is not None:
        later.paths = []  # the removal just started owns them now


#: Run as a script: it removes the old sites and stamps the kept pages.
_SETTLE = str(Path(__file__).with_name("settle.py"))
