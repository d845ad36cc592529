"""Glossary terms in Markdown: ``[text]{term=key}`` (a markdown-it-py plugin).

The bracketed span and its attributes are read by mdit-py-plugins' ``attrs``
plugin (spans only); a core rule turns a span carrying ``term`` into a link
to the term's entry on the glossary page, described by the term's
definition (``aria-describedby``) for the preview on hover and focus, and
records ``{"key", "line"}`` in ``env["extracted"]["glossary_terms"]``.

The link's target is ``{glossary}#term-<key>`` until the render knows the
glossary page's URL (``env["glossary_url"]``, given by the build once the
site is known).
"""

from __future__ import annotations

import re
from collections.abc import Collection, MutableMapping
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin

from strictbuild import report
from strictbuild.text import nearest

from .syntax import file_line, inline_blocks, term_anchor, term_preview_anchor

#: The glossary page's address in a term's link until the render knows its URL.
GLOSSARY_LINK_PREFIX = "{glossary}"
#: ``{term=}`` with no key: the attrs plugin leaves it as text, but it is a mistake.
_EMPTY_TERM = re.compile(r"\]\{\s*term=\s*\}")


class _Terms:
    """Turns ``term`` spans into glossary links and checks their keys."""

    def __init__(self, glossary: Collection[str] | None, glossary_path: str) -> None:
        self.glossary = glossary
        self.glossary_path = glossary_path
        self.known = sorted(glossary) if glossary is not None else []

    def __call__(self, state: StateCore) -> None:
        for block, line in inline_blocks(state.tokens):
            for child in block.children or []:
                if child.type == "text" and _EMPTY_TERM.search(child.content):
                    report(state.env, line, "empty glossary term '{term=}': write the term's key after '='")
                elif child.type == "span_open":
                    self.term(state.env, line, child)
                elif child.type == "span_close":
                    child.type, child.tag = "glossary_term_close", "a"

    def problem(self, key: str) -> str | None:
        if self.glossary is None:
            return f"glossary term '{key}' but there is no glossary ({self.glossary_path} is missing)"
        if key not in self.glossary:
            return f"unknown glossary term '{key}'{nearest(key, self.known)}"
        return None

    def term(self, env: MutableMapping[str, Any], line: int | None, token: Token) -> None:
        """Make the span a glossary link; refuse any attribute but ``term``."""
        key = str(token.attrs.get("term", ""))
        others = sorted(name for name in token.attrs if name != "term")
        if others or not key:
            written = " ".join(f"{name}={value}" for name, value in token.attrs.items())
            report(env, line, f"only '{{term=key}}' may follow '[text]', got '{{{written}}}'")
        else:
            problem = self.problem(key)
            if problem is not None:
                report(env, line, problem)
            _extracted(env).setdefault("glossary_terms", []).append(
                {"key": key, "line": file_line(env, line)}
            )
        token.type, token.tag, token.meta = "glossary_term_open", "a", {"key": key}
        token.attrs = {
            "class": "glossary-term",
            "href": f"{GLOSSARY_LINK_PREFIX}#{term_anchor(key)}",
            "aria-describedby": term_preview_anchor(key),
            "data-preview": term_preview_anchor(key),
        }


def _extracted(env: MutableMapping[str, Any]) -> dict[str, Any]:
    extracted: dict[str, Any] = env.setdefault("extracted", {})
    return extracted


def _render_term_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    """A term's link, to the glossary page's URL when the build gives it (``env["glossary_url"]``)."""
    token = tokens[idx]
    url = env.get("glossary_url")
    href = str(token.attrGet("href") or "")
    if url is None or not href.startswith(GLOSSARY_LINK_PREFIX):
        return str(self.renderToken(tokens, idx, options, env))
    # The tokens stay as parsed: a document may be rendered more than once.
    tokens[idx] = token.copy(attrs={**token.attrs, "href": url + href[len(GLOSSARY_LINK_PREFIX) :]})
    try:
        return str(self.renderToken(tokens, idx, options, env))
    finally:
        tokens[idx] = token


def glossary_plugin(
    md: MarkdownIt,
    *,
    glossary: Collection[str] | None,
    glossary_path: str = "content/glossary.yaml",
) -> None:
    """Add glossary terms: ``[text]{term=key}``.

    Unknown keys are reported with the nearest known keys, as are an empty
    key and any attribute other than ``term`` (the span would otherwise
    carry it into the HTML).
    """
    md.use(attrs_plugin, after=(), spans=True)
    md.core.ruler.after("inline", "glossary_terms", _Terms(glossary, glossary_path))
    md.add_render_rule("glossary_term_open", _render_term_open)


__all__ = ["GLOSSARY_LINK_PREFIX", "glossary_plugin"]
