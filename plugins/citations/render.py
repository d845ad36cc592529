"""What the templates show: sources, terms and "cite this brief", per language.

Templates only loop and branch, so every value they print is prepared here:
dates in the reader's locale, the headline in the reader's language, the
plain-text, BibTeX and CSL-JSON forms of a brief's citation.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from .registry import GlossaryTerm, Source
from .syntax import preview_anchor, source_anchor, term_anchor, term_preview_anchor


@dataclass(frozen=True)
class Punctuation:
    """The punctuation between the parts of a reference, per language.

    Chinese text takes full-width marks (，。：) where English takes , . :
    """

    comma: str
    stop: str
    colon: str


PUNCTUATION = {
    "en": Punctuation(", ", ". ", ": "),
    "zh": Punctuation("，", "。", "："),
}


def punctuation(lang: str) -> Punctuation:
    """The reference punctuation of ``lang``."""
    return PUNCTUATION["zh"] if lang.startswith("zh") else PUNCTUATION["en"]


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
    #: the English translation, shown on English pages beside the original
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
    punct: Punctuation = PUNCTUATION["en"]


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
    info = settings.get("SITE_LANGUAGES", {}).get(lang, {})
    return str(info.get("locale", lang.replace("-", "_")))


def format_day(day: datetime.date, lang: str, settings: Mapping[str, Any]) -> str:
    """A date written out in the reader's language (``10 December 2025``, ``2025年12月10日``)."""
    if lang == "en":
        # Babel's "long" English is US-style; the site writes day-month-year.
        return str(format_date(day, format="d MMMM y", locale="en"))
    return str(format_date(day, format="long", locale=locale_of(lang, settings)))


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
    translation = source.headline.get("en")
    return SourceView(
        key=source.key,
        anchor=source_anchor(source.key),
        preview_id=preview_anchor(source.key),
        outlet=source.outlet[lang],
        carried_by=source.carried_by.get(lang),
        author=source.author.get(lang),
        headline=original,
        headline_translation=translation if lang == "en" and translation != original else None,
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
        punct=punctuation(lang),
    )


def term_view(term: GlossaryTerm, lang: str) -> TermView:
    """The fields of a glossary term in language ``lang``."""
    others = [(code, name) for code, name in term.term.items() if code != lang and name != term.term[lang]]
    return TermView(
        key=term.key,
        anchor=term_anchor(term.key),
        preview_id=term_preview_anchor(term.key),
        term=term.term[lang],
        definition=term.definition[lang],
        other_names=others,
        colon=punctuation(lang).colon,
    )


def letters(index: int) -> str:
    """``a``, ``b``, … ``z``, ``aa``, … for the n-th (0-based) back-link."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("a") + rest) + text
    return text


@dataclass(frozen=True)
class CiteThis:
    """The ways to cite one brief."""

    texts: list[tuple[str, str]]
    bibtex: str
    csl_json: str
    url: str


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


def cite_text(
    *,
    lang: str,
    title: str,
    site: str,
    day: datetime.date,
    url: str,
    settings: Mapping[str, Any],
    updated: datetime.date | None = None,
) -> str:
    """A brief's reference as plain text, written in the conventions of ``lang``.

    A brief updated after it was published names both dates, so a reader
    knows which version was cited.
    """
    when = format_day(day, lang, settings)
    later = updated if updated is not None and updated != day else None
    if lang.startswith("zh"):
        if later is not None:
            when = f"{when}（{format_day(later, lang, settings)}更新）"
        return f"{site}。〈{title}〉。{when}。{url}"
    if later is not None:
        when = f"{when}, updated {format_day(later, lang, settings)}"
    return f"{site}. “{title}.” {when}. {url}"


def cite_this(
    *,
    slug: str,
    lang: str,
    title: str,
    site: str,
    author: str,
    day: datetime.date,
    url: str,
    translations: list[tuple[str, str, str]],
    updated: datetime.date | None = None,
    settings: Mapping[str, Any],
    site_names: Mapping[str, str] | None = None,
) -> CiteThis:
    """Plain text (this language first, then the others), BibTeX and CSL-JSON for a brief.

    ``translations`` holds ``(lang, title, url)`` of the brief in the other languages;
    ``site_names`` the site's name in each language (``site`` where none is given).
    """
    names = dict(site_names or {})
    texts = [
        (
            lang,
            cite_text(
                lang=lang, title=title, site=site, day=day, url=url, settings=settings, updated=updated
            ),
        )
    ]
    for other, other_title, other_url in translations:
        texts.append(
            (
                other,
                cite_text(
                    lang=other,
                    title=other_title,
                    site=names.get(other) or site,
                    day=day,
                    url=other_url,
                    settings=settings,
                    updated=updated,
                ),
            )
        )
    ident = f"{slug}-{lang}".lower()
    bibtex = "\n".join(
        [
            f"@online{{{ident},",
            f"  author = {{{{{_bibtex_escape(author)}}}}},",
            f"  title = {{{_bibtex_escape(title)}}},",
            f"  organization = {{{_bibtex_escape(site)}}},",
            f"  date = {{{day.isoformat()}}},",
            *(
                [f"  note = {{Updated {updated.isoformat()}}},"]
                if updated is not None and updated != day
                else []
            ),
            f"  langid = {{{'english' if lang == 'en' else 'chinese'}}},",
            f"  url = {{{url}}},",
            "}",
        ]
    )
    csl = [
        {
            "id": ident,
            "type": "webpage",
            "title": title,
            "author": [{"literal": author}],
            "container-title": site,
            "issued": {"date-parts": [[day.year, day.month, day.day]]},
            # CSL has no "updated": the version cited is named in a note,
            # and the date it was last changed in "available-date".
            **(
                {
                    "available-date": {"date-parts": [[updated.year, updated.month, updated.day]]},
                    "note": f"Updated {updated.isoformat()}",
                }
                if updated is not None and updated != day
                else {}
            ),
            "language": lang,
            "URL": url,
        }
    ]
    csl_json = json.dumps(csl, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return CiteThis(texts=texts, bibtex=bibtex + "\n", csl_json=csl_json, url=url)


__all__ = [
    "PUNCTUATION",
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
