"""The checks a plugin's settings schema is made of.

A check takes a value and the whole settings and returns what is wrong with
the value, or None. Language codes are those of the site model
(:func:`strictbuild.site.language_codes`), whether or not the rest of each
language's settings is valid, so every problem is reported in one build.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from .site import language_codes

#: A check returns what is wrong with a value, or None.
Check = Callable[[Any, Mapping[str, Any]], "str | None"]

_SEGMENT = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def text(value: Any, _settings: Mapping[str, Any]) -> str | None:
    """A string."""
    return None if isinstance(value, str) else f"must be text, got {type(value).__name__} {value!r}"


def boolean(value: Any, _settings: Mapping[str, Any]) -> str | None:
    """True or False."""
    return None if isinstance(value, bool) else f"must be True or False, got {value!r}"


def whole_number(minimum: int = 0) -> Check:
    """A whole number no smaller than ``minimum``."""

    def check(value: Any, _settings: Mapping[str, Any]) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return f"must be a whole number, got {value!r}"
        return None if value >= minimum else f"must be at least {minimum}, got {value}"

    return check


def url_pattern(*names: str) -> Check:
    """A URL pattern using only the placeholders ``names`` (``{lang_path}/charts/{id}/``)."""

    def check(value: Any, _settings: Mapping[str, Any]) -> str | None:
        if not isinstance(value, str):
            return f"must be a URL pattern (text), got {value!r}"
        used = set(re.findall(r"\{(\w*)\}", value))
        unknown = sorted(used - set(names))
        if unknown:
            return f"uses unknown placeholder {{{unknown[0]}}} (known: {', '.join(names)})"
        return None

    return check


def anything(_value: Any, _settings: Mapping[str, Any]) -> str | None:
    """Any value (kept by the build itself, or checked where it is used)."""
    return None


def per_language(inner: Check, *, every: bool) -> Check:
    """A dict keyed by site language codes (all of them when ``every``), each value checked by ``inner``."""

    def check(value: Any, settings: Mapping[str, Any]) -> str | None:
        if not isinstance(value, Mapping):
            return f"must be a dict keyed by language code, got {value!r}"
        languages = language_codes(settings)
        for code, item in value.items():
            if code not in languages:
                return f"has unknown language code {code!r} (the site's languages: {', '.join(languages)})"
            problem = inner(item, settings)
            if problem:
                return f"[{code!r}] {problem}"
        missing = [code for code in languages if code not in value] if every else []
        return f"has no entry for {', '.join(missing)}" if missing else None

    return check


def mapping_of(inner: Check) -> Check:
    """A dict whose values are checked by ``inner``."""

    def check(value: Any, settings: Mapping[str, Any]) -> str | None:
        if not isinstance(value, Mapping):
            return f"must be a dict, got {value!r}"
        for key, item in value.items():
            problem = inner(item, settings)
            if problem:
                return f"[{key!r}] {problem}"
        return None

    return check


def language_code(value: Any, settings: Mapping[str, Any]) -> str | None:
    """One of the site's language codes."""
    languages = language_codes(settings)
    if value in languages:
        return None
    return f"is {value!r}, which is not one of the site's languages ({', '.join(languages)})"


def _text_or_per_language(value: Any, settings: Mapping[str, Any]) -> str | None:
    if isinstance(value, Mapping):
        return per_language(text, every=False)(value, settings)
    return text(value, settings)


def site_license(value: Any, settings: Mapping[str, Any]) -> str | None:
    """The licence of the site's own work: ``name``, optional ``title`` and ``url`` (text or per language)."""
    if not isinstance(value, Mapping):
        return f"must be a dict with 'name', 'title' and 'url', got {value!r}"
    unknown = sorted(set(value) - {"name", "title", "url"})
    if unknown:
        return f"has an unknown key {unknown[0]!r} (known: name, title, url)"
    if "name" not in value:
        return "needs a 'name' (e.g. 'CC BY 4.0')"
    for key in ("name", "title", "url"):
        if key in value:
            wrong = _text_or_per_language(value[key], settings)
            if wrong:
                return f"'{key}' {wrong}"
    urls = value.get("url", "")
    for url in urls.values() if isinstance(urls, Mapping) else [urls]:
        if url and not str(url).startswith(("https://", "http://")):
            return f"'url' must be an http(s) address, got {url!r}"
    return None


_NAV_KEYS = {"page", "url", "label", "plugin", "search"}


def site_navigation(value: Any, settings: Mapping[str, Any]) -> str | None:
    """The main navigation: a list of ``{"page": slug}`` or ``{"url": ..., "label": ...}`` entries."""
    if not isinstance(value, list):
        return f"must be a list of entries, got {value!r}"
    for index, entry in enumerate(value):
        where = f"entry {index + 1}"
        if not isinstance(entry, Mapping):
            return f"{where} must be a dict, got {entry!r}"
        unknown = sorted(set(entry) - _NAV_KEYS)
        if unknown:
            return f"{where} has an unknown key {unknown[0]!r} (known: {', '.join(sorted(_NAV_KEYS))})"
        if ("page" in entry) == ("url" in entry):
            return f"{where} needs either 'page' (a page's slug) or 'url' (with 'label')"
        if "page" in entry and not (isinstance(entry["page"], str) and _SEGMENT.match(entry["page"])):
            return f"{where} 'page' must be a slug, got {entry['page']!r}"
        if "url" in entry:
            wrong = url_pattern("lang_path")(entry["url"], settings) or text(entry.get("label"), settings)
            if wrong:
                return f"{where} {wrong}"
        for key, check in (("plugin", text), ("search", boolean)):
            if key in entry and check(entry[key], settings):
                return f"{where} '{key}' {check(entry[key], settings)}"
    return None
