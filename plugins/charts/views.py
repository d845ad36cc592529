"""What the templates show of one chart in one language: :class:`ChartView`.

Everything a chart's page, embed page, figure and files print is computed
here, so the templates only loop and branch. A registry key is an author's
handle and never reaches a reader: a ``source`` cell in chart data is shown
as the source's name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from babel.numbers import format_decimal
from jinja2 import Template
from markupsafe import Markup

from strictbuild import Site, site_of

from .cache import Rendered
from .catalog import ChartDefinition, data_rows
from .sources import list_separator, source_name, source_record
from .words import chart_path, credit_line, public_url, say, site_files, site_license

_SVG_ID = re.compile(r'\bid="([^"]+)"')
_SVG_REF = re.compile(r'(url\(#|href="#)([^)"]+)')

#: The colour schemes an embed takes from its host (``?theme=``), the default first.
EMBED_THEMES = ("light", "dark", "auto")


@dataclass
class ChartView:
    """Everything the templates show of one chart in one language (computed here, not there)."""

    chart_id: str
    lang: str
    title: str
    description: str
    notes: str
    svg: Markup
    width: float
    height: float
    #: the narrow (phone) layout's static SVG; CSS shows it in a narrow container
    svg_narrow: Markup
    headers: list[str]
    rows: list[list[str]]
    sources: list[dict[str, str]]
    #: how the source line separates sources in this language
    separator: str
    page_path: str
    files: dict[str, str]
    embed_code: str
    embed_width: int
    embed_height: int
    #: the embed code for each ``?theme=`` the embed page takes, the default (light) first
    embed_themes: list[tuple[str, str]]
    og_image: str
    #: the PNG's size in pixels
    image_width: int
    image_height: int
    oembed_url: str
    page_url: str
    #: the site's licence in this language: name, title, url
    license: dict[str, str] = field(default_factory=dict)
    #: a ready credit line per site language: lang, html (the lang attribute), name, text
    credits: list[dict[str, str]] = field(default_factory=list)
    #: its sources as the metadata file gives them, each with a full citation
    source_records: list[dict[str, Any]] = field(default_factory=list)
    #: the newest of its sources' dates (YYYY-MM-DD)
    sources_date: str = ""
    alternates: list[tuple[str, str]] = field(default_factory=list)
    embed_alternates: list[tuple[str, str]] = field(default_factory=list)
    appears_in: list[dict[str, str]] = field(default_factory=list)


def reader_rows(
    definition: ChartDefinition, lang: str, registry: Mapping[str, Any], site: Site
) -> list[dict[str, Any]]:
    """The chart's rows in ``lang`` as a reader gets them: a ``source`` cell holds the
    source's name (``Central News Agency (CNA), 2026-01-08``), not its registry key."""
    rows = data_rows(definition.data_bytes, lang)
    for row in rows:
        key = row.get("source")
        if isinstance(key, str) and key.strip() in registry:
            row["source"] = source_name(registry[key.strip()], lang, site)
    return rows


def table_cell(value: Any, locale: str) -> str:
    """A data value as the table shows it: numbers grouped the way ``locale`` writes them."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(format_decimal(value, locale=locale))
    return str(value)


def inline_svg(svg: str, chart_id: str, layout: str = "wide") -> Markup:
    """The static SVG of one layout prepared for inlining: ids made unique to the chart
    and layout, hidden from assistive technology (the figure carries the text
    alternative), classed ``chart-layout-<layout>`` so that CSS shows the layout
    that fits the figure's width."""
    prefix = f"chart-{chart_id}-{layout}-"
    svg = _SVG_ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = _SVG_REF.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", svg)
    svg = svg.replace(
        "<svg ", f'<svg aria-hidden="true" focusable="false" data-layout="{layout}" ', 1
    ).replace(' class="marks"', f' class="marks chart-layout chart-layout-{layout}"', 1)
    # The SVG comes from vl-convert, which escapes every text it draws.
    return Markup(svg)  # noqa: S704


def _read(rendered: Rendered, kind: str) -> str:
    with open(rendered.path(kind), encoding="utf-8") as handle:
        return handle.read()


def _png_size(rendered: Rendered) -> tuple[int, int]:
    """The PNG's width and height in pixels, from its header."""
    with open(rendered.path("png"), "rb") as handle:
        head = handle.read(24)
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def embed_size(settings: Mapping[str, Any], rendered: Rendered) -> tuple[int, int]:
    """The embed frame's width and height.

    The frame's height shows the whole chart without the resize script at any
    width (the taller of the two layouts: a narrow frame shows the narrow
    one); its width is the chart's own plus the embed page's side padding.
    """
    chart_height = max(rendered.height, rendered.narrow_height)
    height = int(chart_height + int(settings.get("CHARTS_EMBED_EXTRA_HEIGHT", 170)))
    width = int(max(rendered.width + int(settings.get("CHARTS_EMBED_EXTRA_WIDTH", 24)), 320))
    return width, height


