"""Building the charts fixture site: figures in briefs, chart pages, embeds, files."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from strictbuild.driver import BuildResult

EVIL = "<img src=x onerror=alert(1)>"


def test_brief_has_the_figure_with_static_svg_table_and_downloads(
    site: Path, build_site: Callable[..., BuildResult]
) -> None:
    result = build_site()
    assert result.ok, result.problems
    html = (site / "output" / "en" / "sample" / "index.html").read_text(encoding="utf-8")
    assert "data-chart-slot" not in html
    figure = html[html.index('<figure class="chart"') : html.index("</figure>")]
    assert "<svg " in figure
    assert 'aria-hidden="true"' in figure
    assert 'role="img" aria-label="Three bars: public data centres 50' in figure
    assert (
        '<p class="chart-title" id="chart-sample-bars-title">Shares of domestic chips by place</p>' in figure
    )
    assert 'href="../../en/sources/#source-study2025"' in figure
    for name in ("chart.png", "chart.svg", "data.csv", "chart.vl.json"):
        assert f'href="../../en/charts/sample-bars/{name}" download' in figure
    assert '<th scope="row">Nationwide by 2027</th><td>1,234.5</td>' in figure
    assert "<details" in figure
    assert '<th scope="col">Place</th>' in figure
    # The brief loads the chart styles and script, and shares the chart image.
    assert "/theme/js/charts.js" in html
    assert "chart-runtime.min.js" in html
    assert (
        '<meta property="og:image" content="http://127.0.0.1:8000/en/charts/sample-bars/chart.png">' in html
    )


def test_html_in_data_is_text_everywhere(site: Path, build_site: Callable[..., BuildResult]) -> None:
    assert build_site().ok
    out = site / "output"
    for path in [out / "en" / "sample" / "index.html", out / "en" / "charts" / "sample-bars" / "index.html"]:
        html = path.read_text(encoding="utf-8")
        assert EVIL not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
    svg = (out / "en" / "charts" / "sample-bars" / "chart.svg").read_text(encoding="utf-8")
    assert "<img" not in svg
    # The Vega spec carries the value as a JSON string: the tooltip shows it as text.
    spec = json.loads((out / "en" / "charts" / "sample-bars" / "chart.vg.json").read_text(encoding="utf-8"))
    assert EVIL in json.dumps(spec["data"], ensure_ascii=False)


def test_chart_files_in_each_language(site: Path, build_site: Callable[..., BuildResult]) -> None:
    assert build_site().ok
    base = site / "output"
    en_csv = (base / "en" / "charts" / "sample-bars" / "data.csv").read_text(encoding="utf-8")
    zh_csv = (base / "zh-tw" / "charts" / "sample-bars" / "data.csv").read_text(encoding="utf-8")
    assert en_csv.splitlines()[0] == "Place,Share,Note,Date,Source"
    assert zh_csv.splitlines()[0] == "地點,比例,附註,日期,來源"
    assert "上海,70" in zh_csv
    zh_svg = (base / "zh-tw" / "charts" / "sample-bars" / "chart.svg").read_text(encoding="utf-8")
    assert "地點" in zh_svg
    assert "Place" not in zh_svg
    png = (base / "zh-tw" / "charts" / "sample-bars" / "chart.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    width = int.from_bytes(png[16:20], "big")
    svg_width = float(re.search(r'width="([\d.]+)"', zh_svg).group(1))  # type: ignore[union-attr]
    assert width >= 2 * svg_width  # 2x, framed with title and source line
    vega = json.loads(
        (base / "zh-tw" / "charts" / "sample-bars" / "chart.vg.json").read_text(encoding="utf-8")
    )
    assert vega["$schema"].startswith("https://vega.github.io/schema/vega/")
    assert vega["config"]["locale"]["time"]["months"][0] == "一月"


def test_chart_page_embed_page_and_oembed(site: Path, build_site: Callable[..., BuildResult]) -> None:
    assert build_site().ok
    folder = site / "output" / "zh-tw" / "charts" / "sample-bars"
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "<h1>各地國產晶片比例</h1>" in page
    assert (
        'type="application/json+oembed" href="http://127.0.0.1:8000/zh-tw/charts/sample-bars/oembed.json"'
        in page
    )
    assert (
        '<meta property="og:image" content="http://127.0.0.1:8000/zh-tw/charts/sample-bars/chart.png">'
        in page
    )
    assert 'href="../../../zh-tw/sample/">範例簡報</a>' in page  # the brief it appears in
    assert "&lt;iframe src=&#34;http://127.0.0.1:8000/zh-tw/charts/sample-bars/embed/&#34;" in page
    assert 'href="../../../en/charts/sample-bars/"' in page  # the other language
    embed = (folder / "embed" / "index.html").read_text(encoding="utf-8")
    assert "<svg " in embed
    assert "chart-embed.js" in embed
    assert 'href="../../../../zh-tw/charts/sample-bars/"' in embed  # back to the chart page
    assert 'href="../../../../en/charts/sample-bars/embed/"' in embed  # the other language
    oembed = json.loads((folder / "oembed.json").read_text(encoding="utf-8"))
    assert oembed["type"] == "rich"
    assert oembed["version"] == "1.0"
    assert 'loading="lazy"' in oembed["html"]
    assert 'title="各地國產晶片比例"' in oembed["html"]
    assert 'referrerpolicy="strict-origin-when-cross-origin"' in oembed["html"]
    assert re.search(r'height="\d+"', oembed["html"])
    assert oembed["provider_name"] == "晶片與管制"
    assert "<title>各地國產晶片比例 · 晶片與管制</title>" in embed
    assert oembed["thumbnail_url"].endswith("/zh-tw/charts/sample-bars/chart.png")


def test_a_page_can_place_a_chart_too(site: Path, build_site: Callable[..., BuildResult]) -> None:
    assert build_site().ok
    html = (site / "output" / "zh-tw" / "method" / "index.html").read_text(encoding="utf-8")
    assert '<figure class="chart" id="chart-sample-bars"' in html
    assert "/theme/css/charts.css" in html
    assert 'content="http://127.0.0.1:8000/zh-tw/charts/sample-bars/chart.png"' in html
    page = (site / "output" / "zh-tw" / "charts" / "sample-bars" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../../zh-tw/method/">方法</a>' in page
