"""The comparables protocol: the drift check compares whatever every provider offers."""

from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

import pytest

from bilingual.drift import compare_pair
from strictbuild import comparables
from strictbuild.comparables import Comparable, comparables_of, extracted_facts


def colours(item: Any) -> Iterable[Comparable]:
    return [Comparable("colour", name, line) for line, name in getattr(item, "colours", [])]


def version(lang: str, *named: tuple[int, str]) -> SimpleNamespace:
    return SimpleNamespace(lang=lang, source_path=f"content/briefs/x.{lang}.md", metadata={}, colours=named)


def test_the_drift_check_asks_a_provider_it_does_not_know(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(comparables._PROVIDERS, "test-colours", colours)
    shown = [str(p) for p in sorted(compare_pair(version("en", (3, "red")), version("zh-TW", (4, "blue"))))]
    assert len(shown) == 2, shown
    assert shown[0].startswith("content/briefs/x.en.md:3: translation drift: the colour red is in this file")
    assert shown[1].startswith("content/briefs/x.zh-TW.md:4: translation drift: the colour blue")


def test_providers_are_asked_in_the_order_of_their_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(comparables, "_PROVIDERS", {})
    comparables.provide_comparables("b", lambda item: [Comparable("second", "2", 1)])
    comparables.provide_comparables("a", lambda item: [Comparable("first", "1", 1)])
    assert [fact.kind for fact in comparables_of(object())] == ["first", "second"]


def test_extracted_facts_reads_the_metadata_or_the_attribute() -> None:
    record = {"id": "x", "line": 2}
    item = SimpleNamespace(metadata={"extracted": {"charts": [record]}})
    assert extracted_facts(item, "charts") == [record]
    assert extracted_facts(SimpleNamespace(extracted={"charts": [record, "junk"]}), "charts") == [record]
    assert extracted_facts(SimpleNamespace(metadata={}), "charts") == []
