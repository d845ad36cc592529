"""Page weight and speed, reader side: what a brief and a chart page cost to read.

For each brief and chart page of a built site it reports the gzip bytes of
HTML, CSS, JavaScript and images the page references, and runs Lighthouse
(pinned in ``tools/bench/package.json``, against the system Chromium) in its
default mobile emulation for the performance score, LCP, CLS and total
blocking time. The site is served on localhost with gzip, as a host would.

    python tools/bench/reader_side.py --output output --content content

When the content has no briefs yet, a small synthetic site is built with the
project's theme and plugins and measured instead (the report says so).
Results are printed and written to ``bench/results/reader-latest.md``.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import gzip
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
sys.path.insert(0, str(PROJECT))

from tools.bench import search_weight  # noqa: E402
from tools.bench.synthetic import features_for, generate  # noqa: E402

KB = 1024
#: Budgets, reader side.
HTML_CSS_BUDGET = 30 * KB
RUNTIME_BUDGET = 160 * KB
PERFORMANCE_BUDGET = 98
_TEXT_TYPES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".csv", ".txt")


@functools.cache
def gzip_size(path: Path) -> int:
    """Bytes of ``path`` once gzipped (level 6, as web servers commonly send)."""
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


class _Refs(HTMLParser):
    """The resources a page references, and whether its scripts block reading."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stylesheets: list[tuple[str, str]] = []
        self.scripts: list[tuple[str, bool]] = []
        self.lazy: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and "stylesheet" in a.get("rel", "").split():
            self.stylesheets.append((a.get("href", ""), a.get("media", "all")))
        elif tag == "script" and a.get("src"):
            blocking = not ("defer" in a or "async" in a or a.get("type") == "module")
            self.scripts.append((a["src"], blocking))
            if a.get("data-runtime"):
                self.lazy.append(a["data-runtime"])
        elif tag == "img" and a.get("src") and not a["src"].startswith("data:"):
            self.images.append(a["src"])


@dataclass
class PageWeight:
    """Gzip bytes of one page and what it references."""

    url: str
    kind: str
    html: int
    html_without_charts: int
    css: int
    css_print: int
    js: int
    js_blocking: int
    js_lazy: int
    images: int
    charts: int
    lighthouse: dict[str, float] = field(default_factory=dict)

    @property
    def before_charts(self) -> int:
        """HTML without the chart figures, plus the stylesheets that apply on screen."""
        return self.html_without_charts + self.css


_FIGURE = re.compile(r"<figure\b[^>]*class=\"[^\"]*chart[^\"]*\"[^>]*>.*?</figure>", re.S)


def _resolve(output: Path, page: Path, ref: str) -> Path | None:
    if urlparse(ref).scheme or ref.startswith("//"):
        return None
    base = "/" + str(page.relative_to(output)).replace(os.sep, "/")
    target = urlparse(urljoin(base, ref)).path.lstrip("/")
    path = output / target
    if path.is_dir():
        path = path / "index.html"
    return path if path.is_file() else None


def weigh(output: Path, page: Path, kind: str) -> PageWeight:
    """The gzip weight of one page and the files it references."""
    text = page.read_text(encoding="utf-8")
    refs = _Refs()
    refs.feed(text)

    def total(items: list[str]) -> int:
        paths = {p for p in (_resolve(output, page, r) for r in items) if p is not None}
        return sum(gzip_size(p) for p in paths)

    without = _FIGURE.sub("", text)
    return PageWeight(
        url=str(page.parent.relative_to(output)).replace(os.sep, "/") + "/",
        kind=kind,
        html=gzip_size(page),
        html_without_charts=len(gzip.compress(without.encode("utf-8"), compresslevel=6, mtime=0)),
        css=total([h for h, media in refs.stylesheets if media != "print"]),
        css_print=total([h for h, media in refs.stylesheets if media == "print"]),
        js=total([s for s, _ in refs.scripts]),
        js_blocking=total([s for s, blocking in refs.scripts if blocking]),
        js_lazy=total(refs.lazy),
        images=total(refs.images),
        charts=len(_FIGURE.findall(text)),
    )


def _front_matter(path: Path) -> dict[str, Any]:
    import yaml

    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return {}
    data = yaml.safe_load(text.split("---", 2)[1])
    return data if isinstance(data, dict) else {}


