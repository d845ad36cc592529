"""What needs every brief: where each ``{brief}`` link goes, and each brief's related briefs.

Runs once every generator has read its content, before anything is
written, so every problem found here stops the build with the others.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pelican.contents import Article

from markdown_reader import source_line, source_path_of
from strictbuild import ContentError, all_content, problem_log
from strictbuild.itemdata import item_data
from strictbuild.text import nearest

from .item import CrosslinksItem


@dataclass(frozen=True)
class Briefs:
    """The published briefs of a build, by slug and language."""

    by_slug_lang: Mapping[tuple[str, str], Any]
    #: every slug, sorted (for "did you mean" hints)
    slugs: list[str]
    #: the same, for lookups
    known: frozenset[str]

    def get(self, slug: str, lang: str) -> Any:
        """The brief ``slug`` in ``lang``, or None."""
        return self.by_slug_lang.get((slug, lang))


def published(generators: list[Any]) -> list[Any]:
    """Every published brief and page that is written."""
    return [
        item
        for item in all_content(generators)
        if getattr(item, "status", "published") == "published" and getattr(item, "save_as", "")
    ]


def index_briefs(generators: list[Any]) -> Briefs:
    """The published briefs of the build."""
    found = {(a.slug, a.lang): a for a in published(generators) if isinstance(a, Article)}
    slugs = sorted({slug for slug, _lang in found})
    return Briefs(found, slugs, frozenset(slugs))


def brief_href(briefs: Briefs, lang: str) -> Callable[[str, str], str]:
    """For the render rule: a brief's slug and fragment to Pelican's ``{filename}`` link.

    An unknown slug gives an empty address: it is reported and the build stops.
    """

    def href(slug: str, fragment: str) -> str:
        target = briefs.get(slug, lang)
        if target is None:
            return ""
        path = str(target.relative_source_path).replace("\\", "/")
        return f"{{filename}}/{path}" + (f"#{fragment}" if fragment else "")

    return href


def link_problems(item: Any, briefs: Briefs) -> list[ContentError]:
    """The links of ``item`` to a brief that does not exist in its language."""
    path = source_path_of(item)
    problems = []
    for link in (item.metadata.get("extracted") or {}).get("brief_links", []):
        slug = link["slug"]
        if slug not in briefs.known:
            message = f"link to unknown brief '{slug}'{nearest(slug, briefs.slugs)}"
        elif briefs.get(slug, item.lang) is None:
            message = f"brief '{slug}' has no {item.lang} version to link to"
        else:
            continue
        problems.append(ContentError(path, link["line"], message))
    return problems


def related_briefs(item: Any, briefs: Briefs) -> tuple[list[Any], list[ContentError]]:
    """The briefs a brief's ``related`` names, in its language, and the problems found."""
    related: list[Any] = []
    problems: list[ContentError] = []
    path = source_path_of(item)
    for slug in item.metadata.get("related") or []:
        line = source_line(item, "related")
        if slug == item.slug:
            problems.append(ContentError(path, line, f"a brief cannot be related to itself ('{slug}')"))
        elif slug not in briefs.known:
            hint = nearest(slug, briefs.slugs)
            problems.append(ContentError(path, line, f"related brief '{slug}' does not exist{hint}"))
        elif briefs.get(slug, item.lang) is None:
            problems.append(ContentError(path, line, f"related brief '{slug}' has no {item.lang} version"))
        else:
            related.append(briefs.get(slug, item.lang))
    return related, problems


def check(generators: list[Any], briefs: Briefs) -> None:
    """Report bad links and related briefs; give each brief its ``related_briefs``."""
    log = problem_log(generators[0].settings)
    for item in published(generators):
        log.extend(link_problems(item, briefs))
        if isinstance(item, Article):
            item_data(item, CrosslinksItem).related_briefs, problems = related_briefs(item, briefs)
            log.extend(problems)


__all__ = ["Briefs", "brief_href", "check", "index_briefs", "link_problems", "published", "related_briefs"]
