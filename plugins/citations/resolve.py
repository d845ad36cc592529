"""Resolve what a single file cannot: citing places across the site, sources
never cited, and the address of the glossary page in each file's term links.

Runs once every generator has read its content (``all_generators_finalized``),
before anything is written, so every problem found here stops the build with
the others.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import marshal
import operator
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pelican.contents import Article
from pelican.utils import get_relative_path

from strictbuild import ContentError, all_content, problem_log, site_of
from strictbuild.itemdata import item_data, record_of
from strictbuild.text import nearest

from .api import CitationsItem
from .cite import CiteThis
from .render import Backlink, CitedSource, SourceView, TermView, cite_this, letters, source_view, term_view
from .state import ChartPlace, CitationsState, citations_state

logger = logging.getLogger(__name__)

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
    path = site_of(settings).language(lang).path
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
    """Resolve the citations of every published brief and page.

    What is checked (unknown and unused keys) and what the sources pages'
    digests read is worked out here; what only a rendered page shows (each
    item's source list, glossary previews and "cite this" texts, and each
    language's index of citing places) is made when first read: most pages
    of a rebuild are kept from the previous build and read none of it.
    """
    if not generators:
        return
    settings = generators[0].settings
    state = citations_state(settings)
    log = problem_log(settings)
    items = _published(generators)
    briefs = {(a.slug, a.lang): a for a in items if isinstance(a, Article)}
    cited: set[str] = set()
    codes = site_of(settings).codes
    # Per language, each item's title, address and citing places, in order.
    placed: dict[str, list[tuple[str, str, list[Place]]]] = {lang: [] for lang in codes}
    # A source reads the same in every brief of a language: build its view
    # (Babel date and language names, the slow part) once per language.
    views: dict[tuple[str, str], SourceView] = {}
    term_views: dict[tuple[str, str], TermView] = {}

    inputs = {lang: hashlib.blake2b(digest_size=20) for lang in codes}
    readable = dict.fromkeys(codes, True)
    # Pelican works an item's address out again on every read of ``url``.
    urls = {id(item): item.url for item in items}
    pages = {
        lang: {name: page_url(settings, name, lang) for name in ("sources", "glossary")} for lang in codes
    }
    for item in items:
        url = urls[id(item)]
        places = _attach_citations(item, pages, state, settings, cited, views, term_views)
        if isinstance(item, Article):
            _attach_cite_this(item, briefs, urls, settings)
        placed.setdefault(item.lang, []).append((item.title, url, places))
        # What this item adds to its language's citing index (with the registry, which
        # every page's digest reads), for the sources page's digest.
        hasher = inputs.setdefault(item.lang, hashlib.blake2b(digest_size=20))
        try:
            hasher.update(marshal.dumps((item.title, url, places), 2))
        except ValueError:
            readable[item.lang] = False
    state.citing_inputs = {
        lang: hasher.digest() if readable.get(lang, True) else None for lang, hasher in inputs.items()
    }
    state.chart_citing = _check_charts(state, log, cited)
    _check_unused(state, settings, cited)
    state.make_citing = functools.partial(_citing_index, placed, state.sources or {}, state.chart_citing)
    state.briefs = list(briefs.values())
    state.finalized = True


def glossary_links(generators: list[Any]) -> Callable[[Any], dict[str, str]] | None:
    """For the term links' render rule: each file's way to the glossary page of its language.

    Connected to :data:`markdown_reader.site_known`.
    """
    if not generators:
        return None
    settings = generators[0].settings

    def env_for(item: Any) -> dict[str, str]:
        lang = str(getattr(item, "lang", ""))
        if lang not in site_of(settings).codes or not getattr(item, "save_as", ""):
            return {}
        return {"glossary_url": posixpath.join(_root(item, settings), page_url(settings, "glossary", lang))}

    return env_for


#: One citing place, as the citation syntax records it (key, number, id, locator, paragraph, line).
Place = dict[str, Any]
#: A brief's or page's citing places by source key, in the order first cited.
Places = list[tuple[str, list[Place]]]

_KEY = operator.itemgetter("key")


def _attach_citations(
    item: Any,
    pages: Mapping[str, Mapping[str, str]],
    state: CitationsState,
    settings: Mapping[str, Any],
    cited: set[str],
    views: dict[tuple[str, str], SourceView],
    term_views: dict[tuple[str, str], TermView],
) -> list[Place]:
    """Give ``item`` its source list and glossary previews, made when first read.

    ``pages`` holds the sources and glossary pages' addresses by language;
    ``views`` and ``term_views`` the source and term views made so far, by
    ``(key, language)``, shared by every item. Adds the keys ``item`` cites to
    ``cited``. Returns its citing places: all the citing index takes from
    ``item`` besides its title and address.
    """
    extracted: Mapping[str, Any] = item.metadata.get("extracted") or {}
    places: list[Place] = extracted.get("citation_places", [])
    cited.update(map(_KEY, places))
    lang = item.lang
    cites = item_data(item, CitationsItem)
    cites.defer("source_list", functools.partial(_source_list, places, lang, state, settings, views))
    terms = extracted.get("glossary_terms", [])
    cites.defer("glossary_previews", functools.partial(_term_list, terms, lang, state, settings, term_views))
    own = pages.get(lang)
    cites.sources_page_url = own["sources"] if own else page_url(settings, "sources", lang)
    cites.glossary_page_url = own["glossary"] if own else page_url(settings, "glossary", lang)
    return places


def _by_source(places: list[Place], registry: Mapping[str, Any]) -> Places:
    """The places citing each source of ``registry``, by key, in the order the sources are numbered."""
    by_key: dict[str, list[Place]] = {}
    for place in places:
        key = place["key"]
        if key in registry:
            found = by_key.get(key)
            if found is None:
                by_key[key] = [place]
            else:
                found.append(place)
    return sorted(by_key.items(), key=lambda pair: pair[1][0]["number"])


def _source_list(
    places: list[Place],
    lang: str,
    state: CitationsState,
    settings: Mapping[str, Any],
    views: dict[tuple[str, str], SourceView],
) -> list[CitedSource]:
    """A brief's or page's numbered sources, each with the back-links to its citing places."""
    registry = state.sources or {}
    listed = []
    for key, found in _by_source(places, registry):
        view = views.get((key, lang))
        if view is None:
            view = views[(key, lang)] = source_view(registry[key], lang, settings)
        backlinks = [Backlink(letters(i), p["id"], p["locator"]) for i, p in enumerate(found)]
        listed.append(CitedSource(number=found[0]["number"], source=view, backlinks=backlinks))
    return listed


def _term_list(
    used: list[Mapping[str, Any]],
    lang: str,
    state: CitationsState,
    settings: Mapping[str, Any],
    term_views: dict[tuple[str, str], TermView],
) -> list[TermView]:
    """The previews of the glossary terms a brief or page uses, in the order first used."""
    terms = state.glossary or {}
    listed: list[TermView] = []
    seen: set[str] = set()
    for term in used:
        key = term["key"]
        if key not in terms or key in seen:
            continue
        seen.add(key)
        view = term_views.get((key, lang))
        if view is None:
            view = term_views[(key, lang)] = term_view(terms[key], lang, settings)
        listed.append(view)
    return listed


def _citing_index(
    placed: Mapping[str, list[tuple[str, str, list[Place]]]],
    registry: Mapping[str, Any],
    chart_citing: Mapping[str, Mapping[str, list[ChartPlace]]],
) -> dict[str, dict[str, SourceCiting]]:
    """Per language, per source key: the briefs (with their citing paragraphs) and charts citing it.

    ``placed`` holds each language's items as :func:`resolve` took them, in order.
    """
    citing: dict[str, dict[str, SourceCiting]] = {}
    for lang, items in placed.items():
        lang_index = citing.setdefault(lang, {})
        for title, url, places in items:
            for key, found in _by_source(places, registry):
                entry = lang_index.get(key)
                if entry is None:
                    entry = lang_index[key] = SourceCiting()
                paragraphs: list[ParagraphLink] = []
                anchors: set[str] = set()
                for place in found:
                    anchor = place.get("paragraph") or place["id"]
                    if anchor in anchors:
                        continue
                    anchors.add(anchor)
                    number = _PARAGRAPH.match(anchor)
                    label = f"¶{number.group(1)}" if number else f"#{len(paragraphs) + 1}"
                    paragraphs.append(ParagraphLink(anchor, label))
                entry.briefs.append(BriefCiting(title, url, paragraphs))
    for lang, by_key in chart_citing.items():
        lang_index = citing.setdefault(lang, {})
        for key, charts in by_key.items():
            lang_index.setdefault(key, SourceCiting()).charts.extend(charts)
    return citing


def _attach_cite_this(
    item: Any, briefs: Mapping[tuple[str, str], Any], urls: Mapping[int, str], settings: Mapping[str, Any]
) -> None:
    """Give the brief where its cite files go, and its "cite this" texts, made when first read."""
    cites = item_data(item, CitationsItem)
    cites.defer("cite_this", functools.partial(_cite_this, item, briefs, urls, settings))
    folder = posixpath.dirname(str(item.save_as))
    cites.cite_files = {
        "csl": posixpath.join(folder, "cite.json"),
        "bibtex": posixpath.join(folder, "cite.bib"),
    }


def _cite_this(
    item: Any, briefs: Mapping[tuple[str, str], Any], urls: Mapping[int, str], settings: Mapping[str, Any]
) -> CiteThis:
    """The brief's "cite this brief" texts and BibTeX; ``urls`` has every brief's address."""
    public = str(settings.get("PUBLIC_URL") or settings.get("SITEURL") or "").rstrip("/")
    others = [
        (lang, briefs[(item.slug, lang)].title, f"{public}/{urls[id(briefs[(item.slug, lang)])]}")
        for lang in site_of(settings).codes
        if lang != item.lang and (item.slug, lang) in briefs
    ]
    site_names = {code: language.sitename for code, language in site_of(settings).languages.items()}
    return cite_this(
        slug=item.slug,
        lang=item.lang,
        title=item.title,
        site=str(site_names.get(item.lang) or settings.get("SITENAME", "")),
        author=str(site_names.get(item.lang) or settings.get("AUTHOR") or settings.get("SITENAME", "")),
        day=item.date.date(),
        updated=getattr(record_of(item, "updates"), "updated_date", None),
        url=f"{public}/{urls[id(item)]}",
        translations=others,
        settings=settings,
        site_names={code: str(name) for code, name in site_names.items() if name},
    )


def _check_charts(state: CitationsState, log: Any, cited: set[str]) -> dict[str, dict[str, list[ChartPlace]]]:
    """Check the keys charts cite; return the chart pages citing each source, by language and key."""
    registry = state.sources
    citing: dict[str, dict[str, list[ChartPlace]]] = {}
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
            charts = citing.setdefault(chart.lang, {}).setdefault(key, [])
            if chart not in charts:
                charts.append(chart)
    return citing


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


__all__ = ["BriefCiting", "ParagraphLink", "SourceCiting", "glossary_links", "page_url", "resolve"]