def pages_of(output: Path, content: Path) -> list[tuple[Path, str]]:
    """Every brief page and chart page of a built site."""
    import pelicanconf

    languages = {code: info["path"] for code, info in pelicanconf.SITE_LANGUAGES.items()}
    found: list[tuple[Path, str]] = []
    for source in sorted((content / "briefs").glob("*.md")):
        meta = _front_matter(source)
        if meta.get("draft"):
            continue
        page = output / languages.get(str(meta.get("lang")), "") / str(meta.get("slug")) / "index.html"
        if page.is_file():
            found.append((page, "brief"))
    for page in sorted(output.glob("*/charts/*/index.html")):
        found.append((page, "chart"))
    return found


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files gzipped when the client accepts it, as a host would."""

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""

    def send_head(self) -> Any:
        """Send the headers, and a gzipped body for text files."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in _TEXT_TYPES):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``folder`` on a free localhost port; return the server and its address."""
    handler = functools.partial(_GzipHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def chromium() -> str:
    """The Chromium binary Lighthouse drives."""
    found = os.environ.get("CHROME_PATH") or os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not found:
        msg = "no Chromium found: install Debian's chromium or set CHROME_PATH"
        raise RuntimeError(msg)
    return found


def lighthouse(url: str) -> dict[str, float]:
    """Lighthouse's performance score and metrics for ``url``, mobile emulation."""
    binary = HERE / "node_modules" / ".bin" / "lighthouse"
    flags = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as profile:
        done = subprocess.run(
            [
                str(binary),
                url,
                "--only-categories=performance",
                "--output=json",
                "--output-path=stdout",
                "--quiet",
                f"--chrome-flags={flags} --user-data-dir={profile}",
            ],
            env={**os.environ, "CHROME_PATH": chromium()},
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
    if done.returncode != 0:
        msg = f"lighthouse failed on {url}: {done.stderr[-2000:]}"
        raise RuntimeError(msg)
    report = json.loads(done.stdout)
    audits = report["audits"]
    fetched = [r.get("url", "") for r in audits["network-requests"]["details"]["items"]]
    return {
        "score": round(100 * (report["categories"]["performance"]["score"] or 0)),
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "runtime_fetched": float(any("chart-runtime" in u for u in fetched)),
        "transfer": float(
            sum(r.get("transferSize", 0) for r in audits["network-requests"]["details"]["items"])
        ),
    }


def _synthetic_site(work: Path) -> tuple[Path, Path]:
    """Build a small synthetic site with the project's plugins; return its output and content."""
    import pelicanconf

    site = generate(work / "site", 4, project=PROJECT, features=features_for(pelicanconf.PLUGINS))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT / "plugins"), str(PROJECT)])}
    output = site.root / "output"
    subprocess.run(
        [sys.executable, "-m", "strictbuild", "--settings", str(site.full_settings), "--output", str(output)],
        cwd=site.root,
        env=env,
        check=True,
    )
    return output, site.content


def _kb(n: float) -> str:
    return f"{n / KB:.1f}"


