"""Read a chart's CSV strictly: every problem at its file, line and column.

The csv module parses (with ``strict=True`` it refuses a stray or unclosed
quote instead of guessing); this module adds what a chart needs of its
data: clean UTF-8 text, a header naming every column the chart module
uses, once each, rows exactly as wide as the header, and in each column the
type the module declares for it in its encodings (``"share:Q"`` holds
numbers, ``"date:T"`` ISO dates). Positions are computed from the raw text
of each record, so a cell is named by line and column even inside a quoted
cell that spans lines.
"""

from __future__ import annotations

import ast
import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from strictbuild import ContentError
from strictbuild.text import decode_text

from .records import Record, position, read_records

ColumnKind = Literal["number", "date", "text"]

_NUMBER = re.compile(r"^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$")
_SHORTHAND = re.compile(r"^([A-Za-z_][\w]*):([QTON])$")
_TYPE_WORDS: dict[str, ColumnKind] = {
    "quantitative": "number",
    "temporal": "date",
    "nominal": "text",
    "ordinal": "text",
}
_LETTERS: dict[str, ColumnKind] = {"Q": "number", "T": "date", "N": "text", "O": "text"}
#: a declared number or date outranks text when a column is encoded twice
_RANK: dict[ColumnKind, int] = {"text": 0, "number": 1, "date": 1}


def declared_columns(source: str) -> dict[str, ColumnKind]:
    """The columns a chart module's encodings name, with the type each declares.

    Read from the module's code without running it: Altair shorthands
    (``"share:Q"``) and calls with a field and a ``type=`` keyword
    (``alt.X("date", type="temporal")``).
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    found: dict[str, ColumnKind] = {}

    def declare(name: str, kind: ColumnKind) -> None:
        if name not in found or _RANK[kind] > _RANK[found[name]]:
            found[name] = kind

    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = _SHORTHAND.match(node.value)
            if match:
                declare(match.group(1), _LETTERS[match.group(2)])
        elif isinstance(node, ast.Call) and node.args:
            first = node.args[0]
            kinds = [
                _TYPE_WORDS.get(str(k.value.value))
                for k in node.keywords
                if k.arg == "type" and isinstance(k.value, ast.Constant)
            ]
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and kinds and kinds[0]:
                declare(first.value, kinds[0])
    return found


def column_lines(source: str) -> dict[str, int]:
    """The first line of a chart module naming each column in an encoding (see :func:`declared_columns`)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    lines: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = _SHORTHAND.match(node.value)
            name = match.group(1) if match else None
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            has_type = any(k.arg == "type" for k in node.keywords)
            name = str(node.args[0].value) if has_type else None
        else:
            continue
        if name is not None and (name not in lines or node.lineno < lines[name]):
            lines[name] = node.lineno
    return lines


def is_number(text: str) -> bool:
    """Whether a cell holds a number as the chart reads it (``12``, ``-0.5``, ``1e3``)."""
    return bool(_NUMBER.match(text.strip()))


def is_date(text: str) -> bool:
    """Whether a cell holds an ISO date (``2025-12-08``) or date and time."""
    value = text.strip()
    try:
        if len(value) == 10:
            datetime.date.fromisoformat(value)
        else:
            datetime.datetime.fromisoformat(value)
    except ValueError:
        return False
    return value[:4].isdigit() and value[4] == "-"


@dataclass
class CheckedData:
    """A chart's CSV as checked: its header and its problems."""

    header: list[str]
    problems: list[ContentError]


def check_csv(
    data: bytes,
    path: str,
    *,
    languages: Sequence[str],
    declared: Mapping[str, ColumnKind],
) -> CheckedData:
    """Check a chart's CSV strictly; every problem names ``path``, line and column.

    ``declared`` maps each column the chart module uses (base name, without
    ``@lang``) to its type; a column the data lacks is the module's problem
    and is reported by the caller at the module's line. A column written
    ``name@lang`` must exist in every site language.
    """
    try:
        text = decode_text(data, path, what="data file")
    except ContentError as error:
        return CheckedData([], [error])
    problems: list[ContentError] = []
    records = read_records(text, path)
    try:
        head = next(records, None)
    except ContentError as error:
        return CheckedData([], [error])
    if head is None or not any(cell.strip() for cell in head.cells):
        return CheckedData([], [ContentError(path, 1, "the data file has no header row", 1)])
    header = head.cells
    bases: dict[str, set[str]] = {}
    for index, name in enumerate(header):
        line, column = position(head, head.starts[index])
        base, _, lang = name.partition("@")
        if not base.strip() or name != name.strip():
            problems.append(
                ContentError(path, line, f"column {index + 1} has no usable name: {name!r}", column)
            )
            continue
        if name in header[:index]:
            problems.append(ContentError(path, line, f"column {name!r} appears twice in the header", column))
        bases.setdefault(base, set())
        if lang:
            if lang not in languages:
                problems.append(
                    ContentError(path, line, f"column {name!r}: {lang!r} is not a site language", column)
                )
            bases[base].add(lang)
    for base, langs in bases.items():
        for lang in languages if langs else ():
            if lang not in langs:
                problems.append(ContentError(path, 1, f"column {base!r} has no {base}@{lang} version", 1))
    width = len(header)
    try:
        for record in records:
            problems.extend(_check_record(record, header, width, declared, path))
    except ContentError as error:
        problems.append(error)
    return CheckedData(header, problems)


def _check_record(
    record: Record, header: Sequence[str], width: int, declared: Mapping[str, ColumnKind], path: str
) -> list[ContentError]:
    """The problems of one data row: its width, then each cell's type."""
    if not record.cells:
        return [ContentError(path, record.line, "a blank line in the data: every row needs its cells", 1)]
    if len(record.cells) != width:
        if len(record.cells) > width:
            line, column = position(record, record.starts[width])
            what = f"has {len(record.cells)} cells, more than the header's {width}"
        else:
            line, column = position(record, len(record.raw))
            what = f"has {len(record.cells)} cells, fewer than the header's {width}"
        return [ContentError(path, line, f"the row {what}", column)]
    found: list[ContentError] = []
    for index, (name, value) in enumerate(zip(header, record.cells, strict=True)):
        start = record.starts[index]
        if '"' in value and record.raw[start : start + 1] != '"':
            # RFC 4180: a cell holding a quote is quoted, its quotes doubled.
            line, column = position(record, start + record.raw[start:].index('"'))
            message = f'a quote inside an unquoted cell of column {name!r}: write the cell as "...""..."'
            found.append(ContentError(path, line, message, column))
            continue
        kind = declared.get(name.partition("@")[0])
        if kind is None or kind == "text" or not value.strip():
            continue
        if kind == "number" and not is_number(value):
            line, column = position(record, record.starts[index])
            found.append(ContentError(path, line, f"column {name!r} holds numbers; got {value!r}", column))
        elif kind == "date" and not is_date(value):
            line, column = position(record, record.starts[index])
            message = f"column {name!r} holds ISO dates (YYYY-MM-DD); got {value!r}"
            found.append(ContentError(path, line, message, column))
    return found


__all__ = [
    "CheckedData",
    "ColumnKind",
    "check_csv",
    "column_lines",
    "declared_columns",
    "is_date",
    "is_number",
]
