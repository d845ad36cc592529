"""Domestic AI chips in China's data centres: the targets as Chen Tzu-ang stated them."""

from __future__ import annotations

import altair as alt

from charts.api import LINES, ChartContext

ID = "localisation-targets"
DATA = "data/localisation-targets.csv"
SOURCES = ["analysis2025"]
TITLE = {
    "en": "Targets for domestic AI chips in data centres, as Chen Tzu-ang described them",
    "zh-TW": "陳子昂所描述的資料中心國產AI晶片目標",
}
DESCRIPTION = {
    "en": (
        "3 bars show the shares Chen Tzu-ang cited in an analysis dated 10 December 2025. "
        "First, public data centres nationwide must take more than 50% of their AI chips this "
        "year from Huawei, HiSilicon, Hygon and Cambricon, under a State Council requirement as "
        "he described it; the bar stops at 50% and is labelled more than 50%, because no exact "
        "figure was given. Second, China hopes the share of domestic chips in data centres "
        "will reach 100% by 2027. Third, it hopes Shanghai will reach 70%; he gave no "
        "separate date for Shanghai."
    ),
    "zh-TW": (
        "3條長條呈現陳子昂在2025年12月10日的分析中提到的比例。第一，依他所描述的國務院要求，"
        "全國公有資料中心今年的AI晶片須有50%以上來自華為、海思、海光與寒武紀；由於沒有確切"
        "數字，長條畫到50%，並標示為50%以上。第二，中國希望資料中心的國產晶片比例在2027年"
        "達到100%。第三，希望上海達到70%；上海的目標他沒有另外說明時間。"
    ),
}
NOTES = {
    "en": (
        "All 3 figures come from one analyst's spoken account, not from the State Council's "
        "text, which none of the 3 sources reproduces. He said 'this year' without naming it; the "
        "analysis is dated 10 December 2025, so 2025 is the likely reading. He presented the "
        "first figure as a requirement and the other 2 as hopes. Source: analysis dated "
        "10 December 2025, interview with Chen Tzu-ang, former senior industry consultant at "
        "the Institute for Information Industry."
    ),
    "zh-TW": (
        "3個數字都出自一位分析人士的口述，並非來自國務院的原文；3份來源都沒有刊出原文。他說「今年」"
        "但沒有指明年份；分析的日期為2025年12月10日，因此很可能是指2025年。第一個數字他說成要求，"
        "另外2個則是期望。來源：2025年12月10日的分析，前資策會資深產業顧問陳子昂受訪"
        "。"
    ),
}
LABELS = {
    "target": {"en": "Target", "zh-TW": "目標"},
    "share": {"en": "Share of AI chips (%)", "zh-TW": "AI晶片比例（%）"},
    "share_label": {"en": "Stated share", "zh-TW": "所述比例"},
    "what": {"en": "What is counted", "zh-TW": "計算對象"},
    "when": {"en": "When", "zh-TW": "時間"},
    "where": {"en": "Where", "zh-TW": "範圍"},
    "kind": {"en": "Requirement or hope", "zh-TW": "要求或期望"},
    "stated_by": {"en": "Stated by", "zh-TW": "說法出處"},
    "source": {"en": "Source", "zh-TW": "來源"},
}


def chart(ctx: ChartContext) -> alt.TopLevelMixin:
    """Build the chart in ctx.lang: a bar per target, its stated share written after it."""
    label_width = 90 if ctx.narrow else 190
    legend_width = ctx.width - label_width - 60  # under the bars, beside the labels
    data = ctx.data_with(
        target_lines=lambda row: ctx.wrap(row["target"], label_width),
        kind_lines=lambda row: ctx.wrap(row["kind"], legend_width),
    )
    base = alt.Chart(data).encode(
        y=alt.Y("target_lines:N", sort=None, title=ctx.label("target"), axis=alt.Axis(labelExpr=LINES)),
        x=alt.X(
            "share:Q",
            title=ctx.label("share"),
            scale=alt.Scale(domain=[0, 100]),
            axis=alt.Axis(values=[0, 50, 100] if ctx.narrow else [0, 25, 50, 75, 100]),
        ),
        tooltip=[
            alt.Tooltip("share_label:N", title=ctx.label("share_label")),
            alt.Tooltip("what:N", title=ctx.label("what")),
            alt.Tooltip("when:N", title=ctx.label("when")),
            alt.Tooltip("where:N", title=ctx.label("where")),
            alt.Tooltip("kind:N", title=ctx.label("kind")),
            alt.Tooltip("stated_by:N", title=ctx.label("stated_by")),
            alt.Tooltip("source:N", title=ctx.label("source")),
        ],
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "kind_lines:N",
            sort=None,
            title=ctx.wrap(ctx.label("kind"), legend_width, bold=True).split("\n"),
            legend=alt.Legend(orient="bottom", direction="vertical", labelExpr=LINES),
        )
    )
    # The label follows the bar, on the chart's background: the first figure is a
    # floor ("more than 50%") and says so in words.
    labels = base.mark_text(align="left", dx=4).encode(text="share_label:N")
    return alt.layer(bars, labels).properties(height=alt.Step(46 if ctx.narrow else 34))
