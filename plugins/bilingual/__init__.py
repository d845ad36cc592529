"""Equal languages: pairing, language links, catalogs and per-language pages.

A Pelican plugin, for the languages of the site model (``strictbuild.site``).
Every page links to the same page in every other language;
each language has its own home and feed; ``/`` lets a reader choose a
language; ``sitemap.xml`` lists every page with its alternates; the build
stops on a missing translation, on translation drift and on an interface
string without a translation.
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from markdown_reader import markdown_it_ready
from strictbuild import add_generator_last, reuse

from . import catalogs, drift, links, navigation, pairing, sitemap
from .numbers import numbers_plugin
from .pages import LanguagePagesGenerator
from .typography import cjk_linebreak_plugin


def get_generators(pelican: object) -> type[LanguagePagesGenerator]:
    """Add the generator of homes, feeds, the language chooser and the 404 page."""
    return LanguagePagesGenerator


def add_syntax(md: Any, **_kwargs: Any) -> None:
    """Record the numbers each document states; join Chinese lines without a space."""
    numbers_plugin(md)
    cjk_linebreak_plugin(md)


def prepare_templates(generator: Any) -> None:
    """Interface translations, locale filters and ``language_links()`` for templates."""
    catalogs.install(generator)
    env = getattr(generator, "env", None)
    if env is not None:
        env.globals["language_links"] = links.language_links
        env.globals["main_navigation"] = navigation.main_navigation


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    # Pages show the catalogs' text: a kept page's digest reads their files.
    reuse.folders_in_setting("BILINGUAL_CATALOG_PATHS")
    signals.initialized.connect(sitemap.start_sitemap)
    signals.generator_init.connect(prepare_templates)
    signals.all_generators_finalized.connect(pairing.link_translations)
    signals.all_generators_finalized.connect(drift.check_drift)
    signals.all_generators_finalized.connect(pairing.drop_drafts)
    # The homes, feeds, chooser and 404 page are not indexed for search:
    # written last, while Pagefind runs (see the search plugin).
    add_generator_last(get_generators)
    signals.content_written.connect(sitemap.record_page)
    signals.finalized.connect(sitemap.write_sitemap)
    markdown_it_ready.connect(add_syntax)
