"""Keep Pelican's cache of parsed content honest.

Pelican's reader cache (``CACHE_CONTENT``, ``LOAD_CONTENT_CACHE`` with
``CONTENT_CACHING_LAYER = "reader"``) keeps each file's HTML and metadata
keyed by a hash of that file's bytes (``CHECK_MODIFIED_METHOD``). What a
reader makes of a file also depends on things outside it: the settings, the
plugins' code, the installed packages and a few content files that every
brief is checked against (the sources registry, the glossary, the chart
modules, listed in ``CONTENT_CACHE_DEPENDENCIES``). This module fingerprints
all of those at start-up and does not load the cache when the fingerprint
differs from the one stored beside it; the build then rewrites the cache.

Two builds of the same content at once (two test processes, a build while
the watcher rebuilds) never share the cache: the first holds a lock on it
until it ends, and the other builds without the cache.

Problems found in a file are part of its metadata (see :mod:`.problems`), so
a cached file keeps reporting them until it is fixed.
"""

from __future__ import annotations

import fcntl
import glob
import hashlib
import json
import os
import pickle
import sys
import types
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from .state import build_state

#: Settings key listing content files (globs relative to ``PATH``) that the
#: parse of every file depends on.
DEPENDENCIES_SETTING = "CONTENT_CACHE_DEPENDENCIES"
#: The file, in ``CACHE_PATH``, holding the fingerprint the cache was made with.
FINGERPRINT_FILE = "strictbuild-fingerprint"
#: The file, in ``CACHE_PATH``, that a build holds a lock on while it uses the cache.
LOCK_FILE = "strictbuild-lock"

# Settings that differ between builds without changing what a reader makes of
# a file: the output folder is a fresh staging folder each time.
_VOLATILE = frozenset({"OUTPUT_PATH", "LOAD_CONTENT_CACHE", "CACHE_PATH"})


@dataclass
class CacheFingerprint:
    """The fingerprint of this build's settings and code, until the saved cache records it."""

    value: str = ""


def _stable(value: Any) -> Any:
    """A JSON-able form of a settings value that is the same in every run.

    Objects without a value-like form are named by their type, since their
    ``repr`` may carry a memory address.
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Mapping):
        return {str(k): _stable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_stable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_stable(v) for v in value), key=repr)
    if isinstance(value, types.ModuleType):
        return f"<module {value.__name__}>"
    name = getattr(value, "__qualname__", None) or type(value).__qualname__
    module = getattr(value, "__module__", None) or type(value).__module__
    return f"<{module}.{name}>"


def _hash_files(digest: Any, paths: list[str], base: str) -> None:
    for path in paths:
        digest.update(os.path.relpath(path, base).encode("utf-8", "surrogateescape") + b"\0")
        with open(path, "rb") as handle:
            digest.update(hashlib.blake2b(handle.read()).digest())


def fingerprint(settings: Mapping[str, Any]) -> str:
    """A hash of everything besides a file itself that shapes how it is parsed."""
    digest = hashlib.blake2b(digest_size=20)
    wanted = {k: v for k, v in settings.items() if k not in _VOLATILE}
    digest.update(json.dumps(_stable(wanted), sort_keys=True).encode("utf-8"))
    digest.update(sys.version.encode())
    installed = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join(installed).encode("utf-8"))
    for folder in settings.get("PLUGIN_PATHS") or []:
        code = sorted(glob.glob(os.path.join(str(folder), "**", "*.py"), recursive=True))
        _hash_files(digest, code, str(folder))
    content = str(settings.get("PATH", "content"))
    for pattern in settings.get(DEPENDENCIES_SETTING) or []:
        found = sorted(glob.glob(os.path.join(content, str(pattern)), recursive=True))
        _hash_files(digest, [p for p in found if os.path.isfile(p)], content)
    return digest.hexdigest()


def _fingerprint_path(settings: Mapping[str, Any]) -> str:
    return os.path.join(str(settings.get("CACHE_PATH", "cache")), FINGERPRINT_FILE)


def check_content_cache(settings: MutableMapping[str, Any]) -> bool:
    """Decide whether this build may load the content cache; return the decision.

    The stored fingerprint is removed until the new cache is saved, so a build
    that stops half-way never leaves a cache that looks valid.
    """
    if not settings.get("CACHE_CONTENT"):
        return False
    # One cache folder per content folder: test and benchmark sites built
    # with the project's settings never share, or race for, the site's cache.
    content = os.path.abspath(str(settings.get("PATH", "content")))
    where = hashlib.blake2b(content.encode("utf-8", "surrogateescape"), digest_size=6).hexdigest()
    settings["CACHE_PATH"] = os.path.join(str(settings.get("CACHE_PATH", "cache")), where)
    if not _lock(str(settings["CACHE_PATH"])):
        # Another build of the same content is using the cache right now:
        # build without it rather than read or write files it is writing.
        settings["CACHE_CONTENT"] = settings["LOAD_CONTENT_CACHE"] = False
        return False
    current = fingerprint(settings)
    build_state().slot(CacheFingerprint).value = current
    path = _fingerprint_path(settings)
    try:
        with open(path, encoding="utf-8") as handle:
            stored = handle.read().strip()
        os.remove(path)
    except OSError:
        stored = ""
    if stored != current:
        settings["LOAD_CONTENT_CACHE"] = False
    return bool(settings.get("LOAD_CONTENT_CACHE"))


def _lock(folder: str) -> bool:
    """Hold ``folder``'s lock until the build ends; False when another build holds it."""
    os.makedirs(folder, exist_ok=True)
    handle = open(os.path.join(folder, LOCK_FILE), "a+b")  # noqa: SIM115 (held for the whole build)
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return False
    build_state().on_close(handle.close)
    return True


