"""Resolve what a single file cannot: links between briefs, related briefs,
citing places across the site and sources never cited.

Runs once every generator has read its content (``all_generators_finalized``),
before anything is written, so every problem found here stops the build with
the others.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pelican.contents import Article
from pelican.utils import get_relative_path

from markdown_reader import source_line, source_path_of
from strictbuild import ContentError, all_content, problem_log
from strictbuild.itemdata import item_data, record_of

from .api import CitationsItem
from .render import Backlink, CitedSource, SourceView, cite_this, letters, source_view, term_view
from .state import ChartPlace, CitationsState, citations_state
from .syntax import BRIEF_LINK_PREFIX, GLOSSARY_LINK_PREFIX, nearest

logger = logging.getLogger(__name__)

_BRIEF_HREF = re.compile(r'href="' + re.escape(BRIEF_LINK_PREFIX) + r'([^"#]*)(#[^"]*)?"')
_GLOSSARY_HREF = re.compile(r'href="' + re.escape(GLOSSARY_LINK_PREFIX) + r'(#[^"]*)?"')
_PARAGRAPH = re.compile(r"^para-(\d+)$")


@dataclass(frozen=True)
class ParagraphLink:
    """A paragraph of a brief that cites a source."""

    anchor: str
    label: str


@dataclass
class BriefCiting:
    """A brief that cites a source, with the paragraphs that do."""

    title: str
    url: str
    paragraphs: list[ParagraphLink] = field(default_factory=list)


@dataclass
class SourceCiting:
    """Every place in one language that cites one source."""

    briefs: list[BriefCiting] = field(default_factory=list)
    charts: list[ChartPlace] = field(default_factory=list)


def page_url(settings: Mapping[str, Any], name: str, lang: str) -> str:
    """The URL (from the site root) of the sources or glossary page of ``lang``."""
    path = settings["SITE_LANGUAGES"][lang]["path"]
    pattern = str(settings.get(f"CITATIONS_{name.upper()}_URL", "{lang_path}/" + name + "/"))
    return pattern.format(lang_path=path, lang=lang)


def _root(item: Any, settings: Mapping[str, Any]) -> str:
    """How a page reaches the site root: relative, or SITEURL for absolute builds."""
    if settings.get("RELATIVE_URLS"):
        return str(get_relative_path(item.save_as))
    return str(settings.get("SITEURL", ""))


def _published(generators: list[Any]) -> list[Any]:
    return [
        item
        for item in all_content(generators)
        if getattr(item, "status", "published") == "published" and getattr(item, "save_as", "")
    ]


def resolve(generators: list[Any]) -> None:
    """Resolve links and citations of every published brief and page."""
    if not generators:
        return
    settings = generators[0].settings
    state = citations_state(settings)
    log = problem_log(settings)
    items = _published(generators)
    briefs = {(a.slug, a.lang): a for a in items if isinstance(a, Article)}
    slugs = sorted({slug for slug, _lang in briefs})
    known = frozenset(slugs)  # looked up for every link: a list would be scanned each time
    cited: set[str] = set()
    citing: dict[str, dict[str, SourceCiting]] = {lang: {} for lang in settings["SITE_LANGUAGES"]}
    # A source reads the same in every brief of a language: build its view
    # (Babel date and language names, the slow part) once per language.
    views: dict[tuple[str, str], SourceView] = {}

    for item in items:
        path = source_path_of(item)
        extracted: Mapping[str, Any] = item.metadata.get("extracted") or {}
        for link in extracted.get("brief_links", []):
            slug = link["slug"]
            if slug not in known:
                log.add(
                    ContentError(path, link["line"], f"link to unknown brief '{slug}'{nearest(slug, slugs)}")
                )
            elif (slug, item.lang) not in briefs:
                log.add(
                    ContentError(path, link["line"], f"brief '{slug}' has no {item.lang} version to link to")
                )
        item._content = _resolve_links(item, briefs, settings)
        _attach_citations(item, state, settings, citing, cited, views)
        if isinstance(item, Article):
            _attach_related(item, briefs, slugs, known, log, path)
            _attach_cite_this(item, briefs, settings)
    _check_charts(state, log, citing, cited)
    _check_unused(state, settings, cited)
    state.citing = citing
    state.briefs = list(briefs.values())
    state.finalized = True


def _resolve_links(item: Any, briefs: Mapping[tuple[str, str], Any], settings: Mapping[str, Any]) -> str:
    """Turn ``{brief}slug`` into Pelican's ``{filename}`` and ``{glossary}`` into a URL."""
    html = str(item._content or "")

    def brief(match: re.Match[str]) -> str:
        target = briefs.get((match.group(1), item.lang))
        if target is None:
            return 'href=""'  # reported above; the build stops before writing
        path = str(target.relative_source_path).replace("\\", "/")
        return f'href="{{filename}}/{path}{match.group(2) or ""}"'

    def glossary(match: re.Match[str]) -> str:
        url = posixpath.join(_root(item, settings), page_url(settings, "glossary", item.lang))
        return f'href="{url}{match.group(1) or ""}"'

    return _GLOSSARY_HREF.sub(glossary, _BRIEF_HREF.sub(brief, html))


