"""The sources registry, as far as charts need it.

Charts only need each source's key and entry (for the source line and the
cache key). The registry is read and checked by the citations plugin; this
takes its entries from there as plain dicts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, MutableMapping
from typing import Any

from citations import citations_state


def load_sources(settings: MutableMapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every valid registry entry by key, as a plain dict; no registry is an empty one.

    Problems in the registry file are reported by the citations plugin.
    """
    sources = citations_state(settings).sources or {}
    return {
        key: {k: v for k, v in dataclasses.asdict(entry).items() if k not in ("path", "line")}
        for key, entry in sources.items()
    }


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
