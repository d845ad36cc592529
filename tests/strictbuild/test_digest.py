"""Page digests: equal for what a template reads alike, different otherwise, whoever computes them."""

from __future__ import annotations

import datetime
import os
import pickle
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from markupsafe import Markup

from strictbuild.reuse import _plain, code_digest, digest_of, folders_unchanged
from strictbuild.state import building
from tests.support import ROOT


@dataclass(frozen=True)
class Link:
    letter: str
    target: str


@dataclass(frozen=True)
class Cited:
    number: int
    links: list[Link]
    when: datetime.date


DAY = datetime.date(2025, 1, 1)


def places(count: int) -> list[dict[str, object]]:
    return [
        {"key": f"src{i:03d}", "number": i, "id": f"cite-src{i:03d}-1", "line": i + 3, "paragraph": None}
        for i in range(count)
    ]


def test_plain_metadata_takes_one_call_and_richer_values_do_not() -> None:
    assert _plain(places(3)) is not None
    assert _plain({"when": datetime.date(2025, 12, 10)}) is None
    assert _plain([Markup("<b>x</b>")]) is None
    assert _plain([Link("a", "b")]) is None
    assert _plain({"ids": {"a", "b"}, "pair": ("x", frozenset({1}))}) is not None


def test_shared_and_separate_equal_objects_give_one_digest() -> None:
    title = "".join(["Chips", " and ", "tools"])
    shared = [{"title": title, "alt": title}]
    separate = [{"title": "Chips and tools", "alt": "Chips and tools"}]
    assert shared[0]["title"] is shared[0]["alt"]
    assert digest_of(shared) == digest_of(separate)
    # As read back from the content cache (no sharing with the parse's objects).
    value = {"extracted": {"citation_places": places(40)}, "title": title}
    assert digest_of(pickle.loads(pickle.dumps(value))) == digest_of(value)  # noqa: S301 (our own bytes)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({1: "a"}, {"1": "a"}),
        ({"a", "b"}, {"a", "c"}),
        ([True], [1]),
        ([1], [1.0]),
        (places(40), places(40)[:39]),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}),  # a template looping over a mapping shows its order
        ([None], [""]),
        (
            Cited(1, [Link("a", "x")], datetime.date(2025, 1, 1)),
            Cited(1, [Link("a", "y")], datetime.date(2025, 1, 1)),
        ),
        (Link("a", "x"), Link("a", "y")),
    ],
)
def test_values_a_template_shows_differently_have_different_digests(one: object, other: object) -> None:
    assert digest_of(one) != digest_of(other)


def test_a_record_of_plain_fields_is_digested_like_any_record() -> None:
    cited = Cited(2, [Link("a", "x"), Link("b", "y")], datetime.date(2025, 12, 10))
    again = Cited(2, [Link("a", "x"), Link("b", "y")], datetime.date(2025, 12, 10))
    assert digest_of(cited) == digest_of(again)
    assert digest_of([cited, cited]) == digest_of([cited, again])


def test_a_digest_does_not_depend_on_the_process_hash_seed() -> None:
    # Each build is a new process with its own string hashing: a set of
    # strings iterates in a different order in each.
    program = (
        "from strictbuild.reuse import digest_of\n"
        "value = {'tags': {f'tag-{i}' for i in range(50)}, 'places': [{'key': 'k', 'n': 1}]}\n"
        "print(digest_of(value).hex())\n"
    )
    found = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT / "plugins")}
        result = subprocess.run(
            [sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True
        )
        found.add(result.stdout.strip())
    assert len(found) == 1, found


def test_the_code_digest_reads_the_theme_once_and_sees_it_change(tmp_path: Path) -> None:
    """Kept values are not written when the theme changed while the build ran (strictbuild.kept)."""
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    page = theme / "templates" / "page.html"
    page.write_text("{{ page.title }}", encoding="utf-8")
    settings = {"THEME": str(theme), "PLUGIN_PATHS": [], "CACHE_CONTENT": False}
    with building():
        first = code_digest(settings)
        assert folders_unchanged()
        page.write_text("{{ page.title }}!", encoding="utf-8")
        assert not folders_unchanged()
        assert code_digest(settings) == first  # read once per build
    with building():
        assert code_digest(settings) != first
