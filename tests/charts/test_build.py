"""Building the charts fixture site: figures in briefs, chart pages, embeds, files."""

from __future__ import annotations

import csv
import io
import json
import re
import struct
import zlib
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
    for name in (
        "sample-bars.en.png",
        "sample-bars.en.svg",
        "sample-bars.en.csv",
        "sample-bars.en.metadata.json",
        "chart.vl.json",
    ):
        assert f'href="../../en/charts/sample-bars/{name}" download' in figure
    assert '<th scope="row">Nationwide by 2027</th><td>1,234.5</td>' in figure
    assert "<details" in figure
    assert '<th scope="col">Place</th>' in figure
    # The brief loads the chart styles and script, and shares the chart image.
    assert "/theme/js/charts.js" in html
    assert "chart-runtime.min.js" in html
    assert (
        '<meta property="og:image" content="http://127.0.0.1:8000/en/charts/sample-bars/sample-bars.en.png">'
        in html
    )


def test_a_figure_in_a_zh_tw_brief_speaks_zh_tw(site: Path, build_site: Callable[..., BuildResult]) -> None:
    assert build_site().ok
    html = (site / "output" / "zh-tw" / "sample" / "index.html").read_text(encoding="utf-8")
    figure = html[html.index('<figure class="chart"') : html.index("</figure>")]
    for english in (
        "Source:",
        "Show the data as a table",
        "PNG image",
        "Chart page and embed code",
        "Downloads",
    ):
        assert english not in figure, f"{english!r} in the zh-TW figure"
    for chinese in ("來源：", "以表格顯示資料", "PNG 圖檔", "圖表頁面與嵌入碼"):
        assert chinese in figure, f"{chinese!r} missing from the zh-TW figure"
    # A source cell shows the source's name, never its registry key.
    assert "<td>範例通訊社，2026-01-08</td>" in figure
    assert "wire2026</td>" not in figure


def test_html_in_data_is_text_everywhere(site: Path, build_site: Callable[..., BuildResult]) -> None:
    assert build_site().ok
    out = site / "output"
    for path in [out / "en" / "sample" / "index.html", out / "en" / "charts" / "sample-bars" / "index.html"]:
        html = path.read_text(encoding="utf-8")
        assert EVIL not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
    svg = (out / "en" / "charts" / "sample-bars" / "sample-bars.en.svg").read_text(encoding="utf-8")
    assert "<img" not in svg
    # The Vega spec carries the value as a JSON string: the tooltip shows it as text.
    spec = json.loads((out / "en" / "charts" / "sample-bars" / "chart.vg.json").read_text(encoding="utf-8"))
    assert EVIL in json.dumps(spec["data"], ensure_ascii=False)


def test_chart_files_in_each_language(site: Path, build_site: Callable[..., BuildResult]) -> None:
    assert build_site().ok
    base = site / "output"
    en_csv = (base / "en" / "charts" / "sample-bars" / "sample-bars.en.csv").read_bytes()
    zh_csv = (base / "zh-tw" / "charts" / "sample-bars" / "sample-bars.zh-tw.csv").read_bytes()
    # UTF-8 with a byte-order mark, so that Excel reads the Chinese right.
    assert zh_csv.startswith(b"\xef\xbb\xbf")
    assert en_csv.decode("utf-8-sig").splitlines()[0] == "Place,Share,Note,Date,Source"
    assert zh_csv.decode("utf-8-sig").splitlines()[0] == "地點,比例,附註,日期,來源"
    assert "上海,70" in zh_csv.decode("utf-8-sig")
    # Sources by name in the page's language, never by registry key.
    assert "範例通訊社，2026-01-08" in zh_csv.decode("utf-8-sig")
    assert b"wire2026" not in zh_csv
    assert b"study2025" not in en_csv
    zh_svg = (base / "zh-tw" / "charts" / "sample-bars" / "sample-bars.zh-tw.svg").read_text(encoding="utf-8")
    assert "地點" in zh_svg
    assert "Place" not in zh_svg
    png = (base / "zh-tw" / "charts" / "sample-bars" / "sample-bars.zh-tw.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    width = int.from_bytes(png[16:20], "big")
    svg_width = float(re.search(r'width="([\d.]+)"', zh_svg).group(1))  # type: ignore[union-attr]
    assert width >= 2 * svg_width  # 2x, framed with title and source line
    vega = json.loads(
        (base / "zh-tw" / "charts" / "sample-bars" / "chart.vg.json").read_text(encoding="utf-8")
    )
    assert vega["$schema"].startswith("https://vega.github.io/schema/vega/")
    assert vega["config"]["locale"]["time"]["months"][0] == "一月"
    # The old names are gone.
    for old in ("chart.png", "chart.svg", "data.csv"):
        assert not (base / "zh-tw" / "charts" / "sample-bars" / old).exists(), old


def _csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_csv_cells_never_run_as_formulas(site: Path, build_site: Callable[..., BuildResult]) -> None:
    assert build_site().ok
    folder = site / "output"
    en = _csv_rows(folder / "en" / "charts" / "sample-bars" / "sample-bars.en.csv")
    zh = _csv_rows(folder / "zh-tw" / "charts" / "sample-bars" / "sample-bars.zh-tw.csv")
    notes = [row[2] for row in en[1:]] + [row[2] for row in zh[1:]]
    assert '\'=HYPERLINK("http://example.invalid","x")' in notes
    assert "'@SUM(A1:A2)" in notes
    assert "'+1+2" in notes
    assert "'-1+2" in notes
    for cell in (cell for rows in (en, zh) for row in rows for cell in row):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), f"{cell!r} would run as a formula"
    # Numbers stay numbers.
    assert [row[1] for row in en[1:]] == ["50", "70", "1234.5"]


