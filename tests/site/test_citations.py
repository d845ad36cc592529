"""Citations on every page: each link and back-link lands on an element, previews open on focus.

Citation links are ``a.citation-ref``, back-links ``a.backlink``, links from the
sources page to citing paragraphs ``a.cited-paragraph``; any element with
``data-preview`` (citations, glossary terms) names the preview it shows.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import Reader
from tests.site.harness import Site, SitePage

pytestmark = pytest.mark.browser
CITATION_LINKS = "a.citation-ref, a.backlink, a.cited-paragraph, a.source-more"

# Follows a same-page link as a reader does, then names what the address
# now points at; for links to other pages, returns their address.
_FOLLOW = """(links) => {
  const out = [];
  for (const link of document.querySelectorAll(links)) {
    const url = new URL(link.getAttribute('href'), document.baseURI);
    const here = url.origin + url.pathname === location.origin + location.pathname;
    if (!here) { out.push({href: link.href, other: true}); continue; }
    link.click();
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id ? document.getElementById(id) : null;
    out.push({href: link.getAttribute('href'), other: false, found: !!target,
              matches: !!target && target.matches(':target')});
  }
  return out;
}"""


def citation_problems(reader: Reader, url: str) -> list[str]:
    """Where a citation link or back-link on the page at ``url`` lands nowhere."""
    reader.open(url, scroll=False)
    problems = []
    elsewhere: set[str] = set()
    for link in reader.page.evaluate(_FOLLOW, CITATION_LINKS):
        if link["other"]:
            elsewhere.add(link["href"])
        elif not link["found"]:
            problems.append(f"{url}: {link['href']} lands on no element")
    for href in sorted(elsewhere):
        reader.open(href, scroll=False)
        fragment = href.partition("#")[2]
        found = reader.page.evaluate("(id) => !!document.getElementById(decodeURIComponent(id))", fragment)
        if fragment and not found:
            problems.append(f"{url}: {href} lands on no element")
        problems += [f"{url}: following {href}: {p}" for p in reader.visit.problems()]
    return problems


def preview_problems(reader: Reader, url: str) -> list[str]:
    """Where focusing a citation or term by keyboard does not open its preview."""
    reader.open(url, scroll=False)
    problems = []
    links = reader.page.locator("[data-preview]")
    for index in range(links.count()):
        link = links.nth(index)
        preview_id = link.get_attribute("data-preview") or ""
        name = f"{url}: [data-preview={preview_id}] #{index + 1}"
        if link.get_attribute("aria-describedby") != preview_id:
            problems.append(f"{name}: aria-describedby does not name its preview")
        preview = reader.page.locator(f"[id='{preview_id}']")
        if preview.count() != 1:
            problems.append(f"{name}: no element has the id {preview_id}")
            continue
        link.focus()
        try:
            preview.wait_for(state="visible", timeout=2_000)
        except PlaywrightTimeout:
            problems.append(f"{name}: keyboard focus does not open the preview")
            continue
        if not preview.inner_text().strip():
            problems.append(f"{name}: the preview is empty")
        reader.page.keyboard.press("Escape")
        if preview.is_visible():
            problems.append(f"{name}: Escape does not close the preview")
    return problems + reader.collect().problems()


def test_citation_links_and_back_links_land_on_an_element(
    site: Site, reader: Reader, citing_page: SitePage
) -> None:
    problems = citation_problems(reader, site.url(citing_page))
    assert not problems, "\n".join(problems)


def test_citation_previews_open_on_keyboard_focus(site: Site, reader: Reader, citing_page: SitePage) -> None:
    problems = preview_problems(reader, site.url(citing_page))
    assert not problems, "\n".join(problems)


def test_keyboard_tab_reaches_a_citation_and_opens_its_preview(
    site: Site, reader: Reader, tab_page: SitePage
) -> None:
    """Real Tab presses (not a scripted focus) reach the first citation and open its preview."""
    reader.open(site.url(tab_page), scroll=False)
    for _ in range(300):
        reader.page.keyboard.press("Tab")
        if reader.page.evaluate("document.activeElement.matches('a.citation-ref')"):
            break
    else:
        pytest.fail(f"{tab_page}: 300 Tab presses never reached a citation")
    preview_id = reader.page.evaluate("document.activeElement.getAttribute('data-preview')")
    reader.page.locator(f"[id='{preview_id}']").wait_for(state="visible", timeout=2_000)
