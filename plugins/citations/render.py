"""What the templates show: sources, terms and "cite this brief", per language.

Templates only loop and branch, so every value they print is prepared here:
dates in the reader's locale, the headline in the reader's language, the
plain-text, BibTeX and CSL-JSON forms of a brief's citation.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from strictbuild import site_of
from strictbuild.site import Citation

from .registry import GlossaryTerm, Source
from .syntax import preview_anchor, source_anchor, term_anchor, term_preview_anchor

#: The punctuation between the parts of a reference, per language (the site
#: model's ``Language.citation``): Chinese takes full-width marks (，。：)
#: where English takes , . :
Punctuation = Citation


def punctuation(lang: str, settings: Mapping[str, Any]) -> Citation:
    """The reference punctuation of ``lang``."""
    return site_of(settings).language(lang).citation


@dataclass(frozen=True)
class SourceView:
    """A source as a reader of one language sees it."""

    key: str
    anchor: str
    preview_id: str
    outlet: str
    carried_by: str | None
    author: str | None
    headline: str
    #: the headline's translation, shown beside the original on pages in the
    #: site's headline language (``Site.headline_language``)
    headline_translation: str | None
    language: str
    #: the source's language named in the reader's language
    language_name: str
    date_iso: str
    date_text: str
    date_certainty: str
    date_note: str | None
    reliability: str
    notes: str | None
    url: str | None
    archived_url: str | None
    punct: Citation


@dataclass(frozen=True)
class Backlink:
    """One citing place of a source in a brief: ``↩ a`` links to it."""

    letter: str
    target: str
    locator: str


@dataclass(frozen=True)
class CitedSource:
    """A source in a brief's source list: its number and where the brief cites it."""

    number: int
    source: SourceView
    backlinks: list[Backlink]


@dataclass(frozen=True)
class TermView:
    """A glossary term as a reader of one language sees it."""

    key: str
    anchor: str
    preview_id: str
    term: str
    definition: str
    #: the term in the other languages, e.g. 輝達 beside NVIDIA
    other_names: list[tuple[str, str]] = field(default_factory=list)
    #: between the term and its definition in a preview
    colon: str = ": "


def locale_of(lang: str, settings: Mapping[str, Any]) -> str:
    """The Babel locale of a site language."""
    return site_of(settings).language(lang).locale


def format_day(day: datetime.date, lang: str, settings: Mapping[str, Any]) -> str:
    """A date written out in the reader's language (``10 December 2025``, ``2025年12月10日``)."""
    language = site_of(settings).language(lang)
    return _format_day(day, language.date_format, language.locale)


@functools.lru_cache(maxsize=4096)
def _format_day(day: datetime.date, date_format: str, locale: str) -> str:
    # Babel parses the locale and the pattern on every call; a site writes
    # the same few hundred dates on thousands of pages.
    return str(format_date(day, format=date_format, locale=locale))


def language_name(code: str, lang: str, settings: Mapping[str, Any]) -> str:
    """The name of a source's language in the reader's language (``zh-Hant`` -> 中文 (繁體))."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(locale_of(lang, settings))
    except (ValueError, UnknownLocaleError):
        return code
    return str(name or code)


def source_view(source: Source, lang: str, settings: Mapping[str, Any]) -> SourceView:
    """The fields of ``source`` in language ``lang``."""
    original = source.headline["original"]
    site = site_of(settings)
    translation = source.headline.get(site.headline_language)
    return SourceView(
        key=source.key,
        anchor=source_anchor(source.key),
        preview_id=preview_anchor(source.key),
        outlet=source.outlet[lang],
        carried_by=source.carried_by.get(lang),
        author=source.author.get(lang),
        headline=original,
        headline_translation=translation
        if lang == site.headline_language and translation != original
        else None,
        language=source.language,
        language_name=language_name(source.language, lang, settings),
        date_iso=source.date.isoformat(),
        date_text=format_day(source.date, lang, settings),
        date_certainty=source.date_certainty,
        date_note=source.date_note.get(lang),
        reliability=source.reliability[lang],
        notes=source.notes.get(lang),
        url=source.url,
        archived_url=source.archived_url,
        punct=punctuation(lang, settings),
    )


def term_view(term: GlossaryTerm, lang: str, settings: Mapping[str, Any]) -> TermView:
    """The fields of a glossary term in language ``lang``."""
    others = [(code, name) for code, name in term.term.items() if code != lang and name != term.term[lang]]
    return TermView(
        key=term.key,
        anchor=term_anchor(term.key),
        preview_id=term_preview_anchor(term.key),
        term=term.term[lang],
        definition=term.definition[lang],
        other_names=others,
        colon=punctuation(lang, settings).colon,
    )


@functools.lru_cache(maxsize=1024)
def letters(index: int) -> str:
    """``a``, ``b``, … ``z``, ``aa``, … for the n-th (0-based) back-link."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("a") + rest) + text
    return text


# "Cite this brief" lives in .cite, which formats its dates with format_day.
from .cite import CiteThis, cite_text, cite_this  # noqa: E402

__all__ = [
    "Backlink",
    "CiteThis",
    "CitedSource",
    "Punctuation",
    "SourceView",
    "TermView",
    "cite_text",
    "cite_this",
    "format_day",
    "letters",
    "punctuation",
    "source_view",
    "term_view",
]
