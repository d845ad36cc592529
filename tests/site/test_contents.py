"""Every brief has a table of contents of its sections, in its language, whose links land."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser

from tests.browser import READER_LOCALE
from tests.site.harness import Site, SitePage

pytestmark = pytest.mark.browser


def briefs(site: Site) -> list[SitePage]:
    """Every brief page of the built site."""
    return [page for page in site.pages if '<article class="brief"' in site.text(page)]


def test_every_brief_lists_its_sections_in_order(site: Site) -> None:
    found = briefs(site)
    assert len(found) >= 2, f"{len(found)} briefs: nothing to check"
    for page in found:
        text = site.text(page)
        nav = re.search(r'<nav class="contents"[^>]*>(.*?)</nav>', text, re.S)
        assert nav, f"/{page.path} has no table of contents"
        listed = re.findall(r'<a href="#([^"]+)">', nav.group(1))
        # Only the brief's own section headings link to themselves.
        headings = re.findall(r'<h2 id="([^"]+)"><a class="heading-link" href="#\1">', text)
        assert listed == headings, f"/{page.path}: contents {listed}, section headings {headings}"


@pytest.mark.parametrize("width", [320, 390, 768, 1280])
def test_contents_links_land_on_their_sections(browser: Browser, site: Site, width: int) -> None:
    context = browser.new_context(locale=READER_LOCALE, viewport={"width": width, "height": 700})
    problems = []
    try:
        page = context.new_page()
        for brief in briefs(site):
            page.goto(site.url(brief))
            count = page.locator(".contents a").count()
            assert count > 1, f"/{brief.path} lists {count} sections"
            for index in range(count):
                link = page.locator(".contents a").nth(index)
                target = link.get_attribute("href") or ""
                link.click()
                page.wait_for_function(f"decodeURIComponent(location.hash) === {target!r}")
                top = page.evaluate(
                    "(id) => document.getElementById(id).getBoundingClientRect().top", target[1:]
                )
                if not (-1 <= top <= 40):
                    problems.append(f"/{brief.path}{target} at {width} px: heading {top:.0f} px from the top")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
