"""The link to another brief in Markdown: ``[text]({brief}slug)`` (a markdown-it-py plugin).

Which file a slug names is known only once every brief is read, so the
parser records each such link with its line in ``env["extracted"]
["brief_links"]`` and keeps ``{brief}slug`` as the token's target. At render
time, a function in ``env["brief_href"]`` (given by the build once the site
is known) turns slug and fragment into the final address; without it the
link keeps its placeholder, as a parser used alone shows it.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

#: The placeholder a link to a brief keeps until the build renders it.
BRIEF_LINK_PREFIX = "{brief}"
#: How markdown-it writes the placeholder once it has percent-encoded the braces.
_ENCODED_PREFIX = "%7Bbrief%7D"


def _collect(state: StateCore) -> None:
    """Normalise every ``{brief}`` target and record the link with its line."""
    current: int | None = None
    offset = int(state.env.get("line_offset", 0))
    for token in state.tokens:
        if token.map:
            current = int(token.map[0])
        for child in token.children or []:
            if child.type != "link_open":
                continue
            href = str(child.attrGet("href") or "")
            for prefix in (BRIEF_LINK_PREFIX, _ENCODED_PREFIX):
                if href.startswith(prefix):
                    slug, _, fragment = href[len(prefix) :].partition("#")
                    child.attrSet("href", BRIEF_LINK_PREFIX + slug + (f"#{fragment}" if fragment else ""))
                    line = (current if current is not None else 0) + 1 + offset
                    links = state.env.setdefault("extracted", {}).setdefault("brief_links", [])
                    links.append({"slug": slug, "line": line})


def _render_link_open(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: MutableMapping[str, Any],
) -> str:
    """A link, its ``{brief}`` target turned into the brief's address when the build knows it."""
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    resolve = env.get("brief_href")
    if resolve is None or not href.startswith(BRIEF_LINK_PREFIX):
        return self.renderToken(tokens, idx, options, env)
    slug, _, fragment = href[len(BRIEF_LINK_PREFIX) :].partition("#")
    # The tokens stay as parsed: a document may be rendered more than once.
    resolved = token.copy(attrs={**token.attrs, "href": resolve(slug, fragment)})
    return self.renderToken([resolved], 0, options, env)


def brief_links_plugin(md: MarkdownIt) -> None:
    """Add links to other briefs, ``[text]({brief}slug)`` or ``({brief}slug#part)``."""
    md.core.ruler.push("brief_links", _collect)
    md.add_render_rule("link_open", _render_link_open)


__all__ = ["BRIEF_LINK_PREFIX", "brief_links_plugin"]
