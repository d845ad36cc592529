"""The site's languages, as the settings describe them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def site_languages(settings: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``SITE_LANGUAGES``: code -> name, path, html, locale, in the site's order."""
    return dict(settings.get("SITE_LANGUAGES") or {settings.get("DEFAULT_LANG", "en"): {}})


def source_language(settings: Mapping[str, Any]) -> str:
    """The language the interface strings (msgids) are written in."""
    return str(settings.get("BILINGUAL_SOURCE_LANG") or settings.get("DEFAULT_LANG", "en"))


def locale_of(lang: str, settings: Mapping[str, Any]) -> str:
    """The Babel locale of a site language (the code itself if none is set)."""
    info = site_languages(settings).get(lang, {})
    return str(info.get("locale") or lang.replace("-", "_"))


def path_of(lang: str, settings: Mapping[str, Any]) -> str:
    """The URL segment of a site language."""
    info = site_languages(settings).get(lang, {})
    return str(info.get("path") or lang.lower())
