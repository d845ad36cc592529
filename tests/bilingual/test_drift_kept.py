"""A pair of translations found in agreement is not compared again until one of its files changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import bilingual.drift as drift
from strictbuild.reuse import VERIFY_ENV
from tests.support import SiteCopy, build_content

BRIEF = Path("briefs") / "h200-reversal.en.md"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> SiteCopy:
    site = SiteCopy(tmp_path_factory.mktemp("drift"))
    site.build_unchecked()
    return site


@pytest.fixture
def compared(built: SiteCopy, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The English file of every pair compared from here on (the site's caches match its files)."""
    monkeypatch.delenv(VERIFY_ENV, raising=False)
    built.build()
    pairs: list[str] = []
    real = drift.compare_pair

    def counted(first: Any, second: Any) -> Any:
        pairs.append(Path(str(first.source_path)).name)
        return real(first, second)

    monkeypatch.setattr(drift, "compare_pair", counted)
    return pairs


def test_a_rebuild_compares_only_the_pair_whose_file_changed(built: SiteCopy, compared: list[str]) -> None:
    built.build()
    assert compared == []
    path = built.content / BRIEF
    before = path.read_text(encoding="utf-8")
    path.write_text(before.replace("were mixed [@cna2026].", "were mixed, it said [@cna2026].", 1), "utf-8")
    try:
        built.build()
    finally:
        path.write_text(before, encoding="utf-8")
    assert compared == ["h200-reversal.en.md"]


def test_a_drift_is_reported_on_every_build_until_it_is_fixed(built: SiteCopy, compared: list[str]) -> None:
    path = built.content / BRIEF
    before = path.read_text(encoding="utf-8")
    path.write_text(before.replace("were mixed [@cna2026].", "were mixed in 2031 [@cna2026].", 1), "utf-8")
    try:
        for _ in range(2):
            result = build_content(built.content, built.output, force=True)
            messages = [str(problem) for problem in result.problems]
            assert any("translation drift: the number 2031" in message for message in messages), messages
    finally:
        path.write_text(before, encoding="utf-8")
    assert compared.count("h200-reversal.en.md") == 2


def test_with_verify_set_every_pair_is_compared_and_a_stale_agreement_stops_the_build(
    built: SiteCopy, compared: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(VERIFY_ENV, "1")
    pairs = len({Path(p).name.split(".")[0] for p in (built.content / "briefs").glob("*.md")})
    pairs += len({Path(p).name.split(".")[0] for p in (built.content / "pages").glob("*.md")})
    built.build()
    assert len(compared) == pairs
    # A check that now finds a drift the kept agreement missed: an input left out of its digest.
    monkeypatch.setattr(
        drift, "stated_values", lambda item: {("number", item.lang): drift.Comparable("number", item.lang, 1)}
    )
    result = build_content(built.content, built.output, force=True)
    messages = [problem.message for problem in result.problems]
    assert any("the check's digest misses something it reads" in message for message in messages), messages
    # The agreements found wrong are dropped: the next build, not verifying, compares those pairs.
    monkeypatch.delenv(VERIFY_ENV)
    compared.clear()
    result = build_content(built.content, built.output, force=True)
    assert len(compared) == pairs
    assert any("translation drift" in problem.message for problem in result.problems), result.problems
