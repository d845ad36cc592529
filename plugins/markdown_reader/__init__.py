"""The site's Markdown reader: markdown-it-py with YAML front matter.

A Pelican plugin. Other plugins add their syntax by connecting to
:data:`markdown_reader.hooks.markdown_it_ready` and calling their
``x_plugin(md, ...)`` function on the parser they receive.
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from .hooks import markdown_it_ready
from .reader import MarkdownItReader, normalise_lang, source_line, source_path_of
from .syntax import heading_slug, link_is_safe, make_markdown, safety_plugin

__all__ = [
    "MarkdownItReader",
    "heading_slug",
    "link_is_safe",
    "make_markdown",
    "markdown_it_ready",
    "normalise_lang",
    "register",
    "safety_plugin",
    "source_line",
    "source_path_of",
]


def use_markdown_it(readers: Any) -> None:
    """Make ours the reader for Markdown, whatever else is installed."""
    for extension in ("md", "markdown", "mkd", "mdown"):
        readers.reader_classes[extension] = MarkdownItReader if extension == "md" else None


def forget_python_markdown(generator: Any) -> None:
    """Stop Pelican warning that Python-Markdown is missing: ours reads ``.md``."""
    readers = getattr(generator, "readers", None)
    if readers is not None:
        for extension in ("md", "markdown", "mkd", "mdown"):
            readers.disabled_readers.pop(extension, None)


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.readers_init.connect(use_markdown_it)
    signals.generator_init.connect(forget_python_markdown)
