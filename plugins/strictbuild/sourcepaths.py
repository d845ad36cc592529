"""A content's path relative to the content folder, worked out once per file.

Pelican works a brief's or page's address (``url``, ``save_as``) out again
on every read: it formats the URL setting with a fresh copy of the item's
metadata, whose ``path`` is the source file's path relative to the content
folder (``Content.get_relative_source_path``: two absolute paths, then a
relative path from one to the other). The plugins and templates read an
item's address about a dozen times per build, so a rebuild of 4,000 brief
pages worked out 105,000 such paths (3.5 s of a 42 s profile of one changed
brief at N = 2000).

The answer depends only on the content folder setting, the source path and
the working folder (which both absolute paths start from), so it is kept per
those three: Pelican's own method computes it the first time, and every later
call for the same three gets the same string.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from pelican.contents import Content

#: Pelican's own method, which makes every answer kept here
_PELICAN = Content.get_relative_source_path
#: more files than any site has; past it the memo starts again
_LIMIT = 100_000
_known: dict[tuple[str, str, str], str | None] = {}


def relative_source_path(self: Any, source_path: str | None = None) -> str | None:
    """``Content.get_relative_source_path``, answered once per content folder, file and working folder."""
    path = source_path or getattr(self, "source_path", None)
    settings = getattr(self, "settings", None)
    root = settings.get("PATH") if isinstance(settings, Mapping) else None
    if not isinstance(path, str) or not isinstance(root, str):
        return _PELICAN(self, source_path)
    key = (os.getcwd(), root, path)
    if key not in _known:
        if len(_known) >= _LIMIT:
            _known.clear()
        _known[key] = _PELICAN(self, path)
    return _known[key]


def install() -> None:
    """Answer ``get_relative_source_path`` from the memo (idempotent)."""
    Content.get_relative_source_path = relative_source_path


__all__ = ["install", "relative_source_path"]
