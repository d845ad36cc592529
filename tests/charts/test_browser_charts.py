"""The charts in Chromium: hydration under the CSP, tooltips as text, embeds and resizing."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from strictbuild.driver import build
from tests.browser import Reader
from tests.charts.conftest import FIXTURE, PROJECT_SETTINGS
from tests.site.harness import SUB_PATH, Server, files_answer, serve, sub_path_answer

pytestmark = pytest.mark.browser


@dataclass
class Served:
    """The fixture site, built and served under the sub-path, and a foreign site embedding it."""

    base_url: str
    origin: str
    foreign: Server
    foreign_files: dict[str, tuple[str, bytes]]


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    folder = Path(tempfile.mkdtemp(prefix="charts-browser-"))
    site = folder / "site"
    shutil.copytree(FIXTURE, site, ignore=shutil.ignore_patterns(".cache", "__pycache__"))
    output = site / "output"
    server = serve(sub_path_answer(output))
    foreign_files: dict[str, tuple[str, bytes]] = {}
    foreign = serve(files_answer(foreign_files))
    base_url = f"{server.origin}{SUB_PATH}/"
    override = {
        "PATH": str(site / "content"),
        "PUBLIC_URL": base_url.rstrip("/"),
        "CHARTS_WORKERS": 1,
        "CACHE_PATH": str(site / "cache"),
    }
    result = build(PROJECT_SETTINGS, output, override=override)
    assert result.ok, result.problems
    try:
        yield Served(base_url, server.origin, foreign, foreign_files)
    finally:
        server.close()
        foreign.close()
        shutil.rmtree(folder, ignore_errors=True)


def _reader(browser: Browser, origins: list[str], *, dark: bool = False) -> tuple[Reader, Page]:
    context = browser.new_context(
        viewport={"width": 900, "height": 800}, color_scheme="dark" if dark else "light"
    )
    page = context.new_page()
    return Reader(page, allowed_origins=origins), page


def _box_height(page: Page) -> float:
    return float(page.evaluate("document.querySelector('.chart-box').getBoundingClientRect().height"))


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "zh-tw"])
def test_chart_hydrates_in_place_without_errors(
    browser: Browser, served: Served, lang: str, dark: bool
) -> None:
    reader, page = _reader(browser, [served.origin], dark=dark)
    page.goto(served.base_url + f"{lang}/sample/", wait_until="load")
    before = _box_height(page)
    # The static chart, before any script runs: both layouts, the one that fits shown.
    assert page.locator(".chart-box > svg").count() == 2
    # (displayed, not visible: the interactive view may already cover it)
    shown = page.evaluate(
        "Array.from(document.querySelectorAll('.chart-box > svg'))"
        ".filter(s => getComputedStyle(s).display !== 'none').map(s => s.dataset.layout)"
    )
    assert len(shown) == 1, shown
    page.locator("figure.chart").scroll_into_view_if_needed()
    page.wait_for_selector("figure.chart[data-hydrated='true']", timeout=15000)
    visit = reader.collect()
    assert visit.problems() == []
    assert page.locator(".chart-view svg").count() == 1
    after = _box_height(page)
    assert abs(after - before) < 1  # no layout shift
    assert page.evaluate("typeof window.vegaRuntime") == "object"
    if dark:
        background = page.evaluate(
            "getComputedStyle(document.querySelector('.chart-box.is-live')).backgroundColor"
        )
        assert background == "rgb(17, 20, 24)"
    page.context.close()


def test_tooltip_shows_html_in_data_as_text(browser: Browser, served: Served) -> None:
    reader, page = _reader(browser, [served.origin])
    page.goto(served.base_url + "en/sample/", wait_until="load")
    page.wait_for_selector("figure.chart[data-hydrated='true']", timeout=15000)
    bar = page.locator(".chart-view svg .mark-rect path").first
    bar.hover()
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible", timeout=5000)
    assert "<img src=x onerror=alert(1)>" in tooltip.inner_text()
    assert tooltip.locator("img").count() == 0
    assert page.locator("figure.chart img").count() == 0
    assert reader.collect().problems() == []
    page.context.close()


def test_runtime_is_not_loaded_on_pages_without_charts(browser: Browser, served: Served) -> None:
    reader, page = _reader(browser, [served.origin])
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    reader.open(served.base_url + "en/")
    assert not [url for url in requested if "chart-runtime" in url or "charts.js" in url]
    page.context.close()


def _host_page(served: Served, name: str, *, with_script: bool = True) -> str:
    """A page on another origin that embeds the chart, plus a frame that forges messages."""
    embed = served.base_url + "en/charts/sample-bars/embed/"
    resize = served.base_url + "theme/js/chart-resize.js"
    forger = (
        "<!DOCTYPE html><title>forger</title><link rel='icon' href='data:,'><script>"
        "window.addEventListener('message', function (e) {"
        "  if (e.data === 'forge') parent.postMessage({type: 'chart-embed:height', height: 1234}, '*');"
        "});</script>"
    )
    served.foreign_files["/forger.html"] = ("text/html; charset=utf-8", forger.encode())
    page = (
        "<!DOCTYPE html><html lang='en'><title>Host</title><link rel='icon' href='data:,'><body>"
        f"<iframe id='chart' src='{embed}' title='Chart' width='100%' height='777' loading='lazy' "
        "referrerpolicy='strict-origin-when-cross-origin' data-chart-embed></iframe>"
        "<iframe id='forger' src='/forger.html' title='Forger'></iframe>"
        + (f"<script src='{resize}' async></script>" if with_script else "")
        + "</body></html>"
    )
    served.foreign_files[f"/{name}.html"] = ("text/html; charset=utf-8", page.encode())
    return f"{served.foreign.origin}/{name}.html"


def test_embed_resizes_to_its_content(browser: Browser, served: Served) -> None:
    reader, page = _reader(browser, [served.origin, served.foreign.origin])
    page.goto(_host_page(served, "host"), wait_until="load")
    page.wait_for_function("document.getElementById('chart').height !== '777'", timeout=15000)
    height = int(page.evaluate("document.getElementById('chart').height"))
    content = page.frame_locator("#chart").locator("html").evaluate("e => e.getBoundingClientRect().height")
    assert abs(height - content) <= 2
    assert 100 < height < 777  # the fixed height was generous; the script fits it
    embed = next(f for f in page.frames if "/embed/" in f.url)
    embed.wait_for_selector("figure.chart[data-hydrated='true']", timeout=15000)
    assert reader.collect().problems() == []
    page.context.close()


def test_a_resize_script_that_loads_after_the_chart_still_fits_it(browser: Browser, served: Served) -> None:
    """The host's script is async: when the chart reported its height before it listened, it asks."""
    reader, page = _reader(browser, [served.origin, served.foreign.origin])
    page.goto(_host_page(served, "late", with_script=False), wait_until="load")
    # The iframe loads lazily: the host page's load event does not wait for it.
    page.frame_locator("#chart").locator("figure.chart[data-hydrated='true']").wait_for(timeout=15000)
    embed = next(f for f in page.frames if "/embed/" in f.url)
    page.wait_for_timeout(300)  # every height the chart will report is sent by now
    assert page.evaluate("document.getElementById('chart').height") == "777"
    resize = served.base_url + "theme/js/chart-resize.js"
    page.evaluate(
        "src => document.body.appendChild(Object.assign(document.createElement('script'), {src}))", resize
    )
    page.wait_for_function("document.getElementById('chart').height !== '777'", timeout=15000)
    height = int(page.evaluate("document.getElementById('chart').height"))
    content = embed.locator("html").evaluate("e => e.getBoundingClientRect().height")
    assert abs(height - content) <= 2, (height, content)
    assert reader.collect().problems() == []
    page.context.close()


