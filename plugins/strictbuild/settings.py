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
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .checks import (
    Check,
    anything,
    boolean,
    language_code,
    mapping_of,
    per_language,
    site_license,
    site_navigation,
    text,
    url_pattern,
    whole_number,
)
from .problems import ContentError, display_path
from .site import SiteError, site_of


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


#: This plugin's own settings (what a build keeps while it runs is in its
#: :class:`~strictbuild.state.BuildState`): whether a group of pages may be
#: written by a forked process (:mod:`strictbuild.forked`; default True).
PREFIX = "STRICTBUILD_"
SCHEMA: Mapping[str, Check] = {"STRICTBUILD_FORKED_WRITERS": boolean}


#: Settings of the site as a whole, read by several plugins.
SITE_SCHEMA = Schema(
    "SITE_",
    {
        # checked by the site model (strictbuild.site), every problem with its path
        "SITE_LANGUAGES": anything,
        "SITE_SOURCE_LANG": language_code,
        "SITE_HEADLINE_LANG": language_code,
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
    try:
        site_of(settings)
    except SiteError as error:
        # A language role (DEFAULT_LANG, ...) is checked as a setting of its own below.
        for name, path, message in error.problems:
            if name == "SITE_LANGUAGES":
                problems.append(ContentError(shown, lines.get(name, 0), f"setting {name}{path}: {message}"))
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
    "site_license",
    "site_navigation",
    "text",
    "url_pattern",
    "validate_settings",
    "whole_number",
]
