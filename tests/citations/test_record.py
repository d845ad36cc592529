"""A brief's citations record and the sources pages' index are made when first read, once."""

from __future__ import annotations

import pytest

from citations.api import CitationsItem
from citations.state import CitationsState


def test_a_deferred_field_is_made_at_its_first_read_and_only_then() -> None:
    calls: list[str] = []

    def make() -> list[str]:
        calls.append("made")
        return ["first source"]

    record = CitationsItem()
    record.defer("source_list", make)
    assert calls == []
    assert record.source_list == ["first source"]
    assert record.source_list == ["first source"]
    assert calls == ["made"]


def test_a_field_set_replaces_what_was_deferred_and_nothing_deferred_reads_empty() -> None:
    record = CitationsItem()
    record.defer("cite_this", lambda: "deferred")
    record.cite_this = "set"
    assert record.cite_this == "set"
    assert (CitationsItem().source_list, CitationsItem().glossary_previews) == ([], [])
    assert CitationsItem().cite_this is None


def _state() -> CitationsState:
    return CitationsState(sources={}, glossary={}, sources_path="", glossary_path="")


def test_the_citing_index_is_made_once_when_first_read() -> None:
    calls: list[int] = []

    def make() -> dict[str, dict[str, object]]:
        calls.append(1)
        return {"en": {}}

    state = _state()
    state.make_citing = make
    assert calls == []
    assert state.citing == {"en": {}}
    assert state.citing == {"en": {}}
    assert calls == [1]


def test_an_index_set_replaces_the_one_to_be_made_and_none_reads_empty() -> None:
    state = _state()
    state.make_citing = lambda: {"en": {}}
    state.citing = {"zh-tw": {}}
    assert state.citing == {"zh-tw": {}}
    assert _state().citing == {}


def test_a_maker_that_fails_is_not_taken_for_a_missing_field() -> None:
    """Jinja reads an AttributeError as a missing field: the page would render without its sources."""
    attempts: list[int] = []

    def broken() -> list[str]:
        attempts.append(1)
        raise AttributeError("'NoneType' object has no attribute 'outlet'")

    record = CitationsItem()
    record.defer("source_list", broken)
    for _ in range(2):
        with pytest.raises(RuntimeError, match="source_list failed"):
            _ = record.source_list
    assert attempts == [1, 1]  # not forgotten after a failure

    def no_index() -> dict[str, dict[str, object]]:
        raise AttributeError("'NoneType' object has no attribute 'briefs'")

    state = _state()
    state.make_citing = no_index
    with pytest.raises(RuntimeError, match="index of citing places failed"):
        _ = state.citing
    assert state.make_citing is no_index
