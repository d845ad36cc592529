"""The site's Markdown reader: markdown-it-py with YAML front matter.

A Pelican plugin. Other plugins add their syntax by connecting to
:data:`markdown_reader.hooks.markdown_it_ready` and calling their
``x_plugin(md, ...)`` function on the parser they receive. Files are parsed
when read and rendered once the whole site is known; plugins give their
render rules what they need through :data:`site_known` (see :mod:`.render`).
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from strictbuild import reuse

from .address import Address, address_of
from .hooks import markdown_it_ready
from .reader import MarkdownItReader, normalise_lang, source_line, source_path_of
from .render import (
    DOCUMENT_KEY,
    ParsedDocument,
    RenderCache,
    RenderPass,
    SiteFunction,
    document_of,
    render_document,
    render_documents,
    render_pass,
    site_known,
)
from .syntax import heading_slug, link_is_safe, make_markdown, safety_plugin

__all__ = [
    "Address",
    "MarkdownItReader",
    "ParsedDocument",
    "RenderCache",
    "RenderPass",
    "SiteFunction",
    "address_of",
    "document_of",
    "heading_slug",
    "link_is_safe",
    "make_markdown",
    "markdown_it_ready",
    "normalise_lang",
    "register",
    "render_document",
    "render_pass",
    "safety_plugin",
    "site_known",
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
    # The parsed document is made from the file alone: a kept page's digest
    # reads the file's bytes instead of every token.
    reuse.from_source(DOCUMENT_KEY)
    signals.readers_init.connect(use_markdown_it)
    signals.generator_init.connect(forget_python_markdown)
    signals.all_generators_finalized.connect(render_documents)
