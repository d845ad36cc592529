"""Count what a benchmarked build does: chart renders and Markdown parses.

Each counted call is appended to the file named by ``BENCH_EVENTS`` as one
JSON line (kind, function, process id, start and end time). Chart workers
are started with ``spawn`` and so import a fresh vl-convert: this module is
loaded in every process of a benchmarked build by the ``sitecustomize``
beside it, which Python imports at start-up when this folder is on the path.
"""

from __future__ import annotations

import functools
import json
import os
import time
from collections.abc import Callable
from typing import Any

#: vl-convert functions that compile or draw a chart; each call is counted.
RENDER_FUNCTIONS = (
    "vegalite_to_vega",
    "vegalite_to_svg",
    "vegalite_to_png",
    "vega_to_svg",
    "vega_to_png",
    "svg_to_png",
)


def log_event(record: dict[str, Any]) -> None:
    """Append one event to the events file (no-op outside a benchmark)."""
    events = os.environ.get("BENCH_EVENTS")
    if not events:
        return
    # One short write with O_APPEND: lines from concurrent processes do not interleave.
    line = (json.dumps(record) + "\n").encode()
    fd = os.open(events, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def counting(kind: str, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``func`` so that each call is logged with its duration."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.time()
        try:
            return func(*args, **kwargs)
        finally:
            log_event({"kind": kind, "name": name, "pid": os.getpid(), "start": start, "end": time.time()})

    return wrapper


def count_renders() -> None:
    """Wrap vl-convert's rendering functions, when it is installed."""
    try:
        import vl_convert
    except ImportError:
        return
    for name in RENDER_FUNCTIONS:
        func = getattr(vl_convert, name, None)
        if func is not None and not hasattr(func, "__wrapped__"):
            setattr(vl_convert, name, counting("render", name, func))


def count_parses(readers: list[type]) -> None:
    """Wrap the ``read`` method of each reader class."""
    for reader in readers:
        reader.read = counting("parse", reader.__name__, reader.read)  # type: ignore[attr-defined]
