"""A chart embedded in a foreign page with its published embed code.

The foreign page lives on a second origin (another port of 127.0.0.1). It
holds the embed code read from the chart page's ``textarea.embed-code`` and a
second iframe of its own that plays a hostile frame.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Frame

from tests.browser import Reader
from tests.site.harness import SUB_PATH, Server, Site, SitePage, files_answer, serve

pytestmark = pytest.mark.browser
HOST_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>A newspaper</title><link rel="icon" href="data:,"></head>
<body><h1>A newspaper article</h1><p>Words before the chart.</p>
{embed}
<p>Words after the chart.</p>
<iframe id="other" src="/other.html" title="Another frame" width="300" height="60"></iframe>
</body></html>
"""
OTHER_FRAME = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>x</title>'
    '<link rel="icon" href="data:,"></head><body>ad</body></html>'
)


@pytest.fixture(scope="module")
def foreign() -> Iterator[tuple[Server, dict[str, tuple[str, bytes]]]]:
    """The foreign site: a second origin whose files each test sets."""
    files: dict[str, tuple[str, bytes]] = {"/other.html": ("text/html; charset=utf-8", OTHER_FRAME.encode())}
    server = serve(files_answer(files))
    yield server, files
    server.close()


def _chart_frame(reader: Reader, site_origin: str) -> Frame:
    for frame in reader.page.frames:
        if frame.url.startswith(site_origin) and "/embed/" in frame.url:
            return frame
    pytest.fail(f"no chart frame among {[f.url for f in reader.page.frames]}")


def _wait_for_chart(reader: Reader, index: int) -> None:
    """Wait until the ``index``-th embed frame has drawn its chart.

    The frames load lazily, so the host page's load event does not wait for
    them; the chart's own script marks the figure once it is drawn."""
    frame = reader.page.frame_locator(f"iframe[data-chart-embed] >> nth={index}")
    frame.locator("figure.chart[data-hydrated='true']").first.wait_for(timeout=30000)


def test_embedded_chart_fits_its_frame_and_ignores_other_frames(
    site: Site,
    browser: Browser,
    foreign: tuple[Server, dict[str, tuple[str, bytes]]],
    chart_page: SitePage,
) -> None:
    server, files = foreign
    site_origin = site.base_url.split(SUB_PATH)[0]
    context = browser.new_context(viewport={"width": 900, "height": 900})
    try:
        reader = Reader(context.new_page(), [site_origin, server.origin])
        reader.open(site.url(chart_page), scroll=False)
        embed = reader.page.locator("textarea.embed-code").first.input_value()
        assert "<iframe" in embed, f"{chart_page}: the embed code has no iframe: {embed!r}"
        files["/host.html"] = ("text/html; charset=utf-8", HOST_PAGE.format(embed=embed).encode())
        reader.open(f"{server.origin}/host.html", idle=False)
        frame_element = reader.page.locator("iframe[data-chart-embed]").first
        frame_element.scroll_into_view_if_needed()
        _wait_for_chart(reader, 0)
        chart = _chart_frame(reader, site_origin)
        # The frame fits its content: same height within 2 px, no inner scrolling.
        fitted = 0.0
        for _ in range(50):
            content = chart.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
            fitted = frame_element.evaluate("(el) => el.getBoundingClientRect().height")
            if abs(fitted - content) <= 2:
                break
            reader.page.wait_for_timeout(200)
        else:
            pytest.fail(f"{chart_page}: the frame is {fitted:.0f} px high, its chart {content} px")
        scrolls = chart.evaluate("document.documentElement.scrollHeight > window.innerHeight + 1")
        assert not scrolls, f"{chart_page}: the embedded chart scrolls inside its frame"
        # A message from another frame, shaped like the chart's own, changes nothing.
        other = next(f for f in reader.page.frames if f.url.endswith("/other.html"))
        other.evaluate("parent.postMessage({type: 'chart-embed:height', height: 1234}, '*')")
        reader.page.evaluate("window.postMessage({type: 'chart-embed:height', height: 777}, '*')")
        reader.page.wait_for_timeout(300)
        after = frame_element.evaluate("(el) => el.getBoundingClientRect().height")
        assert after == fitted, f"{chart_page}: a message from another frame resized the chart to {after}"
        problems = reader.collect().problems()
        assert not problems, "\n".join(problems)
    finally:
        context.close()


WIDTHS = (320, 600, 900)
SIZED_HOST = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>A newspaper</title><link rel="icon" href="data:,"></head>
<body style="margin:0">{columns}</body></html>
"""
# Inside the chart's frame: how tall and wide its page is, and how much of the frame it has.
MEASURE = """() => {
  const root = document.documentElement;
  return {scrollHeight: root.scrollHeight, scrollWidth: root.scrollWidth,
          height: window.innerHeight, width: window.innerWidth};
}"""


@pytest.mark.parametrize("script", [True, False], ids=["resize-script", "no-script"])
def test_embed_fits_at_every_width(
    site: Site,
    browser: Browser,
    foreign: tuple[Server, dict[str, tuple[str, bytes]]],
    chart_page: SitePage,
    script: bool,
) -> None:
    """The published embed code, in columns 320, 600 and 900 px wide, with and without
    the optional resize script: the chart's page fits its frame (no inner scrolling,
    nothing cut off at the bottom or the side)."""
    server, files = foreign
    site_origin = site.base_url.split(SUB_PATH)[0]
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    try:
        reader = Reader(context.new_page(), [site_origin, server.origin])
        reader.open(site.url(chart_page), scroll=False)
        embed = reader.page.locator("textarea.embed-code").first.input_value()
        if not script:
            embed = embed.split("<script", 1)[0]
        columns = "".join(f'<div style="width:{w}px;margin:0 0 40px">{embed}</div>' for w in WIDTHS)
        name = f"/sized-{'s' if script else 'n'}.html"
        files[name] = ("text/html; charset=utf-8", SIZED_HOST.format(columns=columns).encode())
        reader.open(f"{server.origin}{name}", idle=False)
        frames = reader.page.locator("iframe[data-chart-embed]")
        assert frames.count() == len(WIDTHS)
        # The embed code loads its frame lazily, as a host page should: bring each into view.
        for index in range(len(WIDTHS)):
            frames.nth(index).scroll_into_view_if_needed()
            _wait_for_chart(reader, index)
        charts = [f for f in reader.page.frames if f.url.startswith(site_origin) and "/embed/" in f.url]
        assert len(charts) == len(WIDTHS), f"{chart_page}: {len(charts)} chart frames"
        if script:
            reader.page.wait_for_timeout(500)  # the frames post their heights
        problems = []
        for frame in charts:
            sizes = frame.evaluate(MEASURE)
            where = f"{sizes['width']} px wide"
            high, wide = sizes["scrollHeight"], sizes["scrollWidth"]
            if high > sizes["height"] + 1:
                problems.append(
                    f"{where}: the chart's page is {high} px high, its frame {sizes['height']} px"
                )
            if wide > sizes["width"] + 1:
                problems.append(f"{where}: the chart's page is {wide} px wide, its frame {sizes['width']} px")
            if script and sizes["height"] > sizes["scrollHeight"] + 2:
                problems.append(
                    f"{where}: the frame is {sizes['height']} px high for a {sizes['scrollHeight']} px page"
                )
        assert not problems, (
            f"{chart_page} ({'with' if script else 'without'} the resize script):\n" + "\n".join(problems)
        )
        visit = reader.collect().problems()
        assert not visit, "\n".join(visit)
    finally:
        context.close()
