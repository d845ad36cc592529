"""Markdown syntax for citations and glossary terms.

Two markdown-it-py plugins in the mdit-py-plugins style, testable without
Pelican:

- :func:`citations_plugin`: Pandoc citations ``[@key]``, ``[@a; @b]`` and
  ``[@key, locator]``, numbered by first use within the document;
- :func:`glossary_plugin`: ``[text]{term=key}``, linking to the glossary
  page once the build gives its URL at render time.

What later build steps need is stored in ``env["extracted"]``:
``citations`` (key and line of every citation, in order), ``citation_places``
(each citing place with its anchor and paragraph anchor) and ``glossary_terms``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, MutableMapping
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from strictbuild import report
from strictbuild.text import nearest

_CITE_KEY = re.compile(r"^@([A-Za-z0-9_][A-Za-z0-9_:.#$%&+?<>~/-]*?)\s*(?:,\s*(.*))?$", re.S)
_TERM_ATTR = re.compile(r"^\{term=([A-Za-z0-9_-]*)\}")
_ANCHOR_SAFE = re.compile(r"[^A-Za-z0-9_-]")
#: The glossary page's address in a term's link until the render knows the page's
#: URL (``env["glossary_url"]``, given by the build once the site is known).
GLOSSARY_LINK_PREFIX = "{glossary}"


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
    (``registry=None``) are reported through :func:`strictbuild.report`.
    """
    known = sorted(registry) if registry is not None else []

    def rule(state: StateInline, silent: bool) -> bool:
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
            token.meta = {"items": _record(state.env, pairs)}
        state.pos = end + 1
        return True

    def _record(env: MutableMapping[str, Any], pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
        line = env.get("_line")
        extracted = _extracted(env)
        numbers: dict[str, int] = env.setdefault("citation_numbers", {})
        counts: dict[str, int] = env.setdefault("citation_counts", {})
        items: list[dict[str, Any]] = []
        for key, locator in pairs:
            if not key:
                report(env, line, "empty citation '[@]': write the source's key after '@'")
                continue
            if registry is None:
                report(
                    env,
                    line,
                    f"citation [@{key}] but there is no sources registry ({registry_path} is missing)",
                )
            elif key not in registry:
                report(env, line, f"unknown citation key '{key}'{nearest(key, known)}")
            number = numbers.setdefault(key, len(numbers) + 1)
            counts[key] = counts.get(key, 0) + 1
            place = {
                "key": key,
                "number": number,
                "id": f"cite-{anchor(key)}-{counts[key]}",
                "locator": locator,
                "line": (line if line is not None else 0) + 1 + int(env.get("line_offset", 0)),
                "paragraph": None,
            }
            extracted.setdefault("citations", []).append({"key": key, "line": place["line"]})
            extracted.setdefault("citation_places", []).append(place)
            items.append(place)
        return items

    md.inline.ruler.before("link", "citation", rule)
    _install_line_tracking(md)
    md.core.ruler.push("citation_paragraph_ids", _paragraph_ids)
    md.add_render_rule("citation", _render_citation)


def _install_line_tracking(md: MarkdownIt) -> None:
    """Let inline rules know the line of the block they are parsing.

    Inline rules do not see ``token.map``. Our core rule replaces the stock
    ``inline`` rule with one that sets ``env["_line"]`` before each block.
    """
    if "_line_tracking" in md.options:
        return
    md.options["_line_tracking"] = True

    def inline_with_lines(state: StateCore) -> None:
        current: int | None = None
        for token in state.tokens:
            if token.map:
                current = int(token.map[0])
            if token.type == "inline":
                state.env["_line"] = int(token.map[0]) if token.map else current
                if token.children is None:
                    token.children = []
                md.inline.parse(token.content, md, state.env, token.children)
        state.env.pop("_line", None)

    md.core.ruler.at("inline", inline_with_lines)


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
    links = []
    for place in items:
        key = escapeHtml(place["key"])
        title = f' data-locator="{escapeHtml(place["locator"])}"' if place["locator"] else ""
        links.append(
            f'<a class="citation-ref" id="{place["id"]}" href="#{source_anchor(key)}"'
            f' aria-describedby="{preview_anchor(key)}" data-preview="{preview_anchor(key)}"{title}>'
            f"{place['number']}</a>"
        )
    if not links:
        return ""
    inner = '<span class="citation-sep">, </span>'.join(links)
    return f'<sup class="citation">{inner}</sup>'


def glossary_plugin(
    md: MarkdownIt,
    *,
    glossary: Collection[str] | None,
    glossary_path: str = "content/glossary.yaml",
) -> None:
    """Add glossary terms: ``[text]{term=key}``.

    The text becomes a link to the term's entry on the glossary page (the
    ``{glossary}`` placeholder is resolved by the build), described by the
    term's definition (``aria-describedby``) for the preview on hover and
    focus. Unknown keys are reported with the nearest known keys.
    """
    known = sorted(glossary) if glossary is not None else []

    def rule(state: StateInline, silent: bool) -> bool:
        if state.src[state.pos] != "[" or state.src.startswith("[@", state.pos):
            return False
        label_end = state.md.helpers.parseLinkLabel(state, state.pos, True)
        if label_end < 0:
            return False
        match = _TERM_ATTR.match(state.src[label_end + 1 :])
        if match is None:
            return False
        key = match.group(1)
        if not silent:
            env = state.env
            line = env.get("_line")
            if not key:
                report(env, line, "empty glossary term '{term=}': write the term's key after '='")
            elif glossary is None:
                report(
                    env, line, f"glossary term '{key}' but there is no glossary ({glossary_path} is missing)"
                )
            elif key not in glossary:
                report(env, line, f"unknown glossary term '{key}'{nearest(key, known)}")
            _extracted(env).setdefault("glossary_terms", []).append(
                {"key": key, "line": (line if line is not None else 0) + 1 + int(env.get("line_offset", 0))}
            )
            opening = state.push("glossary_term_open", "a", 1)
            opening.attrs = {
                "class": "glossary-term",
                "href": f"{GLOSSARY_LINK_PREFIX}#{term_anchor(key)}",
                "aria-describedby": term_preview_anchor(key),
                "data-preview": term_preview_anchor(key),
            }
            opening.meta = {"key": key}
            old_max = state.posMax
            state.pos = state.pos + 1
            state.posMax = label_end
            state.md.inline.tokenize(state)
            state.posMax = old_max
            state.push("glossary_term_close", "a", -1)
        state.pos = label_end + 1 + match.end()
        return True

    md.inline.ruler.before("link", "glossary_term", rule)
    _install_line_tracking(md)
    md.add_render_rule("glossary_term_open", _render_term_open)


def _render_term_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    """A term's link, to the glossary page's URL when the build gives it (``env["glossary_url"]``)."""
    token = tokens[idx]
    url = env.get("glossary_url")
    href = str(token.attrGet("href") or "")
    if url is None or not href.startswith(GLOSSARY_LINK_PREFIX):
        return str(self.renderToken(tokens, idx, options, env))
    # The tokens stay as parsed: a document may be rendered more than once.
    resolved = token.copy(attrs={**token.attrs, "href": url + href[len(GLOSSARY_LINK_PREFIX) :]})
    return str(self.renderToken([resolved], 0, options, env))


__all__ = [
    "GLOSSARY_LINK_PREFIX",
    "anchor",
    "citations_plugin",
    "glossary_plugin",
    "nearest",
    "preview_anchor",
    "source_anchor",
    "term_anchor",
    "term_preview_anchor",
]
