"""The search index step: Pagefind runs over the written site, and its failure stops the build."""

from __future__ import annotations

import errno
import gzip
import json
import marshal
import os
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from search import index, reuse
from strictbuild.problems import ContentProblems
from strictbuild.state import building
from strictbuild.swap import replace_ahead

PAGE = (
    '<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>'
    "<body><article data-pagefind-body><h1>{title}</h1><p>{text}</p>"
    '<section data-pagefind-ignore="all"><p>{ignored}</p></section></article></body></html>'
)


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    pages = {
        "en/a/index.html": ("en", "Export controls", "The procurement list adds domestic chips.", "left out"),
        "zh-tw/a/index.html": ("zh-Hant-TW", "出口管制", "官方採購清單首次納入國產晶片。", "不應索引"),
    }
    for path, (lang, title, text, ignored) in pages.items():
        target = site / path
        target.parent.mkdir(parents=True)
        target.write_text(PAGE.format(lang=lang, title=title, text=text, ignored=ignored), encoding="utf-8")
    return site


def _pelican(site: Path, **settings: object) -> SimpleNamespace:
    """What build_index reads of Pelican; the bundle cache sits beside the site's (absent) content."""
    merged = {"PLUGINS": ["search"], "PATH": str(site.parent / "content"), **settings}
    return SimpleNamespace(settings=merged, output_path=str(site))


def _bundle(site: Path) -> dict[str, bytes]:
    files = sorted(p for p in (site / "pagefind").rglob("*") if p.is_file())
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in files}


def test_each_language_gets_its_own_index_and_only_what_readers_load(tmp_path: Path) -> None:
    site = _site(tmp_path)
    index.build_index(_pelican(site))
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert list(entry["languages"]) == ["en", "zh-hant-tw"], entry["languages"]
    assert all(info["page_count"] == 1 for info in entry["languages"].values()), entry["languages"]
    assert (site / "pagefind" / "pagefind.js").is_file()
    left = [name for name in index.UNUSED if (site / "pagefind" / name).exists()]
    assert not left, f"unused bundle files published: {left}"


def test_the_same_site_gives_the_same_index(tmp_path: Path) -> None:
    digests = []
    for run in ("one", "two"):
        site = _site(tmp_path / run)
        index.build_index(_pelican(site))
        files = sorted(p for p in (site / "pagefind").rglob("*") if p.is_file())
        digests.append({p.relative_to(site).as_posix(): p.read_bytes() for p in files})
    assert digests[0] == digests[1], "two runs over the same pages wrote different bundles"


def test_a_failing_indexer_stops_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _site(tmp_path)
    monkeypatch.setattr(index, "pagefind_executable", lambda: "false")
    with pytest.raises(ContentProblems) as stop:
        index.build_index(_pelican(site))
    assert "search index" in str(stop.value), str(stop.value)


def test_the_index_can_be_switched_off(tmp_path: Path) -> None:
    site = _site(tmp_path)
    index.build_index(SimpleNamespace(settings={"SEARCH_INDEX": False}, output_path=str(site)))
    assert not (site / "pagefind").exists()


def test_a_build_without_the_plugin_gets_no_index(tmp_path: Path) -> None:
    """Signals outlive a build: a later build that does not list the plugin is left alone."""
    site = _site(tmp_path)
    index.build_index(SimpleNamespace(settings={"PLUGINS": ["bilingual"]}, output_path=str(site)))
    assert not (site / "pagefind").exists()


def test_a_rebuild_of_the_same_pages_copies_the_index_without_running_pagefind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(tmp_path / "first")
    cache = tmp_path / "cache"
    index.build_index(_pelican(site, SEARCH_CACHE_PATH=str(cache)))
    first = _bundle(site)
    again = _site(tmp_path / "second")  # the next build's fresh output folder
    monkeypatch.setattr(index.subprocess, "Popen", lambda *a, **k: pytest.fail("Pagefind ran again"))
    index.build_index(_pelican(again, SEARCH_CACHE_PATH=str(cache)))
    assert _bundle(again) == first


