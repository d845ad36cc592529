"""A table of contents for every brief, and a link on every section heading.

A Pelican plugin. It adds a Markdown rule (through the reader's
``markdown_it_ready`` signal) that makes each section heading a link to
itself and records the brief's sections, in the page's language, in
``extracted["contents"]``; the brief template lists them.
"""

from __future__ import annotations

from typing import Any

from markdown_reader import markdown_it_ready
from strictbuild.settings import plugin_enabled

from .syntax import contents_plugin

NAME = "contents"


def add_syntax(md: Any, *, settings: Any = None, **_kwargs: Any) -> None:
    """Record sections and link headings in every document the reader parses."""
    if plugin_enabled(settings, NAME):
        contents_plugin(md)


def register() -> None:
    """Connect the plugin to the reader's signal."""
    markdown_it_ready.connect(add_syntax)
