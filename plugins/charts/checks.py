"""Check a chart module's constants and its data file, every problem at its line.

:class:`ModuleCheck` gathers the problems of one module: its ``ID``,
``SOURCES``, ``TITLE``, ``DESCRIPTION``, ``NOTES`` and ``LABELS`` (at the
line of each constant, or of each label), then its CSV (see :mod:`.data`)
and the source keys the CSV's rows cite.
"""

from __future__ import annotations

import csv
import io
import os
import re
import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from strictbuild import ContentError, display_path

from .data import ColumnKind, check_csv

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Constants:
    """A chart module's checked constants."""

    chart_id: str
    sources: list[str]
    title: dict[str, str]
    description: dict[str, str]
    notes: dict[str, str]


@dataclass(frozen=True)
class DataFile:
    """A chart's data file: where it is, its bytes and its header."""

    path: str
    shown: str
    data: bytes = b""
    header: list[str] = field(default_factory=list)


def _texts(
    value: Any, name: str, languages: Sequence[str], problem: Callable[[str, str], None], *, required: bool
) -> dict[str, str]:
    if value is None and not required:
        return {}
    if not isinstance(value, Mapping):
        problem(name, f"{name} must be a dict of text by language ({', '.join(languages)})")
        return {}
    found: dict[str, str] = {}
    for lang in languages:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            problem(name, f"{name} has no {lang} text")
            continue
        found[lang] = " ".join(text.split())
    for lang in value:
        if lang not in languages:
            problem(name, f"{name} has text for {lang!r}, which is not a site language")
    return found


@dataclass
class ModuleCheck:
    """The problems of one chart module, each at its line."""

    shown: str
    lines: dict[str, int]
    label_lines: dict[str, int]
    languages: list[str]
    problems: list[ContentError] = field(default_factory=list)

    def problem(self, name: str, message: str) -> None:
        """A problem at the line of the constant ``name``."""
        self.problems.append(ContentError(self.shown, self.lines.get(name, 1), message))

    def constants(self, module: types.ModuleType, expected: str, registry: Mapping[str, Any]) -> Constants:
        """Check ``chart``, ``ID``, ``SOURCES`` and the texts; ``expected`` is the id the file name gives."""
        if not callable(getattr(module, "chart", None)):
            self.problems.append(ContentError(self.shown, 1, "the chart module has no function chart(ctx)"))
        chart_id = module.ID
        if not isinstance(chart_id, str) or not _ID.match(chart_id):
            self.problem("ID", f"ID must be lowercase letters, digits and hyphens, got {chart_id!r}")
        elif chart_id != expected:
            self.problem("ID", f"ID {chart_id!r} does not match the file name (expected {expected!r})")
        sources = module.SOURCES
        if (
            not isinstance(sources, (list, tuple))
            or not sources
            or not all(isinstance(s, str) for s in sources)
        ):
            self.problem("SOURCES", "SOURCES must be a non-empty list of source keys")
            sources = []
        for key in sources:
            if key not in registry:
                known = ", ".join(sorted(registry)) or "none"
                self.problem("SOURCES", f"unknown source key {key!r} in SOURCES (the registry has: {known})")
        title = _texts(module.TITLE, "TITLE", self.languages, self.problem, required=True)
        description = _texts(module.DESCRIPTION, "DESCRIPTION", self.languages, self.problem, required=True)
        notes = _texts(getattr(module, "NOTES", None), "NOTES", self.languages, self.problem, required=False)
        for lang in self.languages:
            if lang in title and lang in description and title[lang] == description[lang]:
                message = f"DESCRIPTION in {lang} repeats the title; describe what the chart shows"
                self.problem("DESCRIPTION", message)
        return Constants(chart_id, list(sources), title, description, notes)

    def labels(self, value: Any) -> dict[str, dict[str, str]]:
        """Check ``LABELS``: a label per column and language, each at its line."""
        labels: dict[str, dict[str, str]] = {}
        if not isinstance(value, Mapping) or not value:
            self.problem("LABELS", "LABELS must be a dict: column -> {language: label}")
            return labels
        for column, texts in value.items():
            where = self.label_lines.get(column, self.lines.get("LABELS", 1))
            if not isinstance(texts, Mapping):
                message = f"LABELS[{column!r}] must be a dict of text by language"
                self.problems.append(ContentError(self.shown, where, message))
                continue
            for lang in self.languages:
                text = texts.get(lang)
                if not isinstance(text, str) or not text.strip():
                    message = f"LABELS[{column!r}] has no {lang} label"
                    self.problems.append(ContentError(self.shown, where, message))
            labels[str(column)] = {k: str(v) for k, v in texts.items() if isinstance(v, str)}
        return labels

    def data(
        self,
        name: Any,
        settings: Mapping[str, Any],
        sources: Sequence[str],
        registry: Mapping[str, Any],
        declared: Mapping[str, ColumnKind],
        labels: Mapping[str, Any],
    ) -> DataFile:
        """Check ``DATA`` and the CSV it names against the module's sources and labels."""
        content_root = str(settings.get("PATH", "content"))
        path = os.path.abspath(os.path.join(content_root, str(name)))
        shown = display_path(path, dict(settings))
        if not isinstance(name, str):
            self.problem("DATA", "DATA must be a path relative to the content folder")
            return DataFile(path, shown)
        if not os.path.isfile(path):
            self.problem("DATA", f"data file not found: {shown}")
            return DataFile(path, shown)
        with open(path, "rb") as handle:
            data = handle.read()
        header, problems = _check_data(data, shown, self.languages, sources, registry, declared)
        self.problems.extend(problems)
        # An encoded column the file lacks may be one the module computes
        # (ctx.data_with, a transform): rendering checks those against the
        # data the chart really gets.
        columns = {column.split("@", 1)[0] for column in header}
        for column in labels:
            if column not in columns:
                where = self.label_lines.get(column, self.lines.get("LABELS", 1))
                message = f"LABELS names column {column!r}, which {shown} does not have"
                self.problems.append(ContentError(self.shown, where, message))
        return DataFile(path, shown, data, header)


def _check_data(
    data: bytes,
    shown: str,
    languages: Sequence[str],
    sources: Sequence[str],
    registry: Mapping[str, Any],
    declared: Mapping[str, ColumnKind],
) -> tuple[list[str], list[ContentError]]:
    """Check a chart's CSV strictly (see :mod:`.data`), then the source keys of its rows."""
    checked = check_csv(data, shown, languages=languages, declared=declared)
    header, problems = checked.header, list(checked.problems)
    if problems or "source" not in header:
        return header, problems
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    next(reader, None)
    index = header.index("source")
    for record in reader:
        # line_num counts physical lines, so quoted cells with line breaks keep it right.
        number = reader.line_num
        if index < len(record) and record[index].strip():
            key = record[index].strip()
            if key not in registry:
                problems.append(ContentError(shown, number, f"unknown source key {key!r} in column 'source'"))
            elif key not in sources:
                problems.append(
                    ContentError(
                        shown,
                        number,
                        f"source {key!r} is cited in the data but not in the module's SOURCES",
                    )
                )
    return header, problems


__all__ = ["Constants", "DataFile", "ModuleCheck"]
