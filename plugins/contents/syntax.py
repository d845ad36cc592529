"""Parse: the sections of a document, and a self-link on each heading.

Runs after the reader's heading-id rule, so every heading already has its
id. Only ``h2`` headings are sections of the table of contents; every
heading with an id (h2 to h4) becomes a link to itself, so a reader can
copy the address of any section. A heading that already holds a link is
left as it is (links do not nest).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

#: The heading level listed in the table of contents.
SECTION_TAG = "h2"


def _text(inline: Token) -> str:
    """The plain text of an inline token (what a reader sees in the heading)."""
    parts = []
    for child in inline.children or []:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
    return "".join(parts).strip() or inline.content.strip()


def _link_heading(inline: Token, anchor: str) -> None:
    children = inline.children or []
    if any(child.type == "link_open" for child in children):
        return
    opening = Token("link_open", "a", 1)
    opening.attrs = {"class": "heading-link", "href": f"#{anchor}"}
    closing = Token("link_close", "a", -1)
    inline.children = [opening, *children, closing]


def contents_plugin(md: MarkdownIt) -> None:
    """Record ``extracted["contents"]`` (id, title, line) and link each heading to itself."""

    def contents(state: StateCore) -> None:
        env: MutableMapping[str, Any] = state.env
        sections: list[dict[str, Any]] = []
        tokens = state.tokens
        for index, token in enumerate(tokens):
            if token.type != "heading_open" or index + 1 >= len(tokens):
                continue
            anchor = token.attrGet("id")
            if not anchor:
                continue
            inline = tokens[index + 1]
            if token.tag == SECTION_TAG:
                line = (token.map[0] if token.map else 0) + 1 + int(env.get("line_offset", 0))
                sections.append({"id": str(anchor), "title": _text(inline), "line": line})
            _link_heading(inline, str(anchor))
        env.setdefault("extracted", {})["contents"] = sections

    md.core.ruler.push("contents", contents)