def test_forged_height_messages_are_ignored(browser: Browser, served: Served) -> None:
    _, page = _reader(browser, [served.origin, served.foreign.origin])
    page.goto(_host_page(served, "forged"), wait_until="load")
    page.wait_for_function("document.getElementById('chart').height !== '777'", timeout=15000)
    fitted = page.evaluate("document.getElementById('chart').height")
    # Another frame, and the host page itself, send the same message the embed would.
    page.evaluate("document.getElementById('forger').contentWindow.postMessage('forge', '*')")
    page.evaluate("window.postMessage({type: 'chart-embed:height', height: 1500}, '*')")
    page.wait_for_timeout(500)
    assert page.evaluate("document.getElementById('chart').height") == fitted
    page.context.close()


def test_chart_page_is_clean_and_offers_the_embed_code(browser: Browser, served: Served) -> None:
    reader, page = _reader(browser, [served.origin])
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.origin)
    visit = reader.open(served.base_url + "zh-tw/charts/sample-bars/")
    assert visit.problems() == []
    page.wait_for_selector("figure.chart[data-hydrated='true']", timeout=15000)
    button = page.locator("button.copy-button")
    assert button.is_visible()
    button.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(f'<iframe src="{served.base_url}zh-tw/charts/sample-bars/embed/"')
    assert "chart-resize.js" in copied
    page.context.close()


