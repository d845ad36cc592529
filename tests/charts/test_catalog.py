"""Loading chart modules and data, without Pelican."""

from __future__ import annotations

from pathlib import Path

import pytest
from pelican.settings import read_settings

from charts.api import ChartContext, ChartLabelError
from charts.catalog import chart_ids, data_rows, load_chart
from charts.sources import source_name
from charts.views import inline_svg, table_cell
from charts.words import relative_root
from strictbuild import site_of
from tests.support import SETTINGS

CSV = (
    "date,event@en,event@zh-TW,share,note,source\n"
    '2025-12-08,"Trump, announcing",川普宣布,25,,a\n'
    "2026-01-08,Report,報導,1234.5,x,b\n"
).encode()


def test_language_columns_become_one_column_in_each_language() -> None:
    en, zh = data_rows(CSV, "en"), data_rows(CSV, "zh-TW")
    assert en[0] == {
        "date": "2025-12-08",
        "event": "Trump, announcing",
        "share": 25,
        "note": None,
        "source": "a",
    }
    assert zh[0]["event"] == "川普宣布"
    assert zh[1]["share"] == 1234.5
    assert isinstance(en[0]["share"], int)


def test_context_gives_inline_data_and_labels_in_its_language() -> None:
    labels = {"event": {"en": "Event", "zh-TW": "事件"}}
    ctx = ChartContext("x", "zh-TW", data_rows(CSV, "zh-TW"), labels, ("event",))
    assert ctx.label("event") == "事件"
    assert ctx.data.to_dict()["values"][1]["event"] == "報導"
    with pytest.raises(ChartLabelError, match="no zh-TW label for 'date'"):
        ctx.label("date")


def _settings(root: Path) -> dict[str, object]:
    return {"PATH": str(root / "content"), "SITE_LANGUAGES": {"en": {}, "zh-TW": {}}}


def _write(root: Path, module: str, data: bytes = CSV) -> Path:
    (root / "content" / "charts").mkdir(parents=True, exist_ok=True)
    (root / "content" / "data").mkdir(exist_ok=True)
    (root / "content" / "data" / "x-chart.csv").write_bytes(data)
    path = root / "content" / "charts" / "x_chart.py"
    path.write_text(module, encoding="utf-8")
    return path


MODULE = '''"""X."""
ID = "x-chart"
DATA = "data/x-chart.csv"
SOURCES = ["a", "b"]
TITLE = {"en": "Title", "zh-TW": "標題"}
DESCRIPTION = {"en": "Two events, in words.", "zh-TW": "兩個事件。"}
LABELS = {
    "event": {"en": "Event", "zh-TW": "事件"},
    "share": {"en": "Share", "zh-TW": "比例"},
}


def chart(ctx):
    return None
'''


def test_a_good_module_loads(tmp_path: Path) -> None:
    path = _write(tmp_path, MODULE)
    definition, problems = load_chart(str(path), _settings(tmp_path), {"a": {}, "b": {}})
    assert problems == []
    assert definition is not None
    assert definition.chart_id == "x-chart"
    assert definition.table_columns() == ["event", "share"]
    assert definition.columns() == ["date", "event", "share", "note", "source"]
    assert definition.lines["LABELS"] == 7
    assert chart_ids(_settings(tmp_path)) == {"x-chart"}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'ID = "x-chart"',
            'ID = "y-chart"',
            "ID 'y-chart' does not match the file name (expected 'x-chart')",
        ),
        ('DESCRIPTION = {"en": "Two events, in words."', 'DESCRIPTION = {"en": "Title"', "repeats the title"),
        ("def chart(ctx):", "def draw(ctx):", "has no function chart(ctx)"),
        ('SOURCES = ["a", "b"]', "SOURCES = []", "SOURCES must be a non-empty list"),
        (
            'SOURCES = ["a", "b"]',
            'SOURCES = ["a"]',
            "source 'b' is cited in the data but not in the module's SOURCES",
        ),
        ('TITLE = {"en": "Title", "zh-TW": "標題"}\n', "", "does not define TITLE"),
    ],
)
def test_module_problems(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = _write(tmp_path, MODULE.replace(old, new))
    definition, problems = load_chart(str(path), _settings(tmp_path), {"a": {}, "b": {}})
    assert definition is None
    assert any(message in p.message for p in problems), problems


def test_source_line_names() -> None:
    wire = {"key": "w", "outlet": {"en": "CNA", "zh-TW": "中央社"}, "date": "2026-01-08"}
    unnamed = {
        "key": "u",
        "outlet": {"en": "not named in the copy", "zh-TW": "原文未載明"},
        "headline": {"original": "川普解除禁令", "en": "Trump lifts the ban"},
        "date": "2025-12-10",
    }
    site = site_of(read_settings(str(SETTINGS)))
    assert source_name(wire, "en", site) == "CNA, 2026-01-08"
    assert source_name(wire, "zh-TW", site) == "中央社，2026-01-08"
    assert source_name(unnamed, "en", site) == "“Trump lifts the ban”, 2025-12-10"
    assert source_name(unnamed, "zh-TW", site) == "〈川普解除禁令〉，2025-12-10"


def test_small_helpers() -> None:
    raw = '<svg class="marks" width="1"><clipPath id="clip1"/><g clip-path="url(#clip1)"/></svg>'
    svg = inline_svg(raw, "x")
    assert 'id="chart-x-wide-clip1"' in svg
    assert "url(#chart-x-wide-clip1)" in svg
    assert svg.startswith('<svg aria-hidden="true" focusable="false" data-layout="wide" ')
    assert 'class="marks chart-layout chart-layout-wide"' in svg
    # Both layouts are inlined in one figure: their ids must not collide.
    narrow = inline_svg(raw, "x", "narrow")
    assert 'id="chart-x-narrow-clip1"' in narrow
    assert "chart-layout-narrow" in narrow
    assert relative_root("en/charts/x/index.html") == "../../.."
    assert relative_root("index.html") == "."
    assert table_cell(1234.5, "en") == "1,234.5"
    assert table_cell(None, "en") == ""
    assert table_cell("<b>", "en") == "<b>"  # escaped by the template, not here
