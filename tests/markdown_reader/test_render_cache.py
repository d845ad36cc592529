"""The render pass keeps each file's HTML between builds, and renders only what changed.

Every rebuild here is compared, file by file, with a build of the same content
from nothing: a kept HTML must never leave the site different from what
rendering would give.
"""

from __future__ import annotations

import marshal
import shutil
import zlib
from pathlib import Path
from typing import Any

import pytest

import markdown_reader.render as render_module
import pelicanconf
from markdown_reader import ParsedDocument, RenderCache, SiteFunction, make_markdown
from markdown_reader.render import RENDER_CACHE_FILE
from strictbuild.driver import BuildResult
from strictbuild.kept import KeptValues
from strictbuild.reuse import VERIFY_ENV
from tests.support import ROOT, SiteCopy, build_content, tree_digest


class Site(SiteCopy):
    """A copy of the project's content with its own caches, and the files each build rendered."""

    def __init__(self, base: Path) -> None:
        super().__init__(base)
        self.rendered: list[str] = []

    def build(self, *, force: bool = True, **override: Any) -> BuildResult:
        """Build in full (no up-to-date shortcut); ``rendered`` lists the files the render pass rendered."""
        self.rendered = []
        return super().build(force=force, **override)

    def markdown_files(self) -> list[str]:
        return sorted(p.relative_to(self.content).as_posix() for p in self.content.rglob("*.md"))

    def entries(self) -> dict[bytes, bytes]:
        """The render cache's entries: compressed HTML by digest."""
        entries: dict[bytes, bytes] = marshal.loads(self.cache_file(RENDER_CACHE_FILE).read_bytes())  # noqa: S302 (test's own)
        return entries


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = Site(tmp_path_factory.mktemp("render-cache"))
    site.build_unchecked()
    return site


@pytest.fixture
def site(built: Site, monkeypatch: pytest.MonkeyPatch) -> Site:
    """The module's site with its caches up to date, counting what the render pass renders."""
    monkeypatch.delenv(VERIFY_ENV, raising=False)
    built.build()
    original = render_module.render_document

    def counting(md: Any, document: Any, path: str, extra: Any = None) -> str:
        # The side-by-side pages render a version again with its own address: not the render pass.
        if not (extra and "address" in extra):
            built.rendered.append(path)
        return original(md, document, path, extra)

    monkeypatch.setattr(render_module, "render_document", counting)
    return built


def _changed(path: Path, old: str, new: str) -> str:
    before = path.read_text(encoding="utf-8")
    assert old in before
    path.write_text(before.replace(old, new, 1), encoding="utf-8")
    return before


def test_a_rebuild_renders_no_file_and_gives_the_same_site(site: Site) -> None:
    before = tree_digest(site.output)
    site.build()
    assert site.rendered == []
    assert tree_digest(site.output) == before
    assert len(site.entries()) == len(site.markdown_files())


def test_one_changed_brief_renders_that_file_alone(site: Site) -> None:
    path = site.content / "briefs" / "h200-reversal.en.md"
    before = _changed(path, "mixed [@cna2026].", "mixed, by its account [@cna2026].")
    try:
        site.build()
        assert site.rendered == ["content/briefs/h200-reversal.en.md"]
        assert "mixed, by its account" in (site.output / "en" / "h200-reversal" / "index.html").read_text()
        assert tree_digest(site.output) == site.cold()
        # The entry of the file's old text is gone: the cache holds this build's files only.
        assert len(site.entries()) == len(site.markdown_files())
    finally:
        path.write_text(before, encoding="utf-8")


def test_a_renamed_brief_renders_the_files_that_link_to_it(site: Site) -> None:
    """A link to another brief is rendered to that brief's source file, which the rename moves."""
    old = site.content / "briefs" / "equipment-controls.en.md"
    new = old.with_name("equipment-controls-renamed.en.md")
    old.rename(new)
    try:
        site.build()
        assert "content/briefs/h200-reversal.en.md" in site.rendered  # links to it
        assert "content/briefs/equipment-controls-renamed.en.md" in site.rendered
        assert not [path for path in site.rendered if ".zh-TW." in path]  # another language's links
        assert tree_digest(site.output) == site.cold()
    finally:
        new.rename(old)


def test_a_chart_s_new_data_renders_the_files_that_place_it_in_that_language(site: Site) -> None:
    """The row changed is English text: the chart's Chinese figure, and its files, stay the same."""
    path = site.content / "data" / "h200-timeline.csv"
    placing = sorted(
        p.relative_to(site.base).as_posix()
        for p in (site.content / "briefs").glob("*.md")
        if "{chart} h200-timeline" in p.read_text(encoding="utf-8")
    )
    assert placing
    before = _changed(path, "Trump announces H200 sales", "Trump announces sales of the H200")
    try:
        site.build()
        assert sorted(site.rendered) == [p for p in placing if p.endswith(".en.md")]
        assert tree_digest(site.output) == site.cold()
    finally:
        path.write_text(before, encoding="utf-8")


