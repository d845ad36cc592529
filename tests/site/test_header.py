"""The header: the same geometry in every language, at every width, with and without scripts.

A reader who switches language must not see the header jump: its box, and
each of its rows, has the same size in both languages. The main navigation
offers the timeline, the methodology, the glossary and search in both.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser import READER_LOCALE
from tests.site.harness import Site

pytestmark = pytest.mark.browser

WIDTHS = [320, 390, 768, 1280]
# Pages that exist in both languages at the same path below the language.
PATHS = ["", "h200-reversal/", "timeline/", "search/"]
LANGUAGES = ["en", "zh-tw"]
MEASURE = """() => {
  const box = (selector) => {
    const element = document.querySelector(selector);
    if (!element) { return null; }
    const r = element.getBoundingClientRect();
    return [Math.round(r.x * 10) / 10, Math.round(r.y * 10) / 10,
            Math.round(r.width * 10) / 10, Math.round(r.height * 10) / 10];
  };
  return {header: box('.site-header'), bar: box('.header-bar'), nav: box('.header-nav'),
          main: box('main'), scrollWidth: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("scripts", [True, False], ids=["scripts", "no-scripts"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_header_has_the_same_geometry_in_both_languages(
    browser: Browser, site: Site, width: int, scripts: bool, scheme: str
) -> None:
    context = browser.new_context(
        locale=READER_LOCALE,
        java_script_enabled=scripts,
        color_scheme=scheme,  # type: ignore[arg-type]
        viewport={"width": width, "height": 900},
    )
    problems = []
    try:
        page = context.new_page()
        for path in PATHS:
            measured = {}
            for lang in LANGUAGES:
                page.goto(site.url(f"{lang}/{path}"))
                measured[lang] = page.evaluate(MEASURE)
            first, second = (measured[lang] for lang in LANGUAGES)
            for part in ("header", "bar", "nav"):
                if first[part] != second[part]:
                    problems.append(
                        f"/{{lang}}/{path} at {width} px: {part} box (x, y, w, h) is "
                        f"{first[part]} in {LANGUAGES[0]} but {second[part]} in {LANGUAGES[1]}"
                    )
            for lang, values in measured.items():
                if values["scrollWidth"] > width:
                    wide = values["scrollWidth"]
                    problems.append(f"/{lang}/{path} at {width} px scrolls sideways: {wide} px")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_the_main_navigation_offers_the_same_places_in_both_languages(site: Site) -> None:
    import re

    wanted = ["timeline/", "methodology/", "glossary/", "search/"]
    for lang in LANGUAGES:
        text = (site.output / lang / "h200-reversal" / "index.html").read_text("utf-8")
        nav = re.search(r'<nav class="site-nav"[^>]*>(.*?)</nav>', text, re.S)
        assert nav, f"/{lang}/h200-reversal/ has no main navigation"
        hrefs = re.findall(r'href="([^"]+)"', nav.group(1))
        targets = [h.split(f"/{lang}/", 1)[-1] for h in hrefs]
        assert targets == wanted, f"/{lang}/ navigation links {targets}, expected {wanted}"
