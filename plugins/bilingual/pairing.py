"""Pair each brief and page with its translation, and tell each its alternates."""

from __future__ import annotations

from typing import Any

from strictbuild import all_content


def link_translations(generators: list[Any]) -> None:
    """Give every published content object ``alternates``: its URL in each language.

    Pelican already groups translations by slug; this records, for each
    object, the list of ``(lang, url)`` in the site's language order.
    """
    if not generators:
        return
    settings = generators[0].settings
    order = list(settings.get("SITE_LANGUAGES", {}))
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for item in all_content(generators):
        if getattr(item, "status", "published") != "published":
            continue
        kind = type(item).__name__
        groups.setdefault((kind, item.slug), {})[item.lang] = item
    for group in groups.values():
        alternates = [(lang, group[lang].url) for lang in order if lang in group]
        for item in group.values():
            item.alternates = alternates
