"""Markdown syntax for citations (a markdown-it-py plugin), and the anchors they link to.

:func:`citations_plugin` adds Pandoc citations ``[@key]``, ``[@a; @b]`` and
``[@key, locator]``, numbered by first use within the document, in the
mdit-py-plugins style and testable without Pelican. What later build steps
need is stored in ``env["extracted"]``: ``citations`` (key and line of every
citation, in order) and ``citation_places`` (each citing place with its
anchor and paragraph anchor).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, MutableMapping
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from markdown_reader.address import address_of
from strictbuild import report
from strictbuild.text import nearest

_CITE_KEY = re.compile(r"^@([A-Za-z0-9_][A-Za-z0-9_:.#$%&+?<>~/-]*?)\s*(?:,\s*(.*))?$", re.S)
_ANCHOR_SAFE = re.compile(r"[^A-Za-z0-9_-]")


def anchor(key: str) -> str:
    """A key made safe for use inside an HTML id."""
    return _ANCHOR_SAFE.sub("-", key)


def source_anchor(key: str) -> str:
    """The id of a source's entry, in a brief's source list and on the sources page."""
    return f"source-{anchor(key)}"


def preview_anchor(key: str) -> str:
    """The id of a source's preview (the tooltip text) on a brief."""
    return f"preview-{anchor(key)}"


def term_anchor(key: str) -> str:
    """The id of a glossary term's entry on the glossary page."""
    return f"term-{anchor(key)}"


def term_preview_anchor(key: str) -> str:
    """The id of a glossary term's definition (the tooltip text) on a brief."""
    return f"definition-{anchor(key)}"


def _extracted(env: MutableMapping[str, Any]) -> dict[str, Any]:
    extracted: dict[str, Any] = env.setdefault("extracted", {})
    return extracted


def _parse_cluster(body: str) -> list[tuple[str, str]] | None:
    """Split ``@a; @b, locator`` into (key, locator) pairs; None if not a citation."""
    parts = [part.strip() for part in body.split(";")]
    found: list[tuple[str, str]] = []
    for part in parts:
        match = _CITE_KEY.match(part)
        if match is None:
            if part == "@":
                found.append(("", ""))
                continue
            return None
        found.append((match.group(1), " ".join((match.group(2) or "").split())))
    return found


def inline_blocks(tokens: list[Token]) -> Iterator[tuple[Token, int | None]]:
    """Every inline token with the 0-based line of its block (or of the nearest block before it)."""
    current: int | None = None
    for token in tokens:
        if token.map:
            current = int(token.map[0])
        if token.type == "inline":
            yield token, int(token.map[0]) if token.map else current


def file_line(env: MutableMapping[str, Any], line: int | None) -> int:
    """The 1-based line in the file of a 0-based line of the body."""
    return (line if line is not None else 0) + 1 + int(env.get("line_offset", 0))


def _citation_rule(state: StateInline, silent: bool) -> bool:
    """``[@key]``, ``[@a; @b, locator]``: a ``citation`` token holding its (key, locator) pairs."""
    src = state.src
    start = state.pos
    if not src.startswith("[@", start):
        return False
    end = src.find("]", start + 2)
    if end < 0 or "[" in src[start + 1 : end]:
        return False
    # "[@x](url)" and "[@x][ref]" are links whose text starts with "@".
    if src[end + 1 : end + 2] in ("(", "["):
        return False
    pairs = _parse_cluster(src[start + 1 : end])
    if pairs is None:
        return False
    if not silent:
        # "a claim [@key]." renders as "a claim¹." like a footnote mark.
        state.pending = state.pending.rstrip(" ")
        token = state.push("citation", "", 0)
        token.meta = {"pairs": pairs, "items": []}
    state.pos = end + 1
    return True


