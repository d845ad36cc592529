"""Check the entries of one YAML list file (the sources registry, the glossary).

The file is read as a node tree by the strict loader, so every problem
carries the line of the offending key; :class:`Checker` collects every
problem of the file instead of stopping at the first.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from typing import Any

from strictbuild import ContentError
from strictbuild import yamlfile as yaml
from strictbuild.links import links_in

__all__ = ["DATE_CERTAINTIES", "Checker", "plain", "text_links"]

_KEY = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_NULL_TAG = "tag:yaml.org,2002:null"

DATE_CERTAINTIES: tuple[str, ...] = ("exact", "approximate", "on-or-before")


def plain(node: yaml.Node) -> Any:
    """A node as plain Python: strings, None, lists and dicts."""
    if isinstance(node, yaml.ScalarNode):
        return None if node.tag == _NULL_TAG else str(node.value)
    if isinstance(node, yaml.SequenceNode):
        return [plain(item) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        return {str(plain(k)): plain(v) for k, v in node.value}
    return None


def text_links(
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


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


class Checker:
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
            if name not in fields or plain(fields[name][1]) in (None, ""):
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
        raw = plain(node)
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