def _png_text(png: bytes) -> dict[str, str]:
    """The iTXt chunks of a PNG, keyword -> text."""
    found = {}
    at = 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        assert (
            zlib.crc32(png[at + 4 : at + 8 + length])
            == struct.unpack(">I", png[at + 8 + length : at + 12 + length])[0]
        )
        if kind == b"iTXt":
            keyword, _, rest = data.partition(b"\0")
            _lang, _, rest = rest[2:].partition(b"\0")
            _translated, _, text = rest.partition(b"\0")
            found[keyword.decode("latin-1")] = text.decode("utf-8")
        at += 12 + length
    return found


def test_images_carry_title_source_site_and_licence(
    site: Path, build_site: Callable[..., BuildResult]
) -> None:
    assert build_site().ok
    folder = site / "output" / "zh-tw" / "charts" / "sample-bars"
    svg = (folder / "sample-bars.zh-tw.svg").read_text(encoding="utf-8")
    # Long lines wrap to the image's width (a space where a line breaks is
    # dropped): read the text as one string, without white space.
    texts = re.sub(r"\s", "", "".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)))
    assert '<title id="chart-title">各地國產晶片比例</title>' in svg
    assert 'role="img" aria-labelledby="chart-title"' in svg
    assert texts.startswith("各地國產晶片比例")
    for line in (
        "來源：〈範例分析〉，2025-12-10；範例通訊社，2026-01-08",
        "晶片與管制 · http://127.0.0.1:8000/zh-tw/charts/sample-bars/",
        "授權：創用CC 姓名標示 4.0 國際，https://creativecommons.org/licenses/by/4.0/deed.zh-hant",
    ):
        assert re.sub(r"\s", "", line) in texts, f"{line!r} not in the SVG download"
    meta = _png_text((folder / "sample-bars.zh-tw.png").read_bytes())
    assert meta["Title"] == "各地國產晶片比例"
    assert meta["Author"] == "晶片與管制"
    assert meta["Source"] == "來源：〈範例分析〉，2025-12-10；範例通訊社，2026-01-08"
    assert meta["Copyright"].startswith("授權：創用CC 姓名標示 4.0 國際")
    assert meta["URL"] == "http://127.0.0.1:8000/zh-tw/charts/sample-bars/"


