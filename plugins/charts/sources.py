"""The sources registry, as far as charts need it.

Charts only need each source's key and entry (for the source line and the
cache key). The registry is read and checked by the citations plugin; this
takes its entries from its public API as plain dicts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from typing import Any

from citations.api import source_entries
from strictbuild import Site


def load_sources(settings: MutableMapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every valid registry entry by key, as a plain dict; no registry is an empty one.

    Problems in the registry file are reported by the citations plugin.
    """
    return source_entries(settings)


def _in_lang(value: Any, lang: str, site: Site) -> str:
    """A registry field in ``lang``, else in the site's default language."""
    if isinstance(value, Mapping):
        value = value.get(lang) or value.get(site.default)
    return value.strip() if isinstance(value, str) else ""


def source_name(entry: Mapping[str, Any], lang: str, site: Site) -> str:
    """How a source line names a source, e.g. ``Central News Agency (CNA), 2026-01-08``.

    The outlet in ``lang``; a source whose copy names no outlet is named by
    its headline instead (translated on pages in the site's headline
    language), so that the line never reads "not named".
    """
    style = site.language(lang).citation
    outlet = _in_lang(entry.get("outlet"), lang, site)
    if not outlet or outlet.lower().startswith("not named") or outlet.startswith("原文未"):
        headline = entry.get("headline")
        title = ""
        if isinstance(headline, Mapping):
            title = _in_lang(headline.get(lang if lang == site.headline_language else "original"), lang, site)
        outlet = f"{style.title_open}{title}{style.title_close}" if title else ""
    name = outlet or str(entry.get("key", "?"))
    date = entry.get("date")
    return f"{name}{style.comma}{date}" if date else name


def list_separator(lang: str, site: Site) -> str:
    """How a source line separates sources in ``lang``."""
    return site.language(lang).citation.list_separator


def _named(value: str) -> str:
    """``value``, or "" for the registry's way of saying a copy names no outlet."""
    return "" if value.lower().startswith("not named") or value.startswith("原文未") else value


def source_record(entry: Mapping[str, Any], lang: str, say: Callable[..., str], site: Site) -> dict[str, Any]:
    """A source as a chart's metadata file gives it: its fields and a full citation.

    ``say(msgid, **values)`` gives an interface string in ``lang`` (the
    catalog's ``carried by %(site)s``, ``about %(date)s``, ``on or before
    %(date)s``). Fields the registry leaves empty are left out; the registry
    key, an internal name, never appears.
    """
    style = site.language(lang).citation
    headline = entry.get("headline") if isinstance(entry.get("headline"), Mapping) else {}
    original = _in_lang((headline or {}).get("original"), lang, site)
    translated = _in_lang((headline or {}).get(lang), lang, site) if lang == site.headline_language else ""
    outlet = _named(_in_lang(entry.get("outlet"), lang, site))
    author = _in_lang(entry.get("author"), lang, site)
    carrier = _in_lang(entry.get("carried_by"), lang, site)
    date = str(entry.get("date") or "")
    certainty = entry.get("date_certainty")
    if date and certainty == "approximate":
        date = say("about %(date)s", date=date)
    elif date and certainty == "on-or-before":
        date = say("on or before %(date)s", date=date)
    quoted = f"{style.title_open}{original}{style.title_close}"
    if translated and translated != original:
        quoted += f" [{style.title_open}{translated}{style.title_close}]"
    citation = style.comma.join(part for part in (author, quoted, outlet, date) if part)
    if carrier:
        citation += style.list_separator + say("carried by %(site)s", site=carrier)
    citation += style.sentence_end
    record: dict[str, Any] = {
        "name": source_name(entry, lang, site),
        "outlet": outlet,
        "author": author,
        "headline": original,
        "headline_en": translated if translated != original else "",
        "date": date,
        "carried_by": carrier,
        "url": entry.get("url") or "",
        "archived_url": entry.get("archived_url") or "",
        "citation": citation,
    }
    return {name: value for name, value in record.items() if value}
