"""Write smoke/out/: a page that hydrates static SVG charts with the vendored runtime.

Charts are Altair (Vega-Lite) compiled to Vega in Python with vl-convert, as the
site build does; the browser only gets Vega specs. Needs altair and
vl-convert-python (see smoke/run.sh).
"""

import json
import shutil
import sys
from pathlib import Path

import altair as alt
import vl_convert as vlc

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
BUNDLE = HERE.parent.parent.parent / "theme" / "static" / "vendor" / "vega" / "chart-runtime.min.js"

months = [f"{2024 + i // 12}-{i % 12 + 1:02d}-01" for i in range(24)]
series = alt.Data(
    values=[
        {"month": m, "city": city, "rain_mm": 40 + (i * 7) % 35 if city == "Lyon" else 90 - (i * 5) % 60}
        for city in ("Lyon", "Porto")
        for i, m in enumerate(months)
    ]
)

hover = alt.selection_point(fields=["city"], bind="legend")
line = (
    alt.Chart(series, title="Monthly rain")
    .mark_line(point=True)
    .encode(
        x=alt.X("month:T", title="Month", axis=alt.Axis(format="%b %Y")),
        y=alt.Y("rain_mm:Q", title="Rain (mm)"),
        color="city:N",
        opacity=alt.condition(hover, alt.value(1), alt.value(0.2)),
        tooltip=[alt.Tooltip("month:T", format="%B %Y"), "city:N", alt.Tooltip("rain_mm:Q", format=".1f")],
    )
    .add_params(hover)
    .properties(width=420, height=220)
)
trend = line.transform_regression("month", "rain_mm", groupby=["city"]).mark_line(strokeDash=[4, 2])

bar = (
    alt.Chart(series, title="Rain by city and quarter")
    .transform_timeunit(quarter="quarter(month)")
    .transform_window(rank="rank()", groupby=["city"], sort=[alt.SortField("rain_mm", order="descending")])
    .mark_bar()
    .encode(
        x=alt.X("quarter:O", timeUnit="quarter", title="Quarter"),
        y=alt.Y("sum(rain_mm):Q", title="Total rain (mm)", stack="zero"),
        color="city:N",
        tooltip=[
            "city:N",
            alt.Tooltip("sum(rain_mm):Q", title="total"),
            alt.Tooltip("count():Q", title="months"),
        ],
    )
    .properties(width=300, height=200)
)

hist = (
    alt.Chart(series, title="Histogram with brush")
    .mark_bar()
    .encode(x=alt.X("rain_mm:Q", bin=alt.Bin(maxbins=12)), y="count():Q", tooltip=["count():Q"])
    .add_params(alt.selection_interval(encodings=["x"]))
    .properties(width=300, height=160)
)

charts = {
    "line": (line + trend),
    "bar": bar,
    "hist": hist,
}

OUT.mkdir(exist_ok=True)
shutil.copy(BUNDLE, OUT / "chart-runtime.min.js")
shutil.copy(HERE / "smoke.js", OUT / "smoke.js")

blocks = []
for name, chart in charts.items():
    vega = vlc.vegalite_to_vega(chart.to_dict())
    svg = vlc.vega_to_svg(vega)
    renderer = "canvas" if name == "hist" else "svg"
    spec_json = json.dumps(vega).replace("</", "<\\/")
    blocks.append(
        f'<figure class="chart" id="chart-{name}" data-renderer="{renderer}">\n'
        f'  <div class="chart-static">{svg}</div>\n'
        f'  <script type="application/json" class="chart-spec">{spec_json}</script>\n'
        f"</figure>"
    )

csp = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'"
)
page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<title>chart runtime smoke test</title>
<script src="chart-runtime.min.js"></script>
<script src="smoke.js" defer></script>
</head><body>
{chr(10).join(blocks)}
<pre id="result">pending</pre>
</body></html>
"""
(OUT / "index.html").write_text(page)
print(f"wrote {OUT / 'index.html'} with {len(charts)} charts", file=sys.stderr)
