"""Parse the later part of a cold build's briefs in a forked reader while the build parses the rest.

A cold build at N = 2000 parses 4,000 Markdown files on one core (16 s)
before the chart workers start, the other core idle. Pelican reads each
file through its readers' cache (``Readers.get_cached_data``, then the
reader's ``read`` on a miss, then ``cache_data``). Connected to
``article_generator_init``, this wraps the generator's ``get_cached_data``:
at the second file the build parses itself (the first has loaded what
parsing needs: the parser, the registry, the glossary), if at least
:data:`LEAST` files later in the generator's order would be parsed too,
the build forks (:mod:`strictbuild.forked`), and the child parses the last
:data:`SHARE` of them with the same reader and sends back what each
``read`` returned. When the build reaches the first of those files, it
joins the child and takes each file's reading as a cache hit (and caches
it as a parse would), so Pelican makes the same content objects from the
same readings. What a reading reports to the problem log or logs travels
back as for a forked child. A file the child could not read (its reader
raised) is parsed again by the build, which reports it as it always does;
if the child died, the build parses them all.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican.readers import _filter_discardable_metadata
from pelican.utils import file_suffix

from . import forked
from .failures import internal_error
from .problems import ContentProblems, problem_log

__all__ = ["LEAST", "SHARE", "read_ahead"]

#: Files later in the order that must be parsed for the build to fork a reader.
LEAST = 200
#: The share of them the forked reader parses (less than half: it also pickles them).
SHARE = 0.45


@dataclass
class _Plan:
    readers: Any
    settings: Any
    files: list[str]  # absolute paths, in the order the generator reads them
    original: Callable[..., Any]
    misses: int = 0
    done: bool = False
    child: forked.Child | None = None
    ahead: frozenset[str] = frozenset()
    ready: dict[str, Any] = field(default_factory=dict)

    def get_cached_data(self, filename: str, default: Any = None) -> Any:
        if filename in self.ahead:
            self._join()
            stamp, found = self.ready.pop(filename, (None, None))
            # Taken only if the file is as the child read it; else parsed again.
            if found is not None and stamp == self.readers._get_file_stamp(filename):
                self.readers.cache_data(filename, found)  # as after a parse
                return found
        found = self.original(filename, default)
        if found is default and not self.done:
            self.misses += 1
            if self.misses == 2:
                self._fork(filename)
        return found

    def _fork(self, filename: str) -> None:
        self.done = True
        try:
            later = self.files[self.files.index(filename) + 1 :]
        except ValueError:
            return
        cache = getattr(self.readers, "_cache", None) or {}
        to_parse = [path for path in later if path not in cache or self.original(path, None) is None]
        if len(to_parse) < LEAST:
            return
        ahead = to_parse[len(to_parse) - int(len(to_parse) * SHARE) :]
        self.child = forked.start(
            "the later briefs' reading", self.settings, lambda: _read(self.readers, ahead)
        )
        if self.child is not None:
            self.ahead = frozenset(ahead)

    def _join(self) -> None:
        if self.child is None:
            return
        child, self.child = self.child, None
        try:
            self.ready = child.join(strict=False) or {}
        except ContentProblems as problems:  # the build parses every file itself
            problem_log().extend(problems.problems)
        except Exception as error:  # reported, and the build parses every file itself
            problem_log().add(
                internal_error(error, self.settings, Path(str(self.settings.get("OUTPUT_PATH", ""))))
            )


def _read(readers: Any, paths: list[str]) -> dict[str, tuple[Any, Any]]:
    """Each file's reading, as ``Readers.read_file`` makes it on a miss.

    A file whose reader raised is left out: the build parses it again, and
    reports it as it always does.
    """
    found = {}
    for path in paths:
        reader = readers.readers.get(file_suffix(path))
        if reader is None:
            continue
        stamp = readers._get_file_stamp(path)  # before reading: a later change is then seen
        try:
            content, metadata = reader.read(path)
        except Exception:  # noqa: S112 (see above)
            continue
        found[path] = (stamp, (content, _filter_discardable_metadata(metadata)))
    return found


def read_ahead(generator: Any) -> None:
    """Wrap the generator's reader cache look-up (see the module's notes).

    Connected to ``article_generator_init``, after the content cache's own
    wrapping (``save_only_when_changed``, on ``generator_init``).
    """
    readers = getattr(generator, "readers", None)
    settings = getattr(generator, "settings", None)
    if readers is None or settings is None or not forked.forking_allowed(settings):
        return
    if settings.get("CACHE_CONTENT") and settings.get("CONTENT_CACHING_LAYER", "reader") != "reader":
        return  # files the generator's own cache gives are never read: the child could parse them for nothing
    files = [
        os.path.abspath(os.path.join(generator.path, name))
        for name in generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    ]
    if len(files) < LEAST:
        return
    plan = _Plan(readers, settings, files, readers.get_cached_data)
    readers.get_cached_data = plan.get_cached_data
