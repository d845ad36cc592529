"""Chart rendering benchmark: cold render, no-change rebuild, per-chart cost, runtime size.

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

    from charts.pages import prepare_charts

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
    args = parser.parse_args(argv)
    sys.path[:0] = [str(PROJECT / "plugins"), str(PROJECT)]
    report = bench(args.counts, workers=args.workers)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
