"""Chinese text in chart images is drawn with a real CJK font, never as empty boxes."""

from __future__ import annotations

from typing import Any

import pytest
import vl_convert

from charts.fonts import chart_fonts, find_font
from charts.render import RenderJob, framed_svg
from strictbuild import ContentError

vlc: Any = vl_convert


def _png(text: str, font: str) -> bytes:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
        f'<text x="4" y="30" font-family="\'{font}\', sans-serif" font-size="28">{text}</text></svg>'
    )
    return bytes(vlc.svg_to_png(svg, scale=1))


#: A site whose one language's chart text needs a Traditional Chinese font.
CHINESE_ONLY = {
    "DEFAULT_LANG": "zh-TW",
    "SITE_LANGUAGES": {
        "zh-TW": {"name": "中文", "path": "zh-tw", "html": "zh-Hant-TW", "locale": "zh_Hant_TW"}
    },
}


def test_a_cjk_font_is_installed_and_chosen() -> None:
    font = find_font("zh-tw")
    assert font is not None
    assert "CJK" in font or "TC" in font or "Hei" in font
    assert chart_fonts(CHINESE_ONLY) == {"zh-TW": font}


def test_chinese_glyphs_are_drawn_not_boxes() -> None:
    font = find_font("zh-tw")
    assert font is not None
    # With a real font, different characters give different images; with
    # none, every character is the same empty box (the .notdef glyph).
    zhong, wen, box = _png("中", font), _png("文", font), _png("\U000f0000", font)
    assert zhong != wen
    assert zhong != box
    assert wen != box


def test_a_missing_font_stops_the_build_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("charts.fonts.find_font", lambda lang: None)
    with pytest.raises(ContentError, match=r"no font for zh-TW chart text was found.*fonts-noto-cjk"):
        chart_fonts(CHINESE_ONLY)


def test_the_framed_image_names_the_font_and_wraps_the_title() -> None:
    job = RenderJob(
        chart_id="x",
        lang="zh-TW",
        module_path="x.py",
        shown_path="x.py",
        rows=[],
        labels={},
        columns=[],
        table_columns=[],
        title="資料中心國產AI晶片目標" * 6,
        source_line="來源：範例",
        format_locale="zh-CN",
        time_format_locale="zh-TW",
        font="Noto Sans CJK TC",
        target="",
    )
    framed = framed_svg('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"></svg>', job)
    assert "font-family=\"'Noto Sans CJK TC', sans-serif\"" in framed
    assert framed.count('font-size="18"') >= 2  # the long title wraps
    assert "來源：範例" in framed
