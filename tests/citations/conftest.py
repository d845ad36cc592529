"""Helpers for the citations tests: a parser with the plugins and a fixed registry."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt

from citations import citations_plugin, glossary_plugin
from crosslinks import brief_links_plugin
from markdown_reader import make_markdown

SOURCES = ("analysis2025", "caixun2025", "cna2026")
TERMS = ("nvidia", "smic", "export-licence")


def parser(*, sources: tuple[str, ...] | None = SOURCES, terms: tuple[str, ...] | None = TERMS) -> MarkdownIt:
    """The site's parser with the citation, glossary and brief-link syntax."""
    md = make_markdown()
    citations_plugin(md, registry=sources)
    glossary_plugin(md, glossary=terms)
    brief_links_plugin(md)
    return md


def render(text: str, **kwargs: Any) -> tuple[str, dict[str, Any]]:
    """Render ``text`` as the body of ``brief.md`` (front matter of 3 lines); return HTML and env."""
    env: dict[str, Any] = {"source_path": "brief.md", "line_offset": 3, "extracted": {}, "problems": []}
    html = parser(**kwargs).render(text, env)
    return html, env
