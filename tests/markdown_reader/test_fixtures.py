"""The Markdown dialect, fixture by fixture: Markdown in, HTML out."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from markdown_reader import make_markdown

FIXTURES = Path(__file__).parent / "fixtures"
CASES = [
    pytest.param(source, expected, id=f"{path.stem}:{line}:{title}")
    for path in sorted(FIXTURES.glob("*.md"))
    for line, title, source, expected in read_fixture_file(path)
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_fixture(source: str, expected: str) -> None:
    env: dict[str, object] = {"source_path": "fixture.md"}
    assert make_markdown().render(source, env) == expected
