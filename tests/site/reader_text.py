"""What a reader gets to read from each file of the built site, as text.

Only what a reader sees or saves counts: an HTML page's text and its
reader-facing attributes (not ids, classes or link targets), the text of an
SVG, the cells of a CSV, the metadata chunks of a PNG, the string values of a
JSON file (not its keys) and a BibTeX file. Each piece keeps the language it
is in, so that text marked as another language (``<q lang="en">`` on a zh-TW
page, say) is known to be meant.
"""

from __future__ import annotations

import csv
import io
import json
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

#: Attributes whose values a reader sees or hears.
READER_ATTRIBUTES = {
    "alt",
    "title",
    "aria-label",
    "aria-roledescription",
    "aria-description",
    "placeholder",
    "label",
    "data-copied",
}
#: <meta> whose content a reader sees where the page is shared.
READER_META = {"description", "og:title", "og:description", "twitter:title", "twitter:description"}
#: Elements whose content is not text for a reader.
NOT_TEXT = {"script", "style"}


@dataclass(frozen=True)
class Piece:
    """One piece of reader-facing text and the language it is marked as ("" for the file's)."""

    text: str
    lang: str = ""


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[Piece] = []
        self._stack: list[tuple[str, str, bool]] = []  # (tag, lang, hidden from assistive technology)
        self._skip = 0

    def _lang(self) -> str:
        for _tag, lang, _hidden in reversed(self._stack):
            if lang:
                return lang
        return ""

    def _hidden(self) -> bool:
        return any(hidden for _tag, _lang, hidden in self._stack)

    def _attributes(self, values: dict[str, str], lang: str) -> None:
        # What assistive technology does not read is not heard (its text is still seen).
        if not self._hidden() and values.get("aria-hidden") != "true":
            for name in sorted(READER_ATTRIBUTES & values.keys()):
                self.pieces.append(Piece(values[name], lang))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        lang = values.get("lang", "")
        if tag == "html":
            lang = ""  # the page's own language is the file's
        if tag == "meta":
            name = values.get("name") or values.get("property") or ""
            if name in READER_META:
                self.pieces.append(Piece(values.get("content", ""), self._lang()))
            return
        if tag in {"br", "img", "input", "link", "hr", "source", "wbr"}:
            self._attributes(values, lang or self._lang())
            return
        self._attributes(values, lang or self._lang())
        self._stack.append((tag, lang, values.get("aria-hidden") == "true"))
        if tag in NOT_TEXT:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if all(open_tag != tag for open_tag, _lang, _hidden in self._stack):
            return  # a void element, or a stray end tag
        while self._stack:
            open_tag, _lang, _hidden = self._stack.pop()
            if open_tag in NOT_TEXT:
                self._skip -= 1
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.pieces.append(Piece(data, self._lang()))


def html_pieces(text: str) -> list[Piece]:
    """The reader-facing text of an HTML or SVG document."""
    parser = _TextParser()
    parser.feed(text)
    parser.close()
    return parser.pieces


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def png_pieces(data: bytes) -> list[Piece]:
    """The text chunks (tEXt, zTXt, iTXt) of a PNG."""
    pieces = []
    at = 8
    while at + 8 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        if kind == b"tEXt":
            _keyword, _, text = body.partition(b"\0")
            pieces.append(Piece(text.decode("latin-1")))
        elif kind == b"zTXt":
            _keyword, _, rest = body.partition(b"\0")
            pieces.append(Piece(zlib.decompress(rest[1:]).decode("latin-1")))
        elif kind == b"iTXt":
            _keyword, _, rest = body.partition(b"\0")
            compressed, rest = rest[0], rest[2:]
            lang, _, rest = rest.partition(b"\0")
            translated, _, text = rest.partition(b"\0")
            value = zlib.decompress(text) if compressed else text
            pieces.append(Piece(translated.decode("utf-8")))
            pieces.append(Piece(value.decode("utf-8"), lang.decode("ascii")))
        at += 12 + length
    return [piece for piece in pieces if piece.text]


def reader_pieces(path: Path) -> list[Piece]:
    """Everything a reader reads in ``path``, by file kind; [] for kinds not read as text."""
    suffix = path.suffix.lower()
    if suffix in {".html", ".svg"}:
        return html_pieces(path.read_text(encoding="utf-8"))
    if suffix == ".csv":
        rows = csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")))
        return [Piece(cell) for row in rows for cell in row if cell]
    if suffix == ".png":
        return png_pieces(path.read_bytes())
    if suffix == ".json":
        return [Piece(text) for text in _strings(json.loads(path.read_text(encoding="utf-8"))) if text]
    if suffix == ".bib":
        return [Piece(path.read_text(encoding="utf-8"))]
    return []
