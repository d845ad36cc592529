"""Hold what the page being written needs, not every page's HTML at once.

Pelican keeps three copies of each brief's HTML for the whole build: the
reader cache's (the HTML as parsed, kept in memory after the cache file is
saved), the content's ``_content`` (after plugins resolve links and place
charts) and the memoized ``content`` (``_content`` with ``{filename}`` links
replaced, cached per content and site URL). The first is dropped once the
cache file is written; the third once the page that needed it is written.
Both are caches: a later page that asks for a content's HTML again gets it
recomputed, byte for byte the same.
"""

from __future__ import annotations

from typing import Any

from pelican.contents import Content


def reader_cache_saved(generator: Any) -> None:
    """Forget the reader cache's copy of every file once it has been saved.

    Connected to ``article_generator_finalized`` and ``page_generator_finalized``,
    which Pelican sends right after saving that generator's reader cache.
    """
    readers = getattr(generator, "readers", None)
    if readers is not None and isinstance(getattr(readers, "_cache", None), dict):
        readers._cache = {}


def _memo_caches() -> list[dict[Any, Any]]:
    caches = []
    for name in ("get_content", "get_summary"):
        cache = getattr(getattr(Content, name, None), "cache", None)
        if isinstance(cache, dict):
            caches.append(cache)
    return caches


def page_written(path: str, context: Any = None) -> None:
    """Forget the HTML that Pelican memoized for the pages written so far.

    Connected to ``content_written``. The memoized ``content`` and ``summary``
    of every brief would otherwise stay in memory until the build ends.
    """
    for cache in _memo_caches():
        cache.clear()
