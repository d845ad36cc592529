"""Line breaks inside Chinese paragraphs: fixture files of Markdown and HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.utils import read_fixture_file

from bilingual.typography import cjk_linebreak_plugin

FIXTURES = read_fixture_file(Path(__file__).parent / "fixtures" / "cjk_linebreaks.md")


@pytest.mark.parametrize(("line", "title", "text", "expected"), FIXTURES, ids=[f[1] for f in FIXTURES])
def test_cjk_linebreaks(line: int, title: str, text: str, expected: str) -> None:
    md = MarkdownIt("commonmark")
    cjk_linebreak_plugin(md)
    assert md.render(text) == expected
