"""The chooser in Chromium: a first visit follows navigator.languages, a choice is remembered."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.site.harness import SUB_PATH, Server, serve, sub_path_answer

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """The fixture site served under a sub-path, like a GitHub Pages project site."""
    server: Server = serve(sub_path_answer(site))
    yield f"{server.origin}{SUB_PATH}/"
    server.close()


def tab(browser: Browser, *, locale: str, scripts: bool = True) -> Page:
    context = browser.new_context(locale=locale, java_script_enabled=scripts)
    return context.new_page()


def test_without_scripts_the_chooser_stays_and_links_to_both_homes(browser: Browser, served: str) -> None:
    page = tab(browser, locale="zh-TW", scripts=False)
    page.goto(served, wait_until="load")
    page.wait_for_timeout(300)
    assert page.url == served
    hrefs = page.eval_on_selector_all("[data-language-chooser] a", "els => els.map(a => a.href)")
    assert hrefs == [f"{served}en/", f"{served}zh-tw/"]
    page.context.close()


@pytest.mark.parametrize(("locale", "home"), [("zh-TW", "zh-tw/"), ("zh-HK", "zh-tw/"), ("en-GB", "en/")])
def test_a_first_visit_goes_to_the_preferred_language(
    browser: Browser, served: str, locale: str, home: str
) -> None:
    page = tab(browser, locale=locale)
    page.goto(served, wait_until="load")
    page.wait_for_url(f"{served}{home}")
    page.context.close()


def test_an_unknown_preference_stays_on_the_chooser(browser: Browser, served: str) -> None:
    page = tab(browser, locale="fr-FR")
    page.goto(served, wait_until="load")
    page.wait_for_timeout(500)
    assert page.url == served
    page.context.close()


def test_a_chosen_language_is_remembered(browser: Browser, served: str) -> None:
    page = tab(browser, locale="zh-TW")
    page.goto(served, wait_until="load")
    page.wait_for_url(f"{served}zh-tw/")
    page.click("nav.languages a[hreflang='en']")
    page.wait_for_url(f"{served}en/")
    page.goto(served, wait_until="load")
    page.wait_for_url(re.compile(re.escape(served) + "en/$"))
    # Back from the home does not return to the chooser, which would bounce again.
    page.go_back()
    assert page.url != served
    page.context.close()


# Records, in the tab's session storage, whether the chooser at / painted any
# content: a paint observer (first-contentful-paint) and a frame callback
# (which runs before every paint of the page).
_PAINT_PROBE = """
(() => {
  if (!/\\/$/.test(location.pathname) || /\\/(en|zh-tw)\\/$/.test(location.pathname)) { return; }
  sessionStorage.setItem('chooser-seen', '1');
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name === 'first-contentful-paint') { sessionStorage.setItem('chooser-painted', 'fcp'); }
    }
  }).observe({ type: 'paint', buffered: true });
  requestAnimationFrame(() => {
    if (document.body && getComputedStyle(document.body).visibility !== 'hidden') {
      sessionStorage.setItem('chooser-frame', 'visible');
    }
  });
})();
"""


@pytest.mark.parametrize(("locale", "stored", "home"), [("fr-FR", "en", "en/"), ("en-GB", "zh-tw", "zh-tw/")])
def test_a_returning_reader_is_sent_on_before_the_chooser_paints(
    browser: Browser, served: str, locale: str, stored: str, home: str
) -> None:
    page = tab(browser, locale=locale)
    page.goto(f"{served}en/", wait_until="load")
    page.evaluate(f"localStorage.setItem('chips-and-controls.language', {stored!r})")
    page.add_init_script(_PAINT_PROBE)
    page.goto(served, wait_until="commit")
    page.wait_for_url(f"{served}{home}")
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)
    seen = page.evaluate(
        "[sessionStorage.getItem('chooser-seen'), sessionStorage.getItem('chooser-painted'), "
        "sessionStorage.getItem('chooser-frame')]"
    )
    page.context.close()
    assert seen[0] == "1", "the paint probe never ran on the chooser: the check proves nothing"
    assert seen[1:] == [None, None], f"the chooser painted before sending the reader on: {seen[1:]}"


def test_the_paint_probe_sees_a_chooser_that_stays(browser: Browser, served: str) -> None:
    """The same probe on a chooser that stays (no known language) reports its paint."""
    page = tab(browser, locale="fr-FR")
    page.add_init_script(_PAINT_PROBE)
    page.goto(served, wait_until="load")
    page.wait_for_timeout(300)
    seen = page.evaluate(
        "[sessionStorage.getItem('chooser-painted'), sessionStorage.getItem('chooser-frame')]"
    )
    page.context.close()
    assert seen == ["fcp", "visible"], f"the probe did not see the chooser paint: {seen}"
