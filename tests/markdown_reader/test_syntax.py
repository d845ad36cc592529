"""Problems the Markdown dialect reports, with their lines."""

from __future__ import annotations

import pytest

from markdown_reader import heading_slug, link_is_safe, make_markdown
from strictbuild import ContentError


def problems(source: str, offset: int = 0) -> list[ContentError]:
    env: dict[str, object] = {"source_path": "content/briefs/a.en.md", "line_offset": offset}
    make_markdown().render(source, env)
    return list(env.get("problems", []))  # type: ignore[call-overload]


def test_raw_html_is_reported_with_its_line() -> None:
    found = problems("Intro.\n\n<script>alert(1)</script>\n", offset=6)
    assert [(p.path, p.line) for p in found] == [("content/briefs/a.en.md", 9)]
    assert "raw HTML is not allowed" in found[0].message


def test_event_attribute_is_reported() -> None:
    found = problems("Text <img src=x onerror=alert(1)>\n")
    assert len(found) == 1
    assert "onerror" in found[0].message


def test_javascript_link_is_reported() -> None:
    found = problems("First line.\nSecond [x](javascript:alert(1)).\n")
    assert len(found) == 1
    assert found[0].line == 1
    assert "unsafe link target" in found[0].message


def test_comments_are_not_problems() -> None:
    assert problems("<!-- note -->\n\nText.\n") == []


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "javascript%3Aalert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "DATA:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
    ],
)
def test_unsafe_links(url: str) -> None:
    assert not link_is_safe(url)


@pytest.mark.parametrize(
    "url",
    ["https://example.org/", "#section", "../other/", "mailto:a@example.org", "data:image/png;base64,AAAA"],
)
def test_safe_links(url: str) -> None:
    assert link_is_safe(url)


@pytest.mark.parametrize(
    ("text", "slug"),
    [("Key points", "key-points"), ("重點摘要", "重點摘要"), ("  A -- B  ", "a-b"), ("！？", "section")],
)
def test_heading_slug(text: str, slug: str) -> None:
    assert heading_slug(text) == slug
