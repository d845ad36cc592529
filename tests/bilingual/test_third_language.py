"""A third language by configuration alone: the three-language fixture site.

English, Traditional Chinese and Simplified Chinese (tests/fixtures/trilingual_site):
settings, an interface catalog and content, no code of its own. The checks every
fixture site passes (language links, hreflang, sitemap, feeds, chooser, 404,
interface strings) run on it in test_site.py and test_catalogs.py; these check what
only a site of more than two languages shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from charts.fonts import find_font
from tests.bilingual.conftest import build_trilingual, copy_trilingual
from tests.bilingual.htmlparse import find_all, read_html

SEGMENTS = {"en": "en", "zh-tw": "zh-Hant-TW", "zh-cn": "zh-Hans-CN"}


@pytest.mark.parametrize("own", list(SEGMENTS))
def test_the_side_by_side_page_shows_every_language_its_own_first(trilingual: Path, own: str) -> None:
    page = read_html(trilingual / own / "tram-fares" / "parallel" / "index.html")
    cells = [c.attrs["lang"] for c in find_all(page, "div") if "parallel-cell" in c.attrs.get("class", "")]
    order = [SEGMENTS[own], *(html for segment, html in SEGMENTS.items() if segment != own)]
    # Each row (a paragraph, a heading, a chart) has a cell per language.
    rows = len(cells) // len(order)
    assert rows >= 3
    assert cells == order * rows


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


def _build_changed(tmp_path: Path, chart_cache: Path, name: str, change: str | None) -> list[str]:
    folder = copy_trilingual(tmp_path)
    target = folder / "content" / "briefs" / name
    if change is None:
        target.unlink()
    else:
        old, new = change.split(" -> ")
        text = target.read_text(encoding="utf-8")
        assert old in text
        target.write_text(text.replace(old, new), encoding="utf-8")
    result = build_trilingual(folder, tmp_path / "output", chart_cache)
    assert not result.ok
    return [str(problem) for problem in result.problems]


def test_a_brief_missing_in_one_language_is_named_for_each_version(tmp_path: Path, chart_cache: Path) -> None:
    problems = _build_changed(tmp_path, chart_cache, "night-service.zh-CN.md", None)
    missing = [p for p in problems if "no zh-CN translation of 'night-service'" in p]
    assert len(missing) == 2, problems
    assert any(p.startswith("content/briefs/night-service.en.md:3:") for p in missing), missing
    assert any(p.startswith("content/briefs/night-service.zh-TW.md:3:") for p in missing), missing
    assert "night-service.zh-CN.md" in missing[0]


def test_drift_between_the_two_chinese_versions_is_found(tmp_path: Path, chart_cache: Path) -> None:
    problems = _build_changed(tmp_path, chart_cache, "night-service.zh-CN.md", "有 40% 愿意 -> 有 45% 愿意")
    drift = [p for p in problems if "translation drift" in p]
    # 40% is in English and Traditional Chinese but not in Simplified Chinese, and 45% only there.
    assert any("night-service.zh-TW.md" in p.split(":")[0] and "zh-CN" in p for p in drift), drift
    assert any("night-service.zh-CN.md" in p.split(":")[0] and "45" in p for p in drift), drift


def test_each_language_has_the_chart_in_its_own_face_and_conventions(trilingual: Path) -> None:
    for segment, fc_lang in (("zh-cn", "zh-cn"), ("zh-tw", "zh-tw"), ("en", "en")):
        folder = trilingual / segment / "charts" / "fare-rise"
        svg = (folder / f"fare-rise.{segment}.svg").read_text(encoding="utf-8")
        assert f"font-family=\"'{find_font(fc_lang)}', sans-serif\"" in svg, segment
        assert (folder / "index.html").is_file()
    metadata = (trilingual / "zh-cn" / "charts" / "fare-rise" / "fare-rise.zh-cn.metadata.json").read_text(
        encoding="utf-8"
    )
    assert "温桥，〈東溪電車票價調整〉，东溪公报，2025-11-03。" in metadata
