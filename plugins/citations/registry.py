"""Load and validate the sources registry and the glossary.

Both are YAML lists of mappings. They are read once per build through the
strict loader (:mod:`strictbuild.yamlfile`: no repeated key, alias, anchor or
tag) as a node tree, so every problem carries the line of the offending key, and
every problem in a file is reported together rather than stopping at the
first. Scalars are kept as the strings the author wrote (YAML's own date
parsing would raise on ``2025-13-40`` before we could name its line).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from strictbuild import ContentError

from .entries import Checker, plain, text_links

DateCertainty = Literal["exact", "approximate", "on-or-before"]

#: Source fields and what each holds: ``text``, ``langs`` (one text per site
#: language), ``headline`` (original + English), ``date``, ``certainty``, ``url``.
SOURCE_FIELDS: dict[str, tuple[str, bool]] = {
    "key": ("key", True),
    "outlet": ("langs", True),
    "carried_by": ("langs", False),
    "author": ("langs", False),
    "headline": ("headline", True),
    "language": ("text", True),
    "date": ("date", True),
    "date_certainty": ("certainty", True),
    "date_note": ("langs", False),
    "url": ("url", False),
    "archived_url": ("url", False),
    "reliability": ("langs", True),
    "notes": ("langs", False),
}
GLOSSARY_FIELDS: dict[str, tuple[str, bool]] = {
    "key": ("key", True),
    "term": ("langs", True),
    "definition": ("langs", True),
}


@dataclass(frozen=True)
class Source:
    """One entry of the sources registry."""

    key: str
    outlet: dict[str, str]
    headline: dict[str, str]
    language: str
    date: datetime.date
    date_certainty: str
    reliability: dict[str, str]
    carried_by: dict[str, str] = field(default_factory=dict)
    author: dict[str, str] = field(default_factory=dict)
    date_note: dict[str, str] = field(default_factory=dict)
    url: str | None = None
    archived_url: str | None = None
    notes: dict[str, str] = field(default_factory=dict)
    #: where the entry starts, for errors found later (e.g. never cited)
    path: str = ""
    line: int = 1
    #: links written in its texts: (line, language, target)
    links: tuple[tuple[int, str, str], ...] = ()


@dataclass(frozen=True)
class GlossaryTerm:
    """One entry of the glossary."""

    key: str
    term: dict[str, str]
    definition: dict[str, str]
    path: str = ""
    line: int = 1
    #: links written in its definition: (line, language, target)
    links: tuple[tuple[int, str, str], ...] = ()


#: Texts of a source that are shown to readers and may hold links.
SOURCE_LINK_FIELDS = ("outlet", "carried_by", "author", "date_note", "reliability", "notes")


def parse_sources(
    text: str,
    display: str,
    languages: Sequence[str],
    *,
    keys: set[str] | None = None,
    headline_language: str | None = None,
) -> tuple[dict[str, Source], list[ContentError]]:
    """Validate the sources registry ``text``; return its entries by key and its problems.

    ``keys`` receives every key written, valid entry or not, so that a
    citation of a broken entry is not reported a second time as unknown.
    """
    checker = Checker(display, languages, headline_language)
    sources: dict[str, Source] = {}
    for entry_line, fields in checker.entries(text):
        values = checker.check(SOURCE_FIELDS, entry_line, fields)
        key = plain(fields["key"][1]) if "key" in fields else None
        if keys is not None and isinstance(key, str):
            keys.add(key)
        if isinstance(key, str) and key in sources:
            first = sources[key].line
            checker.problem(fields["key"][0], f"duplicate source key '{key}' (first defined at line {first})")
            continue
        if values is None:
            continue
        links = text_links(fields, SOURCE_LINK_FIELDS)
        sources[values["key"]] = Source(**values, path=display, line=entry_line, links=links)
    return sources, checker.problems


def parse_glossary(
    text: str, display: str, languages: Sequence[str], *, keys: set[str] | None = None
) -> tuple[dict[str, GlossaryTerm], list[ContentError]]:
    """Validate the glossary ``text``; return its terms by key and its problems.

    ``keys`` receives every key written, valid entry or not.
    """
    checker = Checker(display, languages)
    terms: dict[str, GlossaryTerm] = {}
    for entry_line, fields in checker.entries(text):
        values = checker.check(GLOSSARY_FIELDS, entry_line, fields)
        key = plain(fields["key"][1]) if "key" in fields else None
        if keys is not None and isinstance(key, str):
            keys.add(key)
        if isinstance(key, str) and key in terms:
            first = terms[key].line
            checker.problem(
                fields["key"][0], f"duplicate glossary key '{key}' (first defined at line {first})"
            )
            continue
        if values is None:
            continue
        links = text_links(fields, ("term", "definition"))
        terms[values["key"]] = GlossaryTerm(**values, path=display, line=entry_line, links=links)
    return terms, checker.problems
