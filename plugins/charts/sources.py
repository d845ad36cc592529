"""The sources registry, as far as charts need it.

Charts only need each source's key and entry (for the source line and the
cache key). The registry is read and checked by the citations plugin; this
takes its entries from its public API as plain dicts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from typing import Any

from citations.api import source_entries


def load_sources(settings: MutableMapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every valid registry entry by key, as a plain dict; no registry is an empty one.

    Problems in the registry file are reported by the citations plugin.
    """
    return source_entries(settings)


def _in_lang(value: Any, lang: str) -> str:
    if isinstance(value, Mapping):
        value = value.get(lang) or value.get("en")
    return value.strip() if isinstance(value, str) else ""


def source_name(entry: Mapping[str, Any], lang: str) -> str:
    """How a source line names a source, e.g. ``Central News Agency (CNA), 2026-01-08``.

    The outlet in ``lang``; a source whose copy names no outlet is named by
    its headline instead (in English on English pages), so that the line
    never reads "not named".
    """
    outlet = _in_lang(entry.get("outlet"), lang)
    if not outlet or outlet.lower().startswith("not named") or outlet.startswith("原文未"):
        headline = entry.get("headline")
        title = ""
        if isinstance(headline, Mapping):
            title = _in_lang(headline.get("en" if lang == "en" else "original"), lang)
        outlet = f"“{title}”" if lang == "en" and title else (f"〈{title}〉" if title else "")
    name = outlet or str(entry.get("key", "?"))
    date = entry.get("date")
    comma = "，" if lang.startswith("zh") else ", "
    return f"{name}{comma}{date}" if date else name


def list_separator(lang: str) -> str:
    """How a source line separates sources in ``lang``."""
    return "；" if lang.startswith("zh") else "; "


def _named(value: str) -> str:
    """``value``, or "" for the registry's way of saying a copy names no outlet."""
    return "" if value.lower().startswith("not named") or value.startswith("原文未") else value


def source_record(entry: Mapping[str, Any], lang: str, say: Callable[..., str]) -> dict[str, Any]:
    """A source as a chart's metadata file gives it: its fields and a full citation.

    ``say(msgid, **values)`` gives an interface string in ``lang`` (the
    catalog's ``carried by %(site)s``, ``about %(date)s``, ``on or before
    %(date)s``). Fields the registry leaves empty are left out; the registry
    key, an internal name, never appears.
    """
    headline = entry.get("headline") if isinstance(entry.get("headline"), Mapping) else {}
    original = _in_lang((headline or {}).get("original"), lang)
    translated = _in_lang((headline or {}).get("en"), lang) if lang == "en" else ""
    outlet = _named(_in_lang(entry.get("outlet"), lang))
    author = _in_lang(entry.get("author"), lang)
    site = _in_lang(entry.get("carried_by"), lang)
    date = str(entry.get("date") or "")
    certainty = entry.get("date_certainty")
    if date and certainty == "approximate":
        date = say("about %(date)s", date=date)
    elif date and certainty == "on-or-before":
        date = say("on or before %(date)s", date=date)
    zh = lang.startswith("zh")
    comma = "，" if zh else ", "
    quoted = f"〈{original}〉" if zh else f"“{original}”"
    if translated and translated != original:
        quoted += f" [“{translated}”]"
    parts = [part for part in (author, quoted, outlet, date) if part]
    citation = comma.join(parts)
    if site:
        citation += ("；" if zh else "; ") + say("carried by %(site)s", site=site)
    citation += "。" if zh else "."
    record: dict[str, Any] = {
        "name": source_name(entry, lang),
        "outlet": outlet,
        "author": author,
        "headline": original,
        "headline_en": translated if translated != original else "",
        "date": date,
        "carried_by": site,
        "url": entry.get("url") or "",
        "archived_url": entry.get("archived_url") or "",
        "citation": citation,
    }
    return {name: value for name, value in record.items() if value}
