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
