"""Remove the sites a new site replaced, and stamp the files the new site kept from the previous one.

Run in the background by :func:`strictbuild.swap.replace_output` once the
new site is in place, as a script of its own (it imports nothing of the
build)::

    python settle.py [--job JOB --previous PREVIOUS] [OLD_SITE...] [--later FOLDER...]

A page the new site kept is a hard link to the previous site's file
(:meth:`strictbuild.reuse.ReusingWriter._link`), and every link or unlink
moves a file's change time, so the change time a later build finds on a
kept page is the one removing the previous site gave it. ``JOB`` (written by
:func:`strictbuild.reuse.settle_job`, removed here) lists each page the
build wrote or linked, with what ``os.lstat`` said of it just after. A page
is stamped only if it still has the inode, size, modification and change
times it had then (nothing wrote to it since: a write moves the change
time). For a linked page, the previous site's name of the file, which has
those very times, is removed first, and the page is looked at again. Its
inode, size, modification time and change time are its *stamp*, written to
the job's stamps file with the job's token. A later build takes a page
whose ``os.lstat`` gives that very stamp for the bytes recorded for it,
without reading it (see :mod:`strictbuild.reuse`). Anything that does not
match is left out, and the page is read as before. Old sites left by
earlier builds are removed before the stamping (their links to a page
would move its change time), the previous site after it, and the build's
own temporary folders named after ``--later`` (which share no file with
the site: :func:`strictbuild.swap.remove_later`) last, so that a build
started meanwhile finds the stamps as early as can be. As with git's
index, a write by another process that keeps the size and puts the
modification time back is not told apart if it falls within the same tick
of the file system's clock as the build's own write or link (milliseconds
on a coarse clock, nanoseconds where the kernel gives fine-grained times),
or between this script's removal of the previous site's name and its next
look at the page (microseconds).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import sys
import time
from collections.abc import Sequence

#: The format of the stamps file.
FORMAT = 1


def stamp_kept(job_path: str, previous: str) -> None:
    """Stamp each page ``job_path`` lists, removing the previous site's name of a linked one first."""
    try:
        with open(job_path, encoding="utf-8") as handle:
            job = json.load(handle)
    finally:
        os.unlink(job_path)
    output = str(job["output"])
    stamps: dict[str, list[int]] = {}
    for name, placed in job["placed"].items():
        page = os.path.join(output, name)
        old = os.path.join(previous, name)
        try:
            now = os.lstat(page)
            if [now.st_ino, now.st_size, now.st_mtime_ns] != placed[:3] or not stat.S_ISREG(now.st_mode):
                continue  # another file since
            before = os.lstat(old) if os.path.lexists(old) else None
            if before is not None and before.st_ino == now.st_ino:
                # Linked: the previous site's name goes first, then the page is looked at again.
                if [before.st_ino, before.st_size, before.st_mtime_ns, before.st_ctime_ns] != placed:
                    continue  # written to since the build linked it
                os.unlink(old)
                now = os.lstat(page)
                if [now.st_ino, now.st_size, now.st_mtime_ns] != placed[:3]:
                    continue
            elif now.st_ctime_ns != placed[3]:
                continue  # written to since the build wrote it
        except OSError:
            continue
        stamps[name] = [now.st_ino, now.st_size, now.st_mtime_ns, now.st_ctime_ns]
    target = str(job["stamps"])
    temporary = f"{target}.{os.getpid()}"  # removed below, or by the next settling if this one is killed
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(json.dumps({"format": FORMAT, "token": job["token"], "stamps": stamps}))
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    folder, name = os.path.split(target)
    # Left by a settling that was killed, once an hour old (strictbuild.leftovers' age; this
    # script imports the standard library only).
    for left in os.listdir(folder):
        if left.startswith(name + ".") and left[len(name) + 1 :].isdigit():
            with contextlib.suppress(OSError):
                if os.stat(os.path.join(folder, left)).st_mtime < time.time() - 3600:
                    os.unlink(os.path.join(folder, left))


def main(argv: Sequence[str]) -> int:
    """Remove the old sites named, stamp the job's pages, then remove the previous site and the rest.

    ``--job JOB --previous PREVIOUS`` name the job and the site it replaced;
    the folders after ``--later`` go last.
    Never raises: whatever goes wrong with the job leaves no stamps (the
    next build reads its kept pages), and the folders are removed anyway.
    """
    arguments = list(argv)
    job = previous = None
    if arguments[:1] == ["--job"] and len(arguments) >= 4 and arguments[2] == "--previous":
        job, previous, arguments = arguments[1], arguments[3], arguments[4:]
    later: list[str] = []
    if "--later" in arguments:
        cut = arguments.index("--later")
        arguments, later = arguments[:cut], arguments[cut + 1 :]
    try:
        _settle(arguments, job, previous)
    finally:
        for path in later:
            shutil.rmtree(path, ignore_errors=True)
    return 0


def _settle(arguments: list[str], job: str | None, previous: str | None) -> None:
    olds = [path for path in arguments if path != previous]
    for path in olds:  # sites left by builds that stopped early first: they may share files too
        shutil.rmtree(path, ignore_errors=True)
    if job is not None and previous is not None:
        try:
            stamp_kept(job, previous)
        except Exception:  # noqa: S110 (a background step: nothing to report to)
            pass
        finally:
            shutil.rmtree(previous, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
