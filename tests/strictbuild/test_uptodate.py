"""A build whose inputs all equal those of the build that wrote ``output/`` leaves it as it is.

Every change to an input must build in full (compared with a build from
nothing), and so must any change to the output folder since that build.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import strictbuild.uptodate as uptodate
from parallel.pages import ParallelPagesGenerator
from strictbuild.driver import BuildResult, main
from strictbuild.reuse import VERIFY_ENV
from tests.strictbuild.test_page_reuse import Site, _edit
from tests.support import build_content, tree_digest


def _settled(output: Path) -> None:
    """Wait until the previous sites a build removes in the background are gone.

    Removing one unlinks files that the current site's kept pages are linked
    to, which moves their change times.
    """
    deadline = time.monotonic() + 120
    while list(output.parent.glob(f".{output.name}-previous-*")) and time.monotonic() < deadline:
        time.sleep(0.05)


def _stats(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and change time: equal only if nothing wrote the file again."""
    _settled(folder)
    return {
        str(path.relative_to(folder)): (path.stat().st_ino, path.stat().st_ctime_ns)
        for path in folder.rglob("*")
        if path.is_file()
    }


class Built(Site):
    def build(self, *, force: bool = False, **override: object) -> BuildResult:
        return super().build(force=force, **override)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    site = Built(tmp_path_factory.mktemp("uptodate"))
    assert not site.build_unchecked().unchanged
    return site


@pytest.fixture
def site(built: Built, monkeypatch: pytest.MonkeyPatch) -> Built:
    """The module's site with its record in step with its files, without the verify mode."""
    monkeypatch.delenv(VERIFY_ENV, raising=False)
    built.build()
    return built


def test_a_build_with_nothing_changed_leaves_every_file_of_the_site_as_it_was(site: Built) -> None:
    digests, stats = tree_digest(site.output), _stats(site.output)
    result = site.build()
    assert result.ok
    assert result.unchanged
    assert result.counts == {}  # no page written or copied, no chart looked up
    assert _stats(site.output) == stats
    assert tree_digest(site.output) == digests


def test_it_keeps_the_content_cache_valid_for_the_next_build(site: Built) -> None:
    assert site.build().unchanged
    (fingerprint,) = (site.base / "cache" / "content").rglob("strictbuild-fingerprint")
    assert fingerprint.read_text().strip()
    path = site.content / "briefs" / "h200-reversal.en.md"
    before = _edit(path, lambda text: text.replace("mixed [@cna2026].", "mixed, it said [@cna2026].", 1))
    try:
        result = site.build()
        assert not result.unchanged
        assert result.counts.get("pages copied unchanged", 0) > 0, result.counts  # the cache was loaded
    finally:
        path.write_text(before, encoding="utf-8")


@pytest.mark.parametrize(
    ("where", "change"),
    [
        ("content/briefs/h200-reversal.zh-TW.md", lambda text: text.replace("。", "。 ", 1)),
        (
            "content/briefs/procurement-list.en.md",
            lambda text: re.sub(r"(?m)^title: (.*)$", r"title: \1, revised", text, count=1),
        ),
        ("content/data/h200-timeline.csv", lambda text: text.replace("H200", "H-200", 1)),
        ("content/sources.yaml", lambda text: text.replace('en: "Mainland expert:', 'en: "Expert:', 1)),
        ("theme/templates/base.html", lambda text: text.replace("</body>", "<!-- revised --></body>", 1)),
        ("theme/static/css/site.css", lambda text: text + "\n/* revised */\n"),
    ],
    ids=["brief-body", "title", "chart-data", "source", "template", "stylesheet"],
)
def test_a_changed_file_builds_the_site_in_full(
    site: Built, where: str, change: Callable[[str], str]
) -> None:
    path = site.base / where
    assert path.is_file(), path
    before = _edit(path, change)
    try:
        result = site.build()
        assert not result.unchanged
        assert tree_digest(site.output) == site.cold()
        assert site.build().unchanged  # and the next build finds the new record
    finally:
        path.write_text(before, encoding="utf-8")


def test_a_file_added_to_the_content_folder_builds_in_full(site: Built) -> None:
    added = site.content / "notes.txt"
    added.write_text("a note\n", encoding="utf-8")
    try:
        assert not site.build().unchanged
    finally:
        added.unlink()
    assert not site.build().unchanged  # and removed again


def test_another_setting_builds_in_full(site: Built) -> None:
    result = site.build(SITEURL="https://example.org/chips", RELATIVE_URLS=False)
    assert not result.unchanged
    assert "https://example.org/chips/" in (site.output / "en" / "h200-reversal" / "index.html").read_text()
    assert not site.build().unchanged  # back to the settings of the record before


