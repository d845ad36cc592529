"""Leave the build's long-lived objects out of Python's later full garbage collections.

A build holds every brief's records from reading to the end (Pelican reads
the whole site before it writes any of it), so the heap only grows, and
each of CPython's full collections (one each time the objects that
survived collections grew by a quarter) walks all of it: 11 of them,
1.7–2.0 s of a 23–28 s rebuild after one changed brief at N = 2000.
While a build runs, whatever survived a full collection is frozen
(:func:`gc.freeze`), so each later one walks only what was made since.
Reference counting frees objects as before; only a reference cycle left
unreachable after its objects were frozen waits for the end of the build,
when everything is unfrozen and a process running several builds (a test
run, the watcher) collects it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["freezing", "survivors_frozen"]


def _freeze_survivors(phase: str, info: dict[str, Any]) -> None:
    if phase == "stop" and info.get("generation") == 2:
        gc.freeze()


@contextmanager
def survivors_frozen() -> Iterator[None]:
    """Freeze what survives each full collection for the length of the ``with`` block, then unfreeze.

    Nothing is done if the process froze objects of its own already (its
    freezing is not undone), or inside such a block.
    """
    if gc.get_freeze_count() or _freeze_survivors in gc.callbacks:
        yield
        return
    gc.callbacks.append(_freeze_survivors)
    try:
        yield
    finally:
        gc.callbacks.remove(_freeze_survivors)
        gc.unfreeze()


def freezing() -> bool:
    """Whether a :func:`survivors_frozen` block is running (it unfreezes everything at its end)."""
    return _freeze_survivors in gc.callbacks
