"""The content cache: a rebuild parses only what changed, keeps problems, and
is dropped when something every file is parsed against changes."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import pelicanconf
from strictbuild.cache import check_content_cache, fingerprint
from strictbuild.state import building
from tools.bench.synthetic import SyntheticSite, features_for, generate

PROJECT = Path(__file__).resolve().parents[2]
BENCH = PROJECT / "tools" / "bench"


def _build(site: SyntheticSite) -> tuple[dict[str, object], int]:
    """Build the site in a fresh process; return its report and how many files it parsed."""
    events = site.root / "events.jsonl"
    events.unlink(missing_ok=True)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(BENCH / "hooks"), str(PROJECT / "plugins"), str(PROJECT)])
    env["BENCH_EVENTS"] = str(events)
    done = subprocess.run(
        [sys.executable, str(BENCH / "child.py"), "full", str(site.full_settings), str(site.root / "output")],
        cwd=site.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    report: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    lines = events.read_text().splitlines() if events.exists() else []
    parsed = sum(1 for line in lines if json.loads(line)["kind"] == "parse")
    return report, parsed


def _output(site: SyntheticSite) -> dict[str, str]:
    folder = site.root / "output"
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> SyntheticSite:
    root = tmp_path_factory.mktemp("cached")
    built = generate(root, 4, project=PROJECT, features=features_for(pelicanconf.PLUGINS))
    report, parsed = _build(built)
    assert report["ok"] is True, report
    assert parsed == 10  # 4 briefs and an about page, in two languages
    return built


@pytest.fixture
def site(built_once: SyntheticSite) -> SyntheticSite:
    """The module's site with a cache that matches its files, whatever test edited it before."""
    report, _parsed = _build(built_once)
    assert report["ok"] is True, report
    return built_once


def test_a_rebuild_with_nothing_changed_parses_nothing_and_writes_the_same_site(site: SyntheticSite) -> None:
    before = _output(site)
    report, parsed = _build(site)
    assert report["ok"] is True
    assert parsed == 0
    assert _output(site) == before


def _reader_caches(site: SyntheticSite) -> dict[str, int]:
    """When each reader cache file of the site (and changes file) was last written (ns)."""
    return {str(p): p.stat().st_mtime_ns for p in (site.root / "cache").rglob("*-Readers*")}


def _write_cache_whole(site: SyntheticSite) -> None:
    """Edit two briefs and build: the cache is written whole, no entry waits in a changes file.

    So a test starts the same whatever the tests before it left in the changes file.
    """
    _add_sentence(site, 0, "A settling edit.")
    _add_sentence(site, 2, "A settling edit.")
    assert _build(site)[1] == 2
    assert _changes_files(site) == []


def test_a_rebuild_that_parsed_nothing_leaves_the_reader_cache_file_as_it_was(site: SyntheticSite) -> None:
    _write_cache_whole(site)
    before = _reader_caches(site)
    assert before
    report, parsed = _build(site)
    assert (report["ok"], parsed) == (True, 0)
    assert _reader_caches(site) == before
    path = site.brief_path(3, "en")
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + " Another sentence.\n", encoding="utf-8")
    report, parsed = _build(site)
    assert (report["ok"], parsed) == (True, 1)
    after = _reader_caches(site)
    changed = [name for name in after if after[name] != before.get(name)]
    # Only the parsed brief's entry is written, beside the cache it changes.
    assert [Path(name).name for name in changed] == ["ArticlesGenerator-Readers.changes"], changed
    report, parsed = _build(site)
    assert (report["ok"], parsed) == (True, 0)  # the changes file holds the new text


def _changes_files(site: SyntheticSite) -> list[Path]:
    return sorted((site.root / "cache").rglob("*-Readers.changes"))


def _add_sentence(site: SyntheticSite, index: int, words: str) -> None:
    path = site.brief_path(index, "en")
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f" {words}\n", encoding="utf-8")


def test_changed_entries_add_up_until_the_whole_cache_is_written_again(site: SyntheticSite) -> None:
    """With 8 briefs, one changed entry may wait in the changes file; two rewrite the cache."""
    _write_cache_whole(site)  # two entries: written whole
    _add_sentence(site, 0, "A second edit.")
    assert _build(site)[1] == 1
    (changes,) = _changes_files(site)
    base = changes.with_suffix("")
    written = base.stat().st_mtime_ns
    _add_sentence(site, 0, "A third edit, of the same brief.")
    assert _build(site)[1] == 1
    assert base.stat().st_mtime_ns == written  # still one entry aside
    _add_sentence(site, 2, "A second edit, of another brief.")
    assert _build(site)[1] == 1
    assert base.stat().st_mtime_ns != written
    assert _changes_files(site) == []
    before = _output(site)
    report, parsed = _build(site)
    assert (report["ok"], parsed) == (True, 0)  # the cache written whole holds both edits
    assert _output(site) == before


