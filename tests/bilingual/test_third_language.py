"""A third language by configuration alone: the three-language fixture site.

English, Traditional Chinese and Simplified Chinese (tests/fixtures/trilingual_site):
settings, an interface catalog and content, no code of its own. The checks every
fixture site passes (language links, hreflang, sitemap, feeds, chooser, 404,
interface strings) run on it in test_site.py and test_catalogs.py; these check what
only a site of more than two languages shows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from strictbuild.driver import build
from tests.bilingual.conftest import TRILINGUAL, build_trilingual
from tests.bilingual.htmlparse import find_all, read_html
from tests.support import ROOT

SEGMENTS = {"en": "en", "zh-tw": "zh-Hant-TW", "zh-cn": "zh-Hans-CN"}


@pytest.mark.parametrize("own", list(SEGMENTS))
def test_the_side_by_side_page_shows_every_language_its_own_first(trilingual: Path, own: str) -> None:
    page = read_html(trilingual / own / "tram-fares" / "parallel" / "index.html")
    cells = [c.attrs["lang"] for c in find_all(page, "div") if "parallel-cell" in c.attrs.get("class", "")]
    order = [SEGMENTS[own], *(html for segment, html in SEGMENTS.items() if segment != own)]
    # Each row (the opening paragraph, the heading, its paragraph) has a cell per language.
    assert len(cells) == 3 * len(order)
    assert cells == order * 3


def test_search_indexes_every_language(trilingual: Path) -> None:
    indexed = {path.name.split("_")[0] for path in (trilingual / "pagefind").glob("pagefind.*.pf_meta")}
    assert indexed == {f"pagefind.{html.lower()}" for html in SEGMENTS.values()}
    for segment in SEGMENTS:
        assert (trilingual / segment / "search" / "index.html").is_file()


def test_simplified_chinese_writes_dates_and_references_its_own_way(trilingual: Path) -> None:
    page = (trilingual / "zh-cn" / "tram-fares" / "index.html").read_text(encoding="utf-8")
    assert ">2025年11月10日</time>" in page
    assert "东溪电车。〈电车票价调整〉。2025年11月10日。https://example.org/tri/zh-cn/tram-fares/" in page
    assert "Eastbrook Trams. “Tram fares change.” 10 November 2025." in page
    assert "langid = {chinese}" in (trilingual / "zh-cn" / "tram-fares" / "cite.bib").read_text(
        encoding="utf-8"
    )
    assert "langid = {english}" in (trilingual / "en" / "tram-fares" / "cite.bib").read_text(encoding="utf-8")


def test_a_headline_translation_shows_only_in_its_language(trilingual: Path) -> None:
    def sources(segment: str) -> str:
        return (trilingual / segment / "sources" / "index.html").read_text(encoding="utf-8")

    assert "Eastbrook tram fares change" in sources("en")
    assert "Eastbrook tram fares change" not in sources("zh-cn")
    assert "Eastbrook tram fares change" not in sources("zh-tw")
    # The unnamed outlet of a chart-less source line is the registry's own words.
    assert "原文未载明" in sources("zh-cn")


def test_the_glossary_names_a_term_in_every_other_language(trilingual: Path) -> None:
    page = read_html(trilingual / "zh-cn" / "glossary" / "index.html")
    others = {
        s.attrs["lang"]: s.text for s in find_all(page, "span") if "term-other" in s.attrs.get("class", "")
    }
    assert others == {"en": "night line", "zh-Hant-TW": "夜班線"}


def _build_changed(tmp_path: Path, name: str, change: str | None) -> list[str]:
    folder = tmp_path / "site"
    shutil.copytree(TRILINGUAL, folder, ignore=shutil.ignore_patterns("__pycache__", ".cache"))
    target = folder / "content" / "briefs" / name
    if change is None:
        target.unlink()
    else:
        old, new = change.split(" -> ")
        text = target.read_text(encoding="utf-8")
        assert old in text
        target.write_text(text.replace(old, new), encoding="utf-8")
    override = {"THEME": str(ROOT / "theme"), "PLUGIN_PATHS": [str(ROOT / "plugins")]}
    result = build(folder / "siteconf.py", tmp_path / "output", override=override)
    assert not result.ok
    return [str(problem) for problem in result.problems]


def test_a_brief_missing_in_one_language_is_named_for_each_version(tmp_path: Path) -> None:
    problems = _build_changed(tmp_path, "night-service.zh-CN.md", None)
    missing = [p for p in problems if "no zh-CN translation of 'night-service'" in p]
    assert len(missing) == 2, problems
    assert any(p.startswith("content/briefs/night-service.en.md:3:") for p in missing), missing
    assert any(p.startswith("content/briefs/night-service.zh-TW.md:3:") for p in missing), missing
    assert "night-service.zh-CN.md" in missing[0]


def test_drift_between_the_two_chinese_versions_is_found(tmp_path: Path) -> None:
    problems = _build_changed(tmp_path, "night-service.zh-CN.md", "有 40% 愿意 -> 有 45% 愿意")
    drift = [p for p in problems if "translation drift" in p]
    # 40% is in English and Traditional Chinese but not in Simplified Chinese, and 45% only there.
    assert any("night-service.zh-TW.md" in p.split(":")[0] and "zh-CN" in p for p in drift), drift
    assert any("night-service.zh-CN.md" in p.split(":")[0] and "45" in p for p in drift), drift


def test_the_fixture_builds_from_a_fresh_copy(tmp_path: Path) -> None:
    folder, output = build_trilingual(tmp_path)
    assert (folder / "siteconf.py").is_file()
    assert sorted(p.name for p in output.iterdir() if p.is_dir() and p.name in SEGMENTS) == sorted(SEGMENTS)
