"""The later briefs of a cold build parsed by a forked reader: the same readings, its problems kept."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from strictbuild import forked, readahead
from strictbuild.problems import ContentError, problem_log
from strictbuild.state import building
from tests.support import SiteCopy

FILES = 300


class _Reader:
    def read(self, path: str) -> tuple[str, dict[str, Any]]:
        name = os.path.basename(path)
        if name == "0290.md":
            raise ValueError("this file cannot be read")
        if name == "0280.md":
            problem_log().add(ContentError(name, 3, "a problem found while reading"))
        return f"<p>{name}</p>", {"title": name, "read_by": os.getpid()}


class _Readers:
    """Pelican's readers as the wrapper sees them: a cache look-up, a cache store, readers by suffix."""

    def __init__(self) -> None:
        self.readers = {"md": _Reader()}
        self.cache: dict[str, Any] = {}

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
    # Of the 297 files to parse after the second, the last 45 % (133) went to the child.
    assert len(elsewhere) == 133 - 1, sorted(elsewhere)  # less the one it could not read
    assert max(build) < min(elsewhere)
    assert "0290.md" not in found
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
    site = SiteCopy(tmp_path_factory.mktemp("readahead"))
    site.build_unchecked()  # the charts drawn once, for the builds to take from the cache
    return site


def test_a_cold_build_with_a_forked_reader_builds_the_same_site(
    site: SiteCopy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readahead, "LEAST", 2)
    names: list[str] = []
    start = forked.start

    def spy(name: str, *args: Any) -> forked.Child | None:
        child = start(name, *args)
        if child is not None:
            names.append(name)
        return child

    monkeypatch.setattr(forked, "start", spy)
    try:
        site.settings["STRICTBUILD_FORKED_WRITERS"] = False
        serial = site.cold()
        assert names == []
        site.settings["STRICTBUILD_FORKED_WRITERS"] = True
        assert site.cold() == serial
    finally:
        del site.settings["STRICTBUILD_FORKED_WRITERS"]
    assert "the later briefs' reading" in names
