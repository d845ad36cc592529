"""Write a group of pages in a forked process while the build process writes the rest.

A cold build writes its pages on one core: Pelican calls each generator's
``generate_output`` in turn. A generator whose pages read only what every
generator has read (the briefs after the render pass, the context) can hand
them to :func:`start` once writing begins (:data:`writing_started`): the
build forks, the child writes those pages with the same writer and state,
and the build process goes on with the other generators on the other core.

A forked process shares nothing written after the fork, so whatever writing a
page changes outside the output folder travels back: each holder of such state
registers a :class:`Carried` (the pages the writer placed and their records in
:mod:`strictbuild.reuse`, the problem log, the counts, the sitemap). The
child takes a mark of each right after the fork, and when its pages are
written sends what changed since (pickled, through a pipe); :func:`join_all`,
the first receiver of Pelican's ``finalized``, reads it and applies it before
anything reads the build's state. A child that fails hands back its problems
or its traceback, and the build fails with them. A build that stops on
content problems before the join waits for its children and lists theirs
too (:func:`problems_on_a_stop`); one that fails otherwise kills them (a
closer of the build state). Whatever the
child does, it leaves with ``os._exit``: none of the build's closers, lock
releases or ``finally`` blocks run in it.

Only where ``os.fork`` exists, more than one core is usable, and
``STRICTBUILD_FORKED_WRITERS`` is not false; else the caller writes its
pages itself, as before.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import logging
import os
import pickle
import signal
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from blinker import signal as named_signal

from . import heap, progress
from .failures import internal_error
from .problems import ContentError, ContentProblems, ProblemLog
from .state import build_state, current_state

__all__ = [
    "Carried",
    "Child",
    "ForkedWriterFailed",
    "WritesBeside",
    "carry",
    "forking_allowed",
    "join_all",
    "problems_on_a_stop",
    "start",
    "start_beside",
    "write_beside",
    "writing_started",
]

#: Sent with the writer once Pelican has made it, before any generator writes.
writing_started = named_signal("strictbuild_writing_started")


@dataclass(frozen=True)
class Carried:
    """State that writing a page changes and a forked child hands back.

    ``mark()`` is taken in the child right after the fork; ``since(mark)``
    there once its pages are written (picklable); ``take(change)`` in the
    build process, at the join.
    """

    name: str
    mark: Callable[[], Any]
    since: Callable[[Any], Any]
    take: Callable[[Any], None]


_CARRIED: dict[str, Carried] = {}
#: The name the problem log is carried under (registered at the end of the module).
_PROBLEMS = "strictbuild.problems"


def carry(carried: Carried) -> None:
    """Register state a forked child must hand back (once per name; a module's import registers it)."""
    _CARRIED[carried.name] = carried


class ForkedWriterFailed(RuntimeError):
    """A forked child raised, died or handed back nothing."""


@dataclass
class Child:
    """A forked process of the build, until it is joined."""

    name: str
    pid: int
    reading: int  # the read end of the pipe the child writes its result into
    pages: frozenset[str]

    def join(self, *, strict: bool = True) -> Any:
        """Wait for the child, log its records, apply its changes; what its work returned.

        Its content problems raise :class:`ContentProblems`. A child that was
        interrupted or died raises :class:`ForkedWriterFailed`, or, not
        ``strict``, gives None (the caller does the work itself).
        """
        state = current_state()
        children = state.peek(_Children) if state is not None else None
        if children is None or self not in children.running:
            return None
        try:
            reading, self.reading = self.reading, -1
            data = _read_all(reading)
            _pid, status = os.waitpid(self.pid, 0)
        except BaseException:
            _stop(self)
            raise
        finally:
            children.running.remove(self)
            if not children.running and children.unfreeze:
                children.unfreeze = False
                gc.unfreeze()
        code = os.waitstatus_to_exitcode(status)
        kind: str = "died"
        payload: Any = code
        logged: list[dict[str, Any]] = []
        if code == 0 and data:
            try:
                # Bytes this build's own child wrote into this build's pipe.
                kind, payload, logged = pickle.loads(data)  # noqa: S301
            except Exception as error:  # a result cut short
                kind, payload = "died", f"{code}; its result could not be read: {error}"
        for fields in logged:
            record = logging.makeLogRecord(fields)
            logger = logging.getLogger(record.name)
            # The child's loggers filtered it already (Pelican's raise on a repeat).
            if not logger.disabled:
                logger.callHandlers(record)
        if kind == "done":
            changes, value = payload
            for name, change in changes.items():
                _CARRIED[name].take(change)
            return value
        if kind == "problems":
            raise ContentProblems(payload)
        if not strict:
            return None
        if kind == "raised":
            raise ForkedWriterFailed(
                f"the forked child writing or reading {self.name} was stopped:\n{payload}"
            )
        raise ForkedWriterFailed(
            f"the forked child writing or reading {self.name} ended with status {payload}"
        )


@dataclass
class _Children:
    """The forked children of one build that have not been joined (a slot of its build state)."""

    running: list[Child] = field(default_factory=list)
    #: whether the join unfreezes what the fork froze (not when the driver's freezing is on)
    unfreeze: bool = False


def forking_allowed(settings: Any) -> bool:
    """Whether :func:`start` may fork.

    ``os.fork``, two usable cores, the main thread (the child resets the
    signal handlers), and ``STRICTBUILD_FORKED_WRITERS`` not false.
    """
    if not settings.get("STRICTBUILD_FORKED_WRITERS", True) or not hasattr(os, "fork"):
        return False
    if threading.current_thread() is not threading.main_thread():
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return cores > 1


def start(name: str, settings: Any, work: Callable[[], Any], pages: Iterable[str] = ()) -> Child | None:
    """Run ``work`` (which writes pages, or reads) in a forked child; None, doing nothing, when it cannot.

    ``name`` names the work in an error; ``pages`` are the names (relative
    to the output folder, ``/``-separated) of the pages it writes, which no
    step of the build process reads until the join (:func:`written_elsewhere`).
    The child's changes to the carried state, and what ``work`` returns
    (picklable), reach this process at its :meth:`Child.join`, or at
    :func:`join_all`.
    """
    if not forking_allowed(settings):
        return None
    state = build_state()
    children = state.peek(_Children)
    if children is None:
        children = state.slot(_Children)
        state.on_close(_kill_unjoined)
    try:
        reading, writing = os.pipe()
    except OSError:  # no file descriptor left: the caller does the work
        return None
    # Until the child has reset its handlers, a signal must not run the
    # build's handler (which ends the build) in the child.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    # The build's objects go to the oldest generation, so that a collection in
    # either process does not touch (and so copy) every page they share.
    freezing = not heap.freezing() and gc.get_freeze_count() == 0
    gc.freeze()
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:  # no memory or process left for a child: the caller writes the pages
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        if freezing:
            gc.unfreeze()
        os.close(reading)
        os.close(writing)
        return None
    if pid == 0:  # the child: never returns
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build process stops it
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            _die_with(parent)
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            os.close(reading)
            _child(writing, settings, work)
        finally:
            os._exit(70)
    signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    os.close(writing)
    children.unfreeze = children.unfreeze or freezing
    child = Child(name, pid, reading, frozenset(pages))
    children.running.append(child)
    return child


class WritesBeside(Protocol):
    """A generator whose pages a forked child may write (see :func:`write_beside`)."""

    settings: Any
    #: set when writing starts: True if a child writes the pages, so ``generate_output`` does not
    forked: bool

    def write_pages(self, writer: Any) -> None:
        """Write the generator's pages."""

    def page_names(self) -> Iterable[str]:
        """The pages :meth:`write_pages` may write, relative to the output folder."""


@dataclass
class _Beside:
    """The generators whose pages children write once writing starts (a slot of the build state)."""

    generators: list[tuple[str, WritesBeside]] = field(default_factory=list)


def write_beside(name: str, generator: WritesBeside) -> None:
    """Have a forked child write ``generator``'s pages once writing starts, while the build writes the rest.

    For a generator whose pages read only what every generator has read
    (the content after the render pass, the context, its own records) and
    nothing another generator writes. Called while it reads its content;
    its ``generate_output`` then writes only if ``forked`` is False (no
    fork: one core, the setting, no ``ReusingWriter``).
    """
    build_state().slot(_Beside).generators.append((name, generator))


def start_beside(writer: Any) -> None:
    """Start a child for each generator given to :func:`write_beside`.

    Connected to :data:`writing_started`.
    """
    state = current_state()
    found = state.peek(_Beside) if state is not None else None
    for name, generator in found.generators if found is not None else []:
        child = start(
            name, generator.settings, functools.partial(generator.write_pages, writer), generator.page_names()
        )
        generator.forked = child is not None


def written_elsewhere() -> frozenset[str]:
    """The pages forked children that have not been joined are writing (names relative to the output)."""
    state = current_state()
    children = state.peek(_Children) if state is not None else None
    if children is None or not children.running:
        return frozenset()
    return frozenset().union(*(child.pages for child in children.running))


def _find_prctl() -> Any:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux
        return None


#: Looked up here, not in a child: loading it there could wait on a lock another thread held at the fork.
_PRCTL = _find_prctl()


def _die_with(parent: int) -> None:
    """Have the kernel kill this child when the build process dies (Linux), so it never writes on alone."""
    if _PRCTL is not None:
        _PRCTL(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the build process died before the request
        os._exit(70)


class _Records(logging.Handler):
    """Keeps every record the child logs, to be logged again by the build process."""

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.records: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        fields = dict(record.__dict__)
        fields["msg"] = record.getMessage()
        fields["args"] = None
        if record.exc_info and not record.exc_text:
            fields["exc_text"] = logging.Formatter().formatException(record.exc_info)
        fields["exc_info"] = None
        self.records.append({k: v for k, v in fields.items() if _plain(v)})


def _plain(value: Any) -> bool:
    if value is None or isinstance(value, (str, int, float, bool)):
        return True
    return isinstance(value, tuple) and all(_plain(v) for v in value)


def _capture_logging() -> _Records:
    """Send every record the child logs to one list: it writes nothing to the terminal.

    A lock another thread of the build held at the fork (a stream's) stays
    held in the child; the child's records reach the build's handlers at the join.
    """
    records = _Records()
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    for logger in loggers:
        if isinstance(logger, logging.Logger):
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
    logging.getLogger().addHandler(records)
    return records


def _logged(marks: dict[str, Any]) -> list[ContentError]:
    """The problems a child logged before it stopped: listed with what stopped it, as in a serial build."""
    mark = marks.get(_PROBLEMS)
    return [] if mark is None else _problems_since(mark)


def _child(writing: int, settings: Any, work: Callable[[], Any]) -> None:
    records = _capture_logging()
    result: tuple[str, Any, list[dict[str, Any]]]
    marks: dict[str, Any] = {}
    try:
        counts = progress.current()
        if counts is not None:
            # The build process draws the progress line, and adds the child's pages at the join.
            counts.pages = None
        marks = {name: carried.mark() for name, carried in _CARRIED.items()}
        value = work()
        changes = {name: _CARRIED[name].since(mark) for name, mark in marks.items()}
        result = ("done", (changes, value), records.records)
    except ContentProblems as problems:
        result = ("problems", [*_logged(marks), *problems.problems], records.records)
    except Exception as error:  # as the driver reports it, with the brief named from this process's frames
        output = Path(str(settings.get("OUTPUT_PATH", "output")))
        result = ("problems", [*_logged(marks), internal_error(error, settings, output)], records.records)
    except BaseException:  # an interruption
        result = ("raised", traceback.format_exc(), records.records)
    try:
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # something the work returned or changed cannot travel: say what
        data = pickle.dumps(("raised", traceback.format_exc(), []), protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(data)
    while view:
        view = view[os.write(writing, view) :]
    os._exit(0)


def join_all(_pelican: Any = None) -> None:
    """Join every forked child of the build (see :meth:`Child.join`); every one, whatever the first raises.

    Connected to ``finalized`` before any other receiver: the sitemap, the
    link check, the search index and the record read what the children
    wrote. Called again, it does nothing.
    """
    problems, failures = _join_each()
    if failures:
        raise failures[0]
    if problems:
        raise ContentProblems(problems)


def _join_each() -> tuple[list[ContentError], list[Exception]]:
    """Join every child not joined yet: the content problems they stopped on, and their other failures."""
    state = current_state()
    children = state.peek(_Children) if state is not None else None
    failures: list[Exception] = []
    problems: list[ContentError] = []
    while children is not None and children.running:
        try:
            children.running[0].join()
        except ContentProblems as found:
            problems.extend(found.problems)
        except Exception as failed:  # the others are joined all the same
            failures.append(failed)
    return problems, failures


def problems_on_a_stop() -> list[ContentError]:
    """The content problems of the children not joined yet, once each has finished.

    For a build stopping on content problems found after its children
    started (the homes, the cite files): a serial build had written the
    children's pages before and lists their problems with those; killing
    the children would list only the ones that stopped the build. Their
    problems logged as they wrote reach the problem log at the join; those
    they stopped on are returned. A child that failed otherwise (died,
    interrupted, a page both processes wrote) is logged as a warning, which
    the build lists as a problem too.
    """
    problems, failures = _join_each()
    for failure in failures:
        logging.getLogger(__name__).warning("%s", failure)
    return problems


def _read_all(fd: int) -> bytes:
    parts = []
    try:
        while True:
            part = os.read(fd, 1 << 20)
            if not part:
                break
            parts.append(part)
    finally:
        os.close(fd)
    return b"".join(parts)


def _stop(child: Child) -> None:
    """Kill ``child`` and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(child.pid, signal.SIGKILL)
    if child.reading >= 0:
        with contextlib.suppress(OSError):
            os.close(child.reading)
        child.reading = -1
    with contextlib.suppress(ChildProcessError):
        os.waitpid(child.pid, 0)


def _kill_unjoined() -> None:
    """A build that ends before the join: stop its children and reap them."""
    state = current_state()
    children = state.peek(_Children) if state is not None else None
    if children is None:
        return
    while children.running:
        _stop(children.running.pop())
    if children.unfreeze:
        children.unfreeze = False
        gc.unfreeze()


def _problems_mark() -> int:
    state = current_state()
    log = state.peek(ProblemLog) if state is not None else None
    return len(log) if log is not None else 0


def _problems_since(mark: int) -> list[ContentError]:
    state = current_state()
    log = state.peek(ProblemLog) if state is not None else None
    return list(log.problems[mark:]) if log is not None else []


def _problems_take(found: list[ContentError]) -> None:
    if found:
        build_state().slot(ProblemLog).extend(found)


def _counts_mark() -> dict[str, int]:
    counts = progress.current()
    return dict(counts.counts) if counts is not None else {}


def _counts_since(mark: dict[str, int]) -> dict[str, int]:
    counts = progress.current()
    if counts is None:
        return {}
    return {
        name: amount - mark.get(name, 0)
        for name, amount in counts.counts.items()
        if amount != mark.get(name, 0)
    }


def _counts_take(change: dict[str, int]) -> None:
    counts = progress.current()
    if counts is None:
        return
    for name, amount in change.items():
        counts.add(name, amount)
    if counts.pages is not None and change.get("pages written"):
        counts.pages.advance(change["pages written"])


carry(Carried(_PROBLEMS, _problems_mark, _problems_since, _problems_take))
carry(Carried("strictbuild.progress", _counts_mark, _counts_since, _counts_take))
