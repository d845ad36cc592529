"""Values one build makes and the next can take back, by a digest of their inputs.

A plugin that makes the same value from the same inputs on every build (a
file's rendered HTML, a chart's view) keeps it here under a digest of those
inputs: the next build takes back what it finds under the same digest and
makes only the rest. The file (in ``CACHE_PATH``, beside the content cache)
holds the entries the last build used, no others, and is written again only
when they changed, through a temporary file and a rename. It is used only
when the build holds the content cache's lock (:mod:`.cache`), so two builds
never write it at once.

What makes a digest complete is the plugin's to say: include
:func:`strictbuild.reuse.code_digest` (settings, packages, plugins' code,
theme) and everything else the value is made from, and make the value again
when ``verify`` is set (``STRICTBUILD_VERIFY_REUSE=1``, the test suite) to
compare it with what was kept.

Making a value can also report problems (a message with no translation):
a value kept would skip them on the next build, which would then succeed
with the untranslated text. So :meth:`KeptValues.put` keeps a value only if
no problem or warning was recorded since the :meth:`KeptValues.mark` taken
before making it. ``--ignore-cache`` (``LOAD_CONTENT_CACHE`` off) reads
nothing kept but still writes, and nothing is written if the theme or
plugin folders changed while the build ran.
"""

from __future__ import annotations

import logging
import marshal
import os
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .failures import WarningCollector
from .problems import problem_log
from .reuse import folders_unchanged, verifying

__all__ = ["KeptValues"]

T = TypeVar("T")


@dataclass
class KeptValues:
    """One file of kept values: bytes by digest (see the module's text)."""

    path: str
    entries: dict[bytes, bytes]
    settings: MutableMapping[str, Any] = field(default_factory=dict)
    verify: bool = False
    used: dict[bytes, bytes] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def open(cls, settings: MutableMapping[str, Any], name: str) -> KeptValues | None:
        """The values kept in ``CACHE_PATH/name``; None when the build does not use the content cache."""
        if not settings.get("CACHE_CONTENT"):
            return None
        path = os.path.join(str(settings.get("CACHE_PATH", "cache")), name)
        entries: dict[bytes, bytes] = {}
        if not settings.get("LOAD_CONTENT_CACHE", True):
            return cls(path, entries, settings, verify=verifying())  # --ignore-cache: read nothing
        try:
            with open(path, "rb") as handle:
                loaded = marshal.load(handle)  # noqa: S302 (the build's own cache)
            if isinstance(loaded, dict) and all(type(k) is type(v) is bytes for k, v in loaded.items()):
                entries = loaded
        except (OSError, EOFError, ValueError, TypeError):
            pass  # none yet, or unreadable: every value is made again
        return cls(path, entries, settings, verify=verifying())

    def mark(self) -> int:
        """How many problems and warnings the build has recorded so far (see :meth:`put`)."""
        count = len(problem_log(self.settings))
        for handler in logging.getLogger().handlers:
            if isinstance(handler, WarningCollector):
                count += len(handler.records)
        return count

    def get(self, key: bytes) -> bytes | None:
        """The value kept under ``key``, kept again for the next build; None if there is none."""
        data = self.entries.get(key)
        if data is not None:
            self.used[key] = data
        return data

    def put(self, key: bytes, data: bytes, since: int) -> None:
        """Keep ``data`` under ``key`` for the next build, if nothing was reported since ``since``.

        ``since`` is the :meth:`mark` taken before the value was made.
        """
        if self.mark() != since:
            return
        self.used[key] = data
        self.changed = self.changed or self.entries.get(key) != data

    def drop(self, key: bytes) -> None:
        """Keep nothing under ``key`` for the next build (a value found wrong after :meth:`get`)."""
        if self.used.pop(key, None) is not None or key in self.entries:
            self.changed = True

    def take_back_or_make(
        self,
        key: bytes | None,
        make: Callable[[], T],
        *,
        encode: Callable[[T], bytes],
        decode: Callable[[bytes], T | None],
        differs: Callable[[], None],
    ) -> T:
        """The value kept under ``key``, else the one ``make()`` returns, kept for the next build.

        ``decode`` gives None for an entry it cannot read (a damaged one: the
        value is made and the entry replaced); a ``key`` of None (something
        the value is made from has no digest) makes the value and keeps
        nothing. Under ``verify`` a value found is made too, and ``differs()``
        is called (to report it) when the two are not equal, and the entry
        dropped. If ``make``
        raises, nothing is kept. What is made is kept only as :meth:`put` allows.
        """
        found = None
        if key is not None:
            data = self.get(key)
            found = decode(data) if data is not None else None
            if found is not None and not self.verify:
                return found
        since = self.mark()
        value = make()
        if found is not None and key is not None and found != value:
            differs()
            self.drop(key)  # so that no later build takes it back either
            return value
        if key is not None:
            self.put(key, encode(value), since)
        return value

    def save(self) -> None:
        """Write this build's entries, if they are not the ones read."""
        if not self.changed and self.used.keys() == self.entries.keys():
            return
        if not folders_unchanged():
            return  # the theme or a plugin was edited while this build ran
        temporary = f"{self.path}.{os.getpid()}"
        try:
            with open(temporary, "wb") as handle:
                marshal.dump(self.used, handle)
            os.replace(temporary, self.path)
        except OSError:
            if os.path.exists(temporary):
                os.remove(temporary)
