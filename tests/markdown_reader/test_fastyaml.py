"""The libyaml fast path for front matter gives the strict loader's data, or steps aside."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from markdown_reader.fastyaml import load_front_matter
from markdown_reader.frontmatter import split_front_matter
from strictbuild import ContentError
from strictbuild.yamlfile import load
from tools.bench.synthetic import generate

ROOT = Path(__file__).resolve().parents[2]


def _strict(text: str) -> tuple[dict[str, object], dict[str, int]]:
    node, data = load(text, "x.md")
    lines = {str(key.value): key.start_mark.line for key, _value in node.value}  # type: ignore[union-attr]
    return data, lines


def _front_matters(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            found.append(text[4 : text.index("\n---", 3) + 1])
    return found


def test_every_front_matter_of_the_site_and_the_benchmark_reads_the_same(tmp_path: Path) -> None:
    generate(tmp_path / "bench", 8, project=ROOT)
    texts = _front_matters(ROOT / "content") + _front_matters(tmp_path / "bench")
    assert len(texts) > 20
    fast = [load_front_matter(text) for text in texts]
    assert sum(result is not None for result in fast) > len(texts) // 2, "the fast path is hardly used"
    for text, result in zip(texts, fast, strict=True):
        if result is not None:
            assert result == _strict(text), text


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ("title: no\n", {"title": "no"}),  # YAML 1.2: text, not false
        ("n: 12\nm: -3\nz: 0\n", {"n": 12, "m": -3, "z": 0}),
        ("a: true\nb: FALSE\nc: ~\nd:\n", {"a": True, "b": False, "c": None, "d": None}),
        ("date: 2026-01-05\n", {"date": datetime.date(2026, 1, 5)}),
        (
            "tags: [a, b]\nnested: {x: 'y', 'z': \"1\"}\n",
            {"tags": ["a", "b"], "nested": {"x": "y", "z": "1"}},
        ),
        ("text: |\n  one\n  two\nfolded: >\n  one\n  two\n", {"text": "one\ntwo\n", "folded": "one two\n"}),
        ("title: 一二三: 四\n", None),
    ],
)
def test_plain_front_matter_is_read_fast_and_as_the_strict_loader_reads_it(
    text: str, data: dict[str, object] | None
) -> None:
    try:
        expected = _strict(text)
    except ContentError:
        expected = None
    result = load_front_matter(text)
    assert result == expected
    if data is not None:
        assert result is not None
        assert result[0] == data


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # a key twice: PyYAML would keep the last
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: 010\n",  # YAML 1.2 decimal, but not written plainly
        "a: 1_000\n",
        "a: 0x1F\n",
        "a: 1.5\n",
        "a: 2026-13-01\n",  # no real date: the strict loader names the line
        "a: 2026-01-05T10:00:00Z\n",
        "? [a]\n: 1\n",
        "a: [\n",
        "- a\n- b\n",
        "",
        "<<: {a: 1}\n",
    ],
)
def test_what_the_fast_path_is_unsure_of_is_left_to_the_strict_loader(text: str) -> None:
    assert load_front_matter(text) is None


def test_a_repeated_key_is_still_an_error_at_its_line() -> None:
    with pytest.raises(ContentError) as raised:
        split_front_matter("---\ntitle: A\nlang: en\ntitle: B\n---\nbody\n", "brief.md")
    assert raised.value.line == 4
    assert "given twice" in raised.value.message


def test_the_fast_path_gives_the_body_and_key_lines() -> None:
    front = split_front_matter("---\ntitle: A\n\nlang: en\n---\nbody\n", "brief.md")
    assert front.fields == {"title": "A", "lang": "en"}
    assert front.lines == {"title": 2, "lang": 4}
    assert (front.body_offset, front.body) == (5, "body\n")
