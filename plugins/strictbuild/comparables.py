"""Facts that every translation of a text must state alike: the comparables protocol.

A plugin whose syntax puts checkable facts in a brief or page (the sources
it cites, the charts it places, the numbers it states) offers them through a
*provider*: a function from a brief or page to its :class:`Comparable`
facts, registered once with :func:`provide_comparables` when the plugin's
module is imported. The translation drift check (``bilingual.drift``) asks
every registered provider and compares what the translations state, without
knowing which plugins exist or how they record their facts::

    def comparables(item):
        for entry in extracted_facts(item, "charts"):
            yield Comparable("chart", entry["id"], entry["line"])

    provide_comparables("charts", comparables)

A provider only reads what its own plugin recorded, so one whose plugin is
not part of a build finds nothing. Providers are asked in the order of their
names, so the order of imports never matters.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = [
    "Comparable",
    "ComparablesProvider",
    "comparables_of",
    "extracted_facts",
    "provide_comparables",
    "providers",
]


@dataclass(frozen=True)
class Comparable:
    """One fact a file states: what kind (as a message names it), its value, where, as written."""

    kind: str
    value: str
    #: the line of the file stating it (the first, if stated more than once)
    line: int
    #: the fact as the text writes it, when that differs from ``value`` ("25 %" for 25%)
    shown: str = ""

    @property
    def written(self) -> str:
        """The fact as the text writes it."""
        return self.shown or self.value


class ComparablesProvider(Protocol):
    """What a plugin offers the drift check: the comparable facts of one brief or page."""

    def __call__(self, item: Any, /) -> Iterable[Comparable]: ...


_PROVIDERS: dict[str, ComparablesProvider] = {}


def provide_comparables(name: str, provider: ComparablesProvider) -> None:
    """Register ``provider`` under ``name`` (its plugin's); registering again replaces it."""
    _PROVIDERS[name] = provider


def providers() -> list[tuple[str, ComparablesProvider]]:
    """Every registered provider with its name, in the order of the names."""
    return sorted(_PROVIDERS.items(), key=lambda pair: pair[0])


def comparables_of(item: Any) -> Iterator[Comparable]:
    """Every comparable fact of ``item``, from every provider."""
    for _name, provider in providers():
        yield from provider(item)


def extracted_facts(item: Any, key: str) -> list[Mapping[str, Any]]:
    """The records a Markdown syntax kept under ``key`` in a brief's or page's ``extracted`` metadata."""
    extracted = getattr(item, "extracted", None) or (getattr(item, "metadata", None) or {}).get("extracted")
    found = (extracted or {}).get(key) or []
    return [entry for entry in found if isinstance(entry, Mapping)]
