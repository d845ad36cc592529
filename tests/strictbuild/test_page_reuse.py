"""A rebuild copies the pages whose inputs did not change, and only those.

Each rebuild after a change is compared, file by file, with a build of the
same content from nothing (no content cache, no previous output): keeping a
page must never leave it different from what rendering it would give.
"""

from __future__ import annotations

import copy
import hashlib
import importlib
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pelican.writers import FileOverwriteFailedError

from parallel.pages import ParallelPagesGenerator
from strictbuild.reuse import MANIFEST_FILE, VERIFY_ENV, PageReuse, ReusingWriter, bytes_hash, digest_of
from tests.support import SiteCopy, build_content, tree_digest

KEPT = "pages copied unchanged"


class Site(SiteCopy):
    """A copy of the project's content and theme that a test may edit, with its own caches."""

    def __init__(self, base: Path) -> None:
        super().__init__(base, theme=True)

    def briefs(self) -> list[Path]:
        return sorted((self.content / "briefs").glob("*.md"))

    def kept_pages(self) -> int:
        """How many pages a rebuild with nothing changed may copy.

        Briefs, pages and side-by-side pages; in each language the sources
        and glossary pages; and each chart's page and embed page in each language.
        """
        briefs = self.briefs()
        slugs = {path.name.split(".")[0] for path in briefs}
        languages = len(briefs) // len(slugs)
        pages = list((self.content / "pages").glob("*.md"))
        charts = list((self.content / "charts").glob("*.py"))
        side_by_side = len(briefs) if languages > 1 else 0
        return len(briefs) + len(pages) + side_by_side + languages * (2 + 2 * len(charts))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = Site(tmp_path_factory.mktemp("reuse"))
    result = site.build_unchecked()
    assert KEPT not in result.counts
    return site


@pytest.fixture
def site(built: Site, monkeypatch: pytest.MonkeyPatch) -> Site:
    """The module's site, rebuilt so its caches match its files, without the render-and-compare check."""
    monkeypatch.delenv(VERIFY_ENV, raising=False)
    built.build()
    return built


def _edit(path: Path, change: Callable[[str], str]) -> str:
    before = path.read_text(encoding="utf-8")
    after = change(before)
    assert after != before
    path.write_text(after, encoding="utf-8")
    return before


def test_a_rebuild_with_nothing_changed_copies_every_brief_page_and_side_by_side_page(site: Site) -> None:
    before = tree_digest(site.output)
    result = site.build()
    assert result.counts[KEPT] == site.kept_pages() > 0, result.counts
    assert tree_digest(site.output) == before


def _reword(text: str) -> str:
    return text.replace("mixed [@cna2026].", "mixed, by its account [@cna2026].", 1)


def test_one_changed_brief_renders_its_page_and_its_side_by_side_pages_only(site: Site) -> None:
    path = site.content / "briefs" / "h200-reversal.en.md"
    before = _edit(path, _reword)
    try:
        result = site.build()
        # its own page and the two side-by-side pages that show it
        assert result.counts[KEPT] == site.kept_pages() - 3, result.counts
        assert "mixed, by its account" in (site.output / "en" / "h200-reversal" / "index.html").read_text()
        assert tree_digest(site.output) == site.cold()
    finally:
        path.write_text(before, encoding="utf-8")


@pytest.mark.parametrize(
    ("where", "change"),
    [
        # a title other briefs show in their related briefs and language switches
        (
            "content/briefs/procurement-list.en.md",
            lambda text: re.sub(r"(?m)^title: (.*)$", r"title: \1, revised", text, count=1),
        ),
        # a source's headline, shown in every citing brief's source list and previews
        (
            "content/sources.yaml",
            lambda text: text.replace('en: "Mainland expert:', 'en: "Revised: Mainland expert:', 1),
        ),
        # a glossary definition, shown in the previews of every brief that uses the term
        (
            "content/glossary.yaml",
            lambda text: text.replace('en: "A US chip designer', 'en: "A revised US chip designer', 1),
        ),
        # a template every brief includes
        (
            "theme/templates/partials/brief_citations.html",
            lambda text: text.replace('id="related-title">', 'id="related-title" class="revised">', 1),
        ),
        # a chart's data, shown in every brief that places the chart
        (
            "content/data/h200-timeline.csv",
            lambda text: text.replace("Trump announces H200 sales", "Trump announces sales of the H200", 1),
        ),
        # a source cited in one more paragraph: the sources page links each citing paragraph
        (
            "content/briefs/h200-reversal.en.md",
            lambda text: text.replace(
                "export licence were being settled with the US government [@cna2026].",
                "export licence were being settled with the US government [@cna2026; @caixun2025].",
                1,
            ),
        ),
    ],
    ids=["title", "source", "glossary", "template", "chart-data", "citation"],
)
def test_a_change_that_other_pages_show_renders_them_again(
    site: Site, where: str, change: Callable[[str], str]
) -> None:
    path = site.base / where
    before = _edit(path, change)
    try:
        result = site.build()
        assert result.counts.get(KEPT, 0) < site.kept_pages(), result.counts
        assert tree_digest(site.output) == site.cold()
    finally:
        path.write_text(before, encoding="utf-8")


