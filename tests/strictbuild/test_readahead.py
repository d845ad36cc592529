"""The later briefs of a cold build parsed by a forked reader: the same readings, its problems kept."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from strictbuild import forked, readahead
from strictbuild.problems import ContentError, problem_log
from strictbuild.state import building
from tests.support import SiteCopy, site_with_charts_drawn, spy_on_forks

FILES = 300


BUILD = os.getpid()


class _Reader:
    def read(self, path: str) -> tuple[str, dict[str, Any]]:
        name = os.path.basename(path)
        if name == "0290.md" and os.getpid() != BUILD:
            raise ValueError("this file cannot be read in the child")
        if name == "0280.md":
            problem_log().add(ContentError(name, 3, "a problem found while reading"))
        return f"<p>{name}</p>", {"title": name, "read_by": os.getpid()}


class _Readers:
    """Pelican's readers as the wrapper sees them: a cache look-up, a cache store, readers by suffix."""

    def __init__(self) -> None:
        self.readers = {"md": _Reader()}
        self.cache: dict[str, Any] = {}
        self.stamps: dict[str, int] = {}

    def _get_file_stamp(self, filename: str) -> int:
        return self.stamps.get(filename, 1)

    def get_cached_data(self, filename: str, default: Any = None) -> Any:
        return self.cache.get(filename, default)

    def cache_data(self, filename: str, data: Any) -> None:
        self.cache[filename] = data


class _Generator:
    def __init__(self, folder: Path) -> None:
        self.path = str(folder)
        self.settings = {"ARTICLE_PATHS": [""], "ARTICLE_EXCLUDES": [], "STRICTBUILD_FORKED_WRITERS": True}
        self.readers = _Readers()
        self.names = [f"{number:04}.md" for number in range(FILES)]

    def get_files(self, paths: list[str], exclude: list[str]) -> list[str]:
        return list(self.names)

    def read_all(self) -> dict[str, Any]:
        """What Pelican's loop does: look each file up in the cache, else read and cache it."""
        found = {}
        for name in self.names:
            path = os.path.join(self.path, name)
            if name == "0003.md":  # after the fork: a file of the child's share is edited
                self.readers.stamps[os.path.join(self.path, "0200.md")] = 2
            content, metadata = self.readers.get_cached_data(path, (None, None))
            if content is None:
                try:
                    content, metadata = self.readers.readers["md"].read(path)
                except ValueError:
                    continue
                self.readers.cache_data(path, (content, metadata))
            found[name] = (content, metadata)
        return found


def test_the_later_files_are_read_by_a_forked_reader_and_taken_as_read(tmp_path: Path) -> None:
    generator = _Generator(tmp_path)
    generator.readers.cache[os.path.join(generator.path, "0001.md")] = ("<p>kept</p>", {"read_by": 0})
    with building():
        readahead.read_ahead(generator)
        found = generator.read_all()
        log = [(p.path, p.line, p.message) for p in problem_log().problems]
    by = {name: metadata["read_by"] for name, (_content, metadata) in found.items()}
    assert by["0001.md"] == 0  # from the cache
    build = {name for name, pid in by.items() if pid == os.getpid()}
    elsewhere = {name for name, pid in by.items() if pid not in (0, os.getpid())}
    # Of the 297 files to parse after the second, the last 45 % (133) went to the child,
    # less the one it could not read and the one edited since it read it: the build read those.
    assert len(elsewhere) == 133 - 2, sorted(elsewhere)
    assert max(build - {"0200.md", "0290.md"}) < min(elsewhere)
    assert {"0200.md", "0290.md"} <= build
    assert found["0280.md"] == ("<p>0280.md</p>", {"title": "0280.md", "read_by": by["0280.md"]})
    assert by["0280.md"] in {pid for pid in by.values() if pid not in (0, os.getpid())}
    assert log == [("0280.md", 3, "a problem found while reading")]
    # Taken as read: in the cache, as a parse would leave them.
    assert set(generator.readers.cache) == {os.path.join(generator.path, name) for name in found}


def test_nothing_is_forked_for_fewer_files_than_the_least(tmp_path: Path) -> None:
    generator = _Generator(tmp_path)
    generator.names = generator.names[: readahead.LEAST]
    with building():
        readahead.read_ahead(generator)
        found = generator.read_all()
    assert {metadata["read_by"] for _content, metadata in found.values()} == {os.getpid()}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteCopy:
    return site_with_charts_drawn(tmp_path_factory.mktemp("readahead"))


def test_a_cold_build_with_a_forked_reader_builds_the_same_site(
    site: SiteCopy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readahead, "LEAST", 2)
    starts = spy_on_forks(monkeypatch)
    joined: list[int] = []
    join = forked.Child.join

    def join_spy(self: forked.Child, **kwargs: Any) -> Any:
        value = join(self, **kwargs)
        if self.name == "the later briefs' reading":
            joined.append(len(value))
        return value

    monkeypatch.setattr(forked.Child, "join", join_spy)
    try:
        site.settings["STRICTBUILD_FORKED_WRITERS"] = False
        serial = site.cold()
        assert [name for name, made in starts if made] == []
        site.settings["STRICTBUILD_FORKED_WRITERS"] = True
        assert site.cold() == serial
    finally:
        del site.settings["STRICTBUILD_FORKED_WRITERS"]
    assert ("the later briefs' reading", True) in starts
    # Readings handed back (and the output is a serial build's).
    assert joined
    assert joined[0] > 0


def test_a_child_that_fails_leaves_every_file_to_the_build_and_its_problem_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_mark: Any) -> Any:
        raise ValueError("a state that cannot be handed back")

    monkeypatch.setitem(
        forked._CARRIED, "test.broken", forked.Carried("test.broken", lambda: 0, broken, print)
    )
    generator = _Generator(tmp_path)
    with building():
        readahead.read_ahead(generator)
        found = generator.read_all()
        log = [p.message for p in problem_log().problems]
    assert {metadata["read_by"] for _content, metadata in found.values()} == {os.getpid()}
    assert len(found) == FILES
    assert any(
        "internal error while building: ValueError: a state that cannot be handed back" in m for m in log
    ), log