def test_a_changes_file_left_from_another_cache_is_ignored(site: SyntheticSite) -> None:
    _write_cache_whole(site)
    _add_sentence(site, 1, "An edit kept aside.")
    assert _build(site)[1] == 1
    (changes,) = _changes_files(site)
    expected = _output(site)
    base = changes.with_suffix("")
    os.utime(base, ns=(base.stat().st_atime_ns, base.stat().st_mtime_ns + 1))  # another cache file
    report, parsed = _build(site)
    assert (report["ok"], parsed) == (True, 1)  # the edited brief is parsed again, from its file
    assert _output(site) == expected


def test_a_changed_brief_is_the_only_file_parsed(site: SyntheticSite) -> None:
    path = site.brief_path(1, "en")
    # A sentence more in the last paragraph: a new paragraph in one language
    # only would stop the build as translation drift (plugins/parallel).
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + " One more sentence.\n", encoding="utf-8")
    report, parsed = _build(site)
    assert report["ok"] is True
    assert parsed == 1


def test_a_cached_file_keeps_its_problems(site: SyntheticSite) -> None:
    path = site.brief_path(2, "en")
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("---\n", "---\ncolour: red\n", 1), encoding="utf-8")
    try:
        first, parsed_first = _build(site)
        second, parsed_second = _build(site)
    finally:
        path.write_text(good, encoding="utf-8")
    assert (parsed_first, parsed_second) == (1, 0)
    for report in (first, second):
        assert report["ok"] is False
        assert any("unknown front-matter field 'colour'" in str(p) for p in report["problems"]), report  # type: ignore[attr-defined]


def test_a_changed_glossary_or_setting_parses_everything_again(site: SyntheticSite) -> None:
    glossary = site.content / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("A synthetic term", "A made-up term"))
    report, parsed = _build(site)
    assert report["ok"] is True
    assert parsed == 10
    with site.full_settings.open("a", encoding="utf-8") as handle:
        handle.write("SUMMARY_MAX_LENGTH = 50\n")
    report, parsed = _build(site)
    assert report["ok"] is True
    assert parsed == 10


