"""Helpers for tests that build a small site into a temporary folder."""

from __future__ import annotations

import hashlib
import shutil
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from strictbuild.driver import BuildResult, build

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


__all__ = ["ROOT", "brief", "build_content", "copy_fixture", "own_caches", "tree_digest", "write_site"]
