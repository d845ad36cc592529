"""The benchmark's synthetic site is a valid site: it builds, fully and as the baseline."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pelicanconf
from tools.bench.synthetic import ALL_FEATURES, features_for, generate, strip_syntax

PROJECT = Path(__file__).resolve().parents[2]
CHILD = PROJECT / "tools" / "bench" / "child.py"


def _build(kind: str, settings: Path, output: Path, root: Path) -> dict[str, object]:
    env = dict(os.environ)
    bench = PROJECT / "tools" / "bench"
    env["PYTHONPATH"] = os.pathsep.join(
        [str(bench / "hooks"), str(PROJECT / "plugins"), str(bench / "plugins"), str(PROJECT)]
    )
    env["BENCH_EVENTS"] = str(root / "events.jsonl")
    done = subprocess.run(
        [sys.executable, str(CHILD), kind, str(settings), str(output)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def test_every_feature_is_written(tmp_path: Path) -> None:
    site = generate(tmp_path, 4, project=PROJECT, features=ALL_FEATURES)
    text = site.brief_path(0).read_text(encoding="utf-8")
    assert re.search(r"\[@src\d+\]", text)
    assert re.search(r"\[Widget \d+\]\{term=term\d+\}", text)
    assert "]({brief}brief-0001)" in text
    assert "```{chart} bench-chart-0000\n```" in text
    assert site.chart_ids == ("bench-chart-0000",)
    assert (site.content / "charts" / "bench_chart_0000.py").is_file()
    assert site.chart_data_path("bench-chart-0000").read_text(encoding="utf-8").startswith("year,value,")
    # Every registry entry is cited somewhere (an uncited source fails a strict build).
    cited = set(re.findall(r"@(src\d+)", "".join(p.read_text() for p in site.content.rglob("*.md"))))
    assert cited == {f"src{i:03d}" for i in range(4)}
    # Nothing is written outside the folder given.
    assert all(tmp_path in p.parents for p in tmp_path.rglob("*"))


def test_stripping_leaves_plain_commonmark() -> None:
    text = "A [Widget 1]{term=term01} [link]({brief}brief-0002) claim [@a; @b].\n\n```{chart} c\n```\n"
    assert strip_syntax(text) == "A Widget 1 [link](../brief-0002/) claim.\n\n"


def test_synthetic_site_builds_fully_and_as_baseline(tmp_path: Path) -> None:
    features = features_for(pelicanconf.PLUGINS)
    site = generate(tmp_path / "site", 4, project=PROJECT, features=features)
    full = _build("full", site.full_settings, site.root / "output", site.root)
    assert full["ok"] is True
    for lang in ("en", "zh-tw"):
        for index in range(4):
            page = site.root / "output" / lang / f"brief-{index:04d}" / "index.html"
            assert page.is_file(), page
    zh = (site.root / "output" / "zh-tw" / "brief-0000" / "index.html").read_text(encoding="utf-8")
    assert "報導指出" in zh
    base = _build("baseline", site.baseline_settings, site.root / "baseline-output", site.root)
    assert base["ok"] is True
    assert (site.root / "baseline-output" / "zh-TW" / "brief-0003" / "index.html").is_file()
