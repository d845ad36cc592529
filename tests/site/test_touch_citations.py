"""Citations by touch on a phone (390 px, touch): a tap opens the preview and never scrolls.

Also: every marker is a target of at least 24 × 24 px, groups are in number
order, and a source's back-links fold into one "cited N times" control.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import READER_LOCALE
from tests.site.harness import Site, SitePage

pytestmark = pytest.mark.browser
MIN_TARGET = 24


def briefs(site: Site) -> list[SitePage]:
    """Every brief page of the built site."""
    return [page for page in site.pages if '<article class="brief"' in site.text(page)]


@pytest.fixture(scope="module")
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        locale=READER_LOCALE,
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
        device_scale_factor=2,
    )
    yield context.new_page()
    context.close()


def _state(page: Page, preview_id: str) -> dict[str, object]:
    return page.evaluate(
        """(id) => {
          const p = document.getElementById(id);
          return {open: !p.hidden, y: window.scrollY, hash: location.hash};
        }""",
        preview_id,
    )


def test_a_tap_opens_the_preview_without_scrolling_and_closes_three_ways(phone: Page, site: Site) -> None:
    problems: list[str] = []
    checked = 0
    for brief in briefs(site):
        phone.goto(site.url(brief))
        markers = phone.locator(".prose .citation-ref")
        if markers.count() < 2:
            continue
        marker = markers.nth(markers.count() // 2)
        preview_id = marker.get_attribute("data-preview") or ""
        marker.scroll_into_view_if_needed()
        phone.evaluate("window.scrollBy(0, -200)")  # a marker in mid-screen, not at an edge
        before = _state(phone, preview_id)
        where = f"/{brief.path} marker {marker.text_content()}"
        marker.tap()
        after = _state(phone, preview_id)
        if not after["open"]:
            problems.append(f"{where}: a tap did not open the preview")
        if after["y"] != before["y"] or after["hash"] != before["hash"]:
            problems.append(f"{where}: a tap moved the page from {before} to {after}")
        preview = phone.locator(f"#{preview_id}")
        if after["open"]:
            box = preview.bounding_box() or {"x": -1, "width": 0}
            if box["x"] < 0 or box["x"] + box["width"] > 390:
                problems.append(f"{where}: the preview is off-screen: {box}")
            if not preview.locator(".source-outlet").text_content():
                problems.append(f"{where}: the preview has no outlet")
            if not preview.locator("q").text_content():
                problems.append(f"{where}: the preview has no headline")
            if preview.locator("time").count() < 1:
                problems.append(f"{where}: the preview has no date")
            if not (preview.locator(".preview-more").get_attribute("href") or "").count("#source-"):
                problems.append(f"{where}: the preview does not link to the full entry")
        marker.tap()
        if _state(phone, preview_id)["open"]:
            problems.append(f"{where}: a second tap did not close the preview")
        marker.tap()
        phone.keyboard.press("Escape")
        if _state(phone, preview_id)["open"]:
            problems.append(f"{where}: Escape did not close the preview")
        marker.tap()
        phone.touchscreen.tap(4, 600)  # the page margin: nothing to follow there
        final = _state(phone, preview_id)
        if final["open"]:
            problems.append(f"{where}: a tap outside did not close the preview")
        if final["y"] != before["y"]:
            problems.append(f"{where}: the page scrolled from {before['y']} to {final['y']}")
        checked += 1
    assert checked >= 2, f"only {checked} briefs had markers to tap"
    assert not problems, "\n".join(problems)


def test_a_tapped_marker_shows_its_locator(phone: Page, site: Site) -> None:
    for brief in briefs(site):
        phone.goto(site.url(brief))
        located = phone.locator(".prose .citation-ref[data-locator]")
        if not located.count():
            continue
        marker = located.first
        marker.scroll_into_view_if_needed()
        marker.tap()
        preview = phone.locator(f"#{marker.get_attribute('data-preview')}")
        shown = preview.locator("[data-preview-locator]").text_content()
        assert shown == marker.get_attribute("data-locator"), f"/{brief.path}: locator shown {shown!r}"
        return
    pytest.fail("no brief cites with a locator: the check proves nothing")


def test_every_marker_is_a_24_px_target(phone: Page, site: Site) -> None:
    small = []
    for brief in briefs(site):
        phone.goto(site.url(brief))
        sizes = phone.eval_on_selector_all(
            ".citation-ref, details.backlinks summary",
            "(els) => els.map((e) => { const r = e.getBoundingClientRect(); "
            "return [e.textContent, Math.round(r.width * 10) / 10, Math.round(r.height * 10) / 10]; })",
        )
        assert sizes, f"/{brief.path} has no citation marker"
        small += [
            f"/{brief.path} {t!r}: {w} × {h} px" for t, w, h in sizes if w < MIN_TARGET or h < MIN_TARGET
        ]
    assert not small, f"targets under {MIN_TARGET} × {MIN_TARGET} px:\n" + "\n".join(small)


def test_citation_groups_are_in_number_order(site: Site) -> None:
    groups = 0
    problems = []
    for brief in briefs(site):
        for group in re.findall(r'<sup class="citation">(.*?)</sup>', site.text(brief)):
            numbers = [int(n) for n in re.findall(r'class="citation-ref"[^>]*>(\d+)</a>', group)]
            groups += len(numbers) > 1
            if numbers != sorted(numbers):
                problems.append(f"/{brief.path}: group {numbers}")
    assert groups, "no brief has a group of citations: the check proves nothing"
    assert not problems, "\n".join(problems)


def test_back_links_fold_into_one_cited_n_times_control(site: Site) -> None:
    folded = 0
    problems = []
    for brief in briefs(site):
        source_list = re.search(
            r'<ol class="source-list">(.*?)</ol>\s*<p class="all-sources">', site.text(brief), re.S
        )
        assert source_list, f"/{brief.path} has no source list"
        for item in re.findall(r"<li id=\"source-[^\"]+\"[^>]*>(.*?)\n    </li>", source_list.group(1), re.S):
            links = len(re.findall(r'class="backlink"', item))
            details = re.search(r'<details class="backlinks">\s*<summary>([^<]*)</summary>', item)
            if links > 1:
                folded += 1
                if not details or str(links) not in details.group(1):
                    problems.append(
                        f"/{brief.path}: {links} back-links, control {details and details.group(1)!r}"
                    )
            elif details:
                problems.append(f"/{brief.path}: a folded control for {links} back-link")
    assert folded, "no source is cited more than once: the check proves nothing"
    assert not problems, "\n".join(problems)
