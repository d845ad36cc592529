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
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from strictbuild import ContentError
from strictbuild import yamlfile as yaml
from strictbuild.links import links_in
from strictbuild.text import read_text

_KEY = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_NULL_TAG = "tag:yaml.org,2002:null"

DateCertainty = Literal["exact", "approximate", "on-or-before"]
DATE_CERTAINTIES: tuple[str, ...] = ("exact", "approximate", "on-or-before")

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


def _plain(node: yaml.Node) -> Any:
    """A node as plain Python: strings, None, lists and dicts."""
    if isinstance(node, yaml.ScalarNode):
        return None if node.tag == _NULL_TAG else str(node.value)
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        return {str(_plain(k)): _plain(v) for k, v in node.value}
    return None


def _text_links(
    fields: Mapping[str, tuple[int, yaml.Node]], names: Sequence[str]
) -> tuple[tuple[int, str, str], ...]:
    """The links in the per-language texts ``names`` of an entry, each with its line and language."""
    found: list[tuple[int, str, str]] = []
    for name in names:
        if name not in fields or not isinstance(fields[name][1], yaml.MappingNode):
            continue
        for key_node, value_node in fields[name][1].value:
            if isinstance(value_node, yaml.ScalarNode):
                for href in links_in(str(value_node.value)):
                    found.append((_line(value_node), str(key_node.value), href))
    return tuple(found)


#: Texts of a source that are shown to readers and may hold links.
SOURCE_LINK_FIELDS = ("outlet", "carried_by", "author", "date_note", "reliability", "notes")


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


class _Checker:
    """Validates the entries of one YAML list file, collecting problems."""

    def __init__(self, path: str, languages: Sequence[str], headline_language: str | None = None) -> None:
        self.path = path
        self.languages = list(languages)
        #: the language a headline's translation is given in (the site model's ``headline_language``)
        self.headline_language = headline_language or self.languages[0]
        self.problems: list[ContentError] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(ContentError(self.path, line, message))

    def entries(self, text: str) -> list[tuple[int, dict[str, tuple[int, yaml.Node]]]]:
        """Each entry's line and its fields as ``name -> (line, value node)``."""
        try:
            root = yaml.compose(text, self.path)
        except ContentError as error:
            self.problems.append(error)
            return []
        if root is None:
            return []
        if not isinstance(root, yaml.SequenceNode):
            self.problem(_line(root), "the file must be a YAML list of entries ('- key: ...')")
            return []
        found: list[tuple[int, dict[str, tuple[int, yaml.Node]]]] = []
        for item in root.value:
            if not isinstance(item, yaml.MappingNode):
                self.problem(_line(item), "each entry must be a mapping of 'field: value' lines")
                continue
            fields: dict[str, tuple[int, yaml.Node]] = {}
            for key_node, value_node in item.value:
                # The loader has refused a key given twice in one entry.
                fields[str(key_node.value)] = (_line(key_node), value_node)
            found.append((_line(item), fields))
        return found

    def check(
        self,
        schema: Mapping[str, tuple[str, bool]],
        entry_line: int,
        fields: dict[str, tuple[int, yaml.Node]],
    ) -> dict[str, Any] | None:
        """The entry's values by field, or None if any field is wrong."""
        ok = True
        values: dict[str, Any] = {}
        for name, (line, _node) in fields.items():
            if name not in schema:
                known = ", ".join(schema)
                self.problem(line, f"unknown field '{name}' (known: {known})")
                ok = False
        for name, (kind, required) in schema.items():
            if name not in fields or _plain(fields[name][1]) in (None, ""):
                if required:
                    self.problem(entry_line, f"entry is missing the required field '{name}'")
                    ok = False
                continue
            line, node = fields[name]
            value = self.value(kind, name, line, node)
            if value is None:
                ok = False
            else:
                values[name] = value
        return values if ok else None

    def value(self, kind: str, name: str, line: int, node: yaml.Node) -> Any:
        """One field's value checked against its kind, or None (reported)."""
        raw = _plain(node)
        if kind == "key":
            if not isinstance(raw, str) or not _KEY.match(raw):
                self.problem(line, f"'{name}' must be lowercase letters, digits and hyphens, got {raw!r}")
                return None
            return raw
        if kind in ("text", "url"):
            if not isinstance(raw, str):
                self.problem(line, f"'{name}' must be text")
                return None
            if kind == "url" and not re.match(r"^https?://\S+$", raw):
                self.problem(line, f"'{name}' must be an http(s) address, got {raw!r}")
                return None
            return raw
        if kind == "date":
            if not isinstance(raw, str):
                self.problem(line, f"'{name}' must be a date written YYYY-MM-DD")
                return None
            try:
                return datetime.date.fromisoformat(raw.strip())
            except ValueError:
                self.problem(line, f"'{name}' is not a valid date (YYYY-MM-DD): {raw!r}")
                return None
        if kind == "certainty":
            if raw not in DATE_CERTAINTIES:
                self.problem(line, f"'{name}' must be one of {', '.join(DATE_CERTAINTIES)}, got {raw!r}")
                return None
            return raw
        wanted = ["original", self.headline_language] if kind == "headline" else self.languages
        if not isinstance(raw, dict):
            self.problem(line, f"'{name}' must be a mapping with {', '.join(wanted)}")
            return None
        missing = [code for code in wanted if not isinstance(raw.get(code), str) or not raw[code].strip()]
        extra = [code for code in raw if code not in wanted]
        if missing:
            self.problem(line, f"'{name}' is missing {', '.join(missing)}")
        if extra:
            self.problem(line, f"'{name}' has unknown keys {', '.join(extra)} (expected {', '.join(wanted)})")
        if missing or extra:
            return None
        return {code: " ".join(str(raw[code]).split()) for code in wanted}


