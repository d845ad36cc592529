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
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, cast

from strictbuild.comparables import Comparable, extracted_facts, provide_comparables

from .state import citations_state, register_chart

__all__ = ["CitationsItem", "comparables", "register_chart", "source_entries"]


@dataclass
class CitationsItem:
    """What the citations plugin adds to a brief or page (``item.plugin_data.citations``).

    ``source_list``, ``glossary_previews`` and ``cite_this`` are made when
    first read (:meth:`defer`): a page kept from the previous build reads
    none of them, and a brief's source list alone holds a few dozen records.
    """

    NAME: ClassVar[str] = "citations"

    #: the sources and glossary pages of its language, from the site root
    sources_page_url: str = ""
    glossary_page_url: str = ""
    #: where a brief's cite files are written, by kind (``csl``, ``bibtex``)
    cite_files: dict[str, str] = field(default_factory=dict)
    _made: dict[str, Any] = field(default_factory=dict, repr=False)
    _makers: dict[str, Callable[[], Any]] = field(default_factory=dict, repr=False)

    def defer(self, name: str, make: Callable[[], Any]) -> None:
        """Make field ``name`` with ``make()`` when it is first read (once)."""
        self._makers[name] = make
        self._made.pop(name, None)

    def _value(self, name: str, empty: Any) -> Any:
        if name not in self._made:
            make = self._makers.get(name)
            try:
                self._made[name] = make() if make is not None else empty
            except AttributeError as error:
                # A template reads the field as an attribute: Jinja would take an
                # AttributeError for a missing field and render the page without it.
                raise RuntimeError(f"making the citations record's {name} failed: {error}") from error
            self._makers.pop(name, None)
        return self._made[name]

    def _set(self, name: str, value: Any) -> None:
        self._makers.pop(name, None)
        self._made[name] = value

    @property
    def source_list(self) -> list[Any]:
        """The sources it cites, in the order first cited (``render.CitedSource``)."""
        return cast(list[Any], self._value("source_list", []))

    @source_list.setter
    def source_list(self, value: list[Any]) -> None:
        self._set("source_list", value)

    @property
    def glossary_previews(self) -> list[Any]:
        """The glossary terms it uses, as previews (``render.TermView``)."""
        return cast(list[Any], self._value("glossary_previews", []))

    @glossary_previews.setter
    def glossary_previews(self, value: list[Any]) -> None:
        self._set("glossary_previews", value)

    @property
    def cite_this(self) -> Any:
        """A brief's "cite this brief" texts and BibTeX (``cite.CiteThis``); None for a page."""
        return self._value("cite_this", None)

    @cite_this.setter
    def cite_this(self, value: Any) -> None:
        self._set("cite_this", value)


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
