"""Pages written by a forked child: what it changes reaches the build, and its failures fail the build."""

from __future__ import annotations

import gc
import logging
import os
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from pelican.writers import FileOverwriteFailedError

from strictbuild import forked, progress
from strictbuild.problems import ContentError, ContentProblems, problem_log
from strictbuild.reuse import MANIFEST_FILE, PageReuse, recorded_pages
from strictbuild.state import build_state, building
from tests.support import SiteCopy, site_with_charts_drawn, spy_on_forks, tree_digest

ALLOWED = {"STRICTBUILD_FORKED_WRITERS": True}


def test_the_childs_problems_and_counts_reach_the_build_at_the_join(tmp_path: Path) -> None:
    if not forked.forking_allowed(ALLOWED):
        pytest.fail("the tests run on a machine with os.fork and two cores (see the README)")
    pid_file = tmp_path / "pid"

    def work() -> None:
        pid_file.write_text(str(os.getpid()))
        problem_log().add(ContentError("b.md", 2, "found by the child"))
        progress.count("pages written", 3)

    with building():
        counts, token = progress.begin()
        try:
            problem_log().add(ContentError("a.md", 1, "found before"))
            assert forked.start("a test's pages", ALLOWED, work)
            progress.count("pages written", 2)
            assert [p.message for p in problem_log().problems] == ["found before"]
            forked.join_all()
            assert [p.message for p in problem_log().problems] == ["found before", "found by the child"]
            assert counts.counts == {"pages written": 5}
        finally:
            progress.end(token)
    assert int(pid_file.read_text()) != os.getpid()


def test_an_exception_in_the_child_is_reported_as_the_driver_reports_one(tmp_path: Path) -> None:
    brief = tmp_path / "content" / "a-brief.md"
    brief.parent.mkdir()
    brief.write_text("text", encoding="utf-8")
    settings = {**ALLOWED, "PATH": str(brief.parent), "OUTPUT_PATH": str(tmp_path / "output")}

    def work() -> None:
        source_path = str(brief)  # the content being written, as in a generator's frame
        raise ValueError(f"a template could not be rendered for {os.path.basename(source_path)}")

    with building():
        assert forked.start("a test's pages", settings, work)
        with pytest.raises(ContentProblems) as raised:
            forked.join_all()
    (problem,) = raised.value.problems
    assert problem.path.endswith("a-brief.md"), problem
    assert "internal error while building: ValueError: a template could not be rendered" in problem.message


def test_the_childs_warnings_are_logged_by_the_build_at_the_join() -> None:
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    def work() -> None:
        logging.getLogger("pelican.contents").warning(
            "Unable to find '%s', skipping url replacement.", "x.md", extra={"content_path": "b.md"}
        )

    keep = Keep(level=logging.WARNING)
    logging.getLogger().addHandler(keep)
    try:
        with building():
            assert forked.start("a test's pages", ALLOWED, work)
            assert seen == []
            forked.join_all()
    finally:
        logging.getLogger().removeHandler(keep)
    (record,) = seen
    assert record.name == "pelican.contents"
    assert record.levelno == logging.WARNING
    assert record.getMessage() == "Unable to find 'x.md', skipping url replacement."
    assert record.content_path == "b.md"  # type: ignore[attr-defined]


def test_a_warning_the_build_logged_already_reaches_the_handlers_again_from_the_child() -> None:
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    message = f"Unable to find 'x-{uuid.uuid4().hex}.md', skipping url replacement."
    logger = logging.getLogger("pelican.contents")  # Pelican's: it refuses a repeat by raising
    keep = Keep(level=logging.WARNING)
    logging.getLogger().addHandler(keep)
    try:
        with building():
            assert forked.start("a test's pages", ALLOWED, lambda: logger.warning(message))
            logger.warning(message)
            forked.join_all()
    finally:
        logging.getLogger().removeHandler(keep)
    assert seen == [message, message]


def test_an_interrupted_child_fails_the_build_with_its_traceback() -> None:
    def work() -> None:
        raise KeyboardInterrupt

    with building():
        assert forked.start("a test's pages", ALLOWED, work)
        with pytest.raises(
            forked.ForkedWriterFailed, match=r"(?s)a test's pages was stopped.*KeyboardInterrupt"
        ):
            forked.join_all()


def test_a_fork_that_fails_leaves_the_pages_to_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(os, "fork", no_fork)
    descriptors = len(os.listdir("/proc/self/fd"))
    with building():
        assert not forked.start("a test's pages", ALLOWED, lambda: None)
        forked.join_all()
    assert len(os.listdir("/proc/self/fd")) == descriptors
    assert gc.get_freeze_count() == 0


