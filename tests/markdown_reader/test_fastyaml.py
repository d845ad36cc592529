"""The libyaml fast path for front matter gives the strict loader's data, or steps aside."""

from __future__ import annotations

import datetime
import itertools
import random
from pathlib import Path
from typing import Any

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


def _typed(value: Any) -> Any:
    """``value`` with every leaf paired with its type, so that ``True`` and ``1`` differ."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return (type(value).__name__, value)


def _same(fast: Any, strict: Any) -> bool:
    return bool(_typed(fast[0]) == _typed(strict[0]) and fast[1] == strict[1])


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
            assert _same(result, _strict(text)), text


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
    assert (result is None) == (expected is None)
    if result is not None:
        assert _same(result, expected)
    if data is not None:
        assert result is not None
        assert _typed(result[0]) == _typed(data)


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
        "a:\t1\n",  # a tab as spacing: libyaml takes it, ruamel.yaml refuses it
        "a: x\t\n",
        "a: 1\t# c\n",
        "a: x\ty\n",
        "a: x\n  \ty\n",
        'a: ["x":y]\n',  # a flow key written against its value
        "a: ['x':y]\n",
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


# Pieces of front matter, joined at random into many texts: whatever the fast
# path reads, the strict loader reads too, to the same values of the same types.
KEYS = ["a", "b", "title", '"q"', "k k"]
SEPARATORS = [": ", ":\t", ":", ":  "]
VALUES = [
    "1",
    "x",
    "yes",
    "no",
    "on",
    "~",
    "",
    '"q"',
    "'q'",
    "[x, y]",
    '[x, "y":z]',
    "{a: 1}",
    "{a: [1, 2]}",
    "2026-01-01",
    "2026-02-30",
    "2026-01-01 10:00",
    "x\ty",
    "x # c",
    "x#c",
    "|\n  t",
    ">-\n  t\n  u",
    "true",
    "True",
    "0o17",
    "0x1F",
    ".inf",
    ".nan",
    "1e3",
    "+1",
    "-0",
    "1_000",
    "010",
    "null",
    "- x",
    "\n  - x\n  - 2",
    "\n  k: v",
    "a: b",
    "'it''s'",
    '"a\\tb"',
    "x\n  y",
    "@x",
    "`x",
    "[",
    "}",
]
ENDINGS = ["\n", "\r\n", "\t\n", " \n"]


def _texts(count: int) -> list[str]:
    rng = random.Random(20261206)  # noqa: S311 (test data, not secrets)
    texts = []
    for _ in range(count):
        lines = [
            f"{rng.choice(KEYS)}{rng.choice(SEPARATORS)}{rng.choice(VALUES)}{rng.choice(ENDINGS)}"
            for _ in range(rng.randint(1, 3))
        ]
        texts.append("".join(lines))
    # Every key, separator and value once on its own as well.
    texts += [f"{k}{s}{v}\n" for k, s, v in itertools.product(KEYS, SEPARATORS, VALUES)]
    return texts


def test_whatever_the_fast_path_reads_the_strict_loader_reads_the_same() -> None:
    read = 0
    for text in _texts(3000):
        result = load_front_matter(text)
        if result is None:
            continue
        read += 1
        try:
            expected = _strict(text)
        except ContentError as error:
            raise AssertionError(
                f"the fast path read {text!r}, which the strict loader refuses: {error}"
            ) from None
        assert _same(result, expected), text
    assert read > 300, f"the fast path read only {read} texts: the comparison says little"
