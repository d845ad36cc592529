""" "Cite this brief": the plain-text, BibTeX and CSL-JSON forms of a brief's reference.

Each language writes the plain text in its own conventions (the site
model's ``Language.citation``: punctuation, title quotes, the order of the
parts); BibTeX names the language by its ``bibtex_langid``.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from strictbuild import site_of

from .render import format_day


@dataclass(frozen=True)
class CiteThis:
    """The ways to cite one brief."""

    texts: list[tuple[str, str]]
    bibtex: str
    csl_json: str
    url: str


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


def _later(day: datetime.date, updated: datetime.date | None) -> datetime.date | None:
    """The date a brief was updated, if it differs from the day it was published."""
    return updated if updated is not None and updated != day else None


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
    style = site_of(settings).language(lang).citation
    when = format_day(day, lang, settings)
    later = _later(day, updated)
    if later is not None:
        when = style.updated.format(date=when, updated=format_day(later, lang, settings))
    return style.reference.format(site=site, title=title, date=when, url=url)


@dataclass(frozen=True)
class _Brief:
    """What the machine-readable forms say of a brief."""

    ident: str
    lang: str
    title: str
    site: str
    author: str
    day: datetime.date
    later: datetime.date | None
    url: str


def bibtex(brief: _Brief, langid: str) -> str:
    """The brief as a BibTeX ``@online`` entry."""
    lines = [
        f"@online{{{brief.ident},",
        f"  author = {{{{{_bibtex_escape(brief.author)}}}}},",
        f"  title = {{{_bibtex_escape(brief.title)}}},",
        f"  organization = {{{_bibtex_escape(brief.site)}}},",
        f"  date = {{{brief.day.isoformat()}}},",
        *([f"  note = {{Updated {brief.later.isoformat()}}},"] if brief.later else []),
        f"  langid = {{{langid}}},",
        f"  url = {{{brief.url}}},",
        "}",
    ]
    return "\n".join(lines) + "\n"


def csl_json(brief: _Brief) -> str:
    """The brief as a CSL-JSON list of one item."""
    item: dict[str, Any] = {
        "id": brief.ident,
        "type": "webpage",
        "title": brief.title,
        "author": [{"literal": brief.author}],
        "container-title": brief.site,
        "issued": {"date-parts": [[brief.day.year, brief.day.month, brief.day.day]]},
        "language": brief.lang,
        "URL": brief.url,
    }
    if brief.later:
        # CSL has no "updated": the version cited is named in a note,
        # and the date it was last changed in "available-date".
        later = brief.later
        item["available-date"] = {"date-parts": [[later.year, later.month, later.day]]}
        item["note"] = f"Updated {later.isoformat()}"
    return json.dumps([item], ensure_ascii=False, indent=2, sort_keys=True) + "\n"


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
        (code, cite_text(lang=code, title=t, site=s, day=day, url=u, settings=settings, updated=updated))
        for code, t, s, u in [
            (lang, title, site, url),
            *((other, t, names.get(other) or site, u) for other, t, u in translations),
        ]
    ]
    brief = _Brief(f"{slug}-{lang}".lower(), lang, title, site, author, day, _later(day, updated), url)
    langid = site_of(settings).language(lang).bibtex_langid
    return CiteThis(texts=texts, bibtex=bibtex(brief, langid), csl_json=csl_json(brief), url=url)


__all__ = ["CiteThis", "bibtex", "cite_text", "cite_this", "csl_json"]
