"""Chart text a reader can read: every brief, chart page and embed, at every width and scheme.

One test per width, scheme and scripts on or off opens, in one browser tab,
every page that shows a chart (briefs and chart pages in both languages,
embeds with ``?theme=dark`` in the dark scheme) and measures every chart
text on show (see :mod:`tests.site.chart_text`): at least 11 px on screen,
no ellipsis, inside the chart, contrast at least 4.5:1 against what lies
under it, and no page wider than the window. The negative tests prove the
measurement catches tiny, faint, cut and clipped text.
"""

from __future__ import annotations

from typing import Literal

import pytest
from playwright.sync_api import Browser, Page

from tests.site.chart_text import MIN_CONTRAST, MIN_TEXT_PX, measure, problems
from tests.site.conftest import chart_ids
from tests.site.harness import Site, SitePage

pytestmark = pytest.mark.browser

WIDTHS = (320, 390, 768, 1280)
FIGURE = "figure.chart[data-chart]"
HYDRATED = (
    "() => Array.from(document.querySelectorAll('figure.chart[data-chart]'))"
    ".every(f => f.dataset.hydrated === 'true')"
)


def _chart_pages(site: Site) -> list[SitePage]:
    return [page for page in site.pages if chart_ids(site.text(page))]


def _hydrate(page: Page) -> None:
    """Bring every figure into view so it hydrates, and wait until all have."""
    figures = page.locator(FIGURE)
    for index in range(figures.count()):
        figures.nth(index).scroll_into_view_if_needed()
    for _ in range(150):
        if page.evaluate(HYDRATED):
            return
        page.wait_for_timeout(100)
    pytest.fail(f"{page.url}: not every chart became interactive within 15 s")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("scripts", [False, True], ids=["static", "interactive"])
@pytest.mark.parametrize("width", WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def test_chart_text_is_readable(
    browser: Browser, site: Site, width: int, scripts: bool, scheme: Literal["light", "dark"]
) -> None:
    pages = _chart_pages(site)
    assert pages, "no page of the site shows a chart"
    context = browser.new_context(
        viewport={"width": width, "height": 800}, java_script_enabled=scripts, color_scheme=scheme
    )
    tab = context.new_page()
    failures: list[str] = []
    smallest: tuple[float, str] = (1e9, "")
    worst: tuple[float, str] = (1e9, "")
    counted = 0
    try:
        for page in pages:
            theme = "?theme=dark" if page.is_embed and scheme == "dark" else ""
            tab.goto(site.url(page.path) + theme, wait_until="load")
            if scripts:
                _hydrate(tab)
            measured = measure(tab)
            failures.extend(problems(f"{page.path}{theme}", measured))
            for text in measured.texts:
                if text.get("missing"):
                    continue
                counted += 1
                where = f"{page.path}{theme} {text['chart']}: {text['text']!r}"
                smallest = min(smallest, (text["size"], where))
                worst = min(worst, (text["contrast"], where))
    finally:
        context.close()
    summary = (
        f"{len(pages)} pages, {counted} chart texts at {width} px, scripts {'on' if scripts else 'off'}, "
        f"{scheme}: smallest {smallest[0]:.2f} px ({smallest[1]}), "
        f"worst contrast {worst[0]:.2f}:1 ({worst[1]})"
    )
    assert counted > 0, summary
    assert not failures, summary + "\n" + "\n".join(failures)


# Negative tests: the measurement on hand-made figures.
def _figure(svg: str, *, dark: bool = False) -> str:
    background = "#111418" if dark else "#ffffff"
    return (
        "<!DOCTYPE html><html lang='en'><head><title>t</title><style>"
        f"body {{ margin: 0; background: {background}; }} svg {{ display: block; }}"
        "</style></head><body>"
        f"<figure class='chart' data-chart='made'><div class='chart-box'>{svg}</div></figure>"
        "</body></html>"
    )


@pytest.fixture
def tab(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 390, "height": 600})
    return context.new_page()


def _problems(tab: Page, html: str) -> list[str]:
    tab.set_content(html)
    found = problems("made", measure(tab))
    tab.context.close()
    return found


def test_a_good_figure_passes(tab: Page) -> None:
    svg = (
        '<svg width="300" height="60"><text x="10" y="30" font-size="12" fill="#1b1f24">Readable</text></svg>'
    )
    assert _problems(tab, _figure(svg)) == []


def test_tiny_text_in_a_shrunken_svg_is_caught(tab: Page) -> None:
    # Drawn at 12 px in a 1000 px wide chart shown 300 px wide: 3.6 px on screen.
    svg = (
        '<svg viewBox="0 0 1000 100" width="300" height="30">'
        '<text x="10" y="50" font-size="12" fill="#1b1f24">Tiny label</text></svg>'
    )
    found = _problems(tab, _figure(svg))
    assert any(f"smallest chart text 3.60 px < {MIN_TEXT_PX:g} px" in line for line in found), found


def test_a_low_contrast_label_is_caught(tab: Page) -> None:
    # Black text on the dark background, as the interactive view once drew it.
    svg = '<svg width="300" height="60"><text x="10" y="30" font-size="12" fill="#000000">Faint</text></svg>'
    found = _problems(tab, _figure(svg, dark=True))
    assert any(
        "worst chart text contrast 1.1" in line and f"< {MIN_CONTRAST:g}:1" in line for line in found
    ), found


def test_a_white_label_on_a_light_bar_is_caught(tab: Page) -> None:
    svg = (
        '<svg width="300" height="60"><rect x="0" y="10" width="200" height="30" fill="#f58518"/>'
        '<text x="10" y="30" font-size="12" fill="#ffffff">more than 50%</text></svg>'
    )
    found = _problems(tab, _figure(svg))
    assert any("worst chart text contrast 2.55:1" in line for line in found), found


def test_cut_and_clipped_labels_are_caught(tab: Page) -> None:
    svg = (
        '<svg width="200" height="60">'
        '<text x="10" y="20" font-size="12" fill="#1b1f24">Licence to the US gov…</text>'
        '<text x="150" y="45" font-size="12" fill="#1b1f24">runs past the edge</text></svg>'
    )
    found = _problems(tab, _figure(svg))
    assert any("1 chart texts end in an ellipsis" in line for line in found), found
    assert any("1 chart texts run past the chart's edge" in line for line in found), found


def test_a_page_wider_than_the_window_is_caught(tab: Page) -> None:
    svg = '<svg width="300" height="60"><text x="10" y="30" font-size="12" fill="#1b1f24">Fine</text></svg>'
    wide = _figure(svg).replace("</body>", "<div style='width: 900px; height: 1px'></div></body>")
    found = _problems(tab, wide)
    assert any("page is 900 px wide in a 390 px window" in line for line in found), found
