"""The built fixture sites: pairing, language links, homes, feeds, sitemap, chooser.

The language checks run on the two-language and on the three-language fixture
(``built``); the checks of particular content on the two-language one (``site``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.bilingual.conftest import BuiltSite
from tests.bilingual.htmlparse import find_all, read_html

PUBLIC = "http://127.0.0.1:8000"
HTML_LANG = {"en": "en", "zh-tw": "zh-Hant-TW"}


def test_every_page_links_to_the_same_page_in_every_other_language(built: BuiltSite) -> None:
    for segment in built.segments():
        for rest in built.pages:
            url = f"{segment}/{rest}"
            page = read_html(built.output / url / "index.html")
            nav = [a for a in find_all(page, "a", rel="alternate") if "data-language-choice" in a.attrs]
            others = [other for other in built.segments() if other != segment]
            depth = "../" * url.count("/")
            assert [a.attrs["href"] for a in nav] == [f"{depth}{other}/{rest}" for other in others], url
            assert [a.attrs["hreflang"] for a in nav] == [built.html_of(other) for other in others], url
            assert [a.attrs["lang"] for a in nav] == [built.html_of(other) for other in others], url


def test_head_has_lang_canonical_hreflang_and_x_default(built: BuiltSite) -> None:
    public, default = built.public, built.model.default_language.path
    for segment in built.segments():
        for rest in built.pages:
            url = f"{segment}/{rest}"
            page = read_html(built.output / url / "index.html")
            assert find_all(page, "html")[0].attrs["lang"] == built.html_of(segment)
            assert [link.attrs["href"] for link in find_all(page, "link", rel="canonical")] == [
                f"{public}/{url}"
            ]
            hreflang = {
                link.attrs["hreflang"]: link.attrs["href"]
                for link in find_all(page, "link", rel="alternate")
                if "hreflang" in link.attrs
            }
            expected = {built.html_of(other): f"{public}/{other}/{rest}" for other in built.segments()}
            # Each home's x-default is the chooser; any other page's is its default-language version.
            expected["x-default"] = f"{public}/" if not rest else f"{public}/{default}/{rest}"
            assert hreflang == expected, url


def test_sitemap_lists_every_page_with_its_alternates(built: BuiltSite) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(built.output / "sitemap.xml").getroot()  # noqa: S314 (our own output)
    entries = {
        url.findtext("s:loc", namespaces=ns): {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)
        }
        for url in root.findall("s:url", ns)
    }
    public, tags = built.public, {built.html_of(segment) for segment in built.segments()}
    expected = {f"{public}/"} | {
        f"{public}/{segment}/{rest}" for segment in built.segments() for rest in built.pages
    }
    # Pages other plugins add (sources, glossary, charts) are listed too.
    assert expected <= set(entries)
    for loc, alternates in entries.items():
        assert set(alternates) == tags | {"x-default"}, loc
        assert loc in alternates.values() or loc == f"{public}/", loc
    for rest in built.pages:
        for segment in built.segments():
            listed = entries[f"{public}/{segment}/{rest}"]
            for other in built.segments():
                assert listed[built.html_of(other)] == f"{public}/{other}/{rest}"
    assert "404" not in (built.output / "sitemap.xml").read_text(encoding="utf-8")


def test_each_language_has_an_atom_feed_with_absolute_links(built: BuiltSite) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for segment in built.segments():
        feed = ET.parse(built.output / segment / "feed.xml").getroot()  # noqa: S314 (our own output)
        assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == built.html_of(segment)
        entries = feed.findall("a:entry", ns)
        assert len(entries) == len([rest for rest in built.pages if rest and rest != "about/"])
        for entry in entries:
            href = entry.find("a:link", ns)
            assert href is not None
            assert href.get("href", "").startswith(f"{built.public}/{segment}/")


def test_chooser_without_scripts_links_to_every_home(built: BuiltSite) -> None:
    page = read_html(built.output / "index.html")
    chooser = [a for a in find_all(page, "a") if "data-language-choice" in a.attrs]
    assert [a.attrs["data-language-choice"] for a in chooser] == built.segments()
    assert [a.attrs["href"].removeprefix("./") for a in chooser] == [f"{s}/" for s in built.segments()]
    assert [a.attrs["hreflang"] for a in chooser] == [built.html_of(s) for s in built.segments()]
    html = (built.output / "index.html").read_text(encoding="utf-8")
    # Nothing sends a reader away without scripts: no refresh, no inline script.
    assert 'http-equiv="refresh"' not in html
    scripts = find_all(page, "script")
    assert scripts
    assert all(s.attrs.get("src", "").endswith("js/language.js") and not s.text.strip() for s in scripts)
    assert scripts[0].attrs["data-chooser-paths"].split() == built.segments()
    assert {link.attrs["hreflang"] for link in find_all(page, "link", rel="alternate")} == {
        built.html_of(s) for s in built.segments()
    } | {"x-default"}
    # The site's name in every language, each once.
    names = [language.sitename or "" for language in built.model.languages.values()]
    assert find_all(page, "title")[0].text == " · ".join(dict.fromkeys(names))


def test_404_speaks_every_language_with_absolute_links(built: BuiltSite) -> None:
    page = read_html(built.output / "404.html")
    sections = find_all(page, "section")
    assert [s.attrs["lang"] for s in sections] == [built.html_of(s) for s in built.segments()]
    links = [a.attrs["href"] for a in find_all(page, "a") if "data-language-choice" in a.attrs]
    assert links == [f"{built.public}/{s}/" for s in built.segments()]
    assert len(find_all(page, "title")[0].text.split(" · ")) == len(built.segments())


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
def test_each_language_feed_lists_its_briefs_newest_first(site: Path, lang: str, titles: list[str]) -> None:
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


def test_404_is_translated(site: Path) -> None:
    assert "找不到網頁" in (site / "404.html").read_text(encoding="utf-8")
