"""Read the sources registry, as far as charts need it.

Charts only need each source's key and entry (for the source line and the
cache key). This reads ``content/sources.yaml`` directly; when the citations
plugin offers a loader, :func:`load_sources` is the one place to swap.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import yaml

from strictbuild import ContentError, display_path


def registry_path(settings: Mapping[str, Any]) -> str:
    """Where the sources registry lives (setting ``CHARTS_SOURCES_FILE``, relative to PATH)."""
    name = str(settings.get("CHARTS_SOURCES_FILE", "sources.yaml"))
    return os.path.join(str(settings.get("PATH", "content")), name)


def load_sources(settings: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every registry entry by key; an absent registry is an empty one.

    Raises :class:`ContentError` when the file is not a YAML list of entries.
    """
    path = registry_path(settings)
    if not os.path.exists(path):
        return {}
    shown = display_path(path, dict(settings))
    with open(path, encoding="utf-8") as handle:
        try:
            entries = yaml.safe_load(handle)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            msg = f"the sources registry is not valid YAML: {error}"
            raise ContentError(shown, (mark.line + 1) if mark else 1, msg) from None
    if entries is None:
        return {}
    if not isinstance(entries, list):
        raise ContentError(shown, 1, "the sources registry must be a YAML list of entries")
    found: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("key"), str):
            found[entry["key"]] = entry
    return found


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
