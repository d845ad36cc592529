"""The numbers rule: fixture files of Markdown and the numbers it states."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.utils import read_fixture_file

from bilingual.numbers import chinese_numeral, numbers_plugin

FIXTURES = Path(__file__).parent / "fixtures"


def numbers_of(text: str) -> str:
    md = MarkdownIt("commonmark")
    numbers_plugin(md)
    env: dict[str, Any] = {"extracted": {}}
    md.render(text, env)
    return "".join(f"{n['line']} {n['text']} {n['value']}\n" for n in env["extracted"]["numbers"])


@pytest.mark.parametrize(
    ("line", "title", "text", "expected"),
    read_fixture_file(FIXTURES / "numbers.md"),
    ids=[f[1] for f in read_fixture_file(FIXTURES / "numbers.md")],
)
def test_numbers_fixture(line: int, title: str, text: str, expected: str) -> None:
    assert numbers_of(text) == expected


@pytest.mark.parametrize(("numeral", "value"), [("五", 5), ("十五", 15), ("二十五", 25), ("一百零二", 102)])
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert chinese_numeral(numeral) == value