def _pages(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*.html")
    }


def test_a_changed_chart_data_renders_only_the_pages_that_show_that_chart(site: Site) -> None:
    path = site.content / "data" / "h200-timeline.csv"
    shown = _pages(site.output)
    before = _edit(
        path, lambda text: text.replace("Trump announces H200 sales", "Trump announces sales of the H200", 1)
    )
    try:
        result = site.build()
        now = _pages(site.output)
        changed = sorted(name for name, digest in now.items() if shown.get(name) != digest)
        # The chart's page and embed page in each language, the briefs placing it and their
        # side-by-side pages: every page rendered again is one whose bytes changed.
        assert any(name.startswith("en/charts/h200-timeline/") for name in changed), changed
        assert site.kept_pages() - result.counts[KEPT] == len(changed), (result.counts, changed)
        assert len(changed) < site.kept_pages() / 3
        assert tree_digest(site.output) == site.cold()
    finally:
        path.write_text(before, encoding="utf-8")


def _chart_files(folder: Path) -> dict[str, int]:
    """Each chart's drawings and data file in the site, by path: its inode."""
    return {
        str(path.relative_to(folder)): path.stat().st_ino
        for path in folder.rglob("*")
        if "charts" in path.parts and path.suffix in {".svg", ".png", ".csv"}
    }


def test_a_charts_files_are_the_previous_sites_files_linked_until_its_drawing_changes(site: Site) -> None:
    before = _chart_files(site.output)
    path = site.content / "data" / "h200-timeline.csv"
    edited = _edit(
        path, lambda text: text.replace("Trump announces H200 sales", "Trump announces sales of the H200", 1)
    )
    try:
        site.build()
        after = _chart_files(site.output)
        assert tree_digest(site.output) == site.cold()
    finally:
        path.write_text(edited, encoding="utf-8")
    assert after.keys() == before.keys()
    new = sorted(name for name in after if before[name] != after[name])
    # That chart's files in each language are new; every other chart's are the same files.
    assert new, new
    assert all("/h200-timeline/" in name for name in new), new
    assert len(new) < len(after) / 3, new


def _inodes(folder: Path) -> dict[str, int]:
    return {str(path.relative_to(folder)): path.stat().st_ino for path in folder.rglob("*.html")}


def test_a_kept_page_is_the_previous_sites_file_linked_not_written_again(site: Site) -> None:
    before = _inodes(site.output)
    path = site.content / "briefs" / "h200-reversal.en.md"
    edited = _edit(path, _reword)
    try:
        result = site.build()
    finally:
        path.write_text(edited, encoding="utf-8")
    after = _inodes(site.output)
    same = sorted(name for name in after if before.get(name) == after[name])
    # Every kept page, and only those: the changed brief's page is new.
    assert len(same) == result.counts[KEPT] == site.kept_pages() - 3, result.counts
    assert "en/h200-reversal/index.html" not in same


def _cite_files(folder: Path) -> dict[str, int]:
    return {str(path.relative_to(folder)): path.stat().st_ino for path in folder.rglob("cite.*")}