class _Numbering:
    """Numbers citations by first use in a document and checks their keys."""

    def __init__(self, registry: Collection[str] | None, registry_path: str) -> None:
        self.registry = registry
        self.registry_path = registry_path
        self.known = sorted(registry) if registry is not None else []

    def __call__(self, state: StateCore) -> None:
        for block, line in inline_blocks(state.tokens):
            for child in block.children or []:
                if child.type == "citation":
                    child.meta["items"] = self.record(state.env, line, child.meta["pairs"])

    def problem(self, key: str) -> str | None:
        if not key:
            return "empty citation '[@]': write the source's key after '@'"
        if self.registry is None:
            return f"citation [@{key}] but there is no sources registry ({self.registry_path} is missing)"
        if key not in self.registry:
            return f"unknown citation key '{key}'{nearest(key, self.known)}"
        return None

    def record(
        self, env: MutableMapping[str, Any], line: int | None, pairs: list[tuple[str, str]]
    ) -> list[dict[str, Any]]:
        extracted = _extracted(env)
        numbers: dict[str, int] = env.setdefault("citation_numbers", {})
        counts: dict[str, int] = env.setdefault("citation_counts", {})
        items: list[dict[str, Any]] = []
        for key, locator in pairs:
            problem = self.problem(key)
            if problem is not None:
                report(env, line, problem)
            if not key:
                continue
            number = numbers.setdefault(key, len(numbers) + 1)
            counts[key] = counts.get(key, 0) + 1
            place = {
                "key": key,
                "number": number,
                "id": f"cite-{anchor(key)}-{counts[key]}",
                "locator": locator,
                "line": file_line(env, line),
                "paragraph": None,
            }
            extracted.setdefault("citations", []).append({"key": key, "line": place["line"]})
            extracted.setdefault("citation_places", []).append(place)
            items.append(place)
        return items


def citations_plugin(
    md: MarkdownIt,
    *,
    registry: Collection[str] | None,
    registry_path: str = "content/sources.yaml",
) -> None:
    """Add Pandoc-style citations: ``[@key]``, ``[@a; @b]``, ``[@key, locator]``.

    Each citation renders as superscript numbered links to the source's entry
    (``#source-<key>``), numbered by first use in the document. Every citing
    place gets an id (``cite-<key>-<n>``) and its paragraph an id
    (``para-<n>``) so source lists can link back. Unknown keys (with the
    nearest known keys), an empty ``[@]`` and citations without a registry
    (``registry=None``) are reported through :func:`strictbuild.report`
    with their line: the inline rule only reads the citation, a core rule
    right after ``inline`` (which knows each block's line) numbers and checks.
    """
    md.inline.ruler.before("link", "citation", _citation_rule)
    # Before the footnote plugin moves footnote texts to the end: numbered in reading order.
    md.core.ruler.after("inline", "citation_numbers", _Numbering(registry, registry_path))
    md.core.ruler.push("citation_paragraph_ids", _paragraph_ids)
    md.add_render_rule("citation", _render_citation)


def _paragraph_ids(state: StateCore) -> None:
    """Give every block holding a citation an id, so source lists can link to it."""
    count = 0
    for index, token in enumerate(state.tokens):
        if token.type == "paragraph_open":
            count += 1
        if token.type != "inline" or not token.children:
            continue
        places = [p for child in token.children if child.type == "citation" for p in child.meta["items"]]
        if not places:
            continue
        holder = _holder(state.tokens, index)
        if holder is None:
            continue
        ident = holder.attrGet("id")
        if not ident:
            # Numbered by paragraph, hidden ones (tight lists) included, so
            # the id stays the same whatever element ends up carrying it.
            ident = f"para-{count}"
            holder.attrSet("id", ident)
        for place in places:
            place["paragraph"] = str(ident)


def _holder(tokens: list[Token], index: int) -> Token | None:
    """The nearest enclosing block that renders a tag (tight-list paragraphs do not)."""
    depth = 0
    for token in reversed(tokens[:index]):
        if token.nesting == -1:
            depth += 1
        elif token.nesting == 1:
            if depth:
                depth -= 1
                continue
            if not token.hidden:
                return token
    return None


def _render_citation(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    # A group lists its sources in number order ("1, 2"), whatever order
    # the author wrote the keys in.
    items = sorted(tokens[idx].meta["items"], key=lambda place: int(place["number"]))
    address = address_of(env)
    links = []
    for place in items:
        key = escapeHtml(place["key"])
        title = f' data-locator="{escapeHtml(place["locator"])}"' if place["locator"] else ""
        preview = address.id(preview_anchor(key))
        ident, href = address.id(place["id"]), address.url("#" + source_anchor(key))
        links.append(
            f'<a class="citation-ref" id="{ident}" href="{href}"'
            f' aria-describedby="{preview}" data-preview="{preview}"{title}>'
            f"{place['number']}</a>"
        )
    if not links:
        return ""
    inner = '<span class="citation-sep">, </span>'.join(links)
    return f'<sup class="citation">{inner}</sup>'


__all__ = [
    "anchor",
    "citations_plugin",
    "file_line",
    "inline_blocks",
    "nearest",
    "preview_anchor",
    "source_anchor",
    "term_anchor",
    "term_preview_anchor",
]