def _attach_citations(
    item: Any,
    state: CitationsState,
    settings: Mapping[str, Any],
    citing: dict[str, dict[str, SourceCiting]],
    cited: set[str],
    views: dict[tuple[str, str], SourceView],
) -> None:
    """Give ``item`` its source list and glossary previews; index its citing places.

    ``views`` holds the source views built so far, by ``(key, language)``.
    """
    extracted: Mapping[str, Any] = item.metadata.get("extracted") or {}
    places = extracted.get("citation_places", [])
    registry = state.sources or {}
    by_key: dict[str, list[dict[str, Any]]] = {}
    for place in places:
        cited.add(place["key"])
        if place["key"] in registry:
            by_key.setdefault(place["key"], []).append(place)
    ordered = sorted(by_key.items(), key=lambda pair: pair[1][0]["number"])
    for key, _found in ordered:
        if (key, item.lang) not in views:
            views[(key, item.lang)] = source_view(registry[key], item.lang, settings)
    cites = item_data(item, CitationsItem)
    cites.source_list = [
        CitedSource(
            number=found[0]["number"],
            source=views[(key, item.lang)],
            backlinks=[Backlink(letters(i), p["id"], p["locator"]) for i, p in enumerate(found)],
        )
        for key, found in ordered
    ]
    terms = state.glossary or {}
    used: list[str] = []
    for term in extracted.get("glossary_terms", []):
        if term["key"] in terms and term["key"] not in used:
            used.append(term["key"])
    cites.glossary_previews = [term_view(terms[key], item.lang) for key in used]
    cites.sources_page_url = page_url(settings, "sources", item.lang)
    cites.glossary_page_url = page_url(settings, "glossary", item.lang)
    lang_index = citing.setdefault(item.lang, {})
    url = item.url  # Pelican recomputes it on every access
    for key, found in ordered:
        entry = lang_index.setdefault(key, SourceCiting())
        paragraphs: list[ParagraphLink] = []
        for place in found:
            anchor = place.get("paragraph") or place["id"]
            if any(p.anchor == anchor for p in paragraphs):
                continue
            number = _PARAGRAPH.match(anchor)
            label = f"¶{number.group(1)}" if number else f"#{len(paragraphs) + 1}"
            paragraphs.append(ParagraphLink(anchor, label))
        entry.briefs.append(BriefCiting(item.title, url, paragraphs))


def _attach_related(
    item: Any,
    briefs: Mapping[tuple[str, str], Any],
    slugs: list[str],
    known: frozenset[str],
    log: Any,
    path: str,
) -> None:
    """Check ``related`` slugs and give the brief its related briefs in its language."""
    related: list[Any] = []
    for slug in item.metadata.get("related") or []:
        line = source_line(item, "related")
        if slug == item.slug:
            log.add(ContentError(path, line, f"a brief cannot be related to itself ('{slug}')"))
        elif slug not in known:
            log.add(ContentError(path, line, f"related brief '{slug}' does not exist{nearest(slug, slugs)}"))
        elif (slug, item.lang) not in briefs:
            log.add(ContentError(path, line, f"related brief '{slug}' has no {item.lang} version"))
        else:
            related.append(briefs[(slug, item.lang)])
    item.related_briefs = related


def _attach_cite_this(item: Any, briefs: Mapping[tuple[str, str], Any], settings: Mapping[str, Any]) -> None:
    """Give the brief its "cite this brief" texts and download paths."""
    public = str(settings.get("PUBLIC_URL") or settings.get("SITEURL") or "").rstrip("/")
    others = [
        (lang, briefs[(item.slug, lang)].title, f"{public}/{briefs[(item.slug, lang)].url}")
        for lang in settings["SITE_LANGUAGES"]
        if lang != item.lang and (item.slug, lang) in briefs
    ]
    site_names = {code: info.get("sitename") for code, info in settings["SITE_LANGUAGES"].items()}
    cites = item_data(item, CitationsItem)
    cites.cite_this = cite_this(
        slug=item.slug,
        lang=item.lang,
        title=item.title,
        site=str(site_names.get(item.lang) or settings.get("SITENAME", "")),
        author=str(site_names.get(item.lang) or settings.get("AUTHOR") or settings.get("SITENAME", "")),
        day=item.date.date(),
        updated=getattr(record_of(item, "updates"), "updated_date", None),
        url=f"{public}/{item.url}",
        translations=others,
        settings=settings,
        site_names={code: str(name) for code, name in site_names.items() if name},
    )
    folder = posixpath.dirname(str(item.save_as))
    cites.cite_files = {
        "csl": posixpath.join(folder, "cite.json"),
        "bibtex": posixpath.join(folder, "cite.bib"),
    }


def _check_charts(
    state: CitationsState, log: Any, citing: dict[str, dict[str, SourceCiting]], cited: set[str]
) -> None:
    """Check the keys charts cite and index chart pages as citing places."""
    registry = state.sources
    for chart in state.charts:
        for key in chart.sources:
            cited.add(key)
            where = chart.path or chart.chart_id
            if registry is None:
                log.add(
                    ContentError(where, chart.line, f"chart cites '{key}' but there is no sources registry")
                )
                continue
            if key not in registry:
                log.add(
                    ContentError(
                        where, chart.line, f"unknown citation key '{key}'{nearest(key, sorted(registry))}"
                    )
                )
                continue
            entry = citing.setdefault(chart.lang, {}).setdefault(key, SourceCiting())
            if chart not in entry.charts:
                entry.charts.append(chart)


def _check_unused(state: CitationsState, settings: Mapping[str, Any], cited: set[str]) -> None:
    """Report registry entries no brief or chart cites (fatal when strict)."""
    strict = bool(settings.get("CITATIONS_STRICT_UNUSED", True))
    log = problem_log(settings)  # type: ignore[arg-type]
    for key, source in (state.sources or {}).items():
        if key in cited:
            continue
        message = f"source '{key}' is never cited by any brief or chart"
        if strict:
            log.add(ContentError(source.path, source.line, message))
        else:
            logger.warning("%s:%d: %s", source.path, source.line, message)


__all__ = ["BriefCiting", "ParagraphLink", "SourceCiting", "page_url", "resolve"]
