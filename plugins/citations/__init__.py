"""Sources, citations and glossary terms.

A Pelican plugin. It loads and validates the sources registry and the
glossary when the build starts, adds the citation and glossary-term syntax
to the Markdown reader, resolves what needs the whole site once every file
is read (citing places, sources never cited, the glossary page's address
for term links), and writes the sources and glossary pages of each language.

What other plugins may use is in :mod:`citations.api`: the registry's
entries, :func:`register_chart` (a chart page as a place citing its
sources) and the cited keys for the translation drift check.
"""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from pelican import signals

from markdown_reader import markdown_it_ready, site_known
from strictbuild import add_generator_last, reuse

from . import api
from .api import CitationsItem
from .glossary import glossary_plugin
from .pages import CitationFilesGenerator, CitationPagesGenerator
from .registry import GlossaryTerm, Source, parse_glossary, parse_sources
from .resolve import glossary_links, resolve
from .state import ChartPlace, CitationsState, citations_state, register_chart
from .syntax import citations_plugin

__all__ = [
    "ChartPlace",
    "CitationsState",
    "GlossaryTerm",
    "Source",
    "api",
    "citations_plugin",
    "citations_state",
    "glossary_plugin",
    "parse_glossary",
    "parse_sources",
    "register",
    "register_chart",
]


def load_registry(pelican: Any) -> None:
    """Load the registry and glossary once, before Pelican copies settings into the context."""
    citations_state(pelican.settings)


def add_syntax(md: MarkdownIt, **kwargs: Any) -> None:
    """Add the citation and glossary-term syntax to the site's parser."""
    settings = kwargs["settings"]
    state = citations_state(settings)
    # Keys of broken entries count as known: their entry is already reported.
    citations_plugin(md, registry=state.source_keys, registry_path=state.sources_path)
    glossary_plugin(md, glossary=state.term_keys, glossary_path=state.glossary_path)


def get_generators(pelican: Any) -> type[CitationPagesGenerator]:
    """Add the generator of the glossary pages."""
    return CitationPagesGenerator


def get_generators_last(pelican: Any) -> type[CitationFilesGenerator]:
    """Add the generator of the sources pages and the citation downloads."""
    return CitationFilesGenerator


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    # A brief's record (numbered sources and back-links, glossary previews,
    # "cite this brief") is made from its citation places and front matter,
    # the registry and glossary files, the settings and the other briefs'
    # addresses and titles: all in its pages' digests already.
    reuse.made_from_digested(CitationsItem.NAME)
    signals.initialized.connect(load_registry)
    markdown_it_ready.connect(add_syntax)
    site_known.connect(glossary_links)
    signals.all_generators_finalized.connect(resolve)
    signals.get_generators.connect(get_generators)
    # None of them is indexed for search: written last, while Pagefind runs.
    add_generator_last(get_generators_last)