def store_fingerprint(settings: Mapping[str, Any]) -> None:
    """Record the fingerprint the saved cache was made with."""
    current = build_state().slot(CacheFingerprint).value
    if not current or not settings.get("CACHE_CONTENT"):
        return
    path = _fingerprint_path(settings)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(str(current) + "\n")


#: The file beside a reader cache holding the entries changed since it was written.
CHANGES_SUFFIX = ".changes"
#: The share of a reader cache's entries that may sit in its changes file;
#: past it, the whole cache is written again and the changes file removed.
CHANGES_SHARE = 0.125


def _stamp(path: str) -> list[int]:
    """What identifies a written cache file: a changes file applies to that file only."""
    status = os.stat(path)
    return [status.st_size, status.st_mtime_ns, status.st_ino]


def save_only_when_changed(generator: Any) -> None:
    """Write a loaded reader cache back only as far as this build changed it.

    Connected to ``generator_init``. Pelican pickles the whole reader cache
    (every file's tokens, tens of MB) after reading, even when every file
    came from it, or one did not: a rebuild then spends as long writing the
    same bytes back as it spent loading them. Here, a build that parsed
    nothing writes nothing (the file on disk is the one it loaded, made with
    the same fingerprint), and a build that parsed a few files writes only
    their entries, with those of earlier builds since the cache was last
    written whole, to a *changes file* beside it
    (``ArticlesGenerator-Readers.changes``), which the next build loads over
    it. The changes file names the cache file it applies to (size, time and
    inode): one left from another cache is ignored, and its files are parsed
    again. Once more than :data:`CHANGES_SHARE` of the entries changed, the
    whole cache is written and the changes file removed.
    """
    readers = getattr(generator, "readers", None)
    cache = getattr(readers, "_cache", None)
    settings = getattr(generator, "settings", None) or {}
    if readers is None or not isinstance(cache, dict) or not settings.get("CACHE_CONTENT"):
        return  # no cache, or another build holds it: leave its files alone
    # Whether this build started from the cache on disk (not whether the
    # cache holds entries by the time it is saved: parsing adds them).
    loaded = bool(cache) and bool(settings.get("LOAD_CONTENT_CACHE"))
    changes_path = str(readers._cache_path) + CHANGES_SUFFIX
    opener = readers._cache_open
    pending: set[Any] = set()
    if loaded:
        pending = _load_changes(changes_path, str(readers._cache_path), opener, cache)
    del cache  # held by the readers until saved (then emptied by memory.reader_cache_saved)
    cache_data, save_cache = readers.cache_data, readers.save_cache
    changed: set[Any] = set()

    def cache_and_note(filename: str, data: Any) -> None:
        changed.add(filename)
        cache_data(filename, data)

    def save_if_changed() -> None:
        if not changed:
            return  # the files on disk are what this build loaded
        entries = pending | changed
        base = str(readers._cache_path)
        few = len(entries) <= max(1, int(len(readers._cache) * CHANGES_SHARE))
        if loaded and few and _save_changes(changes_path, base, opener, readers._cache, entries):
            return
        save_cache()
        if os.path.exists(changes_path):
            os.remove(changes_path)

    readers.cache_data = cache_and_note
    readers.save_cache = save_if_changed


def no_stamps_for_an_unused_cache(generator: Any) -> None:
    """Read no file for a generator's own content cache when that cache is off.

    Connected to ``article_generator_init`` and ``page_generator_init``.
    Pelican's article and page generators have a content cache of their own
    (``CONTENT_CACHING_LAYER = "generator"``), and look every file up in it,
    and store every file in it, whichever layer caches: each look-up and
    each store reads the whole file to hash it (``CHECK_MODIFIED_METHOD``).
    With the cache at the reader (this project's setting), the generator's
    cache is empty and stores nothing, so those hashes (two reads of every
    brief and page on every build, beside the reader cache's own) decide
    nothing: a look-up in an empty cache finds nothing whatever the stamp.
    Here such a generator's stamp is a constant, read from no file. A
    generator whose cache loaded entries, or keeps them, hashes as before.
    """
    if getattr(generator, "_cache_data_policy", True) or getattr(generator, "_cache", None) != {}:
        return
    generator._get_file_stamp = _no_stamp


def _no_stamp(filename: str) -> bytes:
    """The stamp of any file for a generator cache that is empty and stores nothing."""
    return b""


def _load_changes(path: str, base: str, opener: Any, cache: dict[Any, Any]) -> set[Any]:
    """Add the entries of the changes file ``path`` to ``cache`` if it applies to ``base``; their names."""
    try:
        with opener(path, "rb") as handle:
            stored = pickle.load(handle)  # noqa: S301 (the build's own cache, as Pelican's)
        if stored.get("base") != _stamp(base):
            return set()
        entries = dict(stored["entries"])
    except Exception:  # unreadable, truncated, not gzip...: its files are parsed again
        return set()
    cache.update(entries)
    return set(entries)


def _save_changes(path: str, base: str, opener: Any, cache: dict[Any, Any], names: set[Any]) -> bool:
    """Write the entries ``names`` of ``cache`` as the changes file of ``base``; False if it could not be."""
    temporary = f"{path}.{os.getpid()}"
    try:
        with opener(temporary, "wb") as handle:
            pickle.dump({"base": _stamp(base), "entries": {name: cache[name] for name in names}}, handle)
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        if os.path.exists(temporary):
            os.remove(temporary)
        return False
    return True
