"""Run a Pelican build that is strict, atomic and reproducible.

Strict: every content problem and every warning Pelican logs is collected, and
the build fails once, listing all of them as ``path:line: message``.
Atomic: the site is written to a temporary folder beside the output folder
and replaces it only when the build succeeded, so a failed build leaves the
previous output byte for byte as it was. That holds however the build ends:
with content problems, with an exception in a plugin (reported as an
internal error naming the file being processed, never as a traceback), when
a write fails (a full disk), and when the build is interrupted (SIGINT,
SIGTERM). The swap itself is one atomic exchange of the two folders.
"""

from __future__ import annotations

import argparse
import ctypes
import errno
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import weakref
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import blinker

from . import progress
from .problems import PROBLEMS_SETTING, ContentError, ContentProblems, display_path, problem_log
from .settings import validate_settings

#: errno values meaning the disk (or the process's file-size limit) is full.
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class BuildInterrupted(BaseException):
    """Raised in the build when the process receives SIGTERM, as SIGINT raises KeyboardInterrupt."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class _Collector(logging.Handler):
    """Keeps every warning and error logged during a build."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class BuildResult:
    """What a build produced: the problems found, or none when it succeeded."""

    problems: list[ContentError]
    output: Path
    seconds: float
    #: what the build did: charts rendered, charts from the cache, pages written
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the build succeeded and the output was replaced."""
        return not self.problems


def _warning_problems(
    records: Sequence[logging.LogRecord], settings: Mapping[str, Any]
) -> list[ContentError]:
    """Turn logged warnings into problems, skipping those already reported."""
    log = settings.get(PROBLEMS_SETTING)
    found: list[ContentError] = []
    for record in records:
        message = record.getMessage()
        # Pelican logs "Could not process <file>" or "Skipping <file>" for a
        # file our reader refused; the reader already reported why, with its line.
        if message.startswith(("Could not process", "Skipping")) and log is not None:
            named = message.split(":")[0].split(" ", 2)[-1].strip()
            if log.covers(named) or any(
                log.covers(str(a)) for a in (record.args or ()) if isinstance(a, str)
            ):
                continue
        where = getattr(record, "content_path", None) or record.name
        line = int(getattr(record, "content_line", 0) or 0)
        level = record.levelname.lower()
        found.append(ContentError(str(where), line, f"{level}: {message.splitlines()[0]}"))
    return found


def build(
    settings_path: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    override: Mapping[str, Any] | None = None,
) -> BuildResult:
    """Build the site described by ``settings_path`` into ``output``.

    The output folder is replaced only if the build finds no problem.
    """
    from pelican import Pelican
    from pelican.settings import read_settings

    started = time.perf_counter()
    output_path = Path(output).resolve()
    output_path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_path.name}-building-", dir=output_path.parent))
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    problems: list[ContentError] = []
    settings: dict[str, Any] = {}
    connected = _receivers()
    counts, counting = progress.begin()
    try:
        try:
            settings = read_settings(
                str(settings_path),
                override={**(override or {}), "OUTPUT_PATH": str(staging), "DELETE_OUTPUT_DIRECTORY": False},
            )
        except Exception as error:
            return BuildResult(
                [_settings_error(error, str(settings_path))], output_path, time.perf_counter() - started
            )
        invalid = validate_settings(settings, str(settings_path))
        if invalid:
            return BuildResult(invalid, output_path, time.perf_counter() - started)
        log = problem_log(settings)
        try:
            Pelican(settings).run()
        except ContentProblems as stop:
            log.extend(stop.problems)
        except Exception as error:
            log.add(_internal_error(error, settings, staging))
        problems = log.sorted()
        problems += _warning_problems(collector.records, settings)
        if not problems:
            try:
                _replace(output_path, staging)
            except OSError as error:
                problems = [_internal_error(error, settings, staging)]
    finally:
        progress.end(counting)
        _disconnect_since(connected)
        root.removeHandler(collector)
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    seconds = time.perf_counter() - started
    return BuildResult(sorted(set(problems)), output_path, seconds, dict(counts.counts))


def _receivers() -> dict[int, set[Hashable]]:
    """Who listens to each signal now (Pelican's and the plugins' own), by signal."""
    return {id(sig): set(sig.receivers) for sig in list(blinker.default_namespace.values())}


def _disconnect_since(before: Mapping[int, set[Hashable]]) -> None:
    """Disconnect every receiver connected during the build.

    Pelican calls each plugin's ``register()`` at the start of every build,
    but nothing disconnects them, so in a long-lived process (the tests, the
    watcher) a plugin of one build would still fire in the next.
    """
    for sig in list(blinker.default_namespace.values()):
        for key in set(sig.receivers) - before.get(id(sig), set()):
            held = sig.receivers.get(key)
            receiver = held() if isinstance(held, weakref.ref) else held
            if receiver is not None:
                sig.disconnect(receiver)


def _plugin_frame(error: BaseException) -> str:
    """`` (in plugins/x/y.py:N)`` for the deepest frame of the project's plugins, else ''."""
    plugins = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    where = ""
    for frame in traceback.extract_tb(error.__traceback__):
        if os.path.abspath(frame.filename).startswith(plugins + os.sep):
            where = f" (in {os.path.relpath(frame.filename, os.path.dirname(plugins))}:{frame.lineno})"
    return where


