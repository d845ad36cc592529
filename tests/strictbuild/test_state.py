"""The build state: typed slots that live exactly as long as one build."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field

import pytest

from strictbuild.problems import ContentError, problem_log
from strictbuild.state import BuildState, NoBuild, build_state, building, current_state, open_for_pelican


@dataclass
class Notes:
    lines: list[str] = field(default_factory=list)


def test_a_slot_is_made_once_per_build_and_typed() -> None:
    with building() as state:
        state.slot(Notes).lines.append("a")
        assert build_state().slot(Notes).lines == ["a"]
        assert state.peek(Notes) is state.slot(Notes)
        with pytest.raises(TypeError, match="Notes"):
            state.slot(ContentError, lambda: Notes())  # type: ignore[arg-type, return-value]


def test_a_factory_gives_the_first_value() -> None:
    with building() as state:
        assert state.slot(Notes, lambda: Notes(["from settings"])).lines == ["from settings"]
        assert state.slot(Notes, lambda: Notes(["ignored"])).lines == ["from settings"]


def test_nothing_outlives_the_build() -> None:
    outer = build_state()
    released: list[str] = []
    with building() as state:
        problem_log().add(ContentError("a.md", 1, "wrong"))
        state.on_close(lambda: released.append("lock"))
        assert current_state() is state
    assert released == ["lock"]
    assert state.peek(Notes) is None
    assert current_state() is outer
    assert not problem_log()  # the outer build's log never saw the inner build's problem


def test_outside_a_build_there_is_no_state() -> None:
    with pytest.raises(NoBuild, match="no build is running"):
        contextvars.Context().run(build_state)


def test_pelican_without_the_driver_gets_a_fresh_state_per_run() -> None:
    def runs() -> tuple[BuildState, BuildState, BuildState]:
        first = open_for_pelican()
        assert open_for_pelican() is first  # a second plugin of the same run
        first.started = True  # Pelican sent ``initialized``
        first.slot(Notes).lines.append("first run")
        second = open_for_pelican()
        return first, second, build_state()

    first, second, now = contextvars.Context().run(runs)
    assert second is not first
    assert now is second
    assert second.peek(Notes) is None
    assert first.peek(Notes) is None


def test_the_driver_state_is_the_one_pelican_uses() -> None:
    with building() as state:
        assert open_for_pelican() is state


def test_a_closer_added_while_the_build_ends_runs_too() -> None:
    ran: list[str] = []
    with building() as state:

        def first() -> None:
            ran.append("first")
            state.on_close(lambda: ran.append("added while closing"))

        state.on_close(first)
    assert ran == ["first", "added while closing"]


def test_every_closer_runs_though_one_fails() -> None:
    ran: list[str] = []

    def failing() -> None:
        raise OSError("a lock that would not close")

    state = BuildState()
    state.on_close(lambda: ran.append("first registered"))
    state.on_close(failing)
    state.on_close(lambda: ran.append("last registered"))
    with pytest.raises(OSError, match="would not close"):
        state.close()
    assert ran == ["last registered", "first registered"]
