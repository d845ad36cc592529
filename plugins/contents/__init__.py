"""A table of contents for every brief, and a link on every section heading.

A Pelican plugin. It adds a Markdown rule (through the reader's
``markdown_it_ready`` signal) that makes each section heading a link to
itself and records the brief's sections, in the page's language, in
``extracted["contents"]``; the brief template lists them.
"""

from __future__ import annotations

from typing import Any

from markdown_reader import markdown_it_ready

from .syntax import contents_plugin

NAME = "contents"


def enabled(settings: Any) -> bool:
    """True when this plugin is part of the build's ``PLUGINS``.

    Pelican's signals are process-wide: a plugin registered by one build in
    a process stays connected for the next, which may not list it.
    """
    names = {str(getattr(p, "__name__", p)).rsplit(".", 1)[-1] for p in (settings or {}).get("PLUGINS") or []}
    return NAME in names


def add_syntax(md: Any, *, settings: Any = None, **_kwargs: Any) -> None:
    """Record sections and link headings in every document the reader parses."""
    if enabled(settings):
        contents_plugin(md)


def register() -> None:
    """Connect the plugin to the reader's signal."""
    markdown_it_ready.connect(add_syntax)
