"""Full-text search of each language, served from the site itself.

A Pelican plugin. It writes a search page per language (``/{lang}/search/``)
and, once Pelican has written every page, indexes the written site with
Pagefind: one index per language, chosen by each page's ``<html lang>``. The
index is built into the folder the build writes to, so an atomic build swaps
it in together with the pages it describes.
"""

from __future__ import annotations

from pelican import signals

from strictbuild import uptodate

from .index import build_index
from .pages import SearchPagesGenerator
from .reuse import outside_inputs


def get_generators(pelican: object) -> type[SearchPagesGenerator]:
    """Add the generator of the search pages."""
    return SearchPagesGenerator


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    uptodate.depends_on("search: Pagefind's configuration", outside_inputs)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(build_index)
