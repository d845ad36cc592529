"""The numbers rule: fixture files of Markdown and the numbers it states."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.utils import read_fixture_file

from bilingual.numbers import _PATTERNS, _patterns_for, chinese_numeral, numbers_plugin

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


SPELLINGS = [
    "5 May 2025",
    "may 7",
    "MAY 2024",
    "Sept. 3",
    "on 4 oct",
    "JUNE 2, 2024",
    "2025年12月10日",
    "12月3號",
    "１２月",
    "百分之二十五",
    "25 per cent",
    "25 PER CENT",
    "25%",
    "2025-01-02",
    "250億",
    "3 billion",
    "In December",
]


@pytest.mark.parametrize("text", [f[2] for f in read_fixture_file(FIXTURES / "numbers.md")] + SPELLINGS)
def test_a_pattern_is_skipped_only_where_it_cannot_match(text: str) -> None:
    normalised = unicodedata.normalize("NFKC", text)
    kept = _patterns_for(normalised)
    for kind, pattern in _PATTERNS:
        if pattern.search(normalised):
            assert (kind, pattern) in kept, f"{kind} pattern {pattern.pattern!r} skipped on {text!r}"
