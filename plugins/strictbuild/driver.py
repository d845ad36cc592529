"""Run a Pelican build that is strict, atomic and reproducible.

Strict: every content problem and every warning Pelican logs is collected, and
the build fails once, listing all of them as ``path:line: message``.
Atomic: the site is written to a temporary folder beside the output folder
and replaces it only when the build succeeded, so a failed build leaves the
previous output byte for byte as it was.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import blinker

from . import progress
from .problems import PROBLEMS_SETTING, ContentError, ContentProblems, problem_log


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
    connected = _receivers()
    counts, counting = progress.begin()
    try:
        settings = read_settings(
            str(settings_path),
            override={**(override or {}), "OUTPUT_PATH": str(staging), "DELETE_OUTPUT_DIRECTORY": False},
        )
        log = problem_log(settings)
        try:
            Pelican(settings).run()
        except ContentProblems as stop:
            log.extend(stop.problems)
        problems = log.sorted()
        problems += _warning_problems(collector.records, settings)
        if not problems:
            _replace(output_path, staging)
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


def _replace(output: Path, staging: Path) -> None:
    """Move the new site into place; the old one is removed in the background.

    Removing thousands of old files can take longer than writing the new
    ones when the disk is busy, and the new site is already in place, so the
    build does not wait for it. Old sites left by an earlier build that
    stopped before removing its own are removed too.
    """
    if output.exists():
        output.rename(output.with_name(f".{output.name}-previous-{os.getpid()}-{time.monotonic_ns()}"))
    staging.rename(output)
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
    result = build(args.settings, args.output)
    _print_result(result)
    if args.watch:
        if args.serve:
            _serve(Path(args.output).resolve(), args.port)
        _watch(args.settings, args.output)
    return 0 if result.ok else 1
