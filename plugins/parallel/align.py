"""Parse and align: a brief's HTML cut into sections and paragraphs, paired across languages.

A section starts at each top-level ``h2`` (the text before the first is the
opening section); its blocks are the top-level elements after the heading
(paragraphs, lists, tables, figures, quotations). Two versions align when
they have the same number of sections and each pair of sections the same
number of blocks: the pairing that the drift check already relies on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape as html_unescape
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _TopLevel(HTMLParser):
    """Finds the character spans of the top-level elements of an HTML fragment."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = [0]
        for match in re.finditer("\n", text):
            self.line_starts.append(match.end())
        self.depth = 0
        self.start = 0
        self.tag = ""
        self.spans: list[tuple[str, int, int]] = []
        #: every id the fragment defines, at any depth (read in the same pass)
        self.ids: set[str] = set()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value is not None)
        if self.depth == 0:
            self.start, self.tag = self._offset(), tag
        if tag in VOID:
            if self.depth == 0:
                end = self.text.index(">", self._offset()) + 1
                self.spans.append((tag, self.start, end))
            return
        self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value is not None)
        if self.depth == 0:
            start = self._offset()
            self.spans.append((tag, start, self.text.index(">", start) + 1))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        self.depth -= 1
        if self.depth == 0:
            end = self.text.index(">", self._offset()) + 1
            self.spans.append((self.tag, self.start, end))


@dataclass
class _Spans:
    """What :class:`_TopLevel` finds: the top-level elements' spans and every id."""

    spans: list[tuple[str, int, int]]
    ids: set[str]


# A start or end tag as the project's Markdown renderer writes them: a name,
# then attributes (quoted, unquoted or bare), then ">" or "/>".
_TAG = re.compile(
    r"""<(/?)([a-zA-Z][^\s/>]*)((?:[\s/]*[^\s"'>/=][^\s"'>/=]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)[\s/]*>"""
)
_ATTRIBUTE = re.compile(r"""([^\s"'>/=][^\s"'>/=]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
# Elements whose text is not HTML, and markup other than tags: read by html.parser.
_RAW_TEXT = frozenset(
    {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"}
)


def _scan(text: str) -> _Spans | None:
    """:class:`_TopLevel`'s reading of ``text`` from a scan of its tags; None if it holds other markup.

    Rendered briefs hold only tags, text and character references, so a
    scan of the tags gives the same spans and ids as html.parser, several
    times faster. Comments, declarations, processing instructions, raw text
    elements and a "<" that starts no tag are left to html.parser.
    """
    spans: list[tuple[str, int, int]] = []
    ids: set[str] = set()
    depth = 0
    start, top = 0, ""
    position = text.find("<")
    while position != -1:
        match = _TAG.match(text, position)
        if match is None:
            if text.startswith(("<!", "<?", "</"), position) or text[position + 1 : position + 2].isalpha():
                return None
            position = text.find("<", position + 1)  # a "<" in text
            continue
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            if name not in VOID:
                depth -= 1
                if depth == 0:
                    spans.append((top, start, text.index(">", position) + 1))
        else:
            if name in _RAW_TEXT:
                return None
            if "id" in attributes.lower():
                for attribute in _ATTRIBUTE.finditer(attributes):
                    if attribute.group(1).lower() == "id" and attribute.group(2) is not None:
                        ids.add(html_unescape(attribute.group(2).strip("\"'")))
            self_closing = text[match.end() - 2] == "/"
            if self_closing or name in VOID:
                if depth == 0:
                    spans.append((name, position, text.index(">", position) + 1))
            else:
                if depth == 0:
                    start, top = position, name
                depth += 1
        position = text.find("<", match.end())
    return _Spans(spans, ids)


def _parse(html: str) -> _TopLevel | _Spans:
    found = _scan(html)
    if found is not None:
        return found
    parser = _TopLevel(html)
    parser.feed(html)
    parser.close()
    return parser


def top_level(html: str) -> list[tuple[str, str]]:
    """``(tag, outer HTML)`` of every top-level element of ``html``, in order."""
    return [(tag, html[start:end]) for tag, start, end in _parse(html).spans]


@dataclass
class Section:
    """One section of a brief: its heading (empty for the opening) and its blocks."""

    heading: str = ""
    anchor: str = ""
    blocks: list[str] = field(default_factory=list)


_ID = re.compile(r'\bid="([^"]*)"')


def sections(html: str) -> list[Section]:
    """The sections of a brief's HTML, an opening section first when text precedes the first h2."""
    return outline(html)[0]


def outline(html: str) -> tuple[list[Section], frozenset[str]]:
    """:func:`sections` of ``html`` and every id it defines, from one reading of it."""
    parser = _parse(html)
    found = [Section()]
    for tag, start, end in parser.spans:
        outer = html[start:end]
        if tag == "h2":
            anchor = _ID.search(outer)
            found.append(Section(heading=outer, anchor=anchor.group(1) if anchor else ""))
        else:
            found[-1].blocks.append(outer)
    if not found[0].blocks:
        found.pop(0)
    return found, frozenset(parser.ids)


@dataclass
class Row:
    """One aligned row: a block in each language (or a heading in each)."""

    kind: str  # "heading" or "block"
    cells: list[str]
    anchors: list[str] = field(default_factory=list)  # a heading row's section id in each version


def misalignment(first: list[Section], second: list[Section]) -> list[tuple[int, str]]:
    """Where two versions do not align: ``(section index, message)``; empty when they do."""
    if len(first) != len(second):
        return [(0, f"{len(first)} sections against {len(second)}")]
    problems = []
    for index, (one, two) in enumerate(zip(first, second, strict=True)):
        if len(one.blocks) != len(two.blocks):
            problems.append(
                (
                    index,
                    f"section {index + 1} has {len(one.blocks)} paragraphs or blocks "
                    f"against {len(two.blocks)}",
                )
            )
    return problems


def rows(versions: list[list[Section]]) -> list[Row]:
    """The aligned rows of versions that align (see :func:`misalignment`)."""
    out: list[Row] = []
    for parts in zip(*versions, strict=True):
        if any(part.heading for part in parts):
            out.append(
                Row("heading", [part.heading for part in parts], anchors=[part.anchor for part in parts])
            )
        for blocks in zip(*(part.blocks for part in parts), strict=True):
            out.append(Row("block", list(blocks)))
    return out