def test_a_build_finding_the_cache_in_use_builds_without_it(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    settings: dict[str, object] = {"PATH": str(tmp_path), "CACHE_PATH": str(cache), "CACHE_CONTENT": True}
    settings["LOAD_CONTENT_CACHE"] = True
    with building():
        assert check_content_cache(settings) is False  # no fingerprint stored yet
        assert settings["CACHE_CONTENT"] is True
        other = {**settings, "CACHE_PATH": str(cache), "LOAD_CONTENT_CACHE": True}
        with building():
            assert check_content_cache(other) is False
            assert other["CACHE_CONTENT"] is False
    # The first build ended and let go of its lock: the next one may use the cache.
    again = {**settings, "CACHE_PATH": str(cache)}
    with building():
        check_content_cache(again)
        assert again["CACHE_CONTENT"] is True


def test_the_fingerprint_ignores_what_differs_between_identical_builds(tmp_path: Path) -> None:
    settings = {"PATH": str(tmp_path), "OUTPUT_PATH": "out-a", "PLUGIN_PATHS": [], "X": object()}
    same = {**settings, "OUTPUT_PATH": "out-b", "X": object()}
    assert fingerprint(settings) == fingerprint(same)
    assert fingerprint(settings) != fingerprint({**settings, "TIMEZONE": "Asia/Taipei"})


def _readers(cache: Path, source: Path, *, load: bool, content: bool = True) -> Any:
    """Pelican's reader cache of one generator, with this plugin's saving rule on it."""
    from types import SimpleNamespace

    from pelican.readers import Readers
    from pelican.settings import DEFAULT_CONFIG

    from strictbuild.cache import save_only_when_changed

    settings = {
        # A copy of its own: Pelican's Markdown reader adds to the MARKDOWN setting.
        **copy.deepcopy(DEFAULT_CONFIG),
        "CACHE_PATH": str(cache),
        "CACHE_CONTENT": content,
        "LOAD_CONTENT_CACHE": load,
        "PATH": str(source),
    }
    readers = Readers(settings, "ArticlesGenerator-Readers")
    save_only_when_changed(SimpleNamespace(readers=readers, settings=settings))
    return readers


def test_a_cache_not_loaded_is_written_whole_even_when_one_file_was_parsed(tmp_path: Path) -> None:
    """A changes file would tie the new entry to the old cache file, whose entries are stale."""
    source = tmp_path / "a.md"
    source.write_text("A", encoding="utf-8")
    first = _readers(tmp_path / "cache", tmp_path, load=False)
    first.cache_data(str(source), ("old", {}))
    first.cache_data(str(tmp_path / "b.md"), ("old b", {}))
    first.save_cache()
    # The fingerprint changed: the cache is not loaded, and one file is parsed.
    second = _readers(tmp_path / "cache", tmp_path, load=False)
    second.cache_data(str(source), ("new", {}))
    second.save_cache()
    assert not list((tmp_path / "cache").glob("*.changes"))
    third = _readers(tmp_path / "cache", tmp_path, load=True)
    assert third.get_cached_data(str(source)) == ("new", {})
    assert third.get_cached_data(str(tmp_path / "b.md")) is None  # not the entry made under the old one


def test_a_build_without_the_cache_leaves_its_files_alone(tmp_path: Path) -> None:
    """A build that found the cache locked by another build parses everything and touches nothing."""
    source = tmp_path / "a.md"
    source.write_text("A", encoding="utf-8")
    first = _readers(tmp_path / "cache", tmp_path, load=False)
    first.cache_data(str(source), ("one", {}))
    first.save_cache()
    changes = tmp_path / "cache" / "ArticlesGenerator-Readers.changes"
    changes.write_bytes(b"another build's changes")
    other = _readers(tmp_path / "cache", tmp_path, load=False, content=False)
    other.cache_data(str(source), ("two", {}))
    other.save_cache()
    assert changes.read_bytes() == b"another build's changes"


def test_an_unreadable_changes_file_is_ignored(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text("A", encoding="utf-8")
    first = _readers(tmp_path / "cache", tmp_path, load=False)
    first.cache_data(str(source), ("one", {}))
    first.save_cache()
    (tmp_path / "cache" / "ArticlesGenerator-Readers.changes").write_bytes(b"\x1f\x8b not gzip, not pickle")
    again = _readers(tmp_path / "cache", tmp_path, load=True)
    assert again.get_cached_data(str(source)) == ("one", {})


def _articles_generator(folder: Path, layer: str) -> Any:
    """Pelican's article generator over ``folder``, its content cache at ``layer``."""
    from pelican.generators import ArticlesGenerator
    from pelican.settings import DEFAULT_CONFIG

    from strictbuild.cache import no_stamps_for_an_unused_cache

    settings = {
        **copy.deepcopy(DEFAULT_CONFIG),
        "CACHE_PATH": str(folder / "cache"),
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "CONTENT_CACHING_LAYER": layer,
        "CHECK_MODIFIED_METHOD": "blake2b",
        "PATH": str(folder),
    }
    output = str(folder / "out")
    generator = ArticlesGenerator(
        context={}, settings=settings, path=str(folder), theme=settings["THEME"], output_path=output
    )
    no_stamps_for_an_unused_cache(generator)
    return generator


def _opens_of(monkeypatch: pytest.MonkeyPatch, path: Path | None) -> list[str]:
    """Each time Pelican's cache opens ``path`` (any file if None) to hash it for a stamp, from now on."""
    import builtins

    import pelican.cache

    opened: list[str] = []

    def counting_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if path is None or os.path.abspath(str(file)) == str(path):
            opened.append(os.path.abspath(str(file)))
        return builtins.open(file, *args, **kwargs)

    monkeypatch.setattr(pelican.cache, "open", counting_open, raising=False)
    return opened


def test_a_generator_whose_own_cache_is_off_reads_no_file_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the cache at the reader, the generator's look-ups and stores hash nothing, and find nothing."""
    source = tmp_path / "a.md"
    source.write_text("Title: A\n\nA", encoding="utf-8")
    generator = _articles_generator(tmp_path, "reader")
    opened = _opens_of(monkeypatch, source)
    assert generator.get_cached_data("a.md", None) is None
    generator.cache_data("a.md", "an article")
    assert generator.get_cached_data("a.md", None) is None
    assert opened == []
    # The reader cache, which does cache, still stamps each file by its bytes.
    generator.readers.cache_data(str(source), ("<p>A</p>", {}))
    assert generator.readers.get_cached_data(str(source)) == ("<p>A</p>", {})
    assert len(opened) == 2


def test_a_generator_that_caches_still_stamps_each_file_by_its_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "a.md"
    source.write_text("Title: A\n\nA", encoding="utf-8")
    generator = _articles_generator(tmp_path, "generator")
    opened = _opens_of(monkeypatch, source)
    generator.cache_data("a.md", "an article")
    assert generator.get_cached_data("a.md", None) == "an article"
    source.write_text("Title: A\n\nB", encoding="utf-8")
    assert generator.get_cached_data("a.md", None) is None  # changed bytes: not taken
    assert len(opened) == 3


def test_a_rebuild_stamps_each_brief_and_page_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As connected in a build: the reader cache's look-up hashes a file it finds; the generators' none."""
    from collections import Counter

    from tests.support import SiteCopy

    site = SiteCopy(tmp_path)
    site.build_unchecked()
    opened = _opens_of(monkeypatch, None)
    site.build_unchecked()
    counts = Counter(opened)
    briefs = {str(p) for p in site.content.glob("briefs/*.md")}
    pages = {str(p) for p in site.content.glob("pages/*.md")}
    assert briefs
    assert pages
    assert {name: counts[name] for name in briefs | pages} == dict.fromkeys(briefs | pages, 1)
