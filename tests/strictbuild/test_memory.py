"""What a build stops holding once it is no longer needed, and that nothing changes for it."""

from __future__ import annotations

import copy
from types import SimpleNamespace

from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from strictbuild import memory


def _article(html: str) -> Article:
    settings = copy.deepcopy(DEFAULT_CONFIG)
    return Article(html, metadata={"title": "A brief", "slug": "a-brief"}, settings=settings, context={})


def test_the_reader_cache_copy_is_dropped_once_saved() -> None:
    generator = SimpleNamespace(readers=SimpleNamespace(_cache={"brief.md": ("<p>html</p>", {})}))
    memory.reader_cache_saved(generator)
    assert generator.readers._cache == {}


def test_memoized_html_is_forgotten_after_a_page_is_written_and_recomputed_the_same() -> None:
    article = _article("<p>Twenty-five per cent.</p>")
    first = article.content
    assert any(key[0] is article for key in memory._memo_caches()[0]), "Pelican no longer memoizes content"
    memory.page_written("a-brief.html", {"article": article})
    assert not any(key[0] is article for cache in memory._memo_caches() for key in cache)
    assert article.content == first
