"""Each chart's view is kept between builds, and made again only when its inputs changed.

A view (what every template shows of a chart in one language: its inline
SVGs, table, sources, embed codes) is made from the chart's module, data and
renderings, the registry and the code. Every rebuild here is compared, file
by file, with a build from nothing.
"""

from __future__ import annotations

import marshal
import pickle
import shutil
import zlib
from pathlib import Path
from typing import Any

import pytest

import charts.pages as pages_module
from charts.pages import VIEWS_FILE
from strictbuild.driver import BuildResult
from strictbuild.reuse import VERIFY_ENV
from tests.support import ROOT, SiteCopy, build_content, tree_digest


class Site(SiteCopy):
    """A copy of the project's content with its own caches, and the views each build made."""

    def __init__(self, base: Path) -> None:
        super().__init__(base)
        self.made: list[tuple[str, str]] = []

    def build(self, *, force: bool = True, **override: Any) -> BuildResult:
        self.made = []
        return super().build(force=force, **override)

    def charts(self) -> list[str]:
        return sorted(path.stem.replace("_", "-") for path in (self.content / "charts").glob("*.py"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = Site(tmp_path_factory.mktemp("chart-views"))
    site.build_unchecked()
    return site


@pytest.fixture
def site(built: Site, monkeypatch: pytest.MonkeyPatch) -> Site:
    """The module's site with its caches up to date, noting each view made."""
    monkeypatch.delenv(VERIFY_ENV, raising=False)
    built.build()
    original = pages_module.chart_view

    def noting(settings: Any, definition: Any, lang: str, *args: Any) -> Any:
        built.made.append((definition.chart_id, lang))
        return original(settings, definition, lang, *args)

    monkeypatch.setattr(pages_module, "chart_view", noting)
    return built


def test_a_rebuild_makes_no_view_and_gives_the_same_site(site: Site) -> None:
    before = tree_digest(site.output)
    site.build()
    assert site.made == []
    assert tree_digest(site.output) == before


def test_a_chart_s_new_data_makes_that_chart_s_views_alone(site: Site) -> None:
    path = site.content / "data" / "h200-timeline.csv"
    before = path.read_text(encoding="utf-8")
    path.write_text(before.replace("Trump announces H200 sales", "Trump announces sales of the H200", 1))
    try:
        site.build()
        assert sorted(site.made) == [("h200-timeline", "en"), ("h200-timeline", "zh-TW")]
        assert tree_digest(site.output) == site.cold()
    finally:
        path.write_text(before, encoding="utf-8")


def test_a_changed_source_makes_every_view_again(site: Site) -> None:
    """The registry gives every view its source lines: a view is kept only with the same registry."""
    path = site.content / "sources.yaml"
    before = path.read_text(encoding="utf-8")
    assert 'en: "Mainland expert:' in before
    path.write_text(before.replace('en: "Mainland expert:', 'en: "Revised: Mainland expert:', 1))
    try:
        site.build()
        assert len(site.made) == 2 * len(site.charts())
        assert tree_digest(site.output) == site.cold()
    finally:
        path.write_text(before, encoding="utf-8")


def test_with_the_check_on_a_stale_view_stops_the_build(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    path = site.cache_file(VIEWS_FILE)
    entries: dict[bytes, bytes] = marshal.loads(path.read_bytes())  # noqa: S302 (the test's own cache)
    key = next(iter(entries))
    view = pickle.loads(zlib.decompress(entries[key]))  # noqa: S301
    view.title = "A stale title"
    entries[key] = zlib.compress(pickle.dumps(view))
    path.write_bytes(marshal.dumps(entries))
    monkeypatch.setenv(VERIFY_ENV, "1")
    try:
        result = build_content(site.content, site.output, force=True)
        assert not result.ok
        assert "its digest misses something it reads" in str(result.problems)
    finally:
        path.unlink()


def test_a_view_whose_making_reports_a_problem_is_not_kept(site: Site) -> None:
    """A credit line with no translation fails every build until it is translated.

    Kept, the view would skip the lookup that reports it, and the next build
    would publish the English credit on the Chinese chart pages.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po, write_po

    theme = site.base / "theme"
    shutil.copytree(ROOT / "theme", theme, ignore=shutil.ignore_patterns("__pycache__"))
    folder = theme / "translations" / "zh_Hant_TW" / "LC_MESSAGES"
    with open(folder / "messages.po", "rb") as handle:
        catalog = read_po(handle)
    message = "Chart: “%(title)s”, %(site)s, %(url)s (%(licence)s)"
    assert catalog.get(message) is not None
    catalog.delete(message)
    with open(folder / "messages.po", "wb") as handle:
        write_po(handle, catalog)
    with open(folder / "messages.mo", "wb") as handle:
        write_mo(handle, catalog)
    for _ in range(2):
        result = build_content(site.content, site.output, force=True, THEME=str(theme))
        assert not result.ok
        assert "Chart: “%(title)s”" in str(result.problems)
    shutil.rmtree(theme)
