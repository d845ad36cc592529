"""A CSV file read record by record, each with its raw text and its line.

The csv module parses (with ``strict=True`` it refuses a stray or unclosed
quote instead of guessing); this module keeps the raw text of each record
and where each cell starts, so a cell is named by line and column even
inside a quoted cell that spans lines.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field

from strictbuild import ContentError


@dataclass
class Record:
    """One CSV record with its raw text and where that text starts."""

    cells: list[str]
    raw: str
    line: int
    #: 0-based offset of each cell in ``raw``
    starts: list[int] = field(default_factory=list)


def _cell_starts(raw: str) -> list[int]:
    """Offsets of the cells of one CSV record in its raw text.

    A quote opens a quoted cell only at the start of a cell, as the csv
    module reads it; inside one, a doubled quote is a quote.
    """
    starts = [0]
    quoted = False
    i = 0
    while i < len(raw):
        char = raw[i]
        if quoted:
            if char == '"':
                if raw[i + 1 : i + 2] == '"':
                    i += 1
                else:
                    quoted = False
        elif char == '"' and i == starts[-1]:
            quoted = True
        elif char == ",":
            starts.append(i + 1)
        i += 1
    return starts


def position(record: Record, offset: int) -> tuple[int, int]:
    """The file's line and column of ``offset`` in the record's raw text."""
    before = record.raw[:offset]
    line = record.line + before.count("\n")
    column = offset - (before.rfind("\n") + 1) + 1
    return line, column


def read_records(text: str, path: str) -> Iterator[Record]:
    """Each record with its raw text; raises ContentError at a quoting error."""
    lines = text.splitlines(keepends=True)
    consumed: list[str] = []
    cursor = {"next": 0}

    def feed() -> Iterator[str]:
        while cursor["next"] < len(lines):
            line = lines[cursor["next"]]
            cursor["next"] += 1
            consumed.append(line)
            yield line

    reader = csv.reader(feed(), strict=True)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raw = "".join(consumed)
            line = start + raw.count("\n") - (1 if raw.endswith("\n") else 0)
            column = len(consumed[-1].rstrip("\n")) if consumed else 1
            message = str(error)
            if "unexpected end of data" in message or "newline inside string" in message:
                message = "a quoted cell is never closed"
                found = _unclosed_quote(raw)
            else:
                found = _after_closing_quote(raw)
            if found is not None:
                line, column = position(Record([], raw, start), found)
            raise ContentError(path, line, f"the data file is not valid CSV: {message}", column) from None
        raw = "".join(consumed)
        consumed.clear()
        yield Record(cells, raw.rstrip("\n"), start, _cell_starts(raw.rstrip("\n")))
        start += raw.count("\n")


def _after_closing_quote(raw: str) -> int | None:
    """The offset of the first character that follows a closing quote but is not a comma."""
    quoted = False
    i = 0
    while i < len(raw):
        char = raw[i]
        if char == '"':
            if quoted and raw[i + 1 : i + 2] == '"':
                i += 1
            elif quoted:
                quoted = False
                if raw[i + 1 : i + 2] not in ("", ",", "\n", "\r"):
                    return i + 1
            else:
                quoted = True
        i += 1
    return None


def _unclosed_quote(raw: str) -> int | None:
    """The offset of the quote that opens a cell never closed, if any."""
    quoted_at: int | None = None
    i = 0
    while i < len(raw):
        if raw[i] == '"':
            if quoted_at is not None and raw[i + 1 : i + 2] == '"':
                i += 1
            elif quoted_at is None:
                quoted_at = i
            else:
                quoted_at = None
        i += 1
    return quoted_at


__all__ = ["Record", "position", "read_records"]