def test_the_pages_a_child_writes_are_named_until_the_join() -> None:
    with building():
        assert forked.start("a test's pages", ALLOWED, lambda: None, ["en/a/parallel/index.html"])
        assert forked.written_elsewhere() == {"en/a/parallel/index.html"}
        forked.join_all()
        assert forked.written_elsewhere() == frozenset()
        assert gc.get_freeze_count() == 0


def test_content_problems_raised_in_the_child_are_raised_at_the_join() -> None:
    def work() -> None:
        raise ContentProblems([ContentError("c.md", 7, "a drift")])

    with building():
        assert forked.start("a test's pages", ALLOWED, work)
        with pytest.raises(ContentProblems) as raised:
            forked.join_all()
    assert [(p.path, p.line, p.message) for p in raised.value.problems] == [("c.md", 7, "a drift")]


def test_a_build_stopping_on_problems_waits_for_its_children_and_takes_their_problems(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def problems() -> None:
        problem_log().add(ContentError("logged.md", 3, "logged while writing"))
        time.sleep(0.5)  # still writing when the build stops
        raise ContentProblems([ContentError("c.md", 7, "a drift")])

    def dies() -> None:
        os._exit(5)

    with building():
        assert forked.start("a test's pages", ALLOWED, problems)
        assert forked.start("other pages", ALLOWED, dies)
        found = forked.problems_on_a_stop()
        assert sorted((p.path, p.line, p.message) for p in found) == [
            ("c.md", 7, "a drift"),
            ("logged.md", 3, "logged while writing"),  # logged before it stopped: listed too
        ]
        assert not build_state().peek(forked._Children).running  # type: ignore[union-attr]
        assert forked.problems_on_a_stop() == []  # nothing left to join
    # The child that died is logged (a warning: a problem of the build).
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("other pages ended with status 5" in message for message in warned), warned


def test_a_child_that_raises_hands_back_the_problems_it_logged_before() -> None:
    def work() -> None:
        problem_log().add(ContentError("logged.md", 3, "logged while writing"))
        raise ValueError("a bug in a page's code")

    with building():
        assert forked.start("a test's pages", ALLOWED, work)
        with pytest.raises(ContentProblems) as raised:
            forked.join_all()
    messages = sorted(p.message for p in raised.value.problems)
    assert messages[1] == "logged while writing", messages
    assert "ValueError" in messages[0], messages
    assert "a bug in a page's code" in messages[0], messages


def test_a_child_that_dies_fails_the_build_with_its_status() -> None:
    def work() -> None:
        os._exit(5)

    with building():
        assert forked.start("a test's pages", ALLOWED, work)
        with pytest.raises(forked.ForkedWriterFailed, match="a test's pages ended with status 5"):
            forked.join_all()


def test_a_build_that_ends_before_the_join_stops_its_child() -> None:
    with building():
        assert forked.start("a test's pages", ALLOWED, lambda: time.sleep(60))
        pid = build_state().peek(forked._Children).running[0].pid  # type: ignore[union-attr]
        started = time.monotonic()
    assert time.monotonic() - started < 10
    assert gc.get_freeze_count() == 0  # what the fork froze is unfrozen
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped by the build's closer


def test_nothing_is_forked_when_the_setting_says_no() -> None:
    with building():
        assert not forked.start("a test's pages", {"STRICTBUILD_FORKED_WRITERS": False}, lambda: None)
        assert build_state().peek(forked._Children) is None


class _Writer:
    def __init__(self) -> None:
        self._written_files: set[str] = set()
        self._overridden_files: set[str] = set()
        self._linked: set[str] = set()


def _reuse_with_writer(tmp_path: Path) -> tuple[PageReuse, Any]:
    reuse = build_state().slot(PageReuse, lambda: PageReuse(output=tmp_path, cache_path=tmp_path))
    reuse.writer = _Writer()
    return reuse, reuse.writer


def test_the_pages_the_child_wrote_are_recorded_in_the_build(tmp_path: Path) -> None:
    def work() -> None:
        reuse, writer = build_state().peek(PageReuse), build_state().peek(PageReuse).writer  # type: ignore[union-attr]
        writer._written_files.add("/site/b/index.html")
        writer._linked.add("/site/b/index.html")
        reuse.written["b/index.html"] = ("digest b", "hash b")  # type: ignore[union-attr]
        reuse.placed["b/index.html"] = (2, 20, 200, 2000)  # type: ignore[union-attr]
        del reuse.placed["a/index.html"]  # type: ignore[union-attr]

    with building():
        reuse, writer = _reuse_with_writer(tmp_path)
        writer._written_files.add("/site/a/index.html")
        reuse.written["a/index.html"] = ("digest a", "hash a")
        reuse.placed["a/index.html"] = (1, 10, 100, 1000)
        assert forked.start("a test's pages", ALLOWED, work)
        forked.join_all()
        assert writer._written_files == {"/site/a/index.html", "/site/b/index.html"}
        assert writer._linked == {"/site/b/index.html"}
        assert reuse.written == {
            "a/index.html": ("digest a", "hash a"),
            "b/index.html": ("digest b", "hash b"),
        }
        assert reuse.placed == {"b/index.html": (2, 20, 200, 2000)}


def test_a_page_both_processes_wrote_fails_the_build(tmp_path: Path) -> None:
    def work() -> None:
        build_state().peek(PageReuse).writer._written_files.add("/site/same/index.html")  # type: ignore[union-attr]

    with building():
        _reuse, writer = _reuse_with_writer(tmp_path)
        assert forked.start("a test's pages", ALLOWED, work)
        writer._written_files.add("/site/same/index.html")
        with pytest.raises(FileOverwriteFailedError, match=r"same/index\.html"):
            forked.join_all()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteCopy:
    return site_with_charts_drawn(tmp_path_factory.mktemp("forked"))


def test_a_build_with_a_forked_writer_writes_the_same_site_and_record(
    site: SiteCopy, monkeypatch: pytest.MonkeyPatch
) -> None:
    starts = spy_on_forks(monkeypatch)

    def started() -> list[bool]:
        return [made for name, made in starts if name in ("the side-by-side pages", "the chart pages")]

    alone = site.build(STRICTBUILD_FORKED_WRITERS=False)
    assert started() == [False, False]
    by_one = tree_digest(site.output)
    # The pages recorded and their bytes (the digests read the settings, which differ).
    record = {
        name: data for name, (_digest, data) in recorded_pages(site.cache_file(MANIFEST_FILE).parent).items()
    }
    beside = site.build(STRICTBUILD_FORKED_WRITERS=True)
    assert started() == [False, False, True, True]
    assert tree_digest(site.output) == by_one
    again = recorded_pages(site.cache_file(MANIFEST_FILE).parent)
    assert {name: data for name, (_digest, data) in again.items()} == record
    assert beside.counts == alone.counts
    assert any("/parallel/" in name for name in by_one)
    assert any("/charts/" in name for name in by_one)


def test_a_rebuild_links_the_childs_unchanged_pages_and_records_them(site: SiteCopy) -> None:
    site.build_unchecked(STRICTBUILD_FORKED_WRITERS=True)
    first = recorded_pages(site.cache_file(MANIFEST_FILE).parent)
    parallel = [name for name in first if name.endswith("/parallel/index.html")]
    assert parallel
    inodes = {name: (site.output / name).stat().st_ino for name in parallel}
    again = site.build_unchecked(STRICTBUILD_FORKED_WRITERS=True)
    assert again.counts.get("pages copied unchanged", 0) >= len(parallel)
    # Linked by the child to the previous site's very files, and recorded by the build.
    assert {name: (site.output / name).stat().st_ino for name in parallel} == inodes
    assert recorded_pages(site.cache_file(MANIFEST_FILE).parent) == first
    assert tree_digest(site.output) == site.cold()


def test_a_build_stopped_by_a_later_problem_lists_the_childrens_problems_too(
    site: SiteCopy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a serial build would, which wrote the side-by-side pages before the homes stopped it."""
    from bilingual.pages import LanguagePagesGenerator
    from parallel.pages import ParallelPagesGenerator
    from tests.support import build_content

    write_pages = ParallelPagesGenerator.write_pages

    def write_with_a_problem(self: ParallelPagesGenerator, writer: Any) -> None:
        problem_log().add(ContentError("briefs/side.en.md", 4, "a problem found writing a side-by-side page"))
        write_pages(self, writer)

    def homes_stop(self: LanguagePagesGenerator, writer: Any) -> None:
        raise ContentProblems([ContentError("pages/home.en.md", 2, "a problem that stops the homes")])

    monkeypatch.setattr(ParallelPagesGenerator, "write_pages", write_with_a_problem)
    monkeypatch.setattr(LanguagePagesGenerator, "generate_output", homes_stop)
    starts = spy_on_forks(monkeypatch)
    before = tree_digest(site.output)
    for forking in (False, True):
        result = build_content(site.content, site.output, force=True, STRICTBUILD_FORKED_WRITERS=forking)
        messages = sorted(problem.message for problem in result.problems)
        assert messages == ["a problem found writing a side-by-side page", "a problem that stops the homes"]
        assert tree_digest(site.output) == before  # the previous site survives
    assert ("the side-by-side pages", True) in starts
