"""H200 decision: a timeline of dated events."""

from __future__ import annotations

import altair as alt

from charts.api import LINES, ChartContext

ID = "h200-timeline"
DATA = "data/h200-timeline.csv"
SOURCES = ["analysis2025", "cna2026"]
TITLE = {
    "en": "The H200 decision: events the sources date exactly",
    "zh-TW": "H200決定：來源載明確切日期的事件",
}
DESCRIPTION = {
    "en": (
        "3 dated events. On 8 December 2025 President Trump announced that NVIDIA "
        "could sell the H200 chip to China, with 25% of the revenue going to the US "
        "government (analysis dated 10 December 2025). On 8 January 2026 Huanqiu.com, "
        "the Global Times' web portal, quoted Wei Shaojun, vice-chair of the China Semiconductor "
        "Industry Association, and CNA reported his remarks the same day. Also on "
        "8 January 2026, according to a teaser on the same CNA page, Bloomberg reported, "
        "citing unnamed people familiar with the matter, that some Chinese companies "
        "could be cleared to import the H200 as early as that quarter."
    ),
    "zh-TW": (
        "3個有確切日期的事件。2025年12月8日，川普總統宣布輝達可向中國出售H200晶片，"
        "營收的25%歸美國政府（據2025年12月10日的分析報導）。2026年1月8日，環球網"
        "引述中國半導體產業協會副理事長魏少軍的談話，中央社同日報導。同樣在2026年1月8日，"
        "據同一中央社頁面上的摘要，彭博引述未具名知情人士報導，部分中國企業最快當季"
        "可獲准進口H200。"
    ),
}
NOTES = {
    "en": (
        "Only events the sources date to the day are shown. Jensen Huang's remarks at "
        "CES and the Biden-era ban on H200 exports are left out because the sources "
        "give no date for them; a headline saying US media reported that China asked "
        "firms to pause H200 orders is left out because it carries no date. The "
        "Bloomberg item is a teaser, weaker evidence than a full report."
    ),
    "zh-TW": (
        "圖中只列來源載明確切日期的事件。黃仁勳在CES的發言與拜登時期的H200出口禁令，"
        "來源未提供日期，故未列入；稱美媒報導中國要求企業暫停訂購H200的標題沒有日期，"
        "亦未列入。彭博一項只是頁面摘要，證據力弱於完整報導。"
    ),
}
LABELS = {
    "date": {"en": "Date", "zh-TW": "日期"},
    "event": {"en": "Event", "zh-TW": "事件"},
    "evidence": {"en": "Kind of evidence", "zh-TW": "證據類型"},
    "source": {"en": "Source", "zh-TW": "來源"},
}


def chart(ctx: ChartContext) -> alt.TopLevelMixin:
    """Build the chart in ctx.lang: one row per dated event, date, dot and label."""
    # Rows are laid out in pixels so that wrapped events push the next row down.
    # Wide: date | dot | event. Narrow: dot | date, with the event below it.
    dot_x, text_x = (6, 20) if ctx.narrow else (100, 116)
    text_width = ctx.width - text_x - 10
    line = 16
    positions: dict[int, dict[str, float]] = {}
    top = 0.0
    for index, row in enumerate(ctx.rows):
        wrapped = ctx.wrap(row["event"], text_width, size=13)
        event_top = top + 20 if ctx.narrow else top
        positions[index] = {"top": top, "event_top": event_top, "dot": top + 9}
        positions[index]["event_lines"] = wrapped  # type: ignore[assignment]
        top = event_top + line * (wrapped.count("\n") + 1) + 14
    legend_width = ctx.width - 40
    data = alt.InlineData(
        values=[
            {**row, **positions[index], "evidence_lines": ctx.wrap(row["evidence"], legend_width)}
            for index, row in enumerate(ctx.rows)
        ]
    )
    tooltip = [
        alt.Tooltip("date:T", title=ctx.label("date"), format="%Y-%m-%d"),
        alt.Tooltip("event:N", title=ctx.label("event")),
        alt.Tooltip("evidence:N", title=ctx.label("evidence")),
        alt.Tooltip("source:N", title=ctx.label("source")),
    ]
    pixels = alt.Scale(domain=[0, top], range=[0, top])
    base = alt.Chart(data)
    dates = base.mark_text(align="left", baseline="top", fontSize=13, fontWeight="bold").encode(
        x=alt.value(text_x if ctx.narrow else 0),
        y=alt.Y("top:Q", scale=pixels, axis=None),
        text=alt.Text("date:T", format="%Y-%m-%d"),
    )
    dots = base.mark_circle(size=160, opacity=1).encode(
        x=alt.value(dot_x),
        y=alt.Y("dot:Q", scale=pixels, axis=None),
        color=alt.Color(
            "evidence_lines:N",
            sort=None,  # same colour for the same kind of evidence in both languages
            title=ctx.wrap(ctx.label("evidence"), legend_width, bold=True).split("\n"),
            legend=alt.Legend(orient="bottom", direction="vertical", labelExpr=LINES),
        ),
        tooltip=tooltip,
    )
    events = base.mark_text(align="left", baseline="top", fontSize=13, lineHeight=line).encode(
        x=alt.value(text_x),
        y=alt.Y("event_top:Q", scale=pixels, axis=None),
        text="event_lines:N",
        tooltip=tooltip,
    )
    first, last = positions[0]["dot"], positions[len(ctx.rows) - 1]["dot"]
    rule = base.mark_rule(color="#8a94a0", aria=False).encode(
        x=alt.value(dot_x), y=alt.value(first), y2=alt.value(last)
    )
    return alt.layer(rule, dates, dots, events).properties(height=top).configure_view(stroke=None)
