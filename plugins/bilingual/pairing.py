"""Resolve: pair each brief and page with its translation.

Pelican groups translations by slug (``ARTICLE_TRANSLATION_ID``); this module
checks that every published file has a partner in every site language,
suggests the partner when its slug is spelled differently, and gives every
content object ``alternates``: its ``(lang, url)`` in each language.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from typing import Any

from markdown_reader import source_line, source_path_of
from strictbuild import ContentError, all_content, problem_log
from strictbuild.itemdata import item_data

from .item import BilingualItem
from .languages import site_of

Group = dict[str, Any]


def is_published(item: Any) -> bool:
    """True for content that is written out (published or hidden, not a draft)."""
    return getattr(item, "status", "published") != "draft"


def group_translations(items: Iterable[Any]) -> dict[tuple[str, str], Group]:
    """Published content grouped by kind (brief or page) and slug: lang -> item."""
    groups: dict[tuple[str, str], Group] = {}
    for item in items:
        if not is_published(item) or not getattr(item, "slug", None):
            continue
        groups.setdefault((type(item).__name__, item.slug), {})[item.lang] = item
    return groups


def _partner_hint(item: Any, lang: str, lonely: list[Any]) -> str:
    """Name a lone file in ``lang`` whose slug looks like a misspelling of ``item``'s."""
    candidates = {
        other.slug: other
        for other in lonely
        if other.lang == lang and type(other) is type(item) and other.slug != item.slug
    }
    close = difflib.get_close_matches(item.slug, list(candidates), n=1, cutoff=0.6)
    if not close:
        return ""
    other = candidates[close[0]]
    return (
        f"; {source_path_of(other)} has slug '{other.slug}': "
        f"a translation must have the same slug ('{item.slug}')"
    )


def missing_translations(items: list[Any], settings: dict[str, Any]) -> list[ContentError]:
    """A problem for every published file that lacks a partner in a site language."""
    languages = site_of(settings).codes
    groups = group_translations(items)
    drafts = {
        (type(i).__name__, i.slug, i.lang): i
        for i in items
        if not is_published(i) and getattr(i, "slug", None)
    }
    lonely = [item for group in groups.values() if len(group) < len(languages) for item in group.values()]
    problems: list[ContentError] = []
    for (kind, slug), group in sorted(groups.items()):
        for item in group.values():
            for lang in languages:
                if lang in group:
                    continue
                draft = drafts.get((kind, slug, lang))
                if draft is not None:
                    why = (
                        f"{source_path_of(draft)} is a draft; "
                        "mark this file 'draft: true' too until both are ready"
                    )
                else:
                    folder = os.path.dirname(source_path_of(item))
                    why = (
                        f"expected a file such as {folder}/{slug}.{lang}.md "
                        f"with 'slug: {slug}' and 'lang: {lang}'"
                    )
                    why += _partner_hint(item, lang, lonely)
                problems.append(
                    ContentError(
                        source_path_of(item),
                        source_line(item, "slug"),
                        f"no {lang} translation of '{slug}': {why}",
                    )
                )
    return problems


def link_translations(generators: list[Any]) -> None:
    """Check pairing, and give every published content object its ``alternates``."""
    if not generators:
        return
    settings = generators[0].settings
    items = all_content(generators)
    problem_log(settings).extend(missing_translations(items, settings))
    order = site_of(settings).codes
    for group in group_translations(items).values():
        alternates = [(lang, group[lang].url) for lang in order if lang in group]
        for item in group.values():
            item_data(item, BilingualItem).alternates = alternates


def drop_drafts(generators: list[Any]) -> None:
    """Leave drafts out of the output, once every check has seen them.

    ``DRAFT_SAVE_AS = ""`` would skip them, but Pelican formats a draft's
    URL from its category before skipping it, and the site has none.
    """
    for generator in generators:
        for name in ("drafts", "drafts_translations"):
            if getattr(generator, name, None):
                setattr(generator, name, [])
