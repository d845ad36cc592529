"""`make bench`: build speed at scale, side by side, with budgets.

For each size N (``BENCH_SIZES``, default 100,500,2000) a synthetic site of N
briefs × 2 languages is written to a temporary folder and built, each build a
fresh process, several times (``BENCH_RUNS``, default 3). The build from cold
takes about three minutes at N ≥ 2000, so it runs ``BENCH_RUNS_LARGE`` times
there (default 1); the rebuilds, a few seconds each, still run ``BENCH_RUNS``
times, so that their medians (and the baseline's) hold against the machine's
noise:

- baseline: plain Pelican, the stock CommonMark reader, no plugins, on the same
  Markdown with the project's syntax stripped;
- full: the project's build from cold (no cache);
- no change: the project's build again, nothing changed;
- one brief: after one brief's text changes;
- one chart's data: after one chart's CSV changes.

The cold build and the two rebuilds with a time budget each have plain
Pelican built beside them (before each run, and after a single run): their
budgets compare with those plain builds' median, measured at the same time.

It prints a table (median seconds, ms per page, ratio to the baseline, peak
memory, Markdown files parsed, chart images rendered, output files changed),
the budget verdicts, and writes both to ``bench/results/``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
sys.path.insert(0, str(PROJECT))

from tools.bench.synthetic import SyntheticSite, features_for, generate  # noqa: E402

SCENARIOS = ("baseline", "full", "no change", "one brief", "one chart's data")
LARGE = 2000


@dataclass
class Run:
    """One build: what the child process reported, plus what the parent saw."""

    seconds: float
    wall: float
    maxrss_mb: float
    main_mb: float
    worker_mb: float
    #: main process and workers together, sampled (the largest sum of proportional set sizes seen)
    together_mb: float
    parses: int
    renders: int
    svg_renders: int
    image_renders: int
    render_seconds: float
    concurrency: int
    render_pids: int
    changed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: the same with resident sizes (a page two processes share counted in each)
    together_resident_mb: float = 0.0


@dataclass
class Row:
    """The runs of one scenario at one size."""

    size: int
    scenario: str
    runs: list[Run]
    charts: int = 0
    #: plain-Pelican builds run beside these runs (one before each, and one after a single run)
    beside: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        """Median wall time of the build process, in seconds."""
        return statistics.median(r.wall for r in self.runs)

    def plain(self, baseline: Row) -> tuple[float, str]:
        """The plain-Pelican time this row is held to, and where it comes from.

        The median of the plain builds run beside this row's runs, when there
        are any: the machine's speed drifts by a third within minutes here,
        so a build is compared with plain Pelican built at the same time.
        Else the baseline row's median.
        """
        if not self.beside:
            return baseline.median, f"the median of {len(baseline.runs)} plain builds"
        found = statistics.median(r.wall for r in self.beside)
        return found, (
            f"the median of {len(self.beside)} plain builds run beside it "
            f"(the {len(baseline.runs)} at the start: median {baseline.median:.1f} s)"
        )

    def median_of(self, attribute: str) -> float:
        """Median of one measured attribute over the runs."""
        return float(statistics.median(getattr(r, attribute) for r in self.runs))

    def median_of_changed(self) -> float:
        """Median number of output files whose bytes changed."""
        return float(statistics.median(len(r.changed) for r in self.runs))

    @property
    def peak_mb(self) -> float:
        """Highest peak memory of one process over the runs."""
        return max(r.maxrss_mb for r in self.runs)

    @property
    def total_mb(self) -> float:
        """Upper bound of the build's memory at any moment: main process plus its busy workers."""
        return max(r.main_mb + r.worker_mb * min(r.concurrency, r.render_pids) for r in self.runs)

    @property
    def together_mb(self) -> float:
        """The build's largest memory at once, main process and workers, as sampled."""
        return max(r.together_mb for r in self.runs)


