"""Both languages side by side: every brief's page aligns every section, on a phone and a desktop."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser

from tests.browser import READER_LOCALE, Reader
from tests.site.harness import Site, SitePage

pytestmark = pytest.mark.browser


def briefs(site: Site) -> list[SitePage]:
    """Every brief page of the built site."""
    return [page for page in site.pages if '<article class="brief"' in site.text(page)]


def _by_path(site: Site) -> dict[str, SitePage]:
    return {page.path: page for page in site.pages}


def test_every_brief_links_to_its_side_by_side_page(site: Site) -> None:
    pages = _by_path(site)
    found = briefs(site)
    assert found, "no briefs"
    for brief in found:
        assert f'class="parallel-link" href="../../{brief.path}parallel/"' in site.text(brief), (
            f"/{brief.path} does not link to its side-by-side page"
        )
        assert f"{brief.path}parallel/" in pages, f"/{brief.path}parallel/ was not written"


def test_every_section_of_every_brief_is_aligned(site: Site) -> None:
    pages = _by_path(site)
    for brief in briefs(site):
        text = site.text(pages[f"{brief.path}parallel/"])
        headings = re.findall(r'<div class="parallel-row parallel-heading" id="([^"]+)">', text)
        own = re.findall(r'<h2 id="([^"]+)"><a class="heading-link"', site.text(brief))
        # Rows are keyed by the first column's section ids: this language's.
        assert headings == own, f"/{brief.path}parallel/ rows {headings}, the brief's sections {own}"
        for row in re.findall(r'<div class="parallel-row[^"]*"[^>]*>(.*?)\n    </div>\n', text, re.S):
            cells = re.findall(r'<div class="parallel-cell" lang="([^"]+)"', row)
            assert len(cells) == 2, f"/{brief.path}parallel/: a row with {len(cells)} cells"
            assert len(set(cells)) == 2, f"/{brief.path}parallel/: a row with one language twice: {cells}"


_PREVIEWS = re.compile(
    r'<div class="previews" data-pagefind-ignore="all"(?: lang="([^"]+)")?>(.*?)\n</div>', re.S
)
_DATE = re.compile(r'<time class="source-date" datetime="([^"]+)">([^<]*)</time>')


def test_each_column_previews_its_sources_in_its_own_language(site: Site) -> None:
    # A brief's own page writes a source's date in the brief's language
    # ("on or before 11 December 2025", "2025年12月11日 或更早"); the
    # side-by-side page's previews of that version must say the same.
    own: dict[tuple[str, str], str] = {}
    for brief in briefs(site):
        text = site.text(brief)
        page_lang = re.search(r'<html lang="([^"]+)"', text)
        assert page_lang, f"/{brief.path} has no language"
        for match in _PREVIEWS.finditer(text):
            for day, shown in _DATE.findall(match.group(2)):
                own[(page_lang.group(1), day)] = shown
    pages = _by_path(site)
    compared = 0
    for brief in briefs(site):
        text = site.text(pages[f"{brief.path}parallel/"])
        blocks = _PREVIEWS.findall(text)
        assert len(blocks) == 2, (
            f"/{brief.path}parallel/ has {len(blocks)} preview blocks, not one per version"
        )
        for lang, block in blocks:
            for day, shown in _DATE.findall(block):
                assert shown == own[(lang, day)], (
                    f"/{brief.path}parallel/: the {lang} column dates a source {shown!r}, "
                    f"its own page {own[(lang, day)]!r}"
                )
                compared += 1
    assert compared, "no source dates compared"


@pytest.mark.parametrize("width", [320, 390, 768, 1280])
def test_columns_side_by_side_on_a_desktop_stacked_on_a_phone(
    browser: Browser, site: Site, width: int
) -> None:
    context = browser.new_context(locale=READER_LOCALE, viewport={"width": width, "height": 900})
    problems = []
    try:
        page = context.new_page()
        for brief in briefs(site):
            page.goto(site.url(f"{brief.path}parallel/"))
            measured = page.eval_on_selector_all(
                ".parallel-row",
                "(rows) => rows.map((row) => Array.from(row.querySelectorAll(':scope > .parallel-cell'))"
                ".map((c) => { const r = c.getBoundingClientRect(); "
                "return [r.left, r.top, r.bottom, r.width]; }))",
            )
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > width:
                problems.append(f"/{brief.path}parallel/ at {width} px scrolls sideways ({wide} px)")
            for number, (first, second) in enumerate(measured, start=1):
                where = f"/{brief.path}parallel/ row {number} at {width} px"
                if width >= 768:
                    if abs(first[1] - second[1]) > 1 or second[0] <= first[0] + first[3] - 1:
                        problems.append(f"{where}: cells not side by side: {first} {second}")
                elif second[1] < first[2] - 1 or abs(first[0] - second[0]) > 1:
                    problems.append(f"{where}: cells not stacked: {first} {second}")
    finally:
        context.close()
    assert not problems, "\n".join(problems[:20])


def test_citations_and_charts_work_in_each_column(site: Site, reader: Reader) -> None:
    for brief in briefs(site)[:2]:
        reader.open(site.url(f"{brief.path}parallel/"))
        problems = reader.visit.problems()
        assert not problems, "\n".join(problems)
        for lang in reader.page.eval_on_selector_all(
            ".parallel-row:first-of-type .parallel-cell", "(cells) => cells.map((c) => c.lang)"
        ):
            column = f".parallel-cell[lang='{lang}']"
            marker = reader.page.locator(f"{column} .citation-ref").first
            marker.focus()
            preview_id = marker.get_attribute("data-preview")
            preview = reader.page.locator(f"#{preview_id}")
            preview.wait_for(state="visible")
            assert preview.get_attribute("id") == preview_id
            assert preview.locator(".source-outlet").text_content(), f"{lang}: empty preview"
            reader.page.keyboard.press("Escape")
        charts = reader.page.locator("figure.chart[data-chart]")
        if charts.count():
            languages = set(
                reader.page.eval_on_selector_all(
                    "figure.chart[data-chart]", "(fs) => fs.map((f) => f.closest('.parallel-cell').lang)"
                )
            )
            assert len(languages) == 2, f"/{brief.path}parallel/: charts in {languages} only"
