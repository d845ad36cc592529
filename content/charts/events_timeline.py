"""Every dated event the briefs cite, with how sure each date is."""

from __future__ import annotations

import altair as alt

from charts.api import LINES, ChartContext

ID = "events-timeline"
DATA = "data/events-timeline.csv"
SOURCES = ["analysis2025", "caixun2025", "cna2026"]
TITLE = {
    "en": "H200 sales, China's chip policy and the reactions: the dated events",
    "zh-TW": "H200出售、中國晶片政策與各方反應：有日期可考的事件",
}
DESCRIPTION = {
    "en": (
        "A timeline of 10 events. In September or October, a 2-month window with the year "
        "inferred as 2025, China's State Council issued a requirement on AI chips for public "
        "data centres, according to Chen Tzu-ang. Before 8 December 2025, according to an "
        "unconfirmed report, MIIT put domestic AI chips on its approved-supplier list. On "
        "8 December 2025 Trump allowed H200 sales to China, with 25% of revenue going to the "
        "United States. On 10 December 2025 an analysis was published in which Yang Yi-kuei "
        "argued that US controls were moving to chip-making equipment. On or before 11 December "
        "2025 財訊快報 reported the procurement-list addition. On 11 December 2025 one headline "
        "said NVIDIA was developing chip-location checks, and another that DeepSeek reportedly "
        "trained a new model on smuggled Blackwell chips. On or before 8 January 2026 Jensen "
        "Huang said at CES that the H200 was in production and licence details were pending. "
        "On 8 January 2026 Wei Shaojun, quoted by Huanqiu.com (環球網), urged vigilance, and a Bloomberg "
        "teaser said some H200 imports might be approved as early as that quarter."
    ),
    "zh-TW": (
        "時間軸上共有10件事。據陳子昂所述，中國國務院在9月或10月對公有資料中心的AI晶片提出要求，"
        "以2個月的區間表示，年份推斷為2025年。依一則未證實的報導，工信部在2025年12月8日之前"
        "將國產AI晶片列入認可供應商名單。2025年12月8日，川普允許H200售往中國，營收25%歸美方。"
        "2025年12月10日刊出的分析中，楊一逵認為美國管制正轉向晶片製造設備。財訊快報不晚於"
        "2025年12月11日報導採購清單納入國產晶片。2025年12月11日有一則標題說輝達正開發晶片"
        "定位驗證技術，另一則說DeepSeek傳出以走私的Blackwell晶片訓練新模型。不晚於2026年1月8日，黃仁勳在CES表示H200已投產、出口許可細節仍待確認。"
        "2026年1月8日，魏少軍經環球網引述呼籲保持警惕；同日一則彭博摘要稱部分H200進口最快"
        "當季可獲准。"
    ),
}
NOTES = {
    "en": (
        "Only events the sources date are shown; each links to the brief that covers it. "
        "The State Council requirement is known only from Chen Tzu-ang's description and its "
        "year is inferred from the date of the analysis. The MIIT list addition rests on British media "
        "citing unnamed sources, as reported by 財訊快報, which places it before Trump's "
        "announcement without giving a day; the date of that announcement, 8 December 2025, "
        "comes from the analysis. The NVIDIA and DeepSeek items are "
        "headlines only and the Bloomberg item a teaser, weaker evidence than full articles. Sources: "
        "analysis dated 10 December 2025; 財訊快報 report by 陳孟朔; "
        "CNA report carried by udn.com, 8 January 2026."
    ),
    "zh-TW": (
        "圖中只列出來源有標明日期的事件，每件都連到相關解說。國務院的要求只見於陳子昂的描述，"
        "年份依分析的日期推斷。工信部名單一事出自財訊快報轉述英國媒體引述的未具名消息人士，"
        "報導只說發生在川普宣布之前；宣布日期2025年12月8日則出自那篇分析。"
        "輝達與DeepSeek兩則只有標題，彭博那則只是摘要，證據力都比完整報導弱。"
        "來源：2025年12月10日的分析；財訊快報陳孟朔報導；聯合新聞網刊載的中央社報導，2026年1月8日。"
    ),
}
LABELS = {
    "date": {"en": "Date", "zh-TW": "日期"},
    "date_end": {"en": "End of window", "zh-TW": "區間結束"},
    "date_label": {"en": "When", "zh-TW": "時間"},
    "certainty": {"en": "How sure the date is", "zh-TW": "日期確定程度"},
    "event": {"en": "Event", "zh-TW": "事件"},
    "brief": {"en": "Brief", "zh-TW": "解說"},
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
            alt.Tooltip("brief:N", title=ctx.label("brief")),
            alt.Tooltip("source:N", title=ctx.label("source")),
        ],
    )
    is_window = alt.datum.date_certainty == "approximate"
    x_scale = alt.Scale(domain=["2025-08-15", "2026-04-15"])
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
