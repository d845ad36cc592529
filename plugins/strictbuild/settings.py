"""Validate the settings once, before anything is built, listing every problem.

As MkDocs does with its configuration: each plugin declares the settings it
reads as a schema (a ``settings`` module in its package with ``PREFIX`` and
``SCHEMA``); a setting under a plugin's prefix that its schema does not know
(a typo), a value of the wrong type and a language code the site does not
have are all reported together, each at its line in the settings file,
before Pelican reads any content. Pelican's habit of warning and falling back
to a default would build a different site than the one asked for.
"""

from __future__ import annotations

import ast
import difflib
import importlib
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .problems import ContentError, display_path

#: A check returns what is wrong with a value, or None.
Check = Callable[[Any, Mapping[str, Any]], "str | None"]

_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
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
        languages = list(settings.get("SITE_LANGUAGES") or {})
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
    languages = list(settings.get("SITE_LANGUAGES") or {})
    if value in languages:
        return None
    return f"is {value!r}, which is not one of the site's languages ({', '.join(languages)})"


def _site_language(code: str, info: Any) -> str | None:
    from babel import Locale, UnknownLocaleError

    if not isinstance(code, str) or not _TAG.match(code):
        return f"has {code!r}, which is not a language code (e.g. en, zh-TW)"
    if not isinstance(info, Mapping):
        return f"[{code!r}] must be a dict with name, path, html and locale"
    missing = [key for key in ("name", "path", "html", "locale") if not isinstance(info.get(key), str)]
    if missing:
        return f"[{code!r}] has no {', '.join(missing)} (text)"
    if not _SEGMENT.match(info["path"]):
        return f"[{code!r}] path {info['path']!r} must be lowercase letters, digits and hyphens"
    if not _TAG.match(info["html"]):
        return f"[{code!r}] html {info['html']!r} is not a language tag"
    try:
        Locale.parse(info["locale"])
    except (ValueError, UnknownLocaleError):
        return f"[{code!r}] locale {info['locale']!r} is not a locale Babel knows"
    return None


def site_languages(value: Any, _settings: Mapping[str, Any]) -> str | None:
    """The site's languages: code -> name, URL path, html lang and Babel locale."""
    if not isinstance(value, Mapping) or not value:
        return "must be a dict of language code -> {name, path, html, locale}"
    for code, info in value.items():
        problem = _site_language(code, info)
        if problem:
            return problem
    paths = [info["path"] for info in value.values()]
    if len(set(paths)) != len(paths):
        return "gives two languages the same path"
    return None


@dataclass(frozen=True)
class Schema:
    """The settings one plugin reads: every name under ``prefix`` it knows, with its check."""

    prefix: str
    options: Mapping[str, Check]


def plugin_enabled(settings: Mapping[str, Any] | None, name: str) -> bool:
    """True when the plugin ``name`` is part of the build's ``PLUGINS``.

    For code that can run outside a build of its own (a parser built in a
    test, a generator shared by sites): the build driver disconnects every
    receiver when a build ends, but a plugin's hooks may still be reached
    by a build that does not list it.
    """
    names = {str(getattr(p, "__name__", p)).rsplit(".", 1)[-1] for p in (settings or {}).get("PLUGINS") or []}
    return name in names


#: This plugin's own settings: none (what a build keeps while it runs is in
#: its :class:`~strictbuild.state.BuildState`), so any ``STRICTBUILD_`` name is a mistake.
PREFIX = "STRICTBUILD_"
SCHEMA: Mapping[str, Check] = {}


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


#: Settings of the site as a whole, read by several plugins.
SITE_SCHEMA = Schema(
    "SITE_",
    {
        "SITE_LANGUAGES": site_languages,
        "SITE_DESCRIPTION": text,
        "SITE_LICENSE": site_license,
        "SITE_NAVIGATION": site_navigation,
    },
)
#: Pelican settings the plugins rely on, checked with the site's.
CORE_OPTIONS: Mapping[str, Check] = {"DEFAULT_LANG": language_code}


def plugin_schemas(settings: Mapping[str, Any]) -> list[Schema]:
    """The schema of every plugin of the build that declares one (``<plugin>.settings``)."""
    schemas = [SITE_SCHEMA]
    # Pelican puts PLUGIN_PATHS on sys.path only when it loads the plugins, later.
    paths = [str(p) for p in settings.get("PLUGIN_PATHS") or [] if str(p) not in sys.path]
    sys.path[:0] = paths
    try:
        modules = []
        for plugin in settings.get("PLUGINS") or []:
            name = plugin if isinstance(plugin, str) else getattr(plugin, "__name__", "")
            try:
                modules.append(importlib.import_module(f"{name}.settings"))
            except ModuleNotFoundError:
                continue
    finally:
        for path in paths:
            sys.path.remove(path)
    for module in modules:
        prefix, options = getattr(module, "PREFIX", None), getattr(module, "SCHEMA", None)
        if isinstance(prefix, str) and isinstance(options, Mapping):
            schemas.append(Schema(prefix, options))
    return schemas


def assignment_lines(path: str) -> dict[str, int]:
    """The line of each top-level assignment in a settings file and the files it star-imports."""
    lines: dict[str, int] = {}
    try:
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
    except (OSError, SyntaxError, ValueError):
        return lines
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and any(a.name == "*" for a in node.names):
            imported = os.path.join(os.path.dirname(path), *node.module.split(".")) + ".py"
            if os.path.isfile(imported):
                lines.update(assignment_lines(imported))
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            names = target.elts if isinstance(target, ast.Tuple) else [target]
            for name in names:
                if isinstance(name, ast.Name):
                    lines[name.id] = node.lineno
    # An assignment chain (A = B = 1) gives every name the same line, as wanted.
    return lines


def validate_settings(
    settings: Mapping[str, Any], settings_path: str, *, schemas: Sequence[Schema] | None = None
) -> list[ContentError]:
    """Every problem of ``settings``, each at its line in ``settings_path`` (0 if set elsewhere)."""
    shown = display_path(os.path.abspath(settings_path))
    lines = assignment_lines(settings_path)
    problems: list[ContentError] = []

    def problem(name: str, message: str) -> None:
        problems.append(ContentError(shown, lines.get(name, 0), f"setting {name} {message}"))

    all_schemas = list(schemas if schemas is not None else plugin_schemas(settings))
    for name, core_check in CORE_OPTIONS.items():
        if name in settings:
            found = core_check(settings[name], settings)
            if found:
                problem(name, found)
    for schema in all_schemas:
        for name in sorted(settings):
            if not name.startswith(schema.prefix):
                continue
            check = schema.options.get(name)
            if check is None:
                close = difflib.get_close_matches(name, list(schema.options), n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]}?" if close else ""
                problem(name, f"is not a setting of {schema.prefix}* (unknown name){hint}")
                continue
            found = check(settings[name], settings)
            if found:
                problem(name, found)
    return sorted(problems)


__all__ = [
    "Schema",
    "anything",
    "assignment_lines",
    "boolean",
    "language_code",
    "mapping_of",
    "per_language",
    "plugin_schemas",
    "site_languages",
    "text",
    "url_pattern",
    "validate_settings",
    "whole_number",
]
