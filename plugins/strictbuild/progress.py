"""Where a long build is: a progress line on a terminal, and a closing summary.

A build on a few thousand briefs runs for minutes, so the steps that take
time (chart renders, pages written) draw one self-overwriting line on the
terminal: how many are done, of how many, and about how long is left. The
line is drawn only when standard error is a terminal and ``CI`` is not set,
so logs and test output stay clean.

What the build did (charts rendered, charts taken from the cache, pages
written) is counted in a :class:`BuildCounts` that the driver opens for the
length of one build (a context variable, so nothing outlives the build) and
prints in its closing line. Plugins count with :func:`count`.
"""

from __future__ import annotations

import contextvars
import os
import sys
import time
from dataclasses import dataclass, field
from typing import TextIO

__all__ = ["BuildCounts", "Progress", "begin", "count", "current", "draws_progress", "end"]

#: Seconds between two redraws of a progress line.
_REDRAW = 0.1


@dataclass
class BuildCounts:
    """What one build did, by name (``"charts rendered"``, ...), in the order first counted."""

    counts: dict[str, int] = field(default_factory=dict)
    #: the progress line of the pages being written, while they are
    pages: Progress | None = None

    def add(self, name: str, amount: int = 1) -> None:
        """Add ``amount`` to the count called ``name``."""
        self.counts[name] = self.counts.get(name, 0) + amount

    def summary(self) -> str:
        """The counts as one phrase: ``"4 charts rendered, 36 charts from the cache"``."""
        return ", ".join(f"{amount} {name}" for name, amount in self.counts.items())


_CURRENT: contextvars.ContextVar[BuildCounts | None] = contextvars.ContextVar("build_counts", default=None)


def begin() -> tuple[BuildCounts, contextvars.Token[BuildCounts | None]]:
    """Open the counts of one build; :func:`count` adds to them until :func:`end`."""
    counts = BuildCounts()
    return counts, _CURRENT.set(counts)


def end(token: contextvars.Token[BuildCounts | None]) -> None:
    """Close the counts opened by :func:`begin`, and any progress line left open."""
    counts = _CURRENT.get()
    if counts is not None and counts.pages is not None:
        counts.pages.close()
    _CURRENT.reset(token)


def count(name: str, amount: int = 1) -> None:
    """Count ``amount`` of ``name`` in the running build (nothing outside a build)."""
    current = _CURRENT.get()
    if current is not None:
        current.add(name, amount)


def current() -> BuildCounts | None:
    """The counts of the running build, or None outside a build."""
    return _CURRENT.get()


def draws_progress(stream: TextIO) -> bool:
    """True when ``stream`` is a terminal and the build is not running under CI."""
    if os.environ.get("CI"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Progress:
    """One progress line: ``charts: 12/40, about 8 s left``.

    With ``total`` unknown (``None``) the line shows the count and the rate.
    Nothing is drawn unless :func:`draws_progress` allows it (or ``enabled``
    says so); :meth:`close` ends the line so the next output starts clean.
    """

    def __init__(
        self,
        what: str,
        total: int | None,
        *,
        stream: TextIO | None = None,
        enabled: bool | None = None,
    ) -> None:
        self.what = what
        self.total = total
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = draws_progress(self.stream) if enabled is None else enabled
        self._started = time.monotonic()
        self._drawn_at = 0.0
        self._drawn = False

    def advance(self, amount: int = 1) -> None:
        """Count ``amount`` more done, and redraw if enough time has passed."""
        self.done += amount
        now = time.monotonic()
        finished = self.total is not None and self.done >= self.total
        if self.enabled and (finished or now - self._drawn_at >= _REDRAW):
            self._draw(now)

    def line(self, now: float | None = None) -> str:
        """The text of the line as it would be drawn now."""
        elapsed = (now if now is not None else time.monotonic()) - self._started
        if self.total is None:
            rate = self.done / elapsed if elapsed > 0 else 0.0
            return f"{self.what}: {self.done} ({rate:.0f}/s)"
        text = f"{self.what}: {self.done}/{self.total}"
        if 0 < self.done < self.total and elapsed > 0:
            left = elapsed / self.done * (self.total - self.done)
            text += f", about {left:.0f} s left"
        return text

    def _draw(self, now: float) -> None:
        # \r returns to the line's start and ESC[K clears what a longer line left.
        self.stream.write(f"\r{self.line(now)}\x1b[K")
        self.stream.flush()
        self._drawn_at = now
        self._drawn = True

    def close(self) -> None:
        """End the line, if one was drawn."""
        if self._drawn:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
