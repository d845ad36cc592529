"""Layouts, wrapped labels, measured text and colours that hold in both schemes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import vl_convert

from charts.api import LAYOUTS, ChartContext, estimate_width
from charts.cache import cache_key
from charts.catalog import ChartDefinition
from charts.fonts import find_font
from charts.render import CATEGORY_COLOURS, RenderJob, measurer, styled

vlc: Any = vl_convert
LIGHT, DARK = "#ffffff", "#111418"


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _ctx(layout: str = "wide") -> ChartContext:
    return ChartContext("x", "en", [], layout=layout)


def _whole_width(text: str, font: str, size: float) -> float:
    """The width vl-convert gives the whole line, as it lays it out in the SVG."""
    spec = {
        "width": 0,
        "height": 0,
        "padding": 0,
        "autosize": "pad",
        "marks": [
            {
                "type": "text",
                "encode": {
                    "enter": {"text": {"value": text}, "font": {"value": font}, "fontSize": {"value": size}}
                },
            }
        ],
    }
    return float(vlc.vega_to_scenegraph(spec)["width"])


def test_layouts_fit_a_320_px_phone_and_an_article_column() -> None:
    assert LAYOUTS["narrow"] <= 320 - 2 * 16  # the page's margins on a 320 px phone
    assert _ctx("narrow").narrow
    assert not _ctx("wide").narrow
    assert (_ctx("narrow").width, _ctx("wide").width) == (LAYOUTS["narrow"], LAYOUTS["wide"])


def test_wrap_keeps_words_whole_and_lines_within_the_width() -> None:
    text = "Trump allows H200 sales to China, 25% of revenue to the US government"
    lines = _ctx().wrap(text, 120).split("\n")
    assert len(lines) > 1
    assert " ".join(lines) == text
    assert all(estimate_width(line, 12) <= 120 for line in lines)


def test_wrap_breaks_chinese_between_characters_but_not_before_punctuation() -> None:
    lines = _ctx().wrap("川普允許H200售往中國，營收25%歸美方", 60).split("\n")
    assert "".join(lines) == "川普允許H200售往中國，營收25%歸美方"
    assert len(lines) > 2
    assert not any(line.startswith("，") for line in lines)


def test_a_word_wider_than_the_width_gets_a_line_of_its_own() -> None:
    assert _ctx().wrap("a Supercalifragilistic b", 40) == "a\nSupercalifragilistic\nb"
    assert _ctx().wrap("", 40) == ""


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Bloomberg: some firms may be cleared to import the H200", "en"),
        ("財訊快報報導採購清單2025年12月11日", "zh-tw"),
    ],
)
def test_measured_width_is_never_less_than_the_drawn_width(text: str, lang: str) -> None:
    family = find_font(lang)
    assert family is not None
    font = f"'{family}', sans-serif"
    measured = measurer(font)(text, 12, False)
    drawn = _whole_width(text, font, 12)
    # Never narrower (a label would overflow), and close (it would wrap too early).
    assert drawn <= measured <= drawn * 1.05 + 2, (measured, drawn)


def test_category_colours_stand_out_on_both_backgrounds() -> None:
    low = {colour: (_contrast(colour, LIGHT), _contrast(colour, DARK)) for colour in CATEGORY_COLOURS}
    assert all(min(pair) >= 3 for pair in low.values()), low


def _job(**changes: Any) -> RenderJob:
    fields: dict[str, Any] = {
        "chart_id": "x",
        "lang": "en",
        "module_path": "x.py",
        "shown_path": "x.py",
        "rows": [],
        "labels": {},
        "columns": [],
        "table_columns": [],
        "title": "T",
        "source_line": "S",
        "format_locale": "en-US",
        "time_format_locale": "en-US",
        "font": "DejaVu Sans",
        "target": "",
    }
    return RenderJob(**{**fields, **changes})


def test_a_single_view_is_fitted_to_the_layout_and_keeps_its_own_settings() -> None:
    spec = styled({"mark": "bar", "config": {"axis": {"labelFontSize": 14}}}, _job(), "narrow")
    assert spec["width"] == LAYOUTS["narrow"]
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert spec["background"] == "transparent"  # the page paints it, light or dark
    assert spec["config"]["axis"]["labelFontSize"] == 14
    assert spec["config"]["axis"]["labelLimit"] == 0  # never an ellipsis
    assert spec["config"]["font"] == "'DejaVu Sans', sans-serif"
    concat = styled({"hconcat": [{"mark": "bar"}]}, _job(), "wide")
    assert "autosize" not in concat
    assert "width" not in concat


def test_the_cache_key_changes_with_the_layouts(monkeypatch: pytest.MonkeyPatch) -> None:
    definition = ChartDefinition(
        chart_id="x",
        module_path="x.py",
        shown_path="x.py",
        data_path="x.csv",
        shown_data_path="x.csv",
        source_code=b"code",
        data_bytes=b"a\n1\n",
        sources=[],
        title={},
        description={},
        notes={},
        labels={},
    )
    before = cache_key(_job(), definition, {}, {"v": "1"})
    monkeypatch.setitem(LAYOUTS, "narrow", 300)
    assert cache_key(_job(), definition, {}, {"v": "1"}) != before


def test_the_site_styles_no_chart_text_with_the_page_typography() -> None:
    # The page's :lang(zh) font stack and autospace must not reach SVG text,
    # which was measured at build time in the chart's own font.
    site = (Path(__file__).parents[2] / "theme" / "static" / "css" / "site.css").read_text(encoding="utf-8")
    assert ":lang(zh):not(svg, svg *) {" in site
