"""Load, check and render every chart of a site: the build-time work on charts, without Pelican.

:func:`prepare_charts` is what the charts generator calls when the build
reads its content; a benchmark or a check can call it alone.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from strictbuild import ContentError, site_of

from .cache import Rendered, render_charts
from .catalog import ChartDefinition, load_chart, module_paths
from .fonts import chart_fonts
from .render import RenderJob
from .sources import list_separator, load_sources, source_name
from .views import reader_rows
from .words import _, chart_path, lang_setting, public_url, say, site_license, site_name

logger = logging.getLogger(__name__)


@dataclass
class PreparedCharts:
    """The charts of a site, loaded, checked and rendered (see :func:`prepare_charts`)."""

    definitions: dict[str, ChartDefinition] = field(default_factory=dict)
    rendered: dict[tuple[str, str], Rendered] = field(default_factory=dict)
    registry: dict[str, Any] = field(default_factory=dict)
    problems: list[ContentError] = field(default_factory=list)
    #: renderings made in this run (0 when everything came from the cache)
    fresh: int = 0
    total: int = 0


def render_job(
    settings: MutableMapping[str, Any],
    definition: ChartDefinition,
    lang: str,
    registry: Mapping[str, Any],
    fonts: Mapping[str, str],
) -> RenderJob:
    """What rendering ``definition`` in ``lang`` needs, from the settings and the registry."""
    site = site_of(settings)
    names = list_separator(lang, site).join(
        source_name(registry[key], lang, site) for key in definition.sources
    )
    source_line = say(settings, lang, _("Source: %(sources)s"), sources=names)
    locale = lang_setting(settings, "CHARTS_LOCALES", lang, {})
    licence = site_license(settings, lang)
    page_url = f"{public_url(settings)}/{chart_path(settings, definition.chart_id, lang)}"
    licence_line = say(
        settings, lang, _("Licence: %(licence)s, %(url)s"), licence=licence["title"], url=licence["url"]
    )
    return RenderJob(
        chart_id=definition.chart_id,
        lang=lang,
        module_path=definition.module_path,
        shown_path=definition.shown_path,
        rows=reader_rows(definition, lang, registry, site),
        labels=definition.labels,
        columns=definition.columns(),
        table_columns=definition.table_columns(),
        title=definition.title[lang],
        source_line=source_line,
        format_locale=str(locale.get("format", "en-US")),
        time_format_locale=str(locale.get("time", "en-US")),
        font=fonts.get(lang),
        target="",
        png_scale=float(settings.get("CHARTS_PNG_SCALE", 2)),
        line=definition.lines.get("chart", 1),
        credit_lines=(f"{site_name(settings, lang)} · {page_url}", licence_line),
        png_text=(
            ("Title", definition.title[lang]),
            ("Description", definition.description[lang]),
            ("Source", source_line),
            ("Author", site_name(settings, lang)),
            ("Copyright", licence_line),
            ("URL", page_url),
        ),
    )


def prepare_charts(settings: MutableMapping[str, Any]) -> PreparedCharts:
    """Load, check and render every chart of a site (rendering only what the cache lacks).

    This is the whole build-time work on charts, without Pelican: the
    generator calls it, and so can a benchmark or a check.
    """
    prepared = PreparedCharts()
    paths = module_paths(settings)
    if not paths:
        return prepared
    try:
        prepared.registry = load_sources(settings)
        fonts = chart_fonts(settings)
    except ContentError as problem:
        prepared.problems.append(problem)
        return prepared
    for path in paths:
        definition, problems = load_chart(path, settings, prepared.registry)
        prepared.problems.extend(problems)
        if definition is not None:
            prepared.definitions[definition.chart_id] = definition
    jobs = [
        (render_job(settings, definition, lang, prepared.registry, fonts), definition)
        for definition in prepared.definitions.values()
        for lang in site_of(settings).codes
    ]
    # A chart that failed to load keeps its old renderings: fixing it renders nothing new.
    report = render_charts(jobs, settings, prepared.registry, prune_unused=not prepared.problems)
    prepared.problems.extend(report.problems)
    prepared.rendered = report.rendered
    prepared.fresh = report.fresh
    prepared.total = len(jobs)
    logger.info("charts: %d of %d renderings made, the rest from the cache", report.fresh, len(jobs))
    return prepared


__all__ = ["PreparedCharts", "prepare_charts", "render_job"]
