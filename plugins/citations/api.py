"""What other plugins may use of the citations plugin.

- :func:`source_entries`: every valid entry of the sources registry, as
  plain data (a copy: nothing a caller does reaches the registry).
- :func:`register_chart`: record a chart page as a place citing sources.
- :func:`comparables`: the source keys a brief or page cites, offered to the
  translation drift check through :mod:`strictbuild.comparables`.
- :class:`CitationsItem`: what this plugin adds to a brief or page, read as
  ``item.plugin_data.citations`` (see :mod:`strictbuild.itemdata`).

Anything else in this package (the build's ``CitationsState``, the
registry's classes) is the plugin's own and may change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from strictbuild.comparables import Comparable, extracted_facts, provide_comparables

from .state import citations_state, register_chart

__all__ = ["CitationsItem", "comparables", "register_chart", "source_entries"]


@dataclass
class CitationsItem:
    """What the citations plugin adds to a brief or page (``item.plugin_data.citations``)."""

    NAME: ClassVar[str] = "citations"

    #: the sources it cites, in the order first cited (``render.CitedSource``)
    source_list: list[Any] = field(default_factory=list)
    #: the glossary terms it uses, as previews (``render.TermView``)
    glossary_previews: list[Any] = field(default_factory=list)
    #: the sources and glossary pages of its language, from the site root
    sources_page_url: str = ""
    glossary_page_url: str = ""
    #: a brief's "cite this brief" texts and BibTeX, and where its cite files are written
    cite_this: Any = None
    cite_files: dict[str, str] = field(default_factory=dict)


def source_entries(settings: MutableMapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every valid registry entry by key, its fields as plain data; no registry is an empty one.

    The fields are those of the registry file (``key``, ``outlet``,
    ``headline``, ``date``, ...), not where the entry is written. Problems in
    the registry are reported by this plugin.
    """
    sources = citations_state(settings).sources or {}
    return {
        key: {k: v for k, v in dataclasses.asdict(entry).items() if k not in ("path", "line")}
        for key, entry in sources.items()
    }


def comparables(item: Any) -> Iterator[Comparable]:
    """The registry keys a brief or page cites, each at the first line citing it."""
    for entry in extracted_facts(item, "citations"):
        key = str(entry.get("key", ""))
        yield Comparable("citation", key, int(entry.get("line", 1)), str(entry.get("text", key)))


provide_comparables("citations", comparables)
