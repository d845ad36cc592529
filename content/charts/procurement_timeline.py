"""Procurement list: the dated events around it, with how sure each date is."""

from __future__ import annotations

import altair as alt

from charts.api import LINES, ChartContext

ID = "procurement-timeline"
DATA = "data/procurement-timeline.csv"
SOURCES = ["analysis2025", "caixun2025"]
TITLE = {
    "en": "Domestic AI chips on China's procurement list: the dated events",
    "zh-TW": "國產AI晶片進入中國採購清單：有日期可考的事件",
}
DESCRIPTION = {
    "en": (
        "A timeline of 5 events. A State Council requirement on AI chips for public data "
        "centres, as Chen Tzu-ang described it, is shown as a window covering September "
        "and October, because he named only the months; he gave no year, and 2025 is "
        "inferred from the analysis date. MIIT's addition of domestic AI processors to "
        "the approved-supplier list, reported on the word of unnamed sources, is dated only "
        "as before 8 December 2025. On 8 December 2025 Trump announced that NVIDIA may sell "
        "the H200 to China. On 10 December 2025 the analysis containing Chen Tzu-ang's "
        "account was published. The 財訊快報 report appeared on or before 11 December 2025."
    ),
    "zh-TW": (
        "時間軸上共有5件事。陳子昂所描述的國務院對公有資料中心AI晶片的要求，以涵蓋9月與10月的"
        "區間表示，因為他只說了月份，沒有說年份，2025年是依分析的日期推斷。根據未具名消息來源的"
        "報導，工信部把國產AI處理器列入認可供應商名單，日期只知道早於2025年12月8日。"
        "川普於2025年12月8日宣布允許輝達對中國出售H200。收錄陳子昂說法的分析於2025年12月10日"
        "刊出。財訊快報的報導刊出時間不晚於2025年12月11日。"
    ),
}
NOTES = {
    "en": (
        "Only events that the sources date are shown. The MIIT list addition is an unconfirmed "
        "report: 財訊快報 cites British media, which cite unnamed sources, and places it before "
        "Trump's announcement without giving a day; the date of that announcement, 8 December "
        "2025, comes from the analysis. The 財訊快報 article prints no date; the "
        "list of headlines under it is dated 11 December 2025. The State Council requirement is "
        "known only from Chen Tzu-ang's description. Sources: analysis dated 10 December 2025 "
        "; 財訊快報 report by 陳孟朔."
    ),
    "zh-TW": (
        "圖中只列出來源有標明日期的事件。工信部名單一事是未經證實的報導：財訊快報引述英國媒體，"
        "英媒又引述未具名消息人士，只說發生在川普宣布之前，沒有確切日期；宣布日期2025年12月8日"
        "出自那篇分析。財訊快報原文未印日期，"
        "文末新聞標題列表的日期為2025年12月11日。國務院的要求只見於陳子昂的描述。來源：2025年12月10日"
        "的分析；財訊快報陳孟朔報導。"
    ),
}
LABELS = {
    "date": {"en": "Date", "zh-TW": "日期"},
    "date_end": {"en": "End of window", "zh-TW": "區間結束"},
    "date_label": {"en": "When", "zh-TW": "時間"},
    "certainty": {"en": "How sure the date is", "zh-TW": "日期確定程度"},
    "event": {"en": "Event", "zh-TW": "事件"},
    "source": {"en": "Source", "zh-TW": "來源"},
}


def chart(ctx: ChartContext) -> alt.TopLevelMixin:
    """Build the chart in ctx.lang: a row per event, labelled with its date in words, on a time axis."""
    # The event and its date in words are the row's label, wrapped to fit:
    # nothing is drawn beside the marks, so the time axis can be as narrow as a phone.
    label_width = 130 if ctx.narrow else 250
    lines = {
        row["event"]: ctx.wrap(row["event"], label_width) + "\n" + ctx.wrap(row["date_label"], label_width)
        for row in ctx.rows
    }
    tallest = max(text.count("\n") + 1 for text in lines.values())
    # The legend sits under the time axis, beside the labels: its words wrap to the axis's width.
    legend_width = ctx.width - label_width - 50
    data = ctx.data_with(
        row_label=lambda row: lines[row["event"]],
        certainty_lines=lambda row: ctx.wrap(row["certainty"], legend_width),
    )
    base = alt.Chart(data).encode(
        y=alt.Y(
            "row_label:N",
            sort=None,
            title=None,
            axis=alt.Axis(labelExpr=LINES, labelPadding=6, labelLineHeight=15),
        ),
        tooltip=[
            alt.Tooltip("event:N", title=ctx.label("event")),
            alt.Tooltip("date_label:N", title=ctx.label("date_label")),
            alt.Tooltip("certainty:N", title=ctx.label("certainty")),
            alt.Tooltip("source:N", title=ctx.label("source")),
        ],
    )
    is_window = alt.datum.date_certainty == "approximate"
    x_scale = alt.Scale(domain=["2025-08-15", "2026-03-31"])
    # Fewer ticks on a phone: every fourth month instead of every second.
    ticks = {"interval": "month", "step": 4 if ctx.narrow else 2}
    x_axis = alt.Axis(format="%Y-%m", tickCount=ticks, labelOverlap=True, labelFlush=True)
    # A date known only to the month is drawn as a window, never as a single day.
    window = (
        base.transform_filter(is_window)
        .mark_bar(height=12)
        .encode(
            x=alt.X("date:T", title=ctx.label("date"), scale=x_scale, axis=x_axis),
            x2="date_end:T",
        )
    )
    points = (
        base.transform_filter(~is_window)
        .mark_point(size=90, filled=True, opacity=1)
        .encode(
            x=alt.X("date:T", title=ctx.label("date"), scale=x_scale, axis=x_axis),
            shape=alt.Shape(
                "certainty_lines:N",
                title=ctx.wrap(ctx.label("certainty"), legend_width, bold=True).split("\n"),
                legend=alt.Legend(orient="bottom", direction="vertical", labelExpr=LINES),
            ),
        )
    )
    return alt.layer(window, points).properties(height=alt.Step(15 * tallest + 12))
