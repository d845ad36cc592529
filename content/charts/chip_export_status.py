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
    """Build the chart in ctx.lang: a row per chip, a dot coloured by its status, its terms beside it."""
    # Laid out in pixels like a table, so that wrapped terms push the next row down.
    # Wide: chip | dot and status | terms, under column headings.
    # Narrow: the chip, then its dot and status, then its terms below.
    line = 15
    if ctx.narrow:
        chip_x, dot_x, status_x, terms_x = 0, 6, 18, 18
        status_width = terms_width = ctx.width - terms_x - 10
        heading = 0
    else:
        chip_x, dot_x, status_x, terms_x = 0, 104, 116, 290
        status_width, terms_width = terms_x - status_x - 12, ctx.width - terms_x - 10
        heading = 40  # room for headings of two lines
    values: list[dict[str, object]] = []
    top = float(heading)
    for row in ctx.rows:
        status = ctx.wrap(row["status"], status_width)
        terms = ctx.wrap(row["conditions"], terms_width)
        status_top = top + 18 if ctx.narrow else top
        terms_top = status_top + line * (status.count("\n") + 1) + 4 if ctx.narrow else top
        bottom = max(status_top + line * (status.count("\n") + 1), terms_top + line * (terms.count("\n") + 1))
        values.append(
            {
                **row,
                "status_lines": status,
                "terms_lines": terms,
                "top": top,
                "status_top": status_top,
                "terms_top": terms_top,
                "dot": status_top + 7,
            }
        )
        top = bottom + 16
    pixels = alt.Scale(domain=[0, top], range=[0, top])
    base = alt.Chart(alt.InlineData(values=values))
    tooltip = [
        alt.Tooltip("chip:N", title=ctx.label("chip")),
        alt.Tooltip("status:N", title=ctx.label("status")),
        alt.Tooltip("conditions:N", title=ctx.label("conditions")),
        alt.Tooltip("source:N", title=ctx.label("source")),
    ]

    def text(field: str, x: int, y: str, **style: object) -> alt.Chart:
        return base.mark_text(align="left", baseline="top", lineHeight=line, **style).encode(
            x=alt.value(x), y=alt.Y(f"{y}:Q", scale=pixels, axis=None), text=f"{field}:N", tooltip=tooltip
        )

    layers = [
        text("chip", chip_x, "top", fontWeight="bold"),
        base.mark_circle(size=160, opacity=1).encode(
            x=alt.value(dot_x),
            y=alt.Y("dot:Q", scale=pixels, axis=None),
            color=alt.Color("status:N", sort=None, legend=None),
            tooltip=tooltip,
        ),
        text("status_lines", status_x, "status_top"),
        text("terms_lines", terms_x, "terms_top"),
    ]
    if not ctx.narrow:
        headings = alt.Chart(
            alt.InlineData(
                values=[
                    {"heading": ctx.wrap(ctx.label("chip"), dot_x - 16, bold=True), "x": chip_x},
                    {"heading": ctx.wrap(ctx.label("status"), terms_x - dot_x, bold=True), "x": dot_x - 6},
                    {"heading": ctx.wrap(ctx.label("conditions"), terms_width, bold=True), "x": terms_x},
                ]
            )
        )
        layers.append(
            headings.mark_text(align="left", baseline="top", fontWeight="bold", lineHeight=line).encode(
                x=alt.X("x:Q", scale=alt.Scale(domain=[0, ctx.width], range=[0, ctx.width]), axis=None),
                y=alt.value(0),
                text="heading:N",
            )
        )
    return alt.layer(*layers).properties(height=top).configure_view(stroke=None)