def test_metadata_json_beside_the_downloads(site: Path, build_site: Callable[..., BuildResult]) -> None:
    assert build_site().ok
    folder = site / "output" / "en" / "charts" / "sample-bars"
    meta = json.loads((folder / "sample-bars.en.metadata.json").read_text(encoding="utf-8"))
    assert meta["title"] == "Shares of domestic chips by place"
    assert meta["description"].startswith("Three bars")
    assert meta["notes"] == "Fixture data, not real figures."
    assert meta["chart_page"] == "http://127.0.0.1:8000/en/charts/sample-bars/"
    assert meta["date"] == "2026-11-21"  # the brief that shows it
    assert meta["license"]["name"] == "CC BY 4.0"
    assert meta["license"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert meta["files"]["csv"] == "http://127.0.0.1:8000/en/charts/sample-bars/sample-bars.en.csv"
    assert meta["columns"] == ["Place", "Share", "Note", "Date", "Source"]
    assert [s["citation"] for s in meta["sources"]] == [
        "“範例分析” [“An example analysis”], 2025-12-10.",
        "“範例報導” [“An example report”], Example Wire, 2026-01-08.",
    ]
    assert "study2025" not in json.dumps(meta)
    assert "wire2026" not in json.dumps(meta)
    assert meta["credit"] == (
        "Chart: “Shares of domestic chips by place”, Chips and Controls, "
        "http://127.0.0.1:8000/en/charts/sample-bars/ (CC BY 4.0)"
    )


def test_chart_page_embed_page_and_oembed(site: Path, build_site: Callable[..., BuildResult]) -> None:
    assert build_site().ok
    folder = site / "output" / "zh-tw" / "charts" / "sample-bars"
    page = (folder / "index.html").read_text(encoding="utf-8")
    # One title: the page's heading, which the figure is labelled by.
    assert '<h1 id="chart-sample-bars-title">各地國產晶片比例</h1>' in page
    assert page.count("各地國產晶片比例</") == 2  # the heading and the data table's caption
    assert 'class="chart-title"' not in page
    # Reuse: what a reader may do, and a credit line in each language.
    assert '<h2 id="chart-reuse">轉載這張圖表</h2>' in page
    assert 'rel="license external">創用CC 姓名標示 4.0 國際</a>。' in page
    assert (
        '<span lang="zh-Hant-TW">圖表：〈各地國產晶片比例〉，晶片與管制，'
        "http://127.0.0.1:8000/zh-tw/charts/sample-bars/（CC BY 4.0）</span>" in page
    )
    assert (
        '<span lang="en">Chart: “Shares of domestic chips by place”, Chips and Controls, '
        "http://127.0.0.1:8000/en/charts/sample-bars/ (CC BY 4.0)</span>" in page
    )
    assert (
        'type="application/json+oembed" href="http://127.0.0.1:8000/zh-tw/charts/sample-bars/oembed.json"'
        in page
    )
    assert (
        '<meta property="og:image" content="http://127.0.0.1:8000/zh-tw/charts/sample-bars/sample-bars.zh-tw.png">'
        in page
    )
    assert 'href="../../../zh-tw/sample/">範例簡報</a>' in page  # the brief it appears in
    assert "&lt;iframe src=&#34;http://127.0.0.1:8000/zh-tw/charts/sample-bars/embed/&#34;" in page
    assert 'href="../../../en/charts/sample-bars/"' in page  # the other language
    embed = (folder / "embed" / "index.html").read_text(encoding="utf-8")
    assert "<svg " in embed
    assert "chart-embed.js" in embed
    # The embed carries the notes (collapsed) and the licence.
    assert "<summary>附註</summary>" in embed
    assert "<p>測試資料，並非真實數字。</p>" in embed
    assert 'rel="license external noopener" target="_blank">CC BY 4.0</a>' in embed
    assert 'href="../../../../zh-tw/charts/sample-bars/"' in embed  # back to the chart page
    assert 'href="../../../../en/charts/sample-bars/embed/"' in embed  # the other language
    oembed = json.loads((folder / "oembed.json").read_text(encoding="utf-8"))
    assert oembed["type"] == "rich"
    assert oembed["version"] == "1.0"
    assert 'loading="lazy"' in oembed["html"]
    assert 'title="各地國產晶片比例"' in oembed["html"]
    assert 'referrerpolicy="strict-origin-when-cross-origin"' in oembed["html"]
    # oEmbed 1.0, type rich: html, width and height required, and the sizes are the embed code's.
    width = re.search(r'width="(\d+)"', oembed["html"])
    height = re.search(r'height="(\d+)"', oembed["html"])
    assert width
    assert height
    assert (oembed["width"], oembed["height"]) == (int(width.group(1)), int(height.group(1)))
    png = (folder / "sample-bars.zh-tw.png").read_bytes()
    size = (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big"))
    assert (oembed["thumbnail_width"], oembed["thumbnail_height"]) == size
    assert oembed["provider_name"] == "晶片與管制"
    assert "<title>各地國產晶片比例 · 晶片與管制</title>" in embed
    assert oembed["thumbnail_url"].endswith("/zh-tw/charts/sample-bars/sample-bars.zh-tw.png")


def test_a_page_can_place_a_chart_too(site: Path, build_site: Callable[..., BuildResult]) -> None:
    assert build_site().ok
    html = (site / "output" / "zh-tw" / "method" / "index.html").read_text(encoding="utf-8")
    assert '<figure class="chart" id="chart-sample-bars"' in html
    assert "/theme/css/charts.css" in html
    assert 'content="http://127.0.0.1:8000/zh-tw/charts/sample-bars/sample-bars.zh-tw.png"' in html
    page = (site / "output" / "zh-tw" / "charts" / "sample-bars" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../../zh-tw/method/">方法</a>' in page
