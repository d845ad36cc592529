"""The sections rule: the table of contents of a document and its self-linked headings."""

from __future__ import annotations

from typing import Any

from contents.syntax import contents_plugin
from markdown_reader import make_markdown

DOCUMENT = """\
Intro.

## Key points

### A detail

## 中國會不會買H200？

## See [the sources](https://example.org/)
"""


def _render(text: str) -> tuple[str, dict[str, Any]]:
    md = make_markdown([contents_plugin])
    env: dict[str, Any] = {"line_offset": 3}
    return md.render(text, env), env


def test_sections_are_the_h2_headings_in_order_with_their_lines() -> None:
    _html, env = _render(DOCUMENT)
    sections = env["extracted"]["contents"]
    assert [(s["id"], s["title"], s["line"]) for s in sections] == [
        ("key-points", "Key points", 6),
        ("中國會不會買h200", "中國會不會買H200？", 10),
        ("see-the-sources", "See the sources", 12),
    ]


def test_every_heading_links_to_itself() -> None:
    html, _env = _render(DOCUMENT)
    assert '<h2 id="key-points"><a class="heading-link" href="#key-points">Key points</a></h2>' in html
    assert '<h3 id="a-detail"><a class="heading-link" href="#a-detail">A detail</a></h3>' in html
    assert 'href="#中國會不會買h200">中國會不會買H200？</a></h2>' in html


def test_a_heading_holding_a_link_is_not_wrapped_in_another() -> None:
    html, _env = _render(DOCUMENT)
    assert (
        '<h2 id="see-the-sources">See <a href="https://example.org/" rel="external">the sources</a></h2>'
        in html
    )


def test_a_document_without_sections_has_an_empty_list() -> None:
    _html, env = _render("Just a paragraph.\n")
    assert env["extracted"]["contents"] == []
