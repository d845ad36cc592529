"""The charts a brief or page places, offered to the translation drift check.

A provider of the comparables protocol (:mod:`strictbuild.comparables`):
the chart block records ``{"id", "line"}`` for each chart it places (see
:mod:`.markdown`), and every translation must place the same charts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from strictbuild.comparables import Comparable, extracted_facts, provide_comparables

__all__ = ["comparables"]


def comparables(item: Any) -> Iterator[Comparable]:
    """The chart ids a brief or page places, each at the first line placing it."""
    for entry in extracted_facts(item, "charts"):
        chart_id = str(entry.get("id", ""))
        yield Comparable("chart", chart_id, int(entry.get("line", 1)), str(entry.get("text", chart_id)))


provide_comparables("charts", comparables)
