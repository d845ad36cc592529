"""Chart rendering benchmark: cold render, no-change rebuild, per-chart cost, runtime size.

It also times each step of rendering the project's own charts, per chart and
language: the Vega-Lite spec, the Vega compile and the SVG of each layout
(narrow, wide), then the PNG and the CSV (``--stages-only`` for just that).

For each count (default 10, 100 and 500) it writes a synthetic content folder
with that many chart modules, renders every chart in both languages with an
empty cache (cold), then again with nothing changed (which must render 0),
and reports the times. It also reports the gzip size of the browser runtime
that chart pages load. Not a timed test: ``make bench`` calls :func:`bench`.

    python tools/bench_charts.py [--counts 10 100 500] [--workers N] [--json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
RUNTIME_FILES = ("theme/static/vendor/vega/chart-runtime.min.js", "theme/static/js/charts.js")

_SOURCES = """\
- key: bench2026
  outlet: {en: Bench Wire, zh-TW: 測試通訊社}
  headline: {original: "測試報導", en: "A test report"}
  language: zh-Hant
  date: 2026-01-08
  date_certainty: exact
  reliability: {en: Synthetic data for the benchmark., zh-TW: 基準測試用的合成資料。}
"""

_MODULE = '''"""Bench chart {n}: a value per year."""

from __future__ import annotations

import altair as alt

from charts.api import ChartContext

ID = "bench-{n:04d}"
DATA = "data/bench-{n:04d}.csv"
SOURCES = ["bench2026"]
TITLE = {{"en": "Bench chart {n}: values by year", "zh-TW": "基準圖表{n}：各年數值"}}
DESCRIPTION = {{
    "en": "Twelve bars, one per year, values from synthetic data.",
    "zh-TW": "十二條長條，每年一條，數值為合成資料。",
}}
LABELS = {{
    "year": {{"en": "Year", "zh-TW": "年份"}},
    "value": {{"en": "Value", "zh-TW": "數值"}},
    "group": {{"en": "Group", "zh-TW": "組別"}},
    "source": {{"en": "Source", "zh-TW": "來源"}},
}}


def chart(ctx: ChartContext) -> alt.TopLevelMixin:
    """Build the chart in ctx.lang."""
    return (
        alt.Chart(ctx.data)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=ctx.label("year")),
            y=alt.Y("value:Q", title=ctx.label("value")),
            color=alt.Color("group:N", title=ctx.label("group")),
            tooltip=[alt.Tooltip("value:Q", title=ctx.label("value"), format=",.1f")],
        )
        .properties(width=420, height=220)
    )
'''


def write_site(root: Path, count: int) -> Path:
    """Write a content folder with ``count`` chart modules and their data; return it."""
    content = root / "content"
    (content / "charts").mkdir(parents=True)
    (content / "data").mkdir()
    (content / "sources.yaml").write_text(_SOURCES, encoding="utf-8")
    for n in range(count):
        (content / "charts" / f"bench_{n:04d}.py").write_text(_MODULE.format(n=n), encoding="utf-8")
        rows = ["year,value,group@en,group@zh-TW,source"]
        for i in range(12):
            value = (n * 37 + i * 53) % 900 / 10 + 5
            group = ("North", "北部") if i % 2 else ("South", "南部")
            rows.append(f"{2014 + i},{value},{group[0]},{group[1]},bench2026")
        (content / "data" / f"bench-{n:04d}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return content


def runtime_gzip_bytes() -> dict[str, int]:
    """Gzip (level 9) size of each script a chart page loads, and their total."""
    sizes = {}
    for name in RUNTIME_FILES:
        path = PROJECT / name
        sizes[name] = len(gzip.compress(path.read_bytes(), 9, mtime=0)) if path.is_file() else -1
    sizes["total"] = sum(v for v in sizes.values() if v > 0)
    return sizes


def bench_one(count: int, *, workers: int = 0) -> dict[str, Any]:
    """Time a cold render and a no-change rebuild of ``count`` synthetic charts."""
    from pelican.settings import read_settings

    from charts.prepare import prepare_charts
    from strictbuild.state import building

    root = Path(tempfile.mkdtemp(prefix=f"bench-charts-{count}-"))
    try:
        content = write_site(root, count)

        def run() -> tuple[float, int, int]:
            settings = read_settings(
                str(PROJECT / "pelicanconf.py"),
                override={
                    "PATH": str(content),
                    "CHARTS_WORKERS": workers,
                    "CHARTS_CACHE_PATH": ".cache/charts",
                },
            )
            started = time.perf_counter()
            with building():  # each run is a build of its own
                prepared = prepare_charts(settings)
            elapsed = time.perf_counter() - started
            if prepared.problems:
                msg = "\n".join(str(p) for p in prepared.problems[:5])
                raise RuntimeError(msg)
            return elapsed, prepared.fresh, prepared.total

        cold, cold_fresh, total = run()
        warm, warm_fresh, _ = run()
        return {
            "charts": count,
            "renderings": total,
            "workers": workers or os.cpu_count() or 1,
            "cold_seconds": round(cold, 3),
            "cold_rendered": cold_fresh,
            "rebuild_seconds": round(warm, 3),
            "rebuild_rendered": warm_fresh,
            "per_chart_ms": round(cold / count * 1000, 1),
            "per_rendering_ms": round(cold / max(total, 1) * 1000, 1),
        }
    finally:
        shutil.rmtree(root, ignore_errors=True)


def bench_stages(runs: int = 3) -> list[dict[str, Any]]:
    """Milliseconds of each rendering step of every chart of the project, per language (best of ``runs``).

    Steps: ``spec`` (the module's ``chart(ctx)``, measuring and wrapping its
    labels, and Altair's validation), ``vega`` (Vega-Lite to Vega) and ``svg``
    for each layout, then ``png`` (the wide layout, framed, at the PNG scale)
    and ``csv``.
    """
    import vl_convert
    from pelican.settings import read_settings

    from charts.api import LAYOUTS
    from charts.catalog import load_chart, module_paths
    from charts.fonts import chart_fonts
    from charts.prepare import render_job
    from charts.render import data_csv, framed_svg, measurer, styled, vega_lite_spec
    from charts.sources import load_sources

    vlc: Any = vl_convert
    settings = read_settings(str(PROJECT / "pelicanconf.py"))
    registry = load_sources(settings)
    fonts = chart_fonts(settings)
    rows: list[dict[str, Any]] = []
    for path in module_paths(settings):
        definition, problems = load_chart(path, settings, registry)
        if definition is None or problems:
            raise RuntimeError("\n".join(str(p) for p in problems))
        for lang in settings["SITE_LANGUAGES"]:
            job = render_job(settings, definition, lang, registry, fonts)
            best: dict[str, float] = {}
            for _ in range(runs):
                times: dict[str, float] = {}
                measure = measurer(f"'{job.font}', sans-serif" if job.font else "sans-serif")
                svgs = {}
                for layout in LAYOUTS:
                    started = time.perf_counter()
                    spec = styled(vega_lite_spec(job, layout, measure), job, layout)
                    times[f"{layout} spec"] = time.perf_counter() - started
                    started = time.perf_counter()
                    vega = vlc.vegalite_to_vega(spec)
                    times[f"{layout} vega"] = time.perf_counter() - started
                    started = time.perf_counter()
                    svgs[layout] = vlc.vega_to_svg(
                        vega, format_locale=job.format_locale, time_format_locale=job.time_format_locale
                    )
                    times[f"{layout} svg"] = time.perf_counter() - started
                started = time.perf_counter()
                vlc.svg_to_png(framed_svg(svgs["wide"], job), scale=job.png_scale)
                times["png"] = time.perf_counter() - started
                started = time.perf_counter()
                data_csv(job)
                times["csv"] = time.perf_counter() - started
                for step, seconds in times.items():
                    best[step] = min(best.get(step, seconds), seconds)
            steps = {step: round(seconds * 1000, 1) for step, seconds in best.items()}
            rows.append(
                {"chart": definition.chart_id, "lang": lang, **steps, "total": round(sum(steps.values()), 1)}
            )
    return rows


def print_stages(rows: Sequence[dict[str, Any]]) -> None:
    """The per-step table of :func:`bench_stages`, and the mean rendering."""
    steps = [key for key in rows[0] if key not in ("chart", "lang")] if rows else []
    print("rendering steps, ms (best of 3), per chart and language; layouts narrow and wide")
    print(f"{'chart':<22} {'lang':<6} " + " ".join(f"{s:>11}" for s in steps))
    for row in rows:
        print(f"{row['chart']:<22} {row['lang']:<6} " + " ".join(f"{row[s]:>11.1f}" for s in steps))
    if rows:
        mean = {s: sum(r[s] for r in rows) / len(rows) for s in steps}
        print(f"{'mean':<22} {'':<6} " + " ".join(f"{mean[s]:>11.1f}" for s in steps))


def bench(counts: Sequence[int] = (10, 100, 500), *, workers: int = 0) -> dict[str, Any]:
    """The whole report: one entry per count, plus the runtime's gzip size."""
    results = [bench_one(count, workers=workers) for count in counts]
    for result in results:
        if result["rebuild_rendered"] != 0:
            msg = f"a no-change rebuild of {result['charts']} charts rendered {result['rebuild_rendered']}"
            raise RuntimeError(msg)
    return {"runs": results, "runtime_gzip_bytes": runtime_gzip_bytes()}


def main(argv: Sequence[str] | None = None) -> int:
    """Command line; prints a table (or JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--counts", type=int, nargs="+", default=[10, 100, 500])
    parser.add_argument("--workers", type=int, default=0, help="render processes (0: every core)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--stages-only", action="store_true", help="only time the steps of the project's charts"
    )
    args = parser.parse_args(argv)
    sys.path[:0] = [str(PROJECT / "plugins"), str(PROJECT)]
    # vl-convert lays dates out in local time; the build pins UTC (charts.render).
    os.environ["TZ"] = "UTC"
    time.tzset()
    from strictbuild.state import building

    with building():  # the registry and catalogs the stages read live in a build's state
        stages = bench_stages()
    if args.stages_only:
        print(json.dumps(stages, indent=1)) if args.json else print_stages(stages)
        return 0
    report = bench(args.counts, workers=args.workers)
    report["stages_ms"] = stages
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    head = ("charts", "renders", "workers", "cold s", "per chart ms", "rebuild s", "rebuilt")
    print(" ".join(f"{h:>{w}}" for h, w in zip(head, (7, 8, 7, 8, 13, 10, 8), strict=True)))
    for r in report["runs"]:
        print(
            f"{r['charts']:>7} {r['renderings']:>8} {r['workers']:>7} {r['cold_seconds']:>8.2f} "
            f"{r['per_chart_ms']:>13.1f} {r['rebuild_seconds']:>10.3f} {r['rebuild_rendered']:>8}"
        )
    sizes = report["runtime_gzip_bytes"]
    print("runtime gzip: " + ", ".join(f"{k} {v:,} B" for k, v in sizes.items()))
    print_stages(stages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
