"""The state of one build, in one object that lives exactly as long as the build.

What a build collects while it runs (the problem log, the links to check,
the citations registry, the compiled catalogs, the sitemap...) is kept in a
:class:`BuildState`, not in the settings (which every template context
would see) and not in module globals (which would outlive the build). A
plugin keeps its part in a *slot*, keyed by a type the plugin owns and
created on first use::

    sitemap = build_state().slot(Sitemap)            # Sitemap() on first use
    cites = build_state().slot(CitationsState, lambda: load(settings))

The build driver (:mod:`strictbuild.driver`) opens a state before Pelican
starts and drops it when the build ends, however it ends. When Pelican runs
without the driver (``pelican`` on the command line), this plugin's
``register()`` opens one for that run; it lasts until the next run starts
or the process ends. The current state is held in a context variable that
only this module sets.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

__all__ = ["BuildState", "NoBuild", "build_state", "building", "current_state", "open_for_pelican"]

T = TypeVar("T")


class NoBuild(RuntimeError):
    """Raised when build state is asked for while no build is running."""


class BuildState:
    """Typed slots for what one build keeps while it runs."""

    def __init__(self) -> None:
        self._slots: dict[type[Any], Any] = {}
        #: set once Pelican has started the build this state belongs to
        self.started = False
        self._closers: list[Callable[[], None]] = []

    def slot(self, kind: type[T], factory: Callable[[], T] | None = None) -> T:
        """The build's ``kind`` object, made by ``factory`` (default ``kind()``) on first use."""
        found = self._slots.get(kind)
        if found is None:
            found = (factory or kind)()
            if not isinstance(found, kind):
                raise TypeError(f"the factory of slot {kind.__qualname__} made a {type(found).__qualname__}")
            self._slots[kind] = found
        return cast(T, found)

    def peek(self, kind: type[T]) -> T | None:
        """The build's ``kind`` object if one was made, else None (nothing is created)."""
        return cast("T | None", self._slots.get(kind))

    def on_close(self, closer: Callable[[], None]) -> None:
        """Call ``closer`` when the build ends (to release a lock, say)."""
        self._closers.append(closer)

    def close(self) -> None:
        """End the build: run the closers (newest first, those they add too) and forget every slot."""
        failed: BaseException | None = None
        try:
            while self._closers:
                closers, self._closers = self._closers, []
                for closer in reversed(closers):
                    try:
                        closer()
                    except BaseException as error:  # every closer runs; the first failure is raised
                        failed = failed or error
        finally:
            self._slots.clear()
        if failed is not None:
            raise failed


_CURRENT: contextvars.ContextVar[BuildState | None] = contextvars.ContextVar("build_state", default=None)


def current_state() -> BuildState | None:
    """The running build's state, or None outside a build."""
    return _CURRENT.get()


def build_state() -> BuildState:
    """The running build's state; :class:`NoBuild` outside a build."""
    state = _CURRENT.get()
    if state is None:
        raise NoBuild("no build is running: build with strictbuild.driver, or list strictbuild in PLUGINS")
    return state


@contextmanager
def building() -> Iterator[BuildState]:
    """Open a fresh state for the length of the ``with`` block, then drop it."""
    state = BuildState()
    token = _CURRENT.set(state)
    try:
        yield state
    finally:
        try:
            state.close()
        finally:
            _CURRENT.reset(token)


def open_for_pelican() -> BuildState:
    """The state of the Pelican run being set up, opened here if nobody opened one.

    Called from this plugin's ``register()``, which Pelican calls for every
    new run. A state the driver opened and Pelican has not started yet is
    that run's; a state some earlier run started is replaced by a fresh one.
    """
    state = _CURRENT.get()
    if state is not None and not state.started:
        return state
    if state is not None:
        state.close()
    fresh = BuildState()
    _CURRENT.set(fresh)
    return fresh
