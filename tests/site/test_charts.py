"""Every chart figure, on every page: a static SVG without script, then the interactive view.

Figures are ``figure.chart[data-chart]``; the static SVG sits in their
``.chart-box`` and the interactive view, once hydrated, in ``.chart-view``
(the figure then carries ``data-hydrated="true"``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, FloatRect, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import Reader
from tests.site.harness import Site

pytestmark = pytest.mark.browser
FIGURE = "figure.chart[data-chart]"


@pytest.fixture(scope="module")
def no_script_page(browser: Browser) -> Iterator[Page]:
    """A tab with JavaScript off: what a reader without scripts sees."""
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def _box(page: Page, selector: str) -> FloatRect | None:
    locator = page.locator(selector)
    return locator.first.bounding_box() if locator.count() else None


def test_chart_shows_its_static_svg_without_script(
    site: Site, no_script_page: Page, chart_figure: str
) -> None:
    path, chart_id = chart_figure.rsplit("#", 1)
    no_script_page.goto(site.url(path), wait_until="load")
    figure = f"{FIGURE}[data-chart='{chart_id}']"
    # Both layouts are in the page; CSS displays the one that fits the figure.
    svg = f"{figure} .chart-box > svg >> visible=true"
    assert no_script_page.locator(svg).count() >= 1, f"{chart_figure}: no static SVG in the figure"
    no_script_page.locator(svg).first.scroll_into_view_if_needed()
    box = _box(no_script_page, svg)
    assert box is not None
    assert box["width"] > 50, f"{chart_figure}: the static SVG is {box['width']:.0f} px wide"
    assert box["height"] > 30, f"{chart_figure}: the static SVG is {box['height']:.0f} px high"
    assert no_script_page.locator(svg).first.is_visible()


def test_chart_becomes_interactive_in_view(site: Site, reader: Reader, chart_figure: str) -> None:
    path, chart_id = chart_figure.rsplit("#", 1)
    reader.open(site.url(path), scroll=False)
    figure = reader.page.locator(f"{FIGURE}[data-chart='{chart_id}']").first
    figure.scroll_into_view_if_needed()
    try:
        reader.page.wait_for_selector(
            f"{FIGURE}[data-chart='{chart_id}'][data-hydrated='true'] .chart-view svg", timeout=15_000
        )
    except PlaywrightTimeout:
        problems = reader.collect().problems()
        pytest.fail(f"{chart_figure}: the interactive view did not appear\n" + "\n".join(problems))
    view = figure.locator(".chart-view svg").first
    assert view.is_visible(), f"{chart_figure}: the interactive view is not visible"
    box = view.bounding_box()
    assert box is not None
    assert box["width"] > 50, f"{chart_figure}: the interactive view is {box['width']:.0f} px wide"
    assert box["height"] > 30, f"{chart_figure}: the interactive view is {box['height']:.0f} px high"
    reader.page.wait_for_load_state("networkidle")
    problems = reader.collect().problems()
    assert not problems, "\n".join(problems)