def test_chart_fits_a_phone_screen(browser: Browser, served: Served) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    reader = Reader(page, allowed_origins=[served.origin])
    page.goto(served.base_url + "en/sample/", wait_until="load")
    page.locator("figure.chart").scroll_into_view_if_needed()
    page.wait_for_selector("figure.chart[data-hydrated='true']", timeout=15000)
    box = page.evaluate("document.querySelector('.chart-box').getBoundingClientRect().width")
    view = page.evaluate("document.querySelector('.chart-view svg').getBoundingClientRect().width")
    assert view <= box + 0.5
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert reader.collect().problems() == []
    context.close()


def test_embed_code_builder_offers_each_theme(browser: Browser, served: Served) -> None:
    reader, page = _reader(browser, [served.origin])
    reader.open(served.base_url + "en/charts/sample-bars/")
    code = page.locator("textarea.embed-code")
    assert f'src="{served.base_url}en/charts/sample-bars/embed/"' in code.input_value()
    select = page.locator("select[data-embed-code]")
    assert select.is_visible()
    select.select_option("dark")
    assert f'src="{served.base_url}en/charts/sample-bars/embed/?theme=dark"' in code.input_value()
    select.select_option("auto")
    assert "embed/?theme=auto" in code.input_value()
    assert reader.collect().problems() == []
    page.context.close()


def test_embed_code_builder_without_scripts_shows_the_default_code(browser: Browser, served: Served) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served.base_url + "en/charts/sample-bars/", wait_until="load")
    assert not page.locator("select[data-embed-code]").is_visible()
    assert "embed/?theme" not in page.locator("textarea.embed-code").input_value()
    context.close()


@pytest.mark.parametrize(
    ("system", "query", "background"),
    [
        ("dark", "", "rgb(255, 255, 255)"),  # light by default, whatever the reader's system
        ("light", "?theme=dark", "rgb(17, 20, 24)"),
        ("dark", "?theme=auto", "rgb(17, 20, 24)"),
        ("light", "?theme=auto", "rgb(255, 255, 255)"),
        ("dark", "?theme=light", "rgb(255, 255, 255)"),
    ],
)
def test_embed_takes_its_theme_from_the_host(
    browser: Browser, served: Served, system: str, query: str, background: str
) -> None:
    reader, page = _reader(browser, [served.origin], dark=system == "dark")
    page.goto(served.base_url + "en/charts/sample-bars/embed/" + query, wait_until="load")
    page.wait_for_selector("figure.chart[data-hydrated='true']", timeout=15000)
    body = page.evaluate("getComputedStyle(document.body).backgroundColor")
    box = page.evaluate("getComputedStyle(document.querySelector('.chart-box')).backgroundColor")
    assert (body, box) == (background, background)
    assert reader.collect().problems() == []
    page.context.close()