def test_with_the_check_on_a_stale_entry_stops_the_build(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """STRICTBUILD_VERIFY_REUSE=1 renders every file found in the cache and compares."""
    cache = site.cache_file(RENDER_CACHE_FILE)
    entries = site.entries()
    key = next(iter(entries))
    entries[key] = zlib.compress(b"<p>stale</p>")
    cache.write_bytes(marshal.dumps(entries))
    monkeypatch.setenv(VERIFY_ENV, "1")
    try:
        result = build_content(site.content, site.output, force=True)
        assert not result.ok
        assert "render cache's digest misses something" in str(result.problems)
    finally:
        cache.unlink()


def test_an_unreadable_cache_renders_every_file(site: Site) -> None:
    before = tree_digest(site.output)
    site.cache_file(RENDER_CACHE_FILE).write_bytes(b"\x00not a cache")
    site.build()
    assert sorted(site.rendered) == [f"content/{name}" for name in site.markdown_files()]
    assert tree_digest(site.output) == before
    site.build()
    assert site.rendered == []


def _key(cache: RenderCache, extra: dict[str, Any]) -> bytes | None:
    md = make_markdown()
    env: dict[str, Any] = {"source_path": "brief.md", "settings": {}, "problems": []}
    return cache.key(ParsedDocument.of(md.parse("A [link](https://example.org/).\n", env), env), extra)


def test_the_key_reads_every_value_and_what_each_function_states() -> None:
    cache = RenderCache(KeptValues("unused", {}), b"base")
    plain = _key(cache, {"glossary_url": "../glossary/"})
    assert plain is not None
    assert plain == _key(cache, {"glossary_url": "../glossary/"})
    assert plain != _key(cache, {"glossary_url": "../../glossary/"})
    other_code = RenderCache(KeptValues("unused", {}), b"other code")
    assert plain != _key(other_code, {"glossary_url": "../glossary/"})
    stated = _key(cache, {"href": SiteFunction(str.upper, ["a", "b"])})
    assert stated is not None
    assert stated == _key(cache, {"href": SiteFunction(str.lower, ["a", "b"])})  # by what it reads
    assert stated != _key(cache, {"href": SiteFunction(str.upper, ["a", "c"])})


def test_a_function_that_does_not_state_what_it_reads_is_rendered_every_time() -> None:
    cache = RenderCache(KeptValues("unused", {}), b"base")
    assert _key(cache, {"href": lambda slug: slug}) is None
    assert _key(cache, {"value": object()}) is None  # no digest rule


def test_a_render_that_reports_a_problem_is_not_kept(site: Site) -> None:
    """A message with no translation fails the build on every build until it is translated.

    Kept, the file's HTML would skip the lookup that reports it, and the next
    build would publish the untranslated text. The side-by-side pages render
    each brief again and would report it anyway: without them, only the
    render pass sees the figures of the briefs and pages.
    """
    theme = site.base / "theme"
    shutil.copytree(ROOT / "theme", theme, ignore=shutil.ignore_patterns("__pycache__"))
    figure = theme / "templates" / "partials" / "chart_figure.html"
    text = figure.read_text(encoding="utf-8")
    # Not on the chart's own page, which is written again after a failed build and would report it.
    mark = "{% if not on_chart_page %}"
    assert mark in text
    untranslated = mark + '{{ _("A line no catalog translates") }}'
    figure.write_text(text.replace(mark, untranslated, 1), encoding="utf-8")
    plugins = [name for name in pelicanconf.PLUGINS if name != "parallel"]
    for _ in range(2):
        result = build_content(site.content, site.output, force=True, THEME=str(theme), PLUGINS=plugins)
        assert not result.ok
        assert "A line no catalog translates" in str(result.problems)
    shutil.rmtree(theme)


def test_a_damaged_entry_is_rendered_again(site: Site) -> None:
    before = tree_digest(site.output)
    cache = site.cache_file(RENDER_CACHE_FILE)
    entries = site.entries()
    damaged = next(iter(entries))
    entries[damaged] = entries[damaged][:10]
    cache.write_bytes(marshal.dumps(entries))
    site.build()
    assert len(site.rendered) == 1
    assert tree_digest(site.output) == before
    assert site.entries().keys() == entries.keys()
    site.build()
    assert site.rendered == []


def test_ignoring_the_cache_renders_every_file_and_keeps_them_for_the_next_build(site: Site) -> None:
    site.build(LOAD_CONTENT_CACHE=False)
    assert len(site.rendered) == len(site.markdown_files())
    site.build()
    assert site.rendered == []