def embed_themes(
    template: Template, settings: Mapping[str, Any], page_path: str, title: str, size: tuple[int, int]
) -> list[tuple[str, str]]:
    """The embed code (``partials/chart_embed_code``) for each theme, the default first."""
    public = public_url(settings)
    static = f"{public}/{settings.get('THEME_STATIC_DIR', 'theme')}"
    return [
        (
            theme,
            template.render(
                url=f"{public}/{page_path}embed/",
                theme=theme,
                default_theme=EMBED_THEMES[0],
                title=title,
                width=size[0],
                height=size[1],
                static=static,
            ),
        )
        for theme in EMBED_THEMES
    ]


def _sources(settings: Mapping[str, Any], definition: ChartDefinition, lang: str, registry: Any) -> list[Any]:
    source_url = str(settings.get("CHARTS_SOURCE_URL", "{lang_path}/sources/#{key}"))
    site = site_of(settings)
    lang_path = site.language(lang).path
    return [
        {
            "key": key,
            "name": source_name(registry[key], lang, site),
            "path": source_url.format(lang_path=lang_path, key=key),
        }
        for key in definition.sources
    ]


def _credits(settings: MutableMapping[str, Any], definition: ChartDefinition) -> list[dict[str, str]]:
    site = site_of(settings)
    return [
        {
            "lang": other,
            "html": site.language(other).html,
            "name": site.language(other).name,
            "text": credit_line(settings, definition, other),
        }
        for other in site.codes
    ]


def _records(
    settings: MutableMapping[str, Any], definition: ChartDefinition, lang: str, registry: Any
) -> Any:
    def translate(message: str, **values: Any) -> str:
        return say(settings, lang, message, **values)

    site = site_of(settings)
    return [source_record(registry[key], lang, translate, site) for key in definition.sources]


def _table(
    definition: ChartDefinition, lang: str, registry: Any, site: Site
) -> tuple[list[str], list[list[str]]]:
    columns = definition.table_columns()
    locale = site.language(lang).locale
    rows = reader_rows(definition, lang, registry, site)
    cells = [[table_cell(row.get(c), locale) for c in columns] for row in rows]
    return [definition.labels[c][lang] for c in columns], cells


def chart_view(
    settings: MutableMapping[str, Any],
    definition: ChartDefinition,
    lang: str,
    rendered: Rendered,
    registry: Mapping[str, Any],
    embed_template: Template,
) -> ChartView:
    """The view of ``definition`` in ``lang``, from its renderings and the registry."""
    public = public_url(settings)
    chart_id = definition.chart_id
    page_path = chart_path(settings, chart_id, lang)
    title = definition.title[lang]
    site = site_of(settings)
    languages = site.codes
    files = site_files(chart_id, site.language(lang).path)
    headers, rows = _table(definition, lang, registry, site)
    size = embed_size(settings, rendered)
    themes = embed_themes(embed_template, settings, page_path, title, size)
    image_width, image_height = _png_size(rendered)
    return ChartView(
        chart_id=chart_id,
        lang=lang,
        title=title,
        description=definition.description[lang],
        notes=definition.notes.get(lang, ""),
        svg=inline_svg(_read(rendered, "svg"), chart_id),
        width=rendered.width,
        height=rendered.height,
        svg_narrow=inline_svg(_read(rendered, "svg_narrow"), chart_id, "narrow"),
        headers=headers,
        rows=rows,
        sources=_sources(settings, definition, lang, registry),
        separator=list_separator(lang, site),
        page_path=page_path,
        files=files,
        embed_code=themes[0][1],
        embed_width=size[0],
        embed_height=size[1],
        embed_themes=themes,
        og_image=f"{public}/{page_path}{files['png']}",
        image_width=image_width,
        image_height=image_height,
        oembed_url=f"{public}/{page_path}oembed.json",
        page_url=f"{public}/{page_path}",
        license=site_license(settings, lang),
        credits=_credits(settings, definition),
        source_records=_records(settings, definition, lang, registry),
        sources_date=max(str(registry[key].get("date") or "") for key in definition.sources),
        alternates=[(other, chart_path(settings, chart_id, other)) for other in languages],
        embed_alternates=[(other, chart_path(settings, chart_id, other) + "embed/") for other in languages],
    )


__all__ = [
    "EMBED_THEMES",
    "ChartView",
    "chart_view",
    "embed_size",
    "embed_themes",
    "inline_svg",
    "reader_rows",
    "table_cell",
]
