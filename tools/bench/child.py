"""Run one build in this process and report what it did, as JSON on stdout.

Started by :mod:`tools.bench.run` as a fresh process per build, so that each
build's time and peak memory are its own. Usage::

    python tools/bench/child.py full|baseline SETTINGS OUTPUT EVENTS

``full`` is the project's build (``strictbuild``), ``baseline`` plain Pelican.
Every chart image rendered and every Markdown file parsed is appended to the
EVENTS file as a JSON line (worker processes forked by the build inherit the
counting wrappers, so their renders are counted too).
"""

from __future__ import annotations

import functools
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

#: vl-convert functions that render or compile a chart; each call is counted.
RENDER_FUNCTIONS = (
    "vegalite_to_svg",
    "vegalite_to_png",
    "vegalite_to_vega",
    "vega_to_svg",
    "vega_to_png",
)


def _log_event(events: str, record: dict[str, Any]) -> None:
    # One short line per write with O_APPEND: lines from concurrent worker
    # processes do not interleave.
    line = (json.dumps(record) + "\n").encode()
    fd = os.open(events, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def _counting(events: str, kind: str, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.time()
        try:
            return func(*args, **kwargs)
        finally:
            _log_event(
                events, {"kind": kind, "name": name, "pid": os.getpid(), "start": start, "end": time.time()}
            )

    return wrapper


def _instrument(events: str) -> None:
    """Wrap the functions whose calls the benchmark counts."""
    try:
        import vl_convert
    except ImportError:
        vl_convert = None
    if vl_convert is not None:
        for name in RENDER_FUNCTIONS:
            func = getattr(vl_convert, name, None)
            if func is not None:
                setattr(vl_convert, name, _counting(events, "render", name, func))
    readers: list[type] = []
    try:
        from markdown_reader.reader import MarkdownItReader

        readers.append(MarkdownItReader)
    except ImportError:
        pass
    try:
        from bench_baseline import CommonMarkReader

        readers.append(CommonMarkReader)
    except ImportError:
        pass
    for reader in readers:
        reader.read = _counting(events, "parse", reader.__name__, reader.read)  # type: ignore[attr-defined]


def main(argv: list[str]) -> int:
    """Run the build named on the command line and print its report."""
    kind, settings_path, output, events = argv
    _instrument(events)
    started = time.perf_counter()
    problems: list[str] = []
    if kind == "full":
        from strictbuild.driver import build

        result = build(settings_path, output)
        problems = [str(p) for p in result.problems]
    else:
        from pelican import Pelican
        from pelican.settings import read_settings

        settings = read_settings(settings_path, override={"OUTPUT_PATH": output})
        Pelican(settings).run()
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = {
        "ok": not problems,
        "problems": problems[:20],
        "problem_count": len(problems),
        "seconds": seconds,
        "maxrss_kb": own.ru_maxrss,
        "workers_maxrss_kb": workers.ru_maxrss,
        "cpu_seconds": own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime,
    }
    print(json.dumps(report))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
