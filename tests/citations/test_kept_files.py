"""The registry and glossary are kept as read between builds, and read again only when they changed.

Checking the registry parses it with a strict YAML composer on every build;
a reading with no problem is taken back while both files, the code and the
settings are the same. Every rebuild is compared with the build before.
"""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

import pytest

import citations.state as state_module
from citations.state import KEPT_FILE
from strictbuild.reuse import VERIFY_ENV
from tests.support import SiteCopy, build_content, tree_digest


class Site(SiteCopy):
    """A copy of the project's content with its own caches, counting the readings of the registry."""

    def __init__(self, base: Path) -> None:
        super().__init__(base)
        self.readings = 0


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = Site(tmp_path_factory.mktemp("citations-files"))
    site.build_unchecked()
    return site


@pytest.fixture
def site(built: Site, monkeypatch: pytest.MonkeyPatch) -> Site:
    """The module's site with its caches up to date, counting each reading of the registry."""
    monkeypatch.delenv(VERIFY_ENV, raising=False)
    built.build()
    original = state_module.parse_sources

    def counting(*args: Any, **kwargs: Any) -> Any:
        built.readings += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(state_module, "parse_sources", counting)
    built.readings = 0
    return built


def test_a_rebuild_reads_neither_file_and_gives_the_same_site(site: Site) -> None:
    before = tree_digest(site.output)
    site.build()
    assert site.readings == 0
    assert tree_digest(site.output) == before


def test_an_edited_registry_is_read_again(site: Site) -> None:
    path = site.content / "sources.yaml"
    before = path.read_text(encoding="utf-8")
    path.write_text(before + "# a comment at the end\n", encoding="utf-8")
    try:
        site.build()
        assert site.readings == 1
        site.build()
        assert site.readings == 1  # and kept as read the second time
    finally:
        path.write_text(before, encoding="utf-8")


def test_a_reading_with_a_problem_is_not_kept(site: Site) -> None:
    path = site.content / "sources.yaml"
    before = path.read_text(encoding="utf-8")
    path.write_text(before + "- key: incomplete\n", encoding="utf-8")
    try:
        for _build in range(2):  # the second reads nothing kept by the first
            result = build_content(site.content, site.output, force=True)
            assert not result.ok
            assert any(problem.path.endswith("sources.yaml") for problem in result.problems)
        assert site.readings == 2
        entries: dict[bytes, bytes] = marshal.loads(site.cache_file(KEPT_FILE).read_bytes())  # noqa: S302
        # A kept reading lists every key written, the broken entry's too.
        assert [data for data in entries.values() if b"incomplete" in data] == []
    finally:
        path.write_text(before, encoding="utf-8")


def test_with_the_check_on_a_stale_reading_stops_the_build(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = site.cache_file(KEPT_FILE)
    entries: dict[bytes, bytes] = marshal.loads(path.read_bytes())  # noqa: S302 (the test's own cache)
    assert len(entries) == 1
    for key, data in entries.items():
        version, sources, glossary, source_keys, term_keys = marshal.loads(data)  # noqa: S302
        outlet = state_module._SOURCE_FIELDS.index("outlet")
        sources = [(*values[:outlet], {"en": "A stale outlet"}, *values[outlet + 1 :]) for values in sources]
        entries[key] = marshal.dumps((version, sources, glossary, source_keys, term_keys))
    path.write_bytes(marshal.dumps(entries))
    monkeypatch.setenv(VERIFY_ENV, "1")
    result = build_content(site.content, site.output, force=True)
    assert not result.ok
    assert "the digest misses something the reading reads" in str(result.problems)
    # Dropped: the next build, checking or not, does not take it back.
    assert marshal.loads(path.read_bytes()) == {}  # noqa: S302


def test_a_damaged_entry_is_read_again(site: Site) -> None:
    path = site.cache_file(KEPT_FILE)
    path.write_bytes(marshal.dumps({key: b"not a reading" for key in marshal.loads(path.read_bytes())}))  # noqa: S302
    before = tree_digest(site.output)
    site.build()
    assert site.readings == 1
    assert tree_digest(site.output) == before
