"""The render cache: a rebuild with nothing changed renders nothing; a change renders again."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest
from pelican.settings import read_settings

from charts.job import FILES
from charts.prepare import PreparedCharts, prepare_charts
from strictbuild import progress
from strictbuild.state import building
from tests.charts.conftest import PROJECT_SETTINGS


def _prepare(site: Path, **override: object) -> PreparedCharts:
    settings = read_settings(
        str(PROJECT_SETTINGS), override={"PATH": str(site / "content"), "CHARTS_WORKERS": 1, **override}
    )
    with building():  # each preparation is a build of its own
        prepared = prepare_charts(settings)
    assert prepared.problems == []
    return prepared


def _files(site: Path) -> dict[str, tuple[int, str]]:
    cache = site / ".cache" / "charts"
    return {
        str(p.relative_to(cache)): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(cache.rglob("*"))
        if p.is_file()
    }


def test_second_run_renders_nothing(site: Path) -> None:
    first = _prepare(site)
    assert (first.fresh, first.total) == (2, 2)
    before = _files(site)
    second = _prepare(site)
    assert second.fresh == 0
    assert second.total == 2
    assert _files(site) == before  # not even rewritten
    assert second.rendered.keys() == first.rendered.keys()


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("content/data/sample-bars.csv", "Shanghai,上海,70", "Shanghai,上海,71"),
        ("content/charts/sample_bars.py", ".properties(width=360)", ".properties(width=380)"),
        (
            "content/sources.yaml",
            "outlet: {en: Example Wire, zh-TW: 範例通訊社}",
            "outlet: {en: Wire, zh-TW: 通訊社}",
        ),
    ],
    ids=["data", "module", "cited registry entry"],
)
def test_a_change_renders_again(site: Path, file: str, old: str, new: str) -> None:
    _prepare(site)
    path = site / file
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    assert _prepare(site).fresh == 2


def test_an_uncited_registry_entry_does_not_invalidate(site: Path) -> None:
    _prepare(site)
    registry = site / "content" / "sources.yaml"
    registry.write_text(
        registry.read_text(encoding="utf-8") + "- key: other2024\n  outlet: {en: Other, zh-TW: 其他}\n",
        encoding="utf-8",
    )
    assert _prepare(site).fresh == 0


def test_the_process_pool_gives_the_same_files(site: Path, tmp_path: Path) -> None:
    alone = _prepare(site)
    solo = {
        key: Path(r.path("svg")).read_bytes() + Path(r.path("png")).read_bytes()
        for key, r in alone.rendered.items()
    }
    pooled = _prepare(
        site, CHARTS_WORKERS=2, CHARTS_IN_PROCESS_MAX=0, CHARTS_CACHE_PATH=str(tmp_path / "pool-cache")
    )
    assert pooled.fresh == 2
    assert {
        key: Path(r.path("svg")).read_bytes() + Path(r.path("png")).read_bytes()
        for key, r in pooled.rendered.items()
    } == solo
    assert all(str(tmp_path / "pool-cache") in r.folder for r in pooled.rendered.values())


def test_renderings_no_longer_used_are_pruned(site: Path) -> None:
    _prepare(site)
    data = site / "content" / "data" / "sample-bars.csv"
    data.write_text(data.read_text(encoding="utf-8").replace("上海,70", "上海,72"), encoding="utf-8")
    latest = _prepare(site)
    cache = site / ".cache" / "charts"
    assert sorted(p.name for p in (cache / "sample-bars").iterdir()) == sorted(
        Path(folder).name for r in latest.rendered.values() for folder in (r.folder, r.framed_folder)
    )
    (cache / "gone-chart" / "en-0123").mkdir(parents=True)
    _prepare(site)
    assert not (cache / "gone-chart").exists()


def test_another_site_address_draws_only_the_framed_files(site: Path) -> None:
    first = _prepare(site, PUBLIC_URL="http://localhost:8000")
    other = _prepare(site, PUBLIC_URL="http://127.0.0.1:54321")
    assert other.fresh == 2
    for key, rendered in other.rendered.items():
        before = first.rendered[key]
        assert rendered.folder == before.folder  # the address-free files are reused
        assert rendered.framed_folder != before.framed_folder
        assert b"127.0.0.1:54321" in Path(rendered.path("download_svg")).read_bytes()
        assert b"127.0.0.1:54321" in Path(rendered.path("png")).read_bytes()
        assert b"localhost:8000" not in Path(rendered.path("png")).read_bytes()
    # Both addresses' framings stay, so two builds taking turns draw nothing.
    assert _prepare(site, PUBLIC_URL="http://localhost:8000").fresh == 0
    assert _prepare(site, PUBLIC_URL="http://127.0.0.1:54321").fresh == 0


def test_a_render_in_the_build_process_leaves_its_time_zone_alone(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Asia/Taipei")
    time.tzset()
    try:
        assert _prepare(site, CHARTS_IN_PROCESS_MAX=2).fresh == 2
        assert os.environ["TZ"] == "Asia/Taipei"
        assert time.localtime(0).tm_hour == 8  # 1970-01-01 08:00 in Taipei
    finally:
        monkeypatch.undo()
        time.tzset()


def test_workers_whose_memory_grows_are_replaced_and_draw_the_same_files(site: Path, tmp_path: Path) -> None:
    module = site / "content" / "charts" / "sample_bars.py"
    for number in (2, 3):
        text = module.read_text(encoding="utf-8")
        copy = text.replace('ID = "sample-bars"', f'ID = "sample-bars-{number}"')
        (module.parent / f"sample_bars_{number}.py").write_text(copy, encoding="utf-8")
    alone = _prepare(site)
    assert alone.fresh == 6
    counts, token = progress.begin()
    try:
        pooled = _prepare(
            site,
            CHARTS_WORKERS=2,
            CHARTS_IN_PROCESS_MAX=0,
            CHARTS_WORKER_MEMORY_MB=1,  # every worker is over it after its first batch
            CHARTS_CACHE_PATH=str(tmp_path / "pool-cache"),
        )
    finally:
        progress.end(token)
    assert pooled.fresh == 6
    assert counts.counts["chart workers replaced"] >= 2
    for key, rendered in pooled.rendered.items():
        for kind in FILES:
            assert Path(rendered.path(kind)).read_bytes() == Path(alone.rendered[key].path(kind)).read_bytes()