def test_a_changed_page_is_indexed_again_in_its_language_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    site = _site(tmp_path / "first")
    index.build_index(_pelican(site, SEARCH_CACHE_PATH=str(cache)))
    changed = _site(tmp_path / "second")
    page = changed / "en" / "a" / "index.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("domestic chips", "lithography"), encoding="utf-8")
    runs = _count_runs(monkeypatch)
    index.build_index(_pelican(changed, SEARCH_CACHE_PATH=str(cache)))
    assert len(runs) == 1
    (script,) = [run.args[-1] for run in runs]  # type: ignore[attr-defined]
    assert script.count("--site") == 1, script  # English only: the Chinese index came from the cache
    assert _bundle(changed) != _bundle(site)
    assert {k: v for k, v in _bundle(changed).items() if "zh-hant-tw" in k} == {
        k: v for k, v in _bundle(site).items() if "zh-hant-tw" in k
    }
    assert (
        len([p for p in cache.iterdir() if p.is_dir() and p.name != index.PAGES]) == 3
    )  # English twice, Chinese once
    # The same bundle as a build that indexed both languages afresh.
    fresh = _site(tmp_path / "fresh")
    (fresh / "en" / "a" / "index.html").write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
    index.build_index(_pelican(fresh, SEARCH_CACHE_PATH=str(tmp_path / "cache-fresh")))
    assert _bundle(changed) == _bundle(fresh)


def test_the_bundle_is_that_of_one_pagefind_run_over_every_page(tmp_path: Path) -> None:
    # Each language is indexed alone; the bundle must still be byte for
    # byte what one run over all the pages gives (tidied the same way).
    site = _site(tmp_path)
    whole = tmp_path / "whole"
    subprocess.run(
        [index.pagefind_executable(), "--site", str(site), "--output-path", str(whole), *index.FLAGS],
        check=True,
    )
    index._merge([whole], tmp_path / "tidied")
    index.build_index(_pelican(site, SEARCH_CACHE_PATH=str(tmp_path / "cache")))
    tidied = {
        p.relative_to(tmp_path / "tidied").as_posix(): p.read_bytes()
        for p in (tmp_path / "tidied").rglob("*")
        if p.is_file()
    }
    assert {name.removeprefix("pagefind/"): data for name, data in _bundle(site).items()} == tidied
    assert len([n for n in tidied if n.startswith("fragment/")]) == 2


def test_two_builds_storing_the_same_index_both_succeed(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "pagefind-entry.json").write_text("{}", encoding="utf-8")
    other = tmp_path / "other"
    shutil.copytree(bundle, other)
    cache = tmp_path / "cache"
    reuse.store(cache, "samekey", bundle)
    assert not bundle.exists(), "a run's bundle is moved into the cache, not copied"
    reuse.store(cache, "samekey", other)  # the second finds the key taken: the same bundle
    assert (cache / "samekey" / "pagefind-entry.json").read_text(encoding="utf-8") == "{}"
    assert [p.name for p in cache.iterdir()] == ["samekey"]
    assert other.exists()  # left to its build, which removes its folder


def test_a_bundle_on_another_file_system_is_copied_into_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = tmp_path / "bundle"
    (bundle / "fragment").mkdir(parents=True)
    (bundle / "fragment" / "en_1234567.pf_fragment").write_bytes(b"fragment")
    real = Path.rename

    def across(self: Path, target: Path) -> Path:
        if self == bundle:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real(self, target)

    monkeypatch.setattr(Path, "rename", across)
    reuse.store(tmp_path / "cache", "key", bundle)
    assert (tmp_path / "cache" / "key" / "fragment" / "en_1234567.pf_fragment").read_bytes() == b"fragment"
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["key"]  # no staging folder left


