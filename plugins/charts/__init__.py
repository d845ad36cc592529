"""Altair charts: one definition, two languages, static first, interactive after.

A Pelican plugin. Chart modules in ``content/charts/`` are loaded and checked
(:mod:`.catalog`), rendered once per language with a cache (:mod:`.render`,
:mod:`.cache`), placed in briefs with the ```` ```{chart} id ```` block
(:mod:`.markdown`), and given pages, embed pages and files (:mod:`.pages`).
"""

from __future__ import annotations

import json
from typing import Any

from markdown_it import MarkdownIt
from pelican import signals

from markdown_reader import markdown_it_ready, site_known
from strictbuild import add_link, uptodate
from strictbuild.links import links_in

from . import comparables as _comparables  # noqa: F401  (offers chart ids to the drift check)
from .api import ChartContext
from .catalog import chart_ids
from .fonts import chart_fonts
from .markdown import chart_plugin
from .pages import ChartsGenerator, chart_figures, chart_path, place_figures

__all__ = ["ChartContext", "ChartsGenerator", "chart_plugin", "register"]


def add_chart_block(md: MarkdownIt, *, settings: dict[str, Any], **_: Any) -> None:
    """Teach the Markdown reader the chart block, with the ids the content has."""
    chart_plugin(md, chart_ids=chart_ids(settings))


def check_note_links(generators: list[Any]) -> None:
    """Give the build's link check the links written in each chart's notes.

    The notes are shown on the chart's page, so relative links are read from there.
    """
    for generator in generators:
        if not isinstance(generator, ChartsGenerator):
            continue
        settings = generator.settings
        for definition in generator.definitions.values():
            line = definition.lines.get("NOTES", 1)
            for lang, text in definition.notes.items():
                page = chart_path(settings, definition.chart_id, lang)
                for href in links_in(text):
                    add_link(settings, path=definition.shown_path, line=line, href=href, page=page, lang=lang)


def get_generators(pelican: object) -> type[ChartsGenerator]:
    """Add the generator that renders the charts and writes their pages."""
    return ChartsGenerator


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    # The fonts fontconfig picks for chart text shape every chart image.
    uptodate.depends_on("charts: fonts", lambda settings: json.dumps(chart_fonts(settings), sort_keys=True))
    markdown_it_ready.connect(add_chart_block)
    signals.get_generators.connect(get_generators)
    site_known.connect(chart_figures)
    signals.all_generators_finalized.connect(place_figures)
    signals.all_generators_finalized.connect(check_note_links)
