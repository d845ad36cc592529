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
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .reuse import verifying

__all__ = ["KeptValues"]


@dataclass
class KeptValues:
    """One file of kept values: bytes by digest (see the module's text)."""

    path: str
    entries: dict[bytes, bytes]
    verify: bool = False
    used: dict[bytes, bytes] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def open(cls, settings: Mapping[str, Any], name: str) -> KeptValues | None:
        """The values kept in ``CACHE_PATH/name``; None when the build does not use the content cache."""
        if not settings.get("CACHE_CONTENT"):
            return None
        path = os.path.join(str(settings.get("CACHE_PATH", "cache")), name)
        entries: dict[bytes, bytes] = {}
        try:
            with open(path, "rb") as handle:
                loaded = marshal.load(handle)  # noqa: S302 (the build's own cache)
            if isinstance(loaded, dict) and all(type(k) is type(v) is bytes for k, v in loaded.items()):
                entries = loaded
        except (OSError, EOFError, ValueError, TypeError):
            pass  # none yet, or unreadable: every value is made again
        return cls(path, entries, verify=verifying())

    def get(self, key: bytes) -> bytes | None:
        """The value kept under ``key``, kept again for the next build; None if there is none."""
        data = self.entries.get(key)
        if data is not None:
            self.used[key] = data
        return data

    def put(self, key: bytes, data: bytes) -> None:
        """Keep ``data`` under ``key`` for the next build."""
        self.used[key] = data
        self.changed = self.changed or self.entries.get(key) != data

    def save(self) -> None:
        """Write this build's entries, if they are not the ones read."""
        if not self.changed and self.used.keys() == self.entries.keys():
            return
        temporary = f"{self.path}.{os.getpid()}"
        try:
            with open(temporary, "wb") as handle:
                marshal.dump(self.used, handle)
            os.replace(temporary, self.path)
        except OSError:
            if os.path.exists(temporary):
                os.remove(temporary)
