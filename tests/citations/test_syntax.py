"""Fixture tests of the citation, glossary-term and brief-link syntax (no Pelican)."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from .conftest import render

FIXTURES = Path(__file__).parent / "fixtures"


def _cases(name: str) -> list[list[object]]:
    return read_fixture_file(FIXTURES / name)


@pytest.mark.parametrize(
    ("line", "title", "text", "expected"),
    [case for name in ("citations.md", "glossary.md", "brief_links.md") for case in _cases(name)],
)
def test_renders(line: int, title: str, text: str, expected: str) -> None:
    html, env = render(text)
    assert html == expected, f"fixture at line {line}: {title}"
    assert env["problems"] == []


@pytest.mark.parametrize(("line", "title", "text", "expected"), _cases("errors.md"))
def test_reports(line: int, title: str, text: str, expected: str) -> None:
    _html, env = render(text)
    assert "\n".join(str(p) for p in env["problems"]) == expected.strip(), f"fixture at line {line}: {title}"


def test_extracted_citations_keys_and_lines() -> None:
    _html, env = render("A [@cna2026].\n\nB [@analysis2025; @cna2026, p. 2].\n")
    assert env["extracted"]["citations"] == [
        {"key": "cna2026", "line": 4},
        {"key": "analysis2025", "line": 6},
        {"key": "cna2026", "line": 6},
    ]
    places = env["extracted"]["citation_places"]
    assert [(p["id"], p["number"], p["paragraph"], p["locator"]) for p in places] == [
        ("cite-cna2026-1", 1, "para-1", ""),
        ("cite-analysis2025-1", 2, "para-2", ""),
        ("cite-cna2026-2", 1, "para-2", "p. 2"),
    ]


def test_extracted_terms_and_brief_links() -> None:
    _html, env = render("[NVIDIA]{term=nvidia}\n\n[x]({brief}alpha)\n")
    assert env["extracted"]["glossary_terms"] == [{"key": "nvidia", "line": 4}]
    assert env["extracted"]["brief_links"] == [{"slug": "alpha", "line": 6}]


def test_citation_without_registry_is_an_error() -> None:
    _html, env = render("A [@cna2026].\n", sources=None)
    assert [str(p) for p in env["problems"]] == [
        "brief.md:4: citation [@cna2026] but there is no sources registry (content/sources.yaml is missing)"
    ]


def test_no_registry_is_fine_without_citations() -> None:
    html, env = render("Nothing cited.\n", sources=None, terms=None)
    assert env["problems"] == []
    assert html == "<p>Nothing cited.</p>\n"


def test_a_span_may_carry_nothing_but_a_term() -> None:
    html, env = render("Text.\n\nA [claim]{.red} here.\n")
    assert [str(p) for p in env["problems"]] == [
        "brief.md:6: only '{term=key}' may follow '[text]', got '{class=red}'"
    ]
    assert "red" not in html


def test_an_empty_term_is_reported_at_its_line() -> None:
    _html, env = render("Text.\n\n[NVIDIA]{term=} sells.\n")
    assert [str(p) for p in env["problems"]] == [
        "brief.md:6: empty glossary term '{term=}': write the term's key after '='"
    ]


def test_a_footnote_citation_is_numbered_where_it_is_read() -> None:
    # The footnote text moves to the end of the page; its citation is still
    # numbered at the place the author wrote it.
    _html, env = render("A.[^1]\n\n[^1]: See [@cna2026].\n\nB [@analysis2025].\n")
    places = env["extracted"]["citation_places"]
    assert [(p["key"], p["number"], p["line"]) for p in places] == [("cna2026", 1, 6), ("analysis2025", 2, 8)]
