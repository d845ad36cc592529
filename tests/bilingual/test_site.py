"""The built fixture site: pairing, language links, homes, feeds, sitemap, chooser."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.bilingual.htmlparse import find_all, read_html

PUBLIC = "http://127.0.0.1:8000"
PAGES = {
    "en/": "zh-tw/",
    "en/chip-sales/": "zh-tw/chip-sales/",
    "en/procurement/": "zh-tw/procurement/",
    "en/about/": "zh-tw/about/",
}
PAIRS = [*PAGES.items(), *((zh, en) for en, zh in PAGES.items())]
HTML_LANG = {"en": "en", "zh-tw": "zh-Hant-TW"}


@pytest.mark.parametrize(("url", "other"), PAIRS)
def test_every_page_links_to_the_same_page_in_the_other_language(site: Path, url: str, other: str) -> None:
    page = read_html(site / url / "index.html")
    nav = [a for a in find_all(page, "a", rel="alternate") if "data-language-choice" in a.attrs]
    depth = "../" * url.count("/")
    assert [a.attrs["href"] for a in nav] == [depth + other]
    assert nav[0].attrs["hreflang"] == HTML_LANG[other.split("/")[0]]


@pytest.mark.parametrize(("url", "other"), PAIRS)
def test_head_has_canonical_hreflang_and_x_default(site: Path, url: str, other: str) -> None:
    page = read_html(site / url / "index.html")
    html = find_all(page, "html")[0]
    assert html.attrs["lang"] == HTML_LANG[url.split("/")[0]]
    assert [link.attrs["href"] for link in find_all(page, "link", rel="canonical")] == [f"{PUBLIC}/{url}"]
    hreflang = {
        link.attrs["hreflang"]: link.attrs["href"]
        for link in find_all(page, "link", rel="alternate")
        if "hreflang" in link.attrs
    }
    en, zh = (url, other) if url.startswith("en/") else (other, url)
    # Each home's x-default is the chooser; any other page's is its English version.
    x_default = f"{PUBLIC}/" if en == "en/" else f"{PUBLIC}/{en}"
    assert hreflang == {"en": f"{PUBLIC}/{en}", "zh-Hant-TW": f"{PUBLIC}/{zh}", "x-default": x_default}


def test_sitemap_lists_every_page_with_its_alternates(site: Path) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(site / "sitemap.xml").getroot()  # noqa: S314 (our own output)
    entries = {
        url.findtext("s:loc", namespaces=ns): {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)
        }
        for url in root.findall("s:url", ns)
    }
    expected = {f"{PUBLIC}/"} | {f"{PUBLIC}/{u}" for pair in PAIRS for u in pair}
    # Pages other plugins add (sources, glossary, charts) are listed too.
    assert expected <= set(entries)
    for loc, alternates in entries.items():
        assert set(alternates) == {"en", "zh-Hant-TW", "x-default"}, loc
        assert loc in alternates.values() or loc == f"{PUBLIC}/", loc
    for en, zh in PAGES.items():
        for loc in (en, zh):
            assert entries[f"{PUBLIC}/{loc}"]["en"] == f"{PUBLIC}/{en}"
            assert entries[f"{PUBLIC}/{loc}"]["zh-Hant-TW"] == f"{PUBLIC}/{zh}"
            assert "x-default" in entries[f"{PUBLIC}/{loc}"]
    assert "404" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_homes_list_briefs_in_the_site_order_with_summaries_and_local_dates(site: Path) -> None:
    en = (site / "en" / "index.html").read_text(encoding="utf-8")
    zh = (site / "zh-tw" / "index.html").read_text(encoding="utf-8")
    # order: 1 (procurement) comes before order: 2 (chip-sales), although its slug sorts later.
    assert en.index("The procurement list") < en.index("Chip sales resume")
    assert zh.index("採購清單") < zh.index("晶片銷售恢復")
    assert "Domestic chips join the official list." in en
    assert "國產晶片列入官方清單。" in zh
    assert ">10 December 2025</time>" in en
    assert ">2025年12月10日</time>" in zh
    assert ">2026年1月8日</time>" in zh


def test_briefs_show_localised_dates(site: Path) -> None:
    assert ">10 December 2025</time>" in (site / "en" / "chip-sales" / "index.html").read_text(
        encoding="utf-8"
    )
    zh = (site / "zh-tw" / "chip-sales" / "index.html").read_text(encoding="utf-8")
    assert ">2025年12月10日</time>" in zh


def test_a_draft_is_not_published(site: Path) -> None:
    assert not (site / "en" / "work-in-progress").exists()
    assert "work-in-progress" not in (site / "en" / "index.html").read_text(encoding="utf-8")
    assert "work-in-progress" not in (site / "en" / "feed.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("lang", "titles"),
    [("en", ["The procurement list", "Chip sales resume"]), ("zh-tw", ["採購清單", "晶片銷售恢復"])],
)
def test_each_language_has_an_atom_feed_with_absolute_links(site: Path, lang: str, titles: list[str]) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(site / lang / "feed.xml").getroot()  # noqa: S314 (our own output)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == HTML_LANG[lang]
    entries = feed.findall("a:entry", ns)
    assert [e.findtext("a:title", namespaces=ns) for e in entries] == titles
    for entry in entries:
        href = entry.find("a:link", ns)
        assert href is not None
        assert href.get("href", "").startswith(f"{PUBLIC}/{lang}/")
    assert feed.findtext("a:updated", namespaces=ns) == "2026-01-08T00:00:00+00:00"


def test_chooser_without_scripts_links_to_both_homes(site: Path) -> None:
    page = read_html(site / "index.html")
    chooser = find_all(page, "a", data_language_choice="en") + find_all(
        page, "a", data_language_choice="zh-tw"
    )
    hrefs = {a.attrs["href"] for a in chooser}
    assert {"./en/", "./zh-tw/"} <= hrefs or {"en/", "zh-tw/"} <= hrefs
    html = (site / "index.html").read_text(encoding="utf-8")
    # Nothing sends a reader away without scripts: no refresh, no inline script.
    assert 'http-equiv="refresh"' not in html
    scripts = find_all(page, "script")
    assert scripts
    assert all(s.attrs.get("src", "").endswith("js/language.js") and not s.text.strip() for s in scripts)
    assert {link.attrs["hreflang"] for link in find_all(page, "link", rel="alternate")} == {
        "en",
        "zh-Hant-TW",
        "x-default",
    }


def test_404_is_bilingual_with_absolute_links(site: Path) -> None:
    page = read_html(site / "404.html")
    sections = find_all(page, "section")
    assert [s.attrs["lang"] for s in sections] == ["en", "zh-Hant-TW"]
    links = {a.attrs["href"] for a in find_all(page, "a") if "data-language-choice" in a.attrs}
    assert {f"{PUBLIC}/en/", f"{PUBLIC}/zh-tw/"} <= links
    assert "找不到網頁" in (site / "404.html").read_text(encoding="utf-8")
