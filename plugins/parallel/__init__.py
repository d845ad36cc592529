"""Every brief in both languages side by side, at ``/{lang}/{slug}/parallel/``.

A Pelican plugin. The two versions are aligned section by section and
paragraph by paragraph (the pairing the drift check relies on); versions
that do not align are reported as translation drift. Each brief links to
its side-by-side page (``parallel_url`` on the brief).
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from strictbuild.settings import plugin_enabled

from .pages import NAME, ParallelPagesGenerator, parallel_url


def get_generators(pelican: object) -> type[ParallelPagesGenerator]:
    """Add the generator of the side-by-side pages."""
    return ParallelPagesGenerator


def link_briefs(generator: Any) -> None:
    """Give each brief the address of its side-by-side page, for the brief template."""
    if not plugin_enabled(generator.settings, NAME):
        return
    for article in getattr(generator, "articles", []) or []:
        for version in [article, *getattr(article, "translations", [])]:
            version.parallel_url = parallel_url(version, generator.settings)


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.get_generators.connect(get_generators)
    signals.article_generator_finalized.connect(link_briefs)