def _env(events: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["BENCH_EVENTS"] = str(events)
    paths = [str(HERE / "hooks"), str(PROJECT / "plugins"), str(HERE / "plugins"), str(PROJECT)]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _max_concurrency(intervals: list[tuple[float, float]]) -> int:
    points = sorted([(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals])
    best = current = 0
    for _, step in points:
        current += step
        best = max(best, current)
    return best


def _tree_hashes(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.blake2b(p.read_bytes(), digest_size=16).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


#: The project build's background removal of the site it replaced (strictbuild.swap).
SETTLE = str(PROJECT / "plugins" / "strictbuild" / "settle.py")


def _settling() -> list[int]:
    """The processes still removing a replaced site and stamping the kept pages."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/cmdline", "rb") as handle:
                arguments = handle.read().split(b"\0")
        except OSError:
            continue  # ended meanwhile
        if SETTLE.encode() in arguments:
            found.append(int(entry.name))
    return found


def quiesce(limit: float = 300.0) -> None:
    """Start a build on a quiet machine: the last build's background work done, its files on disk.

    A project build leaves a process removing the site it replaced
    (thousands of files); every build leaves its written files to the
    kernel's writeback. Either could run into the next build and charge it
    with the last one's work. (Plain builds in a row still slow down with
    this: 8.4, 9.5 and 9.7 s at N = 2000; the rest is the machine.)
    """
    ends = time.monotonic() + limit
    while _settling() and time.monotonic() < ends:
        time.sleep(0.1)
    os.sync()


def build_once(site: SyntheticSite, kind: str, *, compare: bool = False) -> Run:
    """Run one build in a fresh process on a quiet machine (:func:`quiesce`); measure its time and memory."""
    output = site.root / ("output" if kind == "full" else "baseline-output")
    settings = site.full_settings if kind == "full" else site.baseline_settings
    events = site.root / "events.jsonl"
    events.unlink(missing_ok=True)
    before = _tree_hashes(output) if compare else {}
    if kind == "baseline" and output.exists():
        shutil.rmtree(output)
    command = [sys.executable, str(HERE / "child.py"), kind, str(settings), str(output)]
    quiesce()
    out_path, err_path = site.root / "child.out", site.root / "child.err"
    # Output goes to files, not pipes: a pipe nobody reads until the end would
    # fill up and stall a talkative build.
    with out_path.open("wb") as out_file, err_path.open("wb") as err_file:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=site.root, env=_env(events), stdout=out_file, stderr=err_file)
        # wait4 gives this child's own resource use: its peak memory (and that
        # of the workers it waited for), not the largest of every child so far.
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    out = out_path.read_text(errors="replace")
    err = err_path.read_text(errors="replace")
    try:
        report = json.loads(out.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        msg = f"the {kind} build of N={site.briefs} crashed:\n{err[-4000:]}"
        raise RuntimeError(msg) from None
    if not report["ok"]:
        msg = f"the {kind} build of N={site.briefs} failed:\n" + "\n".join(report["problems"])
        raise RuntimeError(msg)
    records = [json.loads(line) for line in events.read_text().splitlines()] if events.exists() else []
    renders = [r for r in records if r["kind"] == "render"]
    after = _tree_hashes(output) if compare else {}
    changed = sorted(k for k in after.keys() | before.keys() if before.get(k) != after.get(k))
    return Run(
        seconds=report["seconds"],
        wall=wall,
        maxrss_mb=usage.ru_maxrss / 1024,
        main_mb=report["maxrss_kb"] / 1024,
        worker_mb=report["workers_peak_kb"] / 1024,
        together_mb=report.get("together_kb", 0) / 1024,
        together_resident_mb=report.get("together_resident_kb", 0) / 1024,
        parses=sum(1 for r in records if r["kind"] == "parse"),
        renders=len(renders),
        svg_renders=sum(1 for r in renders if r["name"] in ("vega_to_svg", "vegalite_to_svg")),
        image_renders=sum(1 for r in renders if r["name"].endswith(("_svg", "_png"))),
        render_seconds=sum(r["end"] - r["start"] for r in renders),
        concurrency=_max_concurrency([(r["start"], r["end"]) for r in renders]),
        render_pids=len({r["pid"] for r in renders}),
        changed=changed,
    )


def _clear_caches(site: SyntheticSite) -> None:
    for name in ("cache", ".cache", "output"):
        path = site.root / name
        if path.exists():
            shutil.rmtree(path)


def _edit_brief(site: SyntheticSite, round_: int) -> None:
    # Brief 1 has no chart, so only its own text changes.
    path = site.brief_path(min(1, site.briefs - 1), "en")
    text = path.read_text(encoding="utf-8")
    # The edit states no number, so the translation drift check still agrees,
    # and it extends the last paragraph rather than adding one, so the two
    # versions still align paragraph by paragraph (plugins/parallel).
    marker = " An edited closing sentence, revision "
    text = text.split(marker)[0].rstrip("\n") + f"{marker}{'abcdefghij'[round_ % 10]}.\n"
    path.write_text(text, encoding="utf-8")


def _edit_chart_data(site: SyntheticSite, round_: int) -> None:
    path = site.chart_data_path(site.chart_ids[0])
    lines = path.read_text(encoding="utf-8").splitlines()
    year, _value, rest = lines[1].split(",", 2)
    lines[1] = f"{year},{600 + round_},{rest}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def bench_size(site: SyntheticSite, runs: int, say: Any, *, cold_runs: int | None = None) -> list[Row]:
    """Every scenario at one size, each ``runs`` times; the build from cold ``cold_runs`` times."""
    rows: list[Row] = []

    def plain(name: str) -> Run:
        run = build_once(site, "baseline")
        say(f"  N={site.briefs} {name:<16} plain Pelican beside it: {run.wall:6.2f} s")
        return run

    def scenario(
        name: str, prepare: Any, kind: str, compare: bool = False, times: int = runs, beside: bool = False
    ) -> None:
        results = []
        plain_runs = []
        for i in range(times):
            prepare(i)
            if beside:
                plain_runs.append(plain(name))
            run = build_once(site, kind, compare=compare)
            say(
                f"  N={site.briefs} {name:<16} run {i + 1}/{times}: {run.wall:6.2f} s, "
                f"{run.maxrss_mb:5.0f} MB, parsed {run.parses}, charts {run.svg_renders}"
            )
            results.append(run)
        if beside and times == 1:
            plain_runs.append(plain(name))
        rows.append(Row(site.briefs, name, results, charts=len(site.chart_ids), beside=plain_runs))

    scenario("baseline", lambda i: None, "baseline")
    cold_times = runs if cold_runs is None else cold_runs
    scenario("full", lambda i: _clear_caches(site), "full", times=cold_times, beside=True)
    scenario("no change", lambda i: None, "full", compare=True, beside=True)
    scenario("one brief", lambda i: _edit_brief(site, i), "full", compare=True, beside=True)
    if site.chart_ids:
        scenario("one chart's data", lambda i: _edit_chart_data(site, i), "full", compare=True)
    return rows


def _fmt_ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}×" if base else "n/a"


def table(rows: list[Row]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| N | build | runs | median s | ms/page | × baseline | peak MB main / worker | MB at once "
        "| parsed | charts rendered | chart render s | outputs changed |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    baselines = {r.size: r.median for r in rows if r.scenario == "baseline"}
    for row in rows:
        pages = 2 * row.size
        changed = "" if row.scenario in ("baseline", "full") else str(int(row.median_of_changed()))
        lines.append(
            f"| {row.size} | {row.scenario} | {len(row.runs)} | {row.median:.2f} "
            f"| {row.median * 1000 / pages:.1f} | {_fmt_ratio(row.median, baselines.get(row.size, 0))} "
            f"| {max(r.main_mb for r in row.runs):.0f} / "
            f"{max(r.worker_mb for r in row.runs):.0f} | {row.together_mb:.0f} "
            f"| {int(row.median_of('parses'))} "
            f"| {int(row.median_of('svg_renders'))} "
            f"| {row.median_of('render_seconds'):.1f} | {changed} |"
        )
    return "\n".join(lines)


#: What a chart image may cost in a cold build's budget: each SVG or PNG
#: rendered (every layout, format and language) adds this much, shared by the cores.
RENDER_ALLOWANCE_S = 0.1


def budgets(rows: list[Row], sizes: list[int], cores: int) -> list[tuple[str, bool, str]]:
    """Each budget: its name, whether it holds, and the numbers behind it.

    Times are compared with the cold plain-Pelican build of the same size
    (:meth:`Row.plain`: the plain builds run beside the judged build, else
    the baseline row): a cold build may take 1.25 × it plus 100 ms per chart image
    rendered ÷ cores; a rebuild with nothing changed 1.0 × it and one with one
    brief changed 1.2 × it, rendering no chart; the whole build (main process
    and busy chart workers) may hold 400 MB at once.
    """
    size = max(sizes)
    at = {r.scenario: r for r in rows if r.size == size}
    note = "" if size >= LARGE else f" (measured at N={size}, not {LARGE})"
    verdicts: list[tuple[str, bool, str]] = []
    base, full = at["baseline"], at["full"]
    images = full.median_of("image_renders")
    plain, where = full.plain(base)
    allowed = 1.25 * plain + images * RENDER_ALLOWANCE_S / cores
    verdicts.append(
        (
            "cold build ≤ 1.25 × plain Pelican + chart renders × 100 ms ÷ cores" + note,
            full.median <= allowed,
            f"{full.median:.1f} s vs 1.25 × {plain:.1f} + {int(images)} × 0.1 ÷ {cores} "
            f"= {allowed:.1f} s ({full.median / allowed:.2f}× the budget; the vl-convert calls "
            f"took {full.median_of('render_seconds'):.1f} s in all; plain Pelican: {where})",
        )
    )
    peak = max(r.together_mb for r in rows if r.size == size)
    resident = max(run.together_resident_mb for r in rows if r.size == size for run in r.runs)
    bound = max(r.total_mb for r in rows if r.size == size)
    biggest = max(r.peak_mb for r in rows if r.size == size)
    verdicts.append(
        (
            "memory of the whole build, workers included, ≤ 400 MB" + note,
            peak <= 400,
            f"{peak:.0f} MB at most in use at once (the build process and every process below it: "
            f"proportional set sizes summed every 2 s, at least the build process's own peak); "
            f"{resident:.0f} MB summing resident sizes every 50 ms (a page a forked child shares "
            f"with the build process counted in each); {bound:.0f} MB if each were at its own peak "
            f"at the same moment; "
            f"largest single process {biggest:.0f} MB",
        )
    )
    nochange = at["no change"]
    renders = int(nochange.median_of("image_renders"))
    plain, where = nochange.plain(base)
    verdicts.append(
        (
            "no-change rebuild ≤ 1.0 × cold plain Pelican, rendering no chart" + note,
            nochange.median <= plain and renders == 0,
            f"{nochange.median:.1f} s vs 1.0 × {plain:.1f} s "
            f"({nochange.median / plain:.2f}×; plain Pelican: {where}); {renders} chart images rendered; "
            f"{int(nochange.median_of('parses'))} files parsed",
        )
    )
    brief = at["one brief"]
    parsed = int(brief.median_of("parses"))
    brief_renders = int(brief.median_of("image_renders"))
    changed = sorted({c for r in brief.runs for c in r.changed})
    shown = ", ".join(changed[:6]) + (" …" if len(changed) > 6 else "")
    plain, where = brief.plain(base)
    verdicts.append(
        (
            "one changed brief ≤ 1.2 × cold plain Pelican, rendering no chart" + note,
            brief.median <= 1.2 * plain and parsed <= 1 and brief_renders == 0,
            f"{brief.median:.1f} s vs 1.2 × {plain:.1f} = {1.2 * plain:.1f} s "
            f"({brief.median / plain:.2f}×; plain Pelican: {where}); "
            f"{parsed} Markdown files parsed (1 changed), "
            f"{brief_renders} chart images rendered, {len(changed)} output files changed: {shown}",
        )
    )
    chart = at.get("one chart's data")
    if chart is not None and full.charts:
        per_chart = full.median_of("image_renders") / full.charts
        rendered = chart.median_of("image_renders")
        verdicts.append(
            (
                "one changed chart's data renders only that chart's files" + note,
                0 < rendered <= per_chart,
                f"{int(rendered)} chart images rendered; a cold build renders "
                f"{per_chart:.1f} per chart ({int(full.median_of('image_renders'))} for {full.charts})",
            )
        )
    if full.median_of("svg_renders"):
        concurrency = max(r.concurrency for r in full.runs)
        verdicts.append(
            (
                "chart rendering uses every core",
                concurrency >= cores,
                f"at most {concurrency} chart renders at once in {max(r.render_pids for r in full.runs)} "
                f"processes on {cores} cores",
            )
        )
    else:
        verdicts.append(
            ("chart rendering uses every core", False, "no chart was rendered (no charts plugin)")
        )
    return verdicts


def _project_plugins() -> list[str]:
    import pelicanconf

    return list(getattr(pelicanconf, "PLUGINS", []))


def main() -> int:
    """Run the benchmark; print and write the table and the budget verdicts."""
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "100,500,2000").split(",") if s.strip()]
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    runs_large = int(os.environ.get("BENCH_RUNS_LARGE", "1"))
    cores = os.cpu_count() or 1
    wanted = os.environ.get("BENCH_FEATURES")
    features = frozenset(wanted.split(",")) if wanted else features_for(_project_plugins())
    work = Path(tempfile.mkdtemp(prefix="bench-site-"))

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    say(f"bench: sizes {sizes}, features {sorted(features) or 'none'}, in {work}")
    rows: list[Row] = []
    try:
        for size in sizes:
            site = generate(work / f"n{size}", size, project=PROJECT, features=features)
            rows += bench_size(site, runs, say, cold_runs=runs_large if size >= LARGE else None)
            shutil.rmtree(site.root, ignore_errors=True)
    finally:
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)
    verdicts = budgets(rows, sizes, cores)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, capture_output=True, text=True, check=False
    ).stdout.strip()
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"# Build benchmark, {when}, commit {commit or 'unknown'}",
        "",
        f"{cores} cores; Python {sys.version.split()[0]}; features used: "
        f"{', '.join(sorted(features)) or 'none'}; pages = 2 × N briefs; ms/page = median ÷ pages.",
        "Baseline: plain Pelican, a stock markdown-it-py CommonMark reader (tools/bench/plugins/"
        "bench_baseline, YAML front matter, nothing else), no plugins, the same Markdown with the "
        "project's syntax stripped, Pelican's default theme.",
        "Times are wall time of a fresh build process (interpreter start included); MB at once the "
        "largest sum of the build's and its workers' proportional set sizes (a page two processes share "
        "counts half in each), sampled every 2 s, never below the main's own peak; peak MB main its "
        "maximum resident memory, worker the largest resident size of one process below it (chart workers, "
        f"Pagefind), sampled. Runs: {runs} per build, {runs_large} of the build from cold at N ≥ {LARGE}; "
        "each after the last build's background work and writeback; the cold build and the timed rebuilds "
        "with a plain build beside each run, whose median the budgets use (× baseline: the start's).",
        "",
        table(rows),
        "",
        "## Budgets",
        "",
    ]
    lines += [f"- **{'PASS' if ok else 'FAIL'}** {name}: {detail}" for name, ok, detail in verdicts]
    text = "\n".join(lines) + "\n"
    print(text)
    results = PROJECT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    (results / f"build-{stamp}.md").write_text(text, encoding="utf-8")
    (results / "build-latest.md").write_text(text, encoding="utf-8")
    data = [
        {
            "size": r.size,
            "scenario": r.scenario,
            "runs": [vars(run) for run in r.runs],
            "plain_beside": [vars(run) for run in r.beside],
        }
        for r in rows
    ]
    (results / "build-latest.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
    say(f"bench: wrote {results / 'build-latest.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
