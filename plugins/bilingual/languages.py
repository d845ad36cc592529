"""The site's languages, from the site model (:mod:`strictbuild.site`).

Thin helpers for code that has settings at hand; new code asks
``site_of(settings)`` for a :class:`~strictbuild.site.Language` directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from strictbuild.site import Language, Site, site_of


def site_languages(settings: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Code -> the language's fields (name, path, html, locale, ...), in the site's order."""
    return {code: language.model_dump() for code, language in site_of(settings).languages.items()}


def source_language(settings: Mapping[str, Any]) -> str:
    """The language the interface strings (msgids) are written in."""
    return site_of(settings).source


def language_of(lang: str, settings: Mapping[str, Any]) -> Language:
    """The site language ``lang``."""
    return site_of(settings).language(lang)


def locale_of(lang: str, settings: Mapping[str, Any]) -> str:
    """The Babel locale of a site language."""
    return language_of(lang, settings).locale


def path_of(lang: str, settings: Mapping[str, Any]) -> str:
    """The URL segment of a site language."""
    return language_of(lang, settings).path


__all__ = [
    "Language",
    "Site",
    "language_of",
    "locale_of",
    "path_of",
    "site_languages",
    "site_of",
    "source_language",
]
