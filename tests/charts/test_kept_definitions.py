"""Each chart's definition is kept between builds, and loaded again only when its inputs changed.

Loading a chart runs its module and checks its data. A definition found
sound is taken back while the module, its data, the source registry, the
code and the settings are the same. Every rebuild here is compared, file by
file, with a build from nothing.
"""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import charts.prepare as prepare_module
from charts.prepare import KEPT_FILE
from strictbuild.driver import BuildResult
from strictbuild.reuse import VERIFY_ENV
from tests.support import ROOT, SiteCopy, build_content, tree_digest


class Site(SiteCopy):
    """A copy of the project's content with its own caches, and the charts each build loaded."""

    def __init__(self, base: Path) -> None:
        super().__init__(base)
        self.loaded: list[str] = []

    def build(self, *, force: bool = True, **override: Any) -> BuildResult:
        self.loaded = []
        return super().build(force=force, **override)

    def charts(self) -> list[str]:
        return sorted(path.stem for path in (self.content / "charts").glob("*.py"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = Site(tmp_path_factory.mktemp("chart-definitions"))
    site.build_unchecked()
    return site


@pytest.fixture
def site(built: Site, monkeypatch: pytest.MonkeyPatch) -> Site:
    """The module's site with its caches up to date, noting each chart module loaded."""
    monkeypatch.delenv(VERIFY_ENV, raising=False)
    built.build()
    original = prepare_module.load_chart

    def noting(path: str, *args: Any) -> Any:
        built.loaded.append(Path(path).stem)
        return original(path, *args)

    monkeypatch.setattr(prepare_module, "load_chart", noting)
    return built


def test_a_rebuild_loads_no_chart_and_gives_the_same_site(site: Site) -> None:
    before = tree_digest(site.output)
    result = site.build()
    assert result.ok, result.problems
    assert site.loaded == []
    assert tree_digest(site.output) == before


def test_a_chart_s_new_data_loads_that_chart_alone(site: Site) -> None:
    path = site.content / "data" / "h200-timeline.csv"
    before = path.read_text(encoding="utf-8")
    path.write_text(before.replace("Trump announces H200 sales", "Trump announces sales of the H200", 1))
    try:
        assert site.build().ok
        assert site.loaded == ["h200_timeline"]
        assert tree_digest(site.output) == site.cold()
    finally:
        path.write_text(before, encoding="utf-8")


def test_a_chart_s_edited_module_is_loaded_again(site: Site) -> None:
    # The chart modules are code to strictbuild's code digest, so an edit to
    # one loads every chart again, as it renders every page again.
    path = site.content / "charts" / "h200_timeline.py"
    before = path.read_text(encoding="utf-8")
    path.write_text(before + "\n# an edit that changes nothing drawn\n", encoding="utf-8")
    try:
        assert site.build().ok
        assert "h200_timeline" in site.loaded
        assert tree_digest(site.output) == site.cold()
    finally:
        path.write_text(before, encoding="utf-8")


def test_a_changed_registry_loads_every_chart_again(site: Site) -> None:
    path = site.content / "sources.yaml"
    before = path.read_text(encoding="utf-8")
    assert 'en: "Mainland expert:' in before
    path.write_text(before.replace('en: "Mainland expert:', 'en: "Revised: Mainland expert:', 1))
    try:
        assert site.build().ok
        assert sorted(site.loaded) == site.charts()
        assert tree_digest(site.output) == site.cold()
    finally:
        path.write_text(before, encoding="utf-8")


def test_a_chart_whose_data_went_bad_is_reported_though_its_module_is_the_same(site: Site) -> None:
    path = site.content / "data" / "h200-timeline.csv"
    before = path.read_text(encoding="utf-8")
    header = before.splitlines()[0]
    path.write_text(before.replace(header, header + ",unexpected", 1), encoding="utf-8")
    try:
        site.loaded = []
        result = build_content(site.content, site.output, force=True, **site.settings)
        assert not result.ok
        assert any("h200-timeline.csv" in str(problem) for problem in result.problems), result.problems
        assert site.loaded == ["h200_timeline"]
    finally:
        path.write_text(before, encoding="utf-8")
    assert site.build().ok


def test_with_the_check_on_a_stale_definition_stops_the_build(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = site.cache_file(KEPT_FILE)
    entries: dict[bytes, bytes] = marshal.loads(path.read_bytes())  # noqa: S302 (the test's own cache)
    assert len(entries) == len(site.charts())
    fields = prepare_module._FIELDS
    for key, data in entries.items():
        values = dict(zip(fields, marshal.loads(data), strict=True))  # noqa: S302
        values["title"] = {lang: "A stale title" for lang in values["title"]}
        entries[key] = marshal.dumps(tuple(values[name] for name in fields))
    path.write_bytes(marshal.dumps(entries))
    monkeypatch.setenv(VERIFY_ENV, "1")
    try:
        result = build_content(site.content, site.output, force=True)
        assert not result.ok
        assert "the digest misses something the loading reads" in str(result.problems)
    finally:
        path.unlink()


def test_a_damaged_entry_is_loaded_again(site: Site) -> None:
    path = site.cache_file(KEPT_FILE)
    entries: dict[bytes, bytes] = marshal.loads(path.read_bytes())  # noqa: S302 (the test's own cache)
    entries = {key: b"not a definition" for key in entries}
    path.write_bytes(marshal.dumps(entries))
    before = tree_digest(site.output)
    assert site.build().ok
    assert sorted(site.loaded) == site.charts()
    assert tree_digest(site.output) == before


def test_a_rebuild_that_draws_no_chart_does_not_load_altair(site: Site) -> None:
    # Loading Altair takes a quarter of a second: only drawing a chart or
    # running its module needs it. A fresh process, as a build from the command line.
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from tests.support import build_content
        result = build_content(Path({str(site.content)!r}), Path({str(site.output)!r}), force=True)
        assert result.ok, result.problems
        print(sorted(name for name in ("altair", "vl_convert", "pandas") if name in sys.modules))
        """
    )
    environment = {**os.environ, "PYTHONPATH": f"{ROOT / 'plugins'}:{ROOT}"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT, env=environment
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout[-2000:]