def report(weights: list[PageWeight], runtime: int, lazy_ok: bool, label: str) -> str:
    """The page table and the reader-side budget verdicts, as Markdown."""
    lines = [
        f"Pages of {label}. KB are gzip (level 6) bytes; CSS counts the stylesheets that apply on "
        "screen (print CSS apart); JS counts the scripts the page loads by itself, the chart runtime "
        "apart (it is fetched only when a chart nears the viewport). Lighthouse: default mobile "
        "emulation (simulated slow 4G, 4× CPU slowdown), served on localhost with gzip.",
        "",
        "| page | kind | HTML KB | HTML w/o charts KB | CSS KB | print CSS KB | JS KB (blocking) "
        "| chart runtime KB (lazy) | images KB | HTML+CSS before charts KB | perf | LCP ms | CLS | TBT ms "
        "| runtime fetched at load |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for w in weights:
        lh = w.lighthouse
        lh_cells = (
            f"{lh['score']:.0f} | {lh['lcp']:.0f} | {lh['cls']:.3f} | {lh['tbt']:.0f} | "
            f"{'yes' if lh['runtime_fetched'] else 'no'}"
            if lh
            else "– | – | – | – | –"
        )
        lines.append(
            f"| {w.url} | {w.kind} | {_kb(w.html)} | {_kb(w.html_without_charts)} | {_kb(w.css)} "
            f"| {_kb(w.css_print)} | {_kb(w.js)} ({_kb(w.js_blocking)}) | {_kb(w.js_lazy)} | {_kb(w.images)} "
            f"| {_kb(w.before_charts)} | {lh_cells} |"
        )
    briefs = [w for w in weights if w.kind == "brief"]
    verdicts: list[tuple[str, bool, str]] = []
    if briefs:
        blocking = max(w.js_blocking for w in briefs)
        verdicts.append(
            (
                "a brief reads with 0 bytes of JavaScript required",
                blocking == 0,
                f"{_kb(blocking)} KB of render-blocking script at most; every script is deferred "
                f"(up to {_kb(max(w.js for w in briefs))} KB, enhancements only)"
                if blocking == 0
                else f"{_kb(blocking)} KB of render-blocking script",
            )
        )
        heaviest = max(briefs, key=lambda w: w.before_charts)
        verdicts.append(
            (
                "≤ 30 KB gzip of HTML+CSS before charts",
                heaviest.before_charts <= HTML_CSS_BUDGET,
                f"heaviest {heaviest.url}: {_kb(heaviest.before_charts)} KB "
                f"({_kb(heaviest.html_without_charts)} HTML + {_kb(heaviest.css)} CSS)",
            )
        )
    verdicts.append(
        (
            "chart runtime ≤ 160 KB gzip, fetched only when a chart nears the viewport",
            runtime <= RUNTIME_BUDGET and lazy_ok,
            f"{_kb(runtime)} KB; loaded by charts.js through IntersectionObserver: "
            f"{'yes' if lazy_ok else 'no'}",
        )
    )
    measured = [w for w in briefs if w.lighthouse]
    if measured:
        worst_cls = max(w.lighthouse["cls"] for w in measured)
        verdicts.append(("CLS 0 on every brief", worst_cls == 0, f"worst {worst_cls:.3f}"))
        worst = min(measured, key=lambda w: w.lighthouse["score"])
        verdicts.append(
            (
                "Lighthouse performance ≥ 98 on every brief",
                worst.lighthouse["score"] >= PERFORMANCE_BUDGET,
                f"lowest {worst.lighthouse['score']:.0f} ({worst.url}, LCP {worst.lighthouse['lcp']:.0f} ms, "
                f"TBT {worst.lighthouse['tbt']:.0f} ms)",
            )
        )
    else:
        verdicts.append(("Lighthouse on every brief", False, "not run"))
    lines += ["", "## Budgets, reader side", ""]
    lines += [f"- **{'PASS' if ok else 'FAIL'}** {name}: {detail}" for name, ok, detail in verdicts]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Measure the built site; print and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=PROJECT / "output")
    parser.add_argument("--content", type=Path, default=PROJECT / "content")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--no-browser", action="store_true", help="skip the first-search measurement")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-reader-"))
    try:
        output, content = args.output.resolve(), args.content.resolve()
        label = "the real site"
        if not any(kind == "brief" for _, kind in pages_of(output, content)):
            print("reader side: the site has no briefs yet; measuring a synthetic site", file=sys.stderr)
            output, content = _synthetic_site(work)
            label = "a synthetic site of 4 briefs (the real site has no briefs yet)"
        pages = pages_of(output, content)
        weights = [weigh(output, page, kind) for page, kind in pages]
        runtime_files = sorted(output.glob("theme/vendor/vega/chart-runtime*.js"))
        runtime = sum(gzip_size(p) for p in runtime_files)
        charts_js = output / "theme" / "js" / "charts.js"
        lazy_ok = charts_js.is_file() and "IntersectionObserver" in charts_js.read_text(encoding="utf-8")
        searches = search_weight.index_weights(output)
        server, base = serve(output)
        try:
            if not args.no_lighthouse:
                for weight in weights:
                    print(f"reader side: lighthouse {weight.url}", file=sys.stderr, flush=True)
                    weight.lighthouse = lighthouse(base + weight.url)
            if searches and not args.no_browser:
                search_weight.measure_first_search(base, searches, chromium())
        finally:
            server.shutdown()
        when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        text = f"# Page weight and speed, reader side, {when}\n\n" + report(weights, runtime, lazy_ok, label)
        text += "\n".join(search_weight.report(searches)) + ("\n" if searches else "")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(text)
    results = PROJECT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "reader-latest.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