def _file_in_process(error: BaseException, settings: Mapping[str, Any]) -> str | None:
    """The content file the build was working on when ``error`` was raised, if any.

    Found in the frames of the traceback, innermost first: a content object
    being read or written (``source_path``), or a file path in the content folder.
    """
    content = os.path.abspath(str(settings.get("PATH", "content")))
    for frame, _line in reversed(list(traceback.walk_tb(error.__traceback__))):
        for value in frame.f_locals.values():
            candidate = getattr(value, "source_path", value)
            if isinstance(candidate, (str, os.PathLike)) and not isinstance(candidate, bytes):
                path = os.path.abspath(os.fspath(candidate))
                if path.startswith(content + os.sep) and os.path.isfile(path):
                    return path
    return None


def _describe(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _internal_error(error: BaseException, settings: Mapping[str, Any], staging: Path) -> ContentError:
    """An exception no plugin turned into a content problem, as one ``path:line: message``."""
    mutable = dict(settings)
    if isinstance(error, OSError) and error.errno in _FULL:
        name = str(error.filename or "")
        shown = os.path.relpath(name, staging) if name.startswith(str(staging)) else name
        return ContentError(
            shown or "output", 0, f"could not write the site: {os.strerror(error.errno or 0)}"
        )
    path = _file_in_process(error, settings)
    shown = display_path(path, mutable) if path else str(settings.get("PATH", "content"))
    return ContentError(shown, 0, f"internal error while building: {_describe(error)}{_plugin_frame(error)}")


def _settings_error(error: BaseException, settings_path: str) -> ContentError:
    """An exception raised while reading the settings file, at its line there."""
    shown = display_path(os.path.abspath(settings_path))
    line = 0
    if isinstance(error, SyntaxError) and error.lineno:
        line = int(error.lineno)
    else:
        for frame in traceback.extract_tb(error.__traceback__):
            if os.path.abspath(frame.filename) == os.path.abspath(settings_path) and frame.lineno:
                line = frame.lineno
    return ContentError(shown, line, f"the settings file could not be read: {_describe(error)}")


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


def _replace(output: Path, staging: Path) -> None:
    """Move the new site into place; the old one is removed in the background.

    Where the system can, the two folders are exchanged in one atomic step,
    so there is no moment without a site at ``output`` even if the process
    is killed. Elsewhere the two renames run with SIGINT and SIGTERM blocked.
    Removing thousands of old files can take longer than writing the new
    ones when the disk is busy, and the new site is already in place, so the
    build does not wait for it. Old sites left by an earlier build that
    stopped before removing its own are removed too.
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
    old = sorted(output.parent.glob(f".{output.name}-previous-*"))
    if old:
        subprocess.Popen(
            [sys.executable, "-c", _REMOVE, *map(str, old)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )


_REMOVE = "import shutil, sys\nfor path in sys.argv[1:]:\n    shutil.rmtree(path, ignore_errors=True)"


def _interrupt(signum: int, _frame: Any) -> None:
    """Turn SIGTERM into an exception, so the build unwinds and removes its unfinished site."""
    raise BuildInterrupted(signum)


def _print_result(result: BuildResult) -> None:
    if result.ok:
        done = progress.BuildCounts(result.counts).summary()
        ending = f": {done}." if done else "."
        print(f"Built the site into {result.output} in {result.seconds:.1f} s{ending}", file=sys.stderr)
        return
    for problem in result.problems:
        print(problem, file=sys.stderr)
    count = len(result.problems)
    print(
        f"{count} problem{'s' if count != 1 else ''} found; {result.output} was left as it was.",
        file=sys.stderr,
    )


def _serve(output: Path, port: int) -> None:
    import functools
    import http.server

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving {output} at http://127.0.0.1:{port}/", file=sys.stderr)


def _watch(settings_path: str, output: str) -> None:
    from watchfiles import watch

    root = Path(settings_path).resolve().parent
    folders = [p for p in (root / "content", root / "theme", root / "plugins") if p.exists()]
    for _changes in watch(*folders, Path(settings_path).resolve()):
        _print_result(build(settings_path, output))


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m strictbuild --settings pelicanconf.py --output output``."""
    parser = argparse.ArgumentParser(prog="strictbuild", description=__doc__.splitlines()[0])
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--output", default="output")
    parser.add_argument("--watch", action="store_true", help="rebuild when a source changes")
    parser.add_argument("--serve", action="store_true", help="serve the output on localhost")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        result = build(args.settings, args.output)
    except (KeyboardInterrupt, BuildInterrupted) as stop:
        signum = stop.signum if isinstance(stop, BuildInterrupted) else signal.SIGINT
        name = signal.Signals(signum).name
        where = Path(args.output).resolve()
        print(f"Build interrupted ({name}); {where} was left as it was.", file=sys.stderr)
        return 128 + signum
    finally:
        signal.signal(signal.SIGTERM, previous)
    _print_result(result)
    if args.watch:
        if args.serve:
            _serve(Path(args.output).resolve(), args.port)
        # Ctrl-C is how a watching build is meant to end: say so, not with a traceback.
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            _watch(args.settings, args.output)
        except (KeyboardInterrupt, BuildInterrupted):
            where = Path(args.output).resolve()
            print(f"Stopped watching; {where} holds the last good build.", file=sys.stderr)
            return 0
    return 0 if result.ok else 1