def _read(path: str, display: str) -> tuple[str | None, list[ContentError]]:
    if not os.path.exists(path):
        return None, []
    try:
        return read_text(path, display), []
    except ContentError as error:
        return None, [error]


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
    checker = _Checker(display, languages, headline_language)
    sources: dict[str, Source] = {}
    for entry_line, fields in checker.entries(text):
        values = checker.check(SOURCE_FIELDS, entry_line, fields)
        key = _plain(fields["key"][1]) if "key" in fields else None
        if keys is not None and isinstance(key, str):
            keys.add(key)
        if isinstance(key, str) and key in sources:
            first = sources[key].line
            checker.problem(fields["key"][0], f"duplicate source key '{key}' (first defined at line {first})")
            continue
        if values is None:
            continue
        links = _text_links(fields, SOURCE_LINK_FIELDS)
        sources[values["key"]] = Source(**values, path=display, line=entry_line, links=links)
    return sources, checker.problems


def parse_glossary(
    text: str, display: str, languages: Sequence[str], *, keys: set[str] | None = None
) -> tuple[dict[str, GlossaryTerm], list[ContentError]]:
    """Validate the glossary ``text``; return its terms by key and its problems.

    ``keys`` receives every key written, valid entry or not.
    """
    checker = _Checker(display, languages)
    terms: dict[str, GlossaryTerm] = {}
    for entry_line, fields in checker.entries(text):
        values = checker.check(GLOSSARY_FIELDS, entry_line, fields)
        key = _plain(fields["key"][1]) if "key" in fields else None
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
        links = _text_links(fields, ("term", "definition"))
        terms[values["key"]] = GlossaryTerm(**values, path=display, line=entry_line, links=links)
    return terms, checker.problems


def load_sources(
    path: str,
    display: str,
    languages: Sequence[str],
    *,
    keys: set[str] | None = None,
    headline_language: str | None = None,
) -> tuple[dict[str, Source] | None, list[ContentError]]:
    """Read the registry file; None when it does not exist."""
    text, problems = _read(path, display)
    if text is None:
        return None, problems
    sources, problems = parse_sources(
        text, display, languages, keys=keys, headline_language=headline_language
    )
    return sources, problems


def load_glossary(
    path: str, display: str, languages: Sequence[str], *, keys: set[str] | None = None
) -> tuple[dict[str, GlossaryTerm] | None, list[ContentError]]:
    """Read the glossary file; None when it does not exist."""
    text, problems = _read(path, display)
    if text is None:
        return None, problems
    terms, problems = parse_glossary(text, display, languages, keys=keys)
    return terms, problems
