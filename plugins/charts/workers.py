"""Long-lived render workers, fed batches of jobs, replaced when their memory grows.

A worker is a ``spawn`` process (vl-convert runs a JavaScript engine with
threads, which a forked child must not inherit half-locked) that imports
Altair and vl-convert once and renders batch after batch, its text
measurements and the engine staying warm. vl-convert's engine keeps memory
it has used: a worker that reports a resident size above the limit
(``CHARTS_WORKER_MEMORY_MB``) after a batch is told to stop and a fresh one
takes its place, so a build with a thousand renderings holds no more than a
build with ten.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import resource
import sys
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

from strictbuild import ContentError

from .job import RenderJob
from .render import render, start_worker


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


def _serve(connection: Connection) -> None:
    """A worker's loop: render each batch received, answer per job, until told to stop."""
    start_worker()
    while True:
        batch: list[RenderJob] | None = connection.recv()
        if batch is None:
            break
        for job in batch:
            try:
                found: list[ContentError] | str = render(job)
            except Exception:  # a bug, not bad content: the build reports it as an internal error
                found = traceback.format_exc()
            connection.send((found, resident_mb()))
    connection.close()


class _Worker:
    def __init__(self, context: Any) -> None:
        self.connection: Connection
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child,), daemon=True)
        self.process.start()
        child.close()
        self.pending = 0
        self.resident = 0.0

    def send(self, batch: list[RenderJob]) -> None:
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
) -> tuple[list[ContentError], int]:
    """Render ``jobs`` in ``count`` workers; return the problems and how many workers were replaced.

    ``done`` is called once per job rendered (for the progress line).
    """
    context = multiprocessing.get_context("spawn")
    queue = deque(list(jobs[i : i + batch_size]) for i in range(0, len(jobs), batch_size))
    workers = [_Worker(context) for _ in range(min(count, len(queue)))]
    problems: list[ContentError] = []
    replaced = 0
    try:
        for worker in workers:
            worker.send(queue.popleft())
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
                problems.extend(found)
                done()
                worker.pending -= 1
                if worker.pending or not queue:
                    continue
                if worker.resident > memory_limit_mb:
                    worker.stop()
                    fresh = _Worker(context)
                    workers[workers.index(worker)] = fresh
                    worker = fresh
                    replaced += 1
                worker.send(queue.popleft())
    finally:
        for worker in workers:
            worker.stop()
    return problems, replaced
