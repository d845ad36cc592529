"""Resolve: the language links of any page, from its template context.

A page tells the theme which versions it has by the context value
``alternates``: a list of ``(lang, url)`` pairs, URL relative to the site root
(``"en/h200-reversal/"``), one per language, in the site's order. Briefs and
pages get it from :func:`bilingual.pairing.link_translations`
(``article.plugin_data.bilingual.alternates``); any generator writing its own pages passes
``lang=`` and ``alternates=`` to ``writer.write_file``. Optional values:
``page_url`` (the page's own URL when it is not its language's alternate,
e.g. the chooser at ``""``) and ``x_default_url`` (else the version in
the site's default language). Pages with ``sitemap=False`` stay out of ``sitemap.xml``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context, Undefined

from strictbuild.itemdata import record_of
from strictbuild.site import SETTINGS, Site, site_of


@dataclass(frozen=True)
class LanguageLinks:
    """What the head and the sitemap say about one page's languages."""

    url: str
    canonical: str
    #: (hreflang, absolute URL), the site's languages then x-default
    hreflang: list[tuple[str, str]] = field(default_factory=list)
    #: (lang, URL relative to the site root) of the page in the other languages
    others: list[tuple[str, str]] = field(default_factory=list)


def _value(lookup: Callable[[str], Any], name: str) -> Any:
    value = lookup(name)
    return None if isinstance(value, Undefined) else value


def site_from(lookup: Callable[[str], Any]) -> Site:
    """The site model: the template global ``SITE``, else built from the settings in the context."""
    site = _value(lookup, "SITE")
    if isinstance(site, Site):
        return site
    return site_of({name: _value(lookup, name) for name in SETTINGS})


def page_alternates(lookup: Callable[[str], Any]) -> list[tuple[str, str]]:
    """The ``alternates`` of the page being rendered, from its context."""
    alternates = _value(lookup, "alternates")
    if alternates:
        return [(str(lang), str(url)) for lang, url in alternates]
    for name in ("article", "page"):
        item = _value(lookup, name)
        record = record_of(item, "bilingual") if item is not None else None
        if record is not None and record.alternates:
            return list(record.alternates)
    return []


def page_lang(lookup: Callable[[str], Any]) -> str:
    """The language of the page being rendered."""
    lang = _value(lookup, "lang")
    if lang:
        return str(lang)
    for name in ("article", "page"):
        item = _value(lookup, name)
        if item is not None and getattr(item, "lang", None):
            return str(item.lang)
    return site_from(lookup).default


def language_links_from(lookup: Callable[[str], Any]) -> LanguageLinks | None:
    """The language links of a page, or None when it declares no alternates."""
    alternates = page_alternates(lookup)
    if not alternates:
        return None
    site = site_from(lookup)
    public = str(_value(lookup, "PUBLIC_URL") or "").rstrip("/")
    lang = page_lang(lookup)
    by_lang = dict(alternates)
    url = _value(lookup, "page_url")
    url = str(url) if url is not None else by_lang.get(lang, alternates[0][1])
    x_default = _value(lookup, "x_default_url")
    if x_default is None:
        x_default = by_lang.get(site.default, alternates[0][1])
    hreflang = [(site.language(code).hreflang, f"{public}/{href}") for code, href in alternates]
    hreflang.append(("x-default", f"{public}/{x_default}"))
    others = [(code, href) for code, href in alternates if code != lang]
    return LanguageLinks(url=url, canonical=f"{public}/{url}", hreflang=hreflang, others=others)


@pass_context
def language_links(context: Context) -> LanguageLinks | None:
    """Template global: ``{% set links = language_links() %}``."""
    return language_links_from(context.resolve)