def test_a_cached_index_that_cannot_be_copied_is_not_used(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (cache / "key").mkdir(parents=True)
    (cache / "key" / "gone").symlink_to(tmp_path / "nowhere")  # as if pruned while being read
    target = tmp_path / "site" / "pagefind"
    assert reuse.restore(cache, "key", target) is False
    assert not target.exists()


def test_pagefind_settings_from_the_environment_change_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html lang='en'><body>x</body></html>", encoding="utf-8")
    command = ["pagefind", "--site", str(site)]
    pages = reuse.pages_to_index(site, "pagefind")
    plain = reuse.index_key(site, command, pages)
    monkeypatch.setenv("PAGEFIND_ROOT_SELECTOR", "main")
    assert reuse.index_key(site, command, pages) != plain


def test_pagefind_indexes_only_the_marked_pages_once_one_is_marked(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<article data-pagefind-body>a</article>", encoding="utf-8")
    (site / "b.html").write_text("<p>b</p>", encoding="utf-8")
    (site / "pagefind").mkdir()
    (site / "pagefind" / "x.html").write_text("<p data-pagefind-body>not a page</p>", encoding="utf-8")
    assert [name for name, _ in reuse.pages_to_index(site, "pagefind")] == ["a/index.html"]
    (site / "a" / "index.html").write_text("<article>a</article>", encoding="utf-8")
    assert [name for name, _ in reuse.pages_to_index(site, "pagefind")] == ["b.html", "a/index.html"]


def _settle(site: Path) -> None:
    """Date every page of ``site`` a minute back, as a page kept from an earlier build is."""
    for page in site.rglob("*.html"):
        status = page.stat()
        os.utime(page, ns=(status.st_atime_ns, status.st_mtime_ns - 60 * 10**9))


def test_reading_the_site_again_reads_only_the_pages_changed_since(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _settle(site)
    scan = reuse.PageScan()
    first = reuse.pages_by_language(site, "pagefind", scan)
    assert scan.read == 2
    assert reuse.pages_by_language(site, "pagefind", scan) == first
    assert scan.read == 2  # both taken from the first reading
    # Rewritten in place with the same size: a new modification time, so read again.
    page = site / "en" / "a" / "index.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("adds", "adds".upper()), encoding="utf-8")
    again = reuse.pages_by_language(site, "pagefind", scan)
    assert scan.read == 3
    assert again["en"] != first["en"]
    assert again["en"] == reuse.pages_by_language(site, "pagefind")["en"]
    assert again["zh-hant-tw"] == first["zh-hant-tw"]


def test_the_next_build_reads_only_the_pages_changed_since_the_last_reading(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _settle(site)
    kept = tmp_path / "cache" / reuse.SCAN_FILE
    last = reuse.PageScan()
    first = reuse.pages_by_language(site, "pagefind", last)
    last.save(kept)
    scan = reuse.PageScan.load(kept)
    assert reuse.pages_by_language(site, "pagefind", scan) == first
    assert scan.read == 0
    # A page replaced by another file (a new inode and a new time), as a build writes a changed page.
    page = site / "zh-tw" / "a" / "index.html"
    text = page.read_text(encoding="utf-8")
    page.unlink()
    page.write_text(text.replace("國產", "本土"), encoding="utf-8")
    again = reuse.pages_by_language(site, "pagefind", scan)
    assert scan.read == 1
    assert again == reuse.pages_by_language(site, "pagefind")
    assert again["zh-hant-tw"] != first["zh-hant-tw"]


def test_another_file_with_the_same_size_and_time_is_read_again(tmp_path: Path) -> None:
    # Only the inode tells it apart: a page moved into place over the one read.
    site = _site(tmp_path)
    _settle(site)
    scan = reuse.PageScan()
    first = reuse.pages_by_language(site, "pagefind", scan)
    page = site / "en" / "a" / "index.html"
    status = page.stat()
    other = tmp_path / "other.html"
    other.write_text(page.read_text(encoding="utf-8").replace("adds", "ADDS"), encoding="utf-8")
    os.utime(other, ns=(status.st_atime_ns, status.st_mtime_ns))
    os.replace(other, page)
    assert (page.stat().st_size, page.stat().st_mtime_ns) == (status.st_size, status.st_mtime_ns)
    again = reuse.pages_by_language(site, "pagefind", scan)
    assert scan.read == 3
    assert again["en"] != first["en"]
    assert again == reuse.pages_by_language(site, "pagefind")


def test_in_verify_mode_a_page_taken_from_an_earlier_reading_is_read_and_compared(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _settle(site)
    scan = reuse.PageScan(verify=True)
    first = reuse.pages_by_language(site, "pagefind", scan)
    assert reuse.pages_by_language(site, "pagefind", scan) == first
    # A reading that does not hold what the page holds (as a stamp that failed to tell a change).
    stamp, _hash, lang, marked = scan.pages["en/a/index.html"]
    scan.pages["en/a/index.html"] = (stamp, b"another hash", lang, marked)
    with pytest.raises(ContentProblems, match="internal error: the search step took this page"):
        reuse.pages_by_language(site, "pagefind", scan)


@pytest.mark.parametrize(
    "kept",
    [
        b"",
        b"\x00not marshal",
        marshal.dumps(2),
        marshal.dumps((1, {"en/a/index.html": ((1, 2, 3), b"hash", "en", "yes")})),
    ],
)
def test_an_unreadable_record_of_readings_reads_every_page(tmp_path: Path, kept: bytes) -> None:
    site = _site(tmp_path)
    path = tmp_path / reuse.SCAN_FILE
    path.write_bytes(kept)
    scan = reuse.PageScan.load(path)
    assert scan.pages == {}
    assert reuse.pages_by_language(site, "pagefind", scan) == reuse.pages_by_language(site, "pagefind")
    assert scan.read == 2


def test_a_page_modified_just_before_it_was_read_is_read_again(tmp_path: Path) -> None:
    # Modified within the file system's clock tick of the reading, a later
    # change could keep its modification time: such a page is not taken back.
    site = _site(tmp_path)
    scan = reuse.PageScan()
    first = reuse.pages_by_language(site, "pagefind", scan)
    assert reuse.pages_by_language(site, "pagefind", scan) == first
    assert scan.read == 4


def _count_runs(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    runs: list[object] = []
    real = index.subprocess.Popen

    def counted(*args: object, **kwargs: object) -> object:
        process = real(*args, **kwargs)  # type: ignore[call-overload]
        runs.append(process)
        return process

    monkeypatch.setattr(index.subprocess, "Popen", counted)
    return runs


def test_an_index_started_before_the_build_ends_is_the_one_a_finished_site_gets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _site(tmp_path / "alone")
    index.build_index(_pelican(expected, SEARCH_CACHE_PATH=str(tmp_path / "cache-alone")))
    site = _site(tmp_path / "early")
    pelican = _pelican(site, SEARCH_CACHE_PATH=str(tmp_path / "cache"))
    runs = _count_runs(monkeypatch)
    with building():
        index.start_index(pelican.settings, pelican.output_path)
        (site / "en" / "b").mkdir()  # a later generator's page, not indexed
        (site / "en" / "b" / "index.html").write_text("<p>side by side</p>", encoding="utf-8")
        index.build_index(pelican)
    assert len(runs) == 1
    assert _bundle(site) == _bundle(expected)
    assert not list(site.parent.glob(".search-*"))  # the folder of linked pages is gone


def test_the_site_s_bundle_shares_no_file_with_the_folders_removed_after_the_build(tmp_path: Path) -> None:
    # The run's folder is removed after the build has recorded the site's
    # change times: a file linked from it would have its change time moved.
    site = _site(tmp_path)
    pelican = _pelican(site, SEARCH_CACHE_PATH=str(tmp_path / "cache"))
    with building():
        replace_ahead()  # as the driver's build: the run's folder is removed after it
        index.build_index(pelican)
        assert list(site.parent.glob(".search-*")), "the run's folder is still there until the build ends"
        shared = [
            str(path.relative_to(site))
            for path in (site / "pagefind").rglob("*")
            if path.is_file() and path.stat().st_nlink != 1
        ]
        assert shared == []
    assert not list(site.parent.glob(".search-*"))


def test_a_page_changed_after_the_start_is_indexed_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _site(tmp_path / "alone")
    page = Path("en") / "a" / "index.html"
    text = (expected / page).read_text(encoding="utf-8").replace("domestic chips", "lithography")
    (expected / page).write_text(text, encoding="utf-8")
    index.build_index(_pelican(expected, SEARCH_CACHE_PATH=str(tmp_path / "cache-alone")))
    site = _site(tmp_path / "early")
    pelican = _pelican(site, SEARCH_CACHE_PATH=str(tmp_path / "cache"))
    runs = _count_runs(monkeypatch)
    with building():
        index.start_index(pelican.settings, pelican.output_path)
        (site / page).write_text(text, encoding="utf-8")
        index.build_index(pelican)
    assert len(runs) == 2
    assert _bundle(site) == _bundle(expected)
    assert all(run.poll() is not None for run in runs)  # type: ignore[attr-defined]


def test_a_build_that_stops_after_the_start_stops_pagefind_and_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(tmp_path)
    pelican = _pelican(site, SEARCH_CACHE_PATH=str(tmp_path / "cache"))
    runs = _count_runs(monkeypatch)

    def a_build_that_fails() -> None:
        with building():
            index.start_index(pelican.settings, pelican.output_path)
            assert list(site.parent.glob(".search-*"))
            raise RuntimeError("a later generator failed")

    with pytest.raises(RuntimeError):
        a_build_that_fails()
    (run,) = runs
    assert run.poll() is not None  # type: ignore[attr-defined]
    assert not list(site.parent.glob(".search-*"))


def test_a_failing_indexer_started_early_stops_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(tmp_path)
    pelican = _pelican(site, SEARCH_CACHE_PATH=str(tmp_path / "cache"))
    monkeypatch.setattr(index, "pagefind_executable", lambda: "false")
    with building():
        index.start_index(pelican.settings, pelican.output_path)
        with pytest.raises(ContentProblems) as stop:
            index.build_index(pelican)
    assert "search index" in str(stop.value), str(stop.value)


def test_pagefind_that_cannot_start_leaves_no_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _site(tmp_path)
    pelican = _pelican(site, SEARCH_CACHE_PATH=str(tmp_path / "cache"))
    monkeypatch.setattr(index, "pagefind_executable", lambda: str(tmp_path / "no-such-program"))
    with building(), pytest.raises(FileNotFoundError):
        index.start_index(pelican.settings, pelican.output_path)
    assert not list(site.parent.glob(".search-*"))


def _failing_on(tmp_path: Path, word: str) -> str:
    """A Pagefind that fails on a folder of pages holding ``word``, and is Pagefind otherwise."""
    script = tmp_path / "pagefind-failing"
    real = index.pagefind_executable()
    script.write_text(
        "#!/bin/sh\n"
        f'if grep -rq {word} "$2"; then echo "Error: cannot read a page" >&2; exit 3; fi\n'
        f'exec {real} "$@"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return str(script)


def test_a_failing_language_is_named_and_a_changed_one_is_indexed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(tmp_path)
    pelican = _pelican(site, SEARCH_CACHE_PATH=str(tmp_path / "cache"))
    failing = _failing_on(tmp_path, "procurement")
    monkeypatch.setattr(index, "pagefind_executable", lambda: failing)
    with building():
        index.start_index(pelican.settings, pelican.output_path)
        with pytest.raises(ContentProblems) as stop:
            index.build_index(pelican)
    assert "search index (en): Error: cannot read a page" in str(stop.value), str(stop.value)
    # The English run failed at the start, but its page changed before the end:
    # that failure is not the finished site's, and Chinese was indexed meanwhile.
    with building():
        index.start_index(pelican.settings, pelican.output_path)
        page = site / "en" / "a" / "index.html"
        page.write_text(
            page.read_text(encoding="utf-8").replace("procurement", "purchasing"), encoding="utf-8"
        )
        index.build_index(pelican)
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert list(entry["languages"]) == ["en", "zh-hant-tw"]


def test_a_build_stopped_while_bundles_are_restored_stops_the_early_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(tmp_path)
    pelican = _pelican(site, SEARCH_CACHE_PATH=str(tmp_path / "cache"))
    with building():  # a build of its own: its folders are removed as it ends
        index.build_index(pelican)  # both languages cached
    page = site / "en" / "a" / "index.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace("domestic chips", "lithography"), encoding="utf-8"
    )
    # A slow first step, so that the early run is still going when the build stops.
    slow = tmp_path / "slim-slow.py"
    slow.write_text(
        f"import runpy, time\ntime.sleep(20)\nrunpy.run_path({str(index.SLIM)!r}, run_name='__main__')\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(index, "SLIM", slow)
    runs = _count_runs(monkeypatch)

    def interrupted(*_args: object) -> bool:
        raise KeyboardInterrupt

    monkeypatch.setattr(reuse, "restore", interrupted)
    with building():
        index.start_index(pelican.settings, pelican.output_path)  # English only: Chinese is cached
        with pytest.raises(KeyboardInterrupt):
            index.build_index(pelican)
    (run,) = runs
    assert run.poll() is not None  # type: ignore[attr-defined]
    assert not list(site.parent.glob(".search-*"))


def test_copies_slimmed_by_other_code_are_not_used_and_are_removed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _site(tmp_path / "first")
    index.build_index(_pelican(first, SEARCH_CACHE_PATH=str(cache)))
    (code,) = (cache / index.PAGES).iterdir()
    copies = sorted(code.rglob("*.html"))
    assert len(copies) == 2  # one page in each language
    for copy in copies:
        copy.unlink()
        copy.write_bytes(b'<html lang="en"><body><article data-pagefind-body>wrong</article></body></html>')
    code.rename(code.with_name("0" * 16))
    for bundle in cache.iterdir():
        if bundle.is_dir() and bundle.name != index.PAGES:
            shutil.rmtree(bundle)  # so that Pagefind runs again
    again = _site(tmp_path / "again")
    index.build_index(_pelican(again, SEARCH_CACHE_PATH=str(cache)))
    assert _bundle(again) == _bundle(first)
    assert [p.name for p in (cache / index.PAGES).iterdir()] == [code.name]


def _english_site(root: Path, texts: list[str]) -> Path:
    """A site of English pages only, one per text."""
    site = root / "site"
    for number, text in enumerate(texts):
        target = site / "en" / f"p{number}" / "index.html"
        target.parent.mkdir(parents=True)
        target.write_text(
            PAGE.format(lang="en", title=f"Page {number}", text=text, ignored="-"), encoding="utf-8"
        )
    return site


def _cached(cache: Path) -> list[Path]:
    return [p for p in cache.iterdir() if p.is_dir() and not p.name.startswith(".")]


def test_a_rerun_writes_only_what_changed_and_gives_the_bundle_of_a_run_from_nothing(tmp_path: Path) -> None:
    texts = ["Export controls on lithography.", "The procurement list adds domestic chips.", "Localisation."]
    cache = tmp_path / "cache"
    first = _english_site(tmp_path / "first", texts)
    index.build_index(_pelican(first, SEARCH_CACHE_PATH=str(cache)))
    (old,) = _cached(cache)
    changed = [texts[0], "The list now names domestic AI chips.", texts[2]]
    second = _english_site(tmp_path / "second", changed)
    with building():
        replace_ahead()
        index.build_index(_pelican(second, SEARCH_CACHE_PATH=str(cache)))
    (new,) = [p for p in _cached(cache) if p != old]
    # The unchanged pages' fragments come from the first run: the same files, not written again.
    kept = {p.name: p.stat().st_ino for p in (old / "fragment").iterdir()}
    reused = [p.name for p in (new / "fragment").iterdir() if kept.get(p.name) == p.stat().st_ino]
    assert len(reused) == 2, f"fragments taken from the last run: {reused} of {sorted(kept)}"
    # Nothing of the first run that the second does not list: the bundle of a run from nothing.
    fresh = _english_site(tmp_path / "fresh", changed)
    index.build_index(_pelican(fresh, SEARCH_CACHE_PATH=str(tmp_path / "cache-fresh")))
    assert _bundle(second) == _bundle(fresh)
    (fresh_cached,) = _cached(tmp_path / "cache-fresh")
    assert sorted(p.relative_to(new).as_posix() for p in new.rglob("*")) == sorted(
        p.relative_to(fresh_cached).as_posix() for p in fresh_cached.rglob("*")
    )
    # The site's files are its own: none is linked to the cache, where bundles share files.
    assert [p for p in (second / "pagefind").rglob("*") if p.is_file() and p.stat().st_nlink != 1] == []


def test_unlisted_files_of_a_seeded_run_are_dropped_and_the_others_left(tmp_path: Path) -> None:
    site = _english_site(tmp_path, ["Export controls on lithography."])
    run = tmp_path / "run"
    subprocess.run(
        [index.pagefind_executable(), "--site", str(site), "--output-path", str(run), *index.FLAGS],
        check=True,
    )
    made = sorted(p.relative_to(run).as_posix() for p in run.rglob("*"))
    seeded = {}
    for stale in (
        "fragment/en_0000000.pf_fragment",
        "index/en_0000000.pf_index",
        "filter/en_1111111.pf_filter",
        "pagefind.en_0000000000.pf_meta",
    ):
        (run / stale).parent.mkdir(exist_ok=True)
        (run / stale).write_bytes(b"from an earlier run")
        seeded[stale] = (run / stale).stat().st_ino
    assert reuse.drop_unlisted(run, seeded)
    assert sorted(p.relative_to(run).as_posix() for p in run.rglob("*")) == made
    # A file the run wrote is never removed, listed or not (only a seed's are).
    (run / "fragment" / "en_2222222.pf_fragment").write_bytes(b"not from a seed")
    assert reuse.drop_unlisted(run, {})
    assert (run / "fragment" / "en_2222222.pf_fragment").exists()


def test_a_kept_file_whose_content_is_not_its_name_runs_the_language_again_unseeded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pagefind trusts a file's name: a file kept from the last run under the
    # name this run gives another page (short names that collided, then did
    # not) must not stay in the bundle.
    texts = ["Export controls on lithography.", "The procurement list adds domestic chips.", "Localisation."]
    cache = tmp_path / "cache"
    index.build_index(_pelican(_english_site(tmp_path / "first", texts), SEARCH_CACHE_PATH=str(cache)))
    (old,) = _cached(cache)
    victim = sorted((old / "fragment").iterdir())[0]
    victim.write_bytes(gzip.compress(b"pagefind_dcd" + b'{"url":"/elsewhere/"}'))
    changed = [texts[0], "The list now names domestic AI chips.", texts[2]]
    second = _english_site(tmp_path / "second", changed)
    runs = _count_runs(monkeypatch)
    index.build_index(_pelican(second, SEARCH_CACHE_PATH=str(cache)))
    assert len(runs) == 2, "the seeded run, then the run from nothing"
    fresh = _english_site(tmp_path / "fresh", changed)
    index.build_index(_pelican(fresh, SEARCH_CACHE_PATH=str(tmp_path / "cache-fresh")))
    assert _bundle(second) == _bundle(fresh)


def test_a_run_is_seeded_with_the_newest_bundle_of_its_language_and_pagefind_version(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    version = reuse.metadata.version("pagefind-bin-extended")
    for name, lang, made_by, when in (
        ("old", "en", version, 1_000),
        ("new", "en", version, 2_000),
        ("other-language", "zh-hant-tw", version, 3_000),
        ("other-version", "en", "0.1.0", 4_000),
    ):
        bundle = cache / name
        (bundle / "fragment").mkdir(parents=True)
        (bundle / "fragment" / f"{name}.pf_fragment").write_bytes(b"x")
        (bundle / f"pagefind.{name}.pf_meta").write_bytes(b"x")
        (bundle / "pagefind.js").write_bytes(b"written by every run")
        entry = {"version": made_by, "languages": {lang: {"hash": name}}}
        (bundle / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")
        os.utime(bundle, (when, when))
    target = tmp_path / "run"
    assert reuse.seed(cache, "en", target)
    # Only the files Pagefind names by their content, which it does not write again.
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == [
        "fragment/new.pf_fragment",
        "pagefind.new.pf_meta",
    ]
    assert not reuse.seed(cache, "fr", tmp_path / "none")
    assert not (tmp_path / "none").exists()


def test_a_build_that_ignores_the_cache_runs_pagefind_from_nothing(tmp_path: Path) -> None:
    texts = ["Export controls on lithography.", "The procurement list adds domestic chips."]
    cache = tmp_path / "cache"
    index.build_index(_pelican(_english_site(tmp_path / "first", texts), SEARCH_CACHE_PATH=str(cache)))
    (old,) = _cached(cache)
    kept = {p.stat().st_ino for p in (old / "fragment").iterdir()}
    second = _english_site(tmp_path / "second", [texts[0], "Localisation targets."])
    index.build_index(_pelican(second, SEARCH_CACHE_PATH=str(cache), LOAD_CONTENT_CACHE=False))
    (new,) = [p for p in _cached(cache) if p != old]
    assert [p.name for p in (new / "fragment").iterdir() if p.stat().st_ino in kept] == []
