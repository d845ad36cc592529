"""NVIDIA chips and their stated US export status for China."""

from __future__ import annotations

import altair as alt

from charts.api import ChartContext

ID = "chip-export-status"
DATA = "data/chip-export-status.csv"
SOURCES = ["cna2026", "analysis2025", "caixun2025"]
TITLE = {
    "en": "Which NVIDIA chips may be sold to China",
    "zh-TW": "哪些輝達晶片可以賣到中國",
}
DESCRIPTION = {
    "en": (
        "3 NVIDIA chip lines and their US export status for China as the sources "
        "state it. H200: allowed with conditions; the US government collects a 25% "
        "charge (CNA report, 8 January 2026), and exports need a Commerce Department "
        "export licence (Huanqiu.com, as relayed by CNA). Blackwell, the more advanced "
        "line: still banned (analysis "
        "dated 10 December 2025). Rubin, the next generation after Blackwell: still "
        "banned, according to a 財訊快報 report dated on or before 11 December 2025."
    ),
    "zh-TW": (
        "3個輝達晶片系列，以及來源所述美國對中國的出口狀態。H200：有條件放行，美國政府"
        "收取25%費用（中央社2026年1月8日報導），出口須取得美國商務部出口許可（中央社轉述環球網）。"
        "Blackwell，更高階的產品線：仍禁售（2025年12月10日的分析報導）。Rubin，"
        "Blackwell之後的下一代：仍禁售（據財訊快報報導，刊出日期不晚於2025年12月11日）。"
    ),
}
NOTES = {
    "en": (
        "Status as reported in late 2025 and early 2026, not a legal text. The analysis "
        "describes the H200 share as 25% of revenue and ties the approval to national "
        "security conditions; CNA calls it a 25% charge. The licence requirement is Huanqiu.com's "
        "account, relayed by CNA. The Rubin status rests on a single report (財訊快報)."
    ),
    "zh-TW": (
        "依2025年底至2026年初的報導整理，並非法規原文。分析報導把H200的分潤描述為營收的25%，"
        "並以符合國家安全條件為前提；中央社則稱為收取25%費用。須取得出口許可一事，是中央社轉述環球網的說法。"
        "Rubin的狀態僅有財訊快報這篇報導為據。"
    ),
}
LABELS = {
    "chip": {"en": "NVIDIA chip line", "zh-TW": "輝達晶片系列"},
    "status": {"en": "US export status for China", "zh-TW": "美國對中國出口狀態"},
    "conditions": {"en": "Terms and notes", "zh-TW": "條件與說明"},
    "source": {"en": "Source", "zh-TW": "來源"},
}


def chart(ctx: ChartContext) -> alt.TopLevelMixin:
    """Build the chart in ctx.lang: a dot per chip under its status, with its terms beside it."""
    rows = alt.Y("chip:N", sort=None, title=ctx.label("chip"))  # CSV order: H200, Blackwell, Rubin
    tooltip = [
        alt.Tooltip("chip:N", title=ctx.label("chip")),
        alt.Tooltip("status:N", title=ctx.label("status")),
        alt.Tooltip("conditions:N", title=ctx.label("conditions")),
        alt.Tooltip("source:N", title=ctx.label("source")),
    ]
    dots = (
        alt.Chart(ctx.data)
        .mark_circle(size=220, opacity=1)
        .encode(
            x=alt.X(
                "status:N", sort=None, title=ctx.label("status"), axis=alt.Axis(labelAngle=0, orient="top")
            ),
            y=rows,
            color=alt.Color("status:N", sort=None, legend=None),
            tooltip=tooltip,
        )
        .properties(width=240)
    )
    terms = (
        alt.Chart(ctx.data, title=alt.Title(ctx.label("conditions"), fontSize=11, anchor="start"))
        .mark_text(align="left", baseline="middle")
        .encode(
            x=alt.value(0),  # left-aligned column of text, like a table cell
            y=alt.Y("chip:N", sort=None, axis=None),
            text=alt.Text("conditions:N"),
            tooltip=tooltip,
        )
        .properties(width=380)
    )
    return alt.hconcat(dots, terms).resolve_scale(y="shared")
