"""Helpers for tests that build a small site into a temporary folder."""

from __future__ import annotations

import hashlib
import shutil
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from strictbuild.driver import BuildResult, build
from strictbuild.reuse import VERIFY_ENV

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "pelicanconf.py"


def write_site(base: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write a content folder under ``base`` from ``{relative path: text}``."""
    content = base / "content"
    for name, body in files.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return content


def own_caches(folder: Path) -> dict[str, str]:
    """Settings that keep a test build's caches in ``folder``, away from the project's ``.cache``.

    A test building content that lives in the project (or the project's own
    site) would otherwise share the developer's caches, and those of every
    other test process building the same content.
    """
    return {
        "CACHE_PATH": str(folder / "cache" / "content"),
        "CHARTS_CACHE_PATH": str(folder / "cache" / "charts"),
        "SEARCH_CACHE_PATH": str(folder / "cache" / "search"),
    }


def build_content(content: Path, output: Path, *, force: bool = False, **override: Any) -> BuildResult:
    """Build ``content`` with the project's settings, theme and plugins, and caches beside it.

    ``force``: build in full even when nothing changed since the last build.
    """
    settings = {
        "PATH": str(content),
        "THEME": str(ROOT / "theme"),
        "PLUGIN_PATHS": [str(ROOT / "plugins")],
        **own_caches(content.parent),
        **override,
    }
    return build(SETTINGS, output, override=settings, force=force)


def cold_build(content: Path, **override: Any) -> dict[str, str]:
    """``content`` built from nothing into ``cold/`` beside it: each file's sha256.

    No content cache and no previous output, so nothing is kept from an
    earlier build; the chart renderings come from the caches beside
    ``content`` (keyed by their inputs, so they cannot differ).
    """
    base = content.parent
    fresh = base / "cold"
    shutil.rmtree(fresh, ignore_errors=True)
    result = build_content(
        content,
        fresh,
        CACHE_PATH=str(base / "cold-cache"),
        CACHE_CONTENT=False,
        LOAD_CONTENT_CACHE=False,
        CHARTS_CACHE_PATH=str(base / "cache" / "charts"),
        **override,
    )
    assert result.ok, result.problems
    assert "pages copied unchanged" not in result.counts
    return tree_digest(fresh)


class SiteCopy:
    """A copy of the project's content (and theme, if asked) that a test may edit, with its own caches.

    Builds go to ``output`` with the caches beside ``content``; :meth:`cold`
    builds the same content from nothing, to compare a rebuild with.
    """

    def __init__(self, base: Path, *, theme: bool = False) -> None:
        self.base = base
        self.content = base / "content"
        self.theme = base / "theme"
        self.output = base / "output"
        shutil.copytree(ROOT / "content", self.content)
        self.settings: dict[str, Any] = {}
        if theme:
            shutil.copytree(ROOT / "theme", self.theme, ignore=shutil.ignore_patterns("__pycache__"))
            self.settings["THEME"] = str(self.theme)

    def build(self, *, force: bool = True, **override: Any) -> BuildResult:
        """Build into ``output``; in full by default, even with nothing changed (strictbuild.uptodate)."""
        result = build_content(self.content, self.output, force=force, **{**self.settings, **override})
        assert result.ok, result.problems
        return result

    def build_unchecked(self, *, force: bool = True, **override: Any) -> BuildResult:
        """:meth:`build` with ``STRICTBUILD_VERIFY_REUSE`` off: what the caches keep is taken back.

        For a module fixture's first build, whose caches the tests' builds take back.
        """
        with pytest.MonkeyPatch.context() as patch:
            patch.delenv(VERIFY_ENV, raising=False)
            return self.build(force=force, **override)

    def cold(self) -> dict[str, str]:
        """The site built from nothing into a folder of its own."""
        return cold_build(self.content, **self.settings)

    def cache_file(self, name: str) -> Path:
        """The file ``name`` of the content cache (a folder per content folder)."""
        found = list((self.base / "cache" / "content").glob(f"*/{name}"))
        assert len(found) == 1, found
        return found[0]


def site_with_charts_drawn(base: Path) -> SiteCopy:
    """A :class:`SiteCopy` built once, its charts drawn for a module's builds to take from the cache."""
    site = SiteCopy(base)
    site.build_unchecked()
    return site


def spy_on_forks(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Each forked child the build asks for from now on: its name, and whether one was forked."""
    from strictbuild import forked

    starts: list[tuple[str, bool]] = []
    start = forked.start

    def spy(name: str, *args: Any) -> forked.Child | None:
        child = start(name, *args)
        starts.append((name, child is not None))
        return child

    monkeypatch.setattr(forked, "start", spy)
    return starts


def copy_fixture(name: str, base: Path) -> Path:
    """Copy a fixture site from tests/fixtures into ``base``; return its content folder."""
    source = ROOT / "tests" / "fixtures" / name / "content"
    target = base / "content"
    shutil.copytree(source, target)
    return target


def tree_digest(folder: Path) -> dict[str, str]:
    """A sha256 for every file below ``folder``, keyed by relative path."""
    digests = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digests[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def brief(slug: str, lang: str, title: str = "A title", body: str = "Some text.", **fields: str) -> str:
    """The text of a minimal brief with front matter."""
    extra = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return f"---\ntitle: {title}\nslug: {slug}\nlang: {lang}\nsummary: A summary.\n{extra}---\n\n{body}\n"


__all__ = [
    "ROOT",
    "brief",
    "build_content",
    "cold_build",
    "copy_fixture",
    "own_caches",
    "tree_digest",
    "write_site",
]