def test_one_changed_brief_makes_the_citation_texts_and_files_of_its_pages_only(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kept brief's "cite this" texts are never made; its cite files are the previous site's, linked."""
    resolve = importlib.import_module("citations.resolve")  # citations.resolve is also a function

    made: list[str] = []
    real = resolve.cite_this

    def counted(**fields: Any) -> Any:
        made.append(f"{fields['slug']}.{fields['lang']}")
        return real(**fields)

    monkeypatch.setattr(resolve, "cite_this", counted)
    before = _cite_files(site.output)
    path = site.content / "briefs" / "h200-reversal.en.md"
    edited = _edit(path, _reword)
    try:
        site.build()
    finally:
        path.write_text(edited, encoding="utf-8")
    after = _cite_files(site.output)
    assert after.keys() == before.keys()
    assert len(after) == 2 * len(site.briefs())
    # The edit changes the brief's page digest, so its files are made again (same bytes);
    # the side-by-side pages rendered with it show no "cite this" texts.
    written = sorted(name for name in after if before[name] != after[name])
    assert written == ["en/h200-reversal/cite.bib", "en/h200-reversal/cite.json"], written
    assert made == ["h200-reversal.en"], made


def test_the_sources_pages_index_of_citing_places_is_made_only_when_one_is_rendered(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolve = importlib.import_module("citations.resolve")  # citations.resolve is also a function

    made: list[int] = []
    real = resolve._citing_index

    def counted(*args: Any) -> Any:
        made.append(1)
        return real(*args)

    monkeypatch.setattr(resolve, "_citing_index", counted)
    path = site.content / "briefs" / "h200-reversal.en.md"
    edited = _edit(path, _reword)  # no citing place changes: both sources pages are kept
    try:
        site.build()
        assert made == []
        _edit(path, lambda text: text.replace("[@cna2026].", "[@cna2026; @caixun2025].", 1))
        site.build()  # one more citing place: the English sources page is rendered
        assert made == [1]
    finally:
        path.write_text(edited, encoding="utf-8")


def test_with_verify_set_a_kept_cite_file_is_made_again_and_compared(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    import citations.pages as pages

    real = pages._cite_text
    monkeypatch.setattr(pages, "_cite_text", lambda cites, kind: real(cites, kind) + "% revised\n")
    monkeypatch.setenv(VERIFY_ENV, "1")
    result = build_content(site.content, site.output, force=True, THEME=str(site.theme))
    assert not result.ok
    messages = [problem.message for problem in result.problems]
    assert any("making it again gives different bytes" in message for message in messages), messages


def test_a_failed_build_after_linking_pages_leaves_the_previous_site_byte_for_byte(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    digests = tree_digest(site.output)
    links: list[int] = []

    def fail(generator: object, writer: ReusingWriter) -> None:
        # By now the briefs' pages are kept, as links; one is written again.
        page = Path(writer.output_path) / "en" / "h200-reversal" / "index.html"
        links.append(page.stat().st_nlink)
        with writer._open_w(str(page), "utf-8", override=True) as handle:
            handle.write("written again by a later step")
        raise RuntimeError("stopped once the briefs' pages are written")

    with monkeypatch.context() as patch:
        patch.setattr(ParallelPagesGenerator, "generate_output", fail)
        result = build_content(site.content, site.output, force=True, THEME=str(site.theme))
    assert not result.ok
    assert links == [2]  # the kept page was the previous site's file, linked
    assert tree_digest(site.output) == digests


def _kept(tmp_path: Path) -> tuple[PageReuse, ReusingWriter, Path, Path]:
    """A previous site with one page read as kept, and a writer for the new site."""
    previous, staging = tmp_path / "output", tmp_path / "staging"
    previous.mkdir()
    staging.mkdir()
    data = b"the previous site"
    (previous / "index.html").write_bytes(data)
    reuse = PageReuse(output=previous, cache_path=tmp_path / "cache")
    reuse.previous["index.html"] = ("digest", bytes_hash(data))
    kept = reuse.kept_copy("index.html", "digest")
    assert kept is not None
    assert kept.data == data
    return reuse, ReusingWriter(str(staging), settings={}), previous / "index.html", staging / "index.html"


def test_a_linked_page_is_written_again_only_as_pelican_allows_and_never_in_place(tmp_path: Path) -> None:
    reuse, writer, previous, page = _kept(tmp_path)
    assert writer._link(reuse, "index.html", str(page), False)
    assert page.stat().st_ino == previous.stat().st_ino
    with pytest.raises(FileOverwriteFailedError):
        writer._open_w(str(page), "utf-8")  # a second write needs override, as in Pelican
    assert page.stat().st_ino == previous.stat().st_ino  # refused: the link stays
    with writer._open_w(str(page), "utf-8", override=True) as handle:
        handle.write("this build's page")
    assert previous.read_text(encoding="utf-8") == "the previous site"
    assert page.read_text(encoding="utf-8") == "this build's page"


def test_a_page_changed_since_it_was_read_is_not_linked(tmp_path: Path) -> None:
    reuse, writer, previous, page = _kept(tmp_path)
    previous.write_bytes(b"edited by hand meanwhile")
    assert not writer._link(reuse, "index.html", str(page), False)
    assert not page.exists()
    assert str(page) not in writer._written_files


def test_another_address_renders_every_page_again(site: Site) -> None:
    result = site.build(SITEURL="https://example.org/chips", RELATIVE_URLS=False)
    assert KEPT not in result.counts
    assert "https://example.org/chips/" in (site.output / "en" / "h200-reversal" / "index.html").read_text()


def test_a_page_edited_in_the_output_is_rendered_again(site: Site) -> None:
    page = site.output / "en" / "h200-reversal" / "index.html"
    expected = page.read_bytes()
    page.write_bytes(expected.replace(b"</main>", b"<p>edited by hand</p></main>"))
    result = site.build()
    assert result.counts[KEPT] == site.kept_pages() - 1, result.counts
    assert page.read_bytes() == expected


def test_a_failed_build_keeps_the_record_of_the_site_in_place(site: Site) -> None:
    records = list((site.base / "cache" / "content").rglob(MANIFEST_FILE))
    assert len(records) == 1
    recorded = records[0].read_bytes()
    path = site.content / "briefs" / "h200-reversal.en.md"
    before = _edit(path, lambda text: text.replace("[@cna2026]", "[@no-such-source]", 1))
    try:
        result = build_content(site.content, site.output, THEME=str(site.theme))
        assert not result.ok
    finally:
        path.write_text(before, encoding="utf-8")
    assert records[0].read_bytes() == recorded
    assert site.build().counts[KEPT] == site.kept_pages()


def test_with_verify_set_every_kept_page_is_rendered_and_compared(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test suite's own builds run this way: a digest that missed an input would stop them."""
    import strictbuild.reuse as reuse

    monkeypatch.setenv(VERIFY_ENV, "1")
    assert site.build().ok
    # A digest blind to the items keeps a page whose HTML changed: the check catches it.
    real = reuse.PageReuse.page_digest

    def blind(self: reuse.PageReuse, name: str, template: object, *_item: object, **kw: bool) -> object:
        return real(self, name, template, [], {}, **kw)

    monkeypatch.setattr(reuse.PageReuse, "page_digest", blind)
    assert site.build().ok  # records the blind digests
    path = site.content / "briefs" / "h200-reversal.en.md"
    before = _edit(path, _reword)
    try:
        result = build_content(site.content, site.output, THEME=str(site.theme))
    finally:
        path.write_text(before, encoding="utf-8")
    assert not result.ok
    messages = [problem.message for problem in result.problems]
    assert any("rendering it again gives different bytes" in message for message in messages), messages


def test_a_side_by_side_page_missing_from_the_output_is_rendered_again(site: Site) -> None:
    """Its brief's side-by-side pages are then aligned and made again, the other one copied."""
    page = site.output / "en" / "h200-reversal" / "parallel" / "index.html"
    expected = page.read_bytes()
    page.unlink()
    result = site.build()
    assert result.counts[KEPT] == site.kept_pages() - 1, result.counts
    assert page.read_bytes() == expected


def test_a_catalog_outside_the_theme_is_part_of_every_page_digest(site: Site) -> None:
    catalogs = site.base / "catalogs"
    shutil.rmtree(catalogs, ignore_errors=True)
    shutil.copytree(site.theme / "translations", catalogs)
    site.build(BILINGUAL_CATALOG_PATHS=[str(catalogs)])
    (po,) = catalogs.rglob("messages.po")
    _edit(
        po, lambda text: text.replace('msgid "Sources"\nmsgstr "來源"', 'msgid "Sources"\nmsgstr "資料來源"')
    )
    result = site.build(BILINGUAL_CATALOG_PATHS=[str(catalogs)])
    assert KEPT not in result.counts, result.counts
    assert "資料來源" in (site.output / "zh-tw" / "h200-reversal" / "index.html").read_text(encoding="utf-8")


def test_a_static_file_is_read_by_its_source_only(tmp_path: Path) -> None:
    """Asking a static file for its address pins it, which would stop {attach} links from moving it."""
    from pelican.contents import Static
    from pelican.settings import DEFAULT_CONFIG

    static = Static(
        "", settings=copy.deepcopy(DEFAULT_CONFIG), source_path=str(tmp_path / "a.png"), context={}
    )
    other = Static("", settings=copy.deepcopy(DEFAULT_CONFIG), source_path="b.png")
    assert digest_of(static) != digest_of(other)
    assert static._output_location_referenced is False


def test_the_watcher_starts_again_when_the_plugins_code_changes(tmp_path: Path) -> None:
    """A watched rebuild would run the plugins as first imported while the caches key on the files."""
    from strictbuild.driver import code_changed

    plugins = tmp_path / "plugins"
    assert code_changed([(2, str(plugins / "charts" / "render.py"))], plugins)
    assert not code_changed([(2, str(plugins / "charts" / "README.md"))], plugins)
    assert not code_changed([(2, str(tmp_path / "content" / "charts" / "timeline.py"))], plugins)