@pytest.mark.parametrize("name", ["TZ", "LC_ALL", "PAGEFIND_SITE"])
def test_an_environment_variable_the_output_may_depend_on_builds_in_full(
    site: Built, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv(name, "Asia/Taipei" if name == "TZ" else os.environ.get(name, "") + "x")
    if name == "LC_ALL":
        monkeypatch.setenv(name, "C.UTF-8")
    assert not site.build().unchanged


def test_the_fonts_chart_text_is_drawn_in_are_an_input(site: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    """A font installed or removed changes the chart images: the charts plugin declares the fonts."""
    import charts.fonts

    found = charts.fonts.find_font
    monkeypatch.setattr(
        charts.fonts, "find_font", lambda lang: "No Such Family" if lang == "en" else found(lang)
    )
    result = site.build()
    assert result.ok
    assert not result.unchanged
    assert site.build().unchanged
    # No font at all: the probe fails, so the build runs and reports it.
    monkeypatch.setattr(charts.fonts, "find_font", lambda _lang: None)
    result = build_content(site.content, site.output, THEME=str(site.theme))
    assert not result.ok
    assert not result.unchanged
    assert any("no font for en chart text" in problem.message for problem in result.problems)
    monkeypatch.setattr(charts.fonts, "find_font", found)
    assert not site.build().unchanged


@pytest.mark.parametrize(
    "damage",
    [
        lambda out: (out / "en" / "h200-reversal" / "index.html").write_text("edited", encoding="utf-8"),
        lambda out: (out / "en" / "h200-reversal" / "index.html").unlink(),
        lambda out: (out / "stray.html").write_text("<p>stray</p>", encoding="utf-8"),
        lambda out: shutil.rmtree(out / "pagefind"),
        lambda out: os.utime(out / "index.html", ns=(0, 0)),
        lambda out: (out / "new-folder").mkdir(),
    ],
    ids=["edited", "removed", "added", "folder-removed", "touched", "folder-added"],
)
def test_an_output_folder_changed_since_the_build_is_built_again(
    site: Built, damage: Callable[[Path], object]
) -> None:
    expected = tree_digest(site.output)
    damage(site.output)
    result = site.build()
    assert result.ok
    assert not result.unchanged
    assert tree_digest(site.output) == expected
    assert not (site.output / "new-folder").exists()


def test_another_output_folder_is_built_in_full(site: Built) -> None:
    other = site.base / "other-output"
    result = build_content(site.content, other, THEME=str(site.theme))
    assert result.ok
    assert not result.unchanged
    assert tree_digest(other) == tree_digest(site.output)
    shutil.rmtree(other)
    assert not site.build().unchanged  # the record is of the last output folder built


def test_a_failed_build_keeps_the_record_of_the_site_in_place(site: Built) -> None:
    path = site.content / "briefs" / "h200-reversal.en.md"
    before = _edit(path, lambda text: text.replace("[@cna2026]", "[@no-such-source]", 1))
    try:
        assert not build_content(site.content, site.output, THEME=str(site.theme)).ok
    finally:
        path.write_text(before, encoding="utf-8")
    assert site.build().unchanged


def test_force_builds_in_full_and_a_build_without_the_content_cache_never_claims_unchanged(
    site: Built,
) -> None:
    forced = site.build(force=True)
    assert not forced.unchanged
    assert forced.counts.get("pages copied unchanged", 0) > 0
    assert site.build().unchanged
    assert not site.build(CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False).unchanged
    assert not site.build().unchanged  # that build replaced the site the record describes


def test_the_command_line_says_the_site_was_left_as_it_was(
    site: Built, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.support import SETTINGS, own_caches

    settings = {"PATH": str(site.content), "THEME": str(site.theme), **own_caches(site.base)}
    import strictbuild.driver as driver

    real = driver.build
    monkeypatch.setattr(driver, "build", lambda *a, **k: real(*a, **{**k, "override": settings}))
    assert main(["--settings", str(SETTINGS), "--output", str(site.output)]) == 0
    assert f"changed since the build that wrote {site.output}: left it as it was" in capsys.readouterr().err
    assert main(["--settings", str(SETTINGS), "--output", str(site.output), "--force"]) == 0
    assert "pages copied unchanged" in capsys.readouterr().err


def test_with_verify_set_a_site_found_unchanged_is_built_and_compared(
    site: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test suite's own builds run this way: a digest missing an input would stop them."""
    monkeypatch.setenv(VERIFY_ENV, "1")
    result = site.build()
    assert result.ok
    assert not result.unchanged
    assert result.counts.get("pages written", 0) > 0
    # A digest blind to every input claims a changed brief unchanged: the comparison catches it.
    monkeypatch.setattr(uptodate, "inputs_digest", lambda *_args: "blind")
    assert site.build().ok  # records the blind digest
    path = site.content / "briefs" / "h200-reversal.en.md"
    before = _edit(path, lambda text: text.replace("mixed [@cna2026].", "mixed, it said [@cna2026].", 1))
    try:
        result = build_content(site.content, site.output, THEME=str(site.theme))
    finally:
        path.write_text(before, encoding="utf-8")
    assert not result.ok
    assert not result.unchanged
    (problem,) = result.problems
    assert "building again gives different files (" in problem.message
    assert "en/h200-reversal/index.html" in problem.message
    assert "an input is missing" in problem.message


def test_a_file_written_while_the_build_runs_leaves_no_record(site: Built) -> None:
    """Written back to the same bytes after the build read it: the site may show what was in between."""
    from pelican import signals

    path = site.content / "briefs" / "h200-reversal.en.md"
    text = path.read_bytes()

    def rewrite(_generators: object) -> None:
        path.write_bytes(text)

    signals.all_generators_finalized.connect(rewrite)
    try:
        assert not site.build(force=True).unchanged
    finally:
        signals.all_generators_finalized.disconnect(rewrite)
    assert not site.build().unchanged
    assert site.build().unchanged


def test_a_linked_folder_in_the_content_is_an_input(site: Built) -> None:
    outside = site.base / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "note.txt").write_text("one\n", encoding="utf-8")
    link = site.content / "linked"
    link.symlink_to(outside, target_is_directory=True)
    try:
        assert not site.build().unchanged
        assert site.build().unchanged
        (outside / "note.txt").write_text("two\n", encoding="utf-8")
        assert not site.build().unchanged
    finally:
        link.unlink()


def test_the_settings_file_is_an_input(site: Built) -> None:
    """Its values are in the content cache's fingerprint, but a function in it only by name."""
    from strictbuild.driver import build
    from tests.support import ROOT, own_caches

    settings_file = site.base / "siteconf.py"
    settings_file.write_text((ROOT / "pelicanconf.py").read_text(encoding="utf-8"), encoding="utf-8")
    override = {
        "PATH": str(site.content),
        "THEME": str(site.theme),
        "PLUGIN_PATHS": [str(ROOT / "plugins")],
        **own_caches(site.base),
    }
    assert build(settings_file, site.output, override=override).ok
    assert build(settings_file, site.output, override=override).unchanged
    with settings_file.open("a", encoding="utf-8") as handle:
        handle.write("\n\ndef a_filter(value):\n    return value\n")
    assert not build(settings_file, site.output, override=override).unchanged


def test_a_file_whose_change_time_alone_moved_is_the_same_only_if_its_bytes_are(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    page = site / "index.html"
    page.write_text("a page", encoding="utf-8")
    previous = tmp_path / "previous.html"
    os.link(page, previous)  # as a kept page is linked to the previous site's file
    recorded = uptodate._state(site)
    previous.unlink()  # the previous site removed: the page's change time moves
    now = uptodate._state(site)
    assert now != recorded
    assert not uptodate._same_state(now, recorded)
    assert uptodate._same_state(now, recorded, lambda name: name == "index.html")
    assert not uptodate._same_state(now, recorded, lambda name: False)
    page.write_text("a page, edited", encoding="utf-8")  # size and mtime move too
    assert not uptodate._same_state(uptodate._state(site), recorded, lambda name: True)
    # A folder's change time is never excused by a file's bytes.
    folder = site / "en"
    folder.mkdir()
    recorded = uptodate._state(site)
    os.chmod(folder, folder.stat().st_mode)  # the same mode: only the change time moves
    now = uptodate._state(site)
    assert now["en"][3] != recorded["en"][3]
    assert now["en"][:3] == recorded["en"][:3]
    assert not uptodate._same_state(now, recorded, lambda name: True)


def _fail_after_linking(site: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(generator: object, writer: object) -> None:
        raise RuntimeError("stopped once the briefs' pages are written")

    with monkeypatch.context() as patch:
        patch.setattr(ParallelPagesGenerator, "generate_output", fail)
        result = build_content(site.content, site.output, force=True, THEME=str(site.theme))
    assert not result.ok
    assert result.counts.get("pages copied unchanged", 0) > 0, result.counts


def test_a_build_that_failed_after_linking_pages_leaves_the_site_up_to_date(
    site: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    stats = _stats(site.output)
    _fail_after_linking(site, monkeypatch)
    moved = [name for name, (inode, ctime) in _stats(site.output).items() if stats[name] != (inode, ctime)]
    assert moved  # linking and unlinking moved the kept pages' change times
    assert site.build().unchanged
    assert site.build().unchanged  # and the record took the new change times


def test_a_page_rewritten_in_place_with_its_times_restored_is_noticed(
    site: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail_after_linking(site, monkeypatch)  # so change times alone are not decisive
    page = site.output / "en" / "h200-reversal" / "index.html"
    status = page.stat()
    data = page.read_bytes()
    page.write_bytes(data.replace(b"</main>", b"</MAIN>", 1))  # the same size
    os.utime(page, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert page.stat().st_size == status.st_size
    assert not site.build().unchanged
    assert page.read_bytes() == data
