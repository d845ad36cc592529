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
import atexit
import contextlib
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import blinker

from . import forked, progress
from .failures import WarningCollector, internal_error, settings_error, warning_problems
from .heap import survivors_frozen
from .problems import ContentError, ContentProblems, problem_log
from .settings import validate_settings
from .state import building
from .swap import replace_ahead, replace_output


class BuildInterrupted(BaseException):
    """Raised in the build when the process receives SIGTERM, as SIGINT raises KeyboardInterrupt."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@dataclass
class BuildResult:
    """What a build produced: the problems found, or none when it succeeded."""

    problems: list[ContentError]
    output: Path
    seconds: float
    #: what the build did: charts rendered, charts from the cache, pages written
    counts: dict[str, int] = field(default_factory=dict)
    #: True when nothing the site is built from changed: ``output`` was left as it was
    unchanged: bool = False

    @property
    def ok(self) -> bool:
        """True when the build succeeded and the output was replaced."""
        return not self.problems


def build(
    settings_path: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    override: Mapping[str, Any] | None = None,
    force: bool = False,
) -> BuildResult:
    """Build the site described by ``settings_path`` into ``output``.

    The output folder is replaced only if the build finds no problem. When
    nothing the site is built from changed since the build that wrote
    ``output`` (:mod:`strictbuild.uptodate`), it is left as it is, unless
    ``force`` is set. The build has a :class:`~strictbuild.state.BuildState`
    of its own, dropped when it ends, and every receiver a plugin connected
    is disconnected.
    """
    started = time.perf_counter()
    output_path = Path(output).resolve()
    output_path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_path.name}-building-", dir=output_path.parent))
    collector = WarningCollector()
    root = logging.getLogger()
    root.addHandler(collector)
    connected = _receivers()
    counts, counting = progress.begin()
    try:
        with building(), survivors_frozen():
            from . import reuse, uptodate  # import Pelican, which a settings error never needs

            reuse.enable(output_path)
            replace_ahead()  # temporary folders go with the previous site, in the background
            problems, settings, unchanged = _run(
                settings_path, override, staging, collector, output_path, force
            )
            if unchanged and not problems and reuse.verifying():
                problems = _unchanged_differs(staging, output_path)
                unchanged = False
            if not problems and not unchanged:
                job = reuse.settle_job()
                try:
                    replace_output(output_path, staging, job)
                except OSError as error:
                    if job is not None:
                        job.unlink(missing_ok=True)
                    problems = [internal_error(error, settings, staging)]
                else:
                    reuse.save_manifest()
                    uptodate.record(settings, output_path)
    finally:
        progress.end(counting)
        _disconnect_since(connected)
        root.removeHandler(collector)
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    seconds = time.perf_counter() - started
    return BuildResult(sorted(set(problems)), output_path, seconds, dict(counts.counts), unchanged)


def _unchanged_differs(built: Path, kept: Path) -> list[ContentError]:
    """In verify mode: the problem when a build found unchanged gives another site than the one kept."""
    from .uptodate import differences

    found = differences(built, kept)
    if not found:
        return []
    shown = ", ".join(found[:5]) + (f" and {len(found) - 5} more" if len(found) > 5 else "")
    return [
        ContentError(
            str(kept),
            0,
            "internal error: the build found every input unchanged since the build that wrote this "
            f"folder, but building again gives different files ({shown}): an input is missing "
            "from strictbuild/uptodate.py's digest",
        )
    ]


def _run(
    settings_path: str | os.PathLike[str],
    override: Mapping[str, Any] | None,
    staging: Path,
    collector: WarningCollector,
    output: Path,
    force: bool = False,
) -> tuple[list[ContentError], Mapping[str, Any], bool]:
    """Read and check the settings, run Pelican into ``staging``.

    Returns the problems found, the settings, and whether ``output`` already
    holds the site of these very inputs (:mod:`strictbuild.uptodate`): Pelican
    then reads and writes nothing, unless the build verifies that claim.
    """
    from pelican import Pelican
    from pelican.settings import read_settings

    from . import reuse, uptodate
    from .cache import store_fingerprint

    try:
        settings = read_settings(
            str(settings_path),
            override={**(override or {}), "OUTPUT_PATH": str(staging), "DELETE_OUTPUT_DIRECTORY": False},
        )
    except Exception as error:
        return [settings_error(error, str(settings_path))], {}, False
    invalid = validate_settings(settings, str(settings_path))
    if invalid:
        return invalid, settings, False
    log = problem_log()
    unchanged = False
    try:
        # Loading the plugins opens the content cache (strictbuild's
        # ``initialized`` receiver), whose fingerprint the inputs digest uses.
        pelican = Pelican(settings)
        unchanged = uptodate.unchanged(pelican.settings, output, str(settings_path)) and not force
        if unchanged and not reuse.verifying():
            store_fingerprint(pelican.settings)  # the cache stays valid: nothing was read
        else:
            pelican.run()
    except ContentProblems as stop:
        log.extend(stop.problems)
        log.extend(forked.problems_on_a_stop())  # every problem a serial build would list
    except Exception as error:
        log.add(internal_error(error, settings, staging))
    return log.sorted() + warning_problems(collector.records, log), settings, unchanged


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


def _interrupt(signum: int, _frame: Any) -> None:
    """Turn SIGTERM into an exception, so the build unwinds and removes its unfinished site."""
    raise BuildInterrupted(signum)


def _print_result(result: BuildResult) -> None:
    if result.ok and result.unchanged:
        print(
            f"Nothing the site is built from changed since the build that wrote {result.output}: "
            f"left it as it was (checked in {result.seconds:.1f} s).",
            file=sys.stderr,
        )
        return
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
    for changes in watch(*folders, Path(settings_path).resolve()):
        if code_changed(changes, root / "plugins"):
            # Python keeps the plugins it imported: a build in this process
            # would run the old code while every cache keys on the new.
            print("The plugins' code changed: starting the build process again.", file=sys.stderr)
            os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])  # noqa: S606 (the same command)
        _print_result(build(settings_path, output))


def code_changed(changes: Iterable[tuple[Any, str]], plugins: Path) -> bool:
    """True when a watched change touched a Python file below ``plugins``."""
    folder = plugins.resolve()
    return any(
        Path(path).suffix == ".py" and Path(path).resolve().is_relative_to(folder)
        for _change, path in changes
    )


def exit_now(code: int) -> NoReturn:
    """End the process with ``code`` without tearing its heap down object by object.

    A build of thousands of pages ends holding hundreds of megabytes of
    Python objects; the interpreter's finalization frees them one by one
    (0.65 s at 2,000 briefs), where the system takes the memory back at
    once. The build has closed what it opened by then; what the process
    registered to run at exit still runs, and the standard streams are
    flushed. With another thread still running, the process ends the usual
    way, which waits for it; so it does under a profiler or a tracer
    (``python -m pyinstrument -m strictbuild``, cProfile, a debugger), which
    reports once the program it runs has returned.
    """
    if threading.active_count() > 1 or sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    atexit._run_exitfuncs()  # logging's shutdown, multiprocessing's finalizers: what exit runs
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m strictbuild --settings pelicanconf.py --output output``."""
    parser = argparse.ArgumentParser(prog="strictbuild", description=__doc__.splitlines()[0])
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--output", default="output")
    parser.add_argument("--watch", action="store_true", help="rebuild when a source changes")
    parser.add_argument("--serve", action="store_true", help="serve the output on localhost")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--force", action="store_true", help="build in full even when nothing the site is built from changed"
    )
    args = parser.parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        result = build(args.settings, args.output, force=args.force)
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
