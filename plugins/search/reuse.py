"""Reuse the search index of a build whose pages Pagefind would read the same.

Pagefind has no incremental mode: it reads every page of the written site on
every build, the largest single step of a rebuild with nothing changed. Its
bundle depends only on the HTML pages it reads, its own version and its
command line, so the finished bundle (after :mod:`search.index` tidied it)
is kept under ``.cache/search/<key>/`` (setting ``SEARCH_CACHE_PATH``),
the key hashing all of those; a build whose key is there copies the bundle
instead of running Pagefind. The bytes are the same either way: the
reproducibility tests build twice and compare.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

#: Cached bundles kept besides the one in use, for builds taking turns.
KEEP = 2


def cache_folder(settings: Mapping[str, Any]) -> Path:
    """The folder of cached bundles (``SEARCH_CACHE_PATH``, relative to the project)."""
    project = Path(str(settings.get("PATH", "content"))).resolve().parent
    return project / str(settings.get("SEARCH_CACHE_PATH", ".cache/search"))


def index_key(site: Path, bundle: str, command: Sequence[str]) -> str:
    """A hash of every page Pagefind reads (its path and bytes), of its binary and its arguments."""
    digest = hashlib.sha256()
    try:
        version = metadata.version("pagefind-bin-extended")
    except metadata.PackageNotFoundError:
        version = "unknown"
    digest.update(f"{command[0]}\0{version}\0".encode())
    arguments = [part.replace(str(site), "<site>") for part in command[1:]]
    digest.update("\0".join(arguments).encode("utf-8"))
    for root, folders, files in os.walk(site):
        folders.sort()
        if Path(root) == site and bundle in folders:
            folders.remove(bundle)
        for name in sorted(files):
            if name.endswith((".html", ".htm")):
                path = Path(root, name)
                digest.update(b"\0" + str(path.relative_to(site)).encode("utf-8") + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def restore(cache: Path, key: str, target: Path) -> bool:
    """Copy the cached bundle ``key`` to ``target``; False when there is none."""
    found = cache / key
    if not found.is_dir():
        return False
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(found, target)
    os.utime(found)  # the newest use, for pruning
    return True


def store(cache: Path, key: str, bundle: Path) -> None:
    """Keep a copy of the finished ``bundle`` under ``key``, atomically; prune old ones."""
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=cache))
    try:
        shutil.copytree(bundle, staging / "bundle")
        if not (cache / key).exists():
            (staging / "bundle").rename(cache / key)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    kept = sorted(
        (p for p in cache.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime_ns,
        reverse=True,
    )
    for old in kept[KEEP + 1 :]:
        shutil.rmtree(old, ignore_errors=True)
