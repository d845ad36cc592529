"""Long-lived render workers, fed batches of jobs, replaced when their memory grows.

A worker is a ``spawn`` process (vl-convert runs a JavaScript engine with
threads, which a forked child must not inherit half-locked) that imports
Altair and vl-convert once and renders batch after batch, its text
measurements and the engine staying warm. vl-convert's engine keeps memory
it has used: a worker that reports a resident size above the limit
(``CHARTS_WORKER_MEMORY_MB``) after a batch is told to stop and a fresh one
takes its place, so a build with a thousand renderings holds no more than a
build with ten.

A worker may draw with cut faces (:mod:`charts.subsets`): it is started with a
font list that names them first, and gets only the batches of jobs planned for
them. A job whose text goes beyond them is drawn again by a worker with the
system's fonts only.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import resource
import signal
import sys
import traceback
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

from strictbuild import ContentError
from strictbuild.progress import count as count_in_build

from .job import RenderJob
from .render import BeyondFonts, limit_text, render, start_worker
from .subsets import FontSet


def resident_mb() -> float:
    """This process's resident memory now (MB); its peak where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def _serve(
    connection: Connection, config: str | None, chars: frozenset[str] | None, font: str | None
) -> None:
    """A worker's loop: render each batch received, answer per job, until told to stop.

    With ``config``, vl-convert's font database reads that fontconfig file (cut
    faces first), and only text of ``chars`` in ``font`` is drawn; an answer of
    None sends the job to a worker with the system's fonts.
    """
    # Ctrl-C reaches the whole process group: the build process stops its
    # workers itself (render_in_workers), without a traceback from each.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if config is not None:
        os.environ["FONTCONFIG_FILE"] = config  # read once, at vl-convert's first drawing
        limit_text(chars, font)
    start_worker()
    while True:
        batch: list[RenderJob] | None = connection.recv()
        if batch is None:
            break
        for job in batch:
            try:
                found: list[ContentError] | str | None = render(job)
            except BeyondFonts:
                found = None
            except Exception:  # a bug, not bad content: the build reports it as an internal error
                found = traceback.format_exc()
            connection.send((found, resident_mb()))
    connection.close()


class _Worker:
    def __init__(self, context: Any, fonts: FontSet | None) -> None:
        self.connection: Connection
        self.connection, child = context.Pipe()
        args: tuple[Any, ...] = (child, None, None, None)
        if fonts is not None:
            try:
                args = (child, fonts.config(), fonts.chars, fonts.font)
            except OSError:  # the set is gone, or the system's fonts cannot be listed: whole fonts
                fonts = None
        self.process = context.Process(target=_serve, args=args, daemon=True)
        self.process.start()
        child.close()
        self.fonts = fonts
        self.batch: list[RenderJob] = []
        self.pending = 0
        self.resident = 0.0

    def send(self, batch: list[RenderJob]) -> None:
        self.batch = batch
        self.pending = len(batch)
        self.connection.send(batch)

    def stop(self) -> None:
        with contextlib.suppress(OSError):  # a worker that died has no pipe left
            self.connection.send(None)
        self.process.join(timeout=30)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


def render_in_workers(
    jobs: Sequence[RenderJob],
    count: int,
    *,
    memory_limit_mb: float,
    batch_size: int,
    done: Callable[[], None],
    fonts: Mapping[str, FontSet] | None = None,
) -> tuple[list[ContentError], int]:
    """Render ``jobs`` in ``count`` workers; return the problems and how many workers were replaced.

    ``fonts`` gives the cut faces a job is drawn with, by its ``target`` (see
    :func:`charts.subsets.plan`); a worker serves the batches of one set of
    faces and is replaced when the next batch needs another. ``done`` is
    called once per job rendered (for the progress line).
    """
    context = multiprocessing.get_context("spawn")
    fonts = fonts or {}
    # The jobs of each set of cut faces, in a row (those with the whole fonts last).
    groups: dict[int, tuple[FontSet | None, list[RenderJob]]] = {}
    for job in jobs:
        fontset = fonts.get(job.target)
        groups.setdefault(id(fontset), (fontset, []))[1].append(job)
    queue: deque[tuple[FontSet | None, list[RenderJob]]] = deque(
        (fontset, group[i : i + batch_size])
        for fontset, group in sorted(groups.values(), key=lambda pair: pair[0] is None)
        for i in range(0, len(group), batch_size)
    )
    workers: list[_Worker] = []
    problems: list[ContentError] = []
    replaced = 0
    try:
        while queue and len(workers) < count:
            fontset, batch = queue.popleft()
            workers.append(_Worker(context, fontset))
            workers[-1].send(batch)
        while any(worker.pending for worker in workers):
            busy = {id(worker.connection): worker for worker in workers if worker.pending}
            for connection in wait([worker.connection for worker in busy.values()]):
                worker = busy[id(connection)]
                try:
                    found, worker.resident = worker.connection.recv()
                except EOFError:
                    msg = f"a chart render worker stopped unexpectedly (exit code {worker.process.exitcode})"
                    raise RuntimeError(msg) from None
                if isinstance(found, str):
                    msg = f"a chart render worker failed:\n{found}"
                    raise RuntimeError(msg)
                job = worker.batch[len(worker.batch) - worker.pending]
                worker.pending -= 1
                if found is None:  # beyond the worker's cut faces: the system's fonts draw it
                    queue.append((None, [job]))
                else:
                    problems.extend(found)
                    done()
                    if worker.fonts is not None:
                        count_in_build("charts drawn with cut fonts")
                if worker.pending or not queue:
                    continue
                fontset, batch = queue.popleft()
                if worker.resident > memory_limit_mb or fontset is not worker.fonts:
                    replaced += worker.resident > memory_limit_mb
                    worker.stop()
                    fresh = _Worker(context, fontset)
                    workers[workers.index(worker)] = fresh
                    worker = fresh
                worker.send(batch)
    except BaseException:
        # An interrupt or a failure: stop at once rather than after the batches under way.
        for worker in workers:
            worker.process.kill()
        raise
    finally:
        for worker in workers:
            worker.stop()
    return problems, replaced
