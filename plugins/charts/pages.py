"""Charts in the site (step 3 of 3: load, render, pages).

:class:`ChartsGenerator` loads and renders every chart while Pelican reads
the content, puts each chart's ``<figure>`` into the briefs that place it,
and writes per chart and language: its page, its bare embed page, its files
(SVG, PNG, CSV, Vega-Lite and Vega specs), a metadata JSON and a static
oEmbed JSON.

Every word a reader sees comes from the page's language: interface strings
from the theme's catalogs (marked here with :func:`_` so ``make catalogs``
finds them), source names from the registry. A registry key is an author's
handle and never reaches a reader: a ``source`` cell in chart data is shown
as the source's name.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from babel.numbers import format_decimal
from markupsafe import Markup, escape
from pelican.generators import Generator

from bilingual.catalogs import load_catalogs
from citations import register_chart
from strictbuild import ContentError, all_content, problem_log
from strictbuild.itemdata import item_data

from .cache import Rendered, render_charts
from .catalog import ChartDefinition, data_rows, load_chart, module_paths
from .fonts import chart_fonts
from .item import ChartsItem
from .markdown import placeholder
from .render import FILES, RenderJob
from .sources import list_separator, load_sources, source_name, source_record

logger = logging.getLogger(__name__)
_SVG_ID = re.compile(r'\bid="([^"]+)"')
_SVG_REF = re.compile(r'(url\(#|href="#)([^)"]+)')

#: Files copied into each chart folder of the site: the site's kind -> the cache's kind.
SITE_FILES = {
    "svg": "download_svg",
    "png": "png",
    "csv": "csv",
    "vega_lite": "vega_lite",
    "vega": "vega",
    "vega_narrow": "vega_narrow",
}
#: Downloads named for what they are, ``<chart-id>.<lang>.<ext>`` (the specs keep
#: their names: the browser loads them, nobody saves them).
DOWNLOAD_EXTENSIONS = {"png": "png", "svg": "svg", "csv": "csv", "metadata": "metadata.json"}
#: The licence when the settings name none (``SITE_LICENSE``).
DEFAULT_LICENSE: dict[str, Any] = {
    "name": "CC BY 4.0",
    "title": {"en": "Creative Commons Attribution 4.0 International"},
    "url": {"en": "https://creativecommons.org/licenses/by/4.0/"},
}


def _(message: str) -> str:
    """Mark ``message`` as an interface string for ``make catalogs``; :func:`say` translates it."""
    return message


def say(settings: MutableMapping[str, Any], lang: str, message: str, **values: Any) -> str:
    """``message`` in ``lang`` from the theme's catalogs, with ``%(name)s`` filled from ``values``.

    A message the catalog lacks is a build problem, never an English fallback.
    """
    catalogs = load_catalogs(settings)
    text = catalogs.lookup(lang, message)
    if text is None:
        where = catalogs.po_paths.get(lang, "theme/translations")
        msg = f"no {lang} translation for {message!r}: run 'make catalogs' and translate it"
        problem_log(settings).add(ContentError(where, 0, msg))
        text = message
    return text % values if values else text


def _lang_setting(settings: Mapping[str, Any], name: str, lang: str, default: Any) -> Any:
    value = settings.get(name, {})
    return value.get(lang, default) if isinstance(value, Mapping) else default


def _in_lang(value: Any, lang: str, default_lang: str) -> str:
    if isinstance(value, Mapping):
        value = value.get(lang, value.get(default_lang, ""))
    return str(value or "")


def site_license(settings: Mapping[str, Any], lang: str) -> dict[str, str]:
    """The licence of the site's own text and charts in ``lang``: ``name``, ``title``, ``url``.

    From the setting ``SITE_LICENSE`` (texts may be given per language);
    CC BY 4.0 when it is not set.
    """
    value = settings.get("SITE_LICENSE") or DEFAULT_LICENSE
    default_lang = str(settings.get("DEFAULT_LANG", "en"))
    name = _in_lang(value.get("name"), lang, default_lang)
    return {
        "name": name,
        "title": _in_lang(value.get("title"), lang, default_lang) or name,
        "url": _in_lang(value.get("url"), lang, default_lang),
    }


def download_name(chart_id: str, lang_path: str, kind: str) -> str:
    """The file name of a download, e.g. ``h200-timeline.zh-tw.png``."""
    return f"{chart_id}.{lang_path}.{DOWNLOAD_EXTENSIONS[kind]}"


def site_files(chart_id: str, lang_path: str) -> dict[str, str]:
    """The file names of every file of a chart's folder, by kind."""
    names = {kind: download_name(chart_id, lang_path, kind) for kind in DOWNLOAD_EXTENSIONS}
    names["vega_lite"] = FILES["vega_lite"]
    names["vega"] = FILES["vega"]
    names["vega_narrow"] = FILES["vega_narrow"]
    return names


def reader_rows(definition: ChartDefinition, lang: str, registry: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The chart's rows in ``lang`` as a reader gets them: a ``source`` cell holds the
    source's name (``Central News Agency (CNA), 2026-01-08``), not its registry key."""
    rows = data_rows(definition.data_bytes, lang)
    for row in rows:
        key = row.get("source")
        if isinstance(key, str) and key.strip() in registry:
            row["source"] = source_name(registry[key.strip()], lang)
    return rows


def public_url(settings: Mapping[str, Any]) -> str:
    """The site's absolute address without a trailing slash (``PUBLIC_URL``)."""
    return str(settings.get("PUBLIC_URL", "")).rstrip("/")


def site_name(settings: Mapping[str, Any], lang: str) -> str:
    """The site's name in ``lang``."""
    return str(settings["SITE_LANGUAGES"][lang].get("sitename", settings.get("SITENAME", "")))


def credit_line(settings: MutableMapping[str, Any], definition: ChartDefinition, lang: str) -> str:
    """The credit a reuser prints under the chart, in ``lang``."""
    return say(
        settings,
        lang,
        _("Chart: “%(title)s”, %(site)s, %(url)s (%(licence)s)"),
        title=definition.title[lang],
        site=site_name(settings, lang),
        url=f"{public_url(settings)}/{chart_path(settings, definition.chart_id, lang)}",
        licence=site_license(settings, lang)["name"],
    )


def chart_path(settings: Mapping[str, Any], chart_id: str, lang: str) -> str:
    """The site path (no leading slash) of a chart's page, e.g. ``en/charts/h200-timeline/``."""
    lang_path = settings["SITE_LANGUAGES"][lang]["path"]
    pattern = str(settings.get("CHARTS_URL", "{lang_path}/charts/{id}/"))
    return pattern.format(lang_path=lang_path, id=chart_id)


def table_cell(value: Any, locale: str) -> str:
    """A data value as the table shows it: numbers grouped the way ``locale`` writes them."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(format_decimal(value, locale=locale))
    return str(value)


#: The colour schemes an embed takes from its host (``?theme=``), the default first.
EMBED_THEMES = ("light", "dark", "auto")


def embed_code(
    url: str, title: str, width: int, height: int, static: str, theme: str = EMBED_THEMES[0]
) -> str:
    """The ``<iframe>`` (and optional resize script) that embeds a chart in ``theme``.

    The default theme needs no parameter: the embed page is light unless asked.
    """
    src = url if theme == EMBED_THEMES[0] else f"{url}?theme={theme}"
    return (
        f'<iframe src="{src}" title="{escape(title)}" width="{width}" height="{height}" '
        f'style="width:100%;border:none" loading="lazy" referrerpolicy="strict-origin-when-cross-origin" '
        f'frameborder="0" scrolling="no" data-chart-embed></iframe>\n'
        f'<script src="{static}/js/chart-resize.js" async></script>'
    )


def relative_root(save_as: str) -> str:
    """The relative path from the folder of ``save_as`` back to the site root."""
    depth = save_as.strip("/").count("/")
    return "/".join([".."] * depth) if depth else "."


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
    names = list_separator(lang).join(source_name(registry[key], lang) for key in definition.sources)
    source_line = say(settings, lang, _("Source: %(sources)s"), sources=names)
    locale = _lang_setting(settings, "CHARTS_LOCALES", lang, {})
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
        rows=reader_rows(definition, lang, registry),
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
        for lang in settings["SITE_LANGUAGES"]
    ]
    # A chart that failed to load keeps its old renderings: fixing it renders nothing new.
    report = render_charts(jobs, settings, prepared.registry, prune_unused=not prepared.problems)
    prepared.problems.extend(report.problems)
    prepared.rendered = report.rendered
    prepared.fresh = report.fresh
    prepared.total = len(jobs)
    logger.info("charts: %d of %d renderings made, the rest from the cache", report.fresh, len(jobs))
    return prepared


class ChartsGenerator(Generator):
    """Loads and renders the charts, then writes their pages and files."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definitions: dict[str, ChartDefinition] = {}
        self.rendered: dict[tuple[str, str], Rendered] = {}
        self.views: dict[tuple[str, str], ChartView] = {}
        self.fresh_renders = 0

    def generate_context(self) -> None:
        """Load every chart module, check it, and render what the cache lacks."""
        log = problem_log(self.settings)
        prepared = prepare_charts(self.settings)
        log.extend(prepared.problems)
        self.definitions = prepared.definitions
        self.rendered = prepared.rendered
        self.fresh_renders = prepared.fresh
        for (chart_id, lang), rendered in self.rendered.items():
            self.views[(chart_id, lang)] = self._view(
                self.definitions[chart_id], lang, rendered, prepared.registry
            )
        self.context["charts"] = self.views
        # Every page's footer states the licence, in its language.
        self.context["site_licenses"] = {
            lang: site_license(self.settings, lang) for lang in self.settings["SITE_LANGUAGES"]
        }
        # The sources page lists every chart page under each source it cites.
        for definition in self.definitions.values():
            for lang in self.settings["SITE_LANGUAGES"]:
                register_chart(
                    self.context,
                    chart_id=definition.chart_id,
                    lang=lang,
                    url=chart_path(self.settings, definition.chart_id, lang),
                    title=definition.title[lang],
                    sources=definition.sources,
                    path=definition.shown_path,
                    line=definition.lines.get("SOURCES", 1),
                )

    def _view(
        self, definition: ChartDefinition, lang: str, rendered: Rendered, registry: Mapping[str, Any]
    ) -> ChartView:
        settings = self.settings
        public = public_url(settings)
        page_path = chart_path(settings, definition.chart_id, lang)
        with open(rendered.path("svg"), encoding="utf-8") as handle:
            svg = inline_svg(handle.read(), definition.chart_id)
        with open(rendered.path("png"), "rb") as handle:
            png_head = handle.read(24)
        with open(rendered.path("svg_narrow"), encoding="utf-8") as handle:
            svg_narrow = inline_svg(handle.read(), definition.chart_id, "narrow")
        columns = definition.table_columns()
        locale = str(settings["SITE_LANGUAGES"][lang].get("locale", "en"))
        rows = [
            [table_cell(row.get(c), locale) for c in columns]
            for row in reader_rows(definition, lang, registry)
        ]
        source_url = str(settings.get("CHARTS_SOURCE_URL", "{lang_path}/sources/#{key}"))
        lang_path = settings["SITE_LANGUAGES"][lang]["path"]
        sources = [
            {
                "key": key,
                "name": source_name(registry[key], lang),
                "path": source_url.format(lang_path=lang_path, key=key),
            }
            for key in definition.sources
        ]
        # The frame's height shows the whole chart without the resize script at any
        # width; its width is the chart's own plus the embed page's side padding.
        # The taller of the two layouts: a narrow frame shows the narrow one.
        chart_height = max(rendered.height, rendered.narrow_height)
        embed_height = int(chart_height + int(settings.get("CHARTS_EMBED_EXTRA_HEIGHT", 170)))
        embed_width = int(max(rendered.width + int(settings.get("CHARTS_EMBED_EXTRA_WIDTH", 24)), 320))
        static = str(settings.get("THEME_STATIC_DIR", "theme"))
        title = definition.title[lang]
        embed_themes = [
            (
                theme,
                embed_code(
                    f"{public}/{page_path}embed/",
                    title,
                    embed_width,
                    embed_height,
                    f"{public}/{static}",
                    theme,
                ),
            )
            for theme in EMBED_THEMES
        ]
        code = embed_themes[0][1]
        languages = list(settings["SITE_LANGUAGES"])
        files = site_files(definition.chart_id, lang_path)
        return ChartView(
            chart_id=definition.chart_id,
            lang=lang,
            title=title,
            description=definition.description[lang],
            notes=definition.notes.get(lang, ""),
            svg=svg,
            width=rendered.width,
            height=rendered.height,
            svg_narrow=svg_narrow,
            headers=[definition.labels[c][lang] for c in columns],
            rows=rows,
            sources=sources,
            separator=list_separator(lang),
            page_path=page_path,
            files=files,
            embed_code=code,
            embed_width=embed_width,
            embed_height=embed_height,
            embed_themes=embed_themes,
            og_image=f"{public}/{page_path}{files['png']}",
            image_width=int.from_bytes(png_head[16:20], "big"),
            image_height=int.from_bytes(png_head[20:24], "big"),
            oembed_url=f"{public}/{page_path}oembed.json",
            page_url=f"{public}/{page_path}",
            license=site_license(settings, lang),
            credits=[
                {
                    "lang": other,
                    "html": str(settings["SITE_LANGUAGES"][other].get("html", other)),
                    "name": str(settings["SITE_LANGUAGES"][other].get("name", other)),
                    "text": credit_line(settings, definition, other),
                }
                for other in languages
            ],
            source_records=[
                source_record(
                    registry[key], lang, lambda message, **values: say(settings, lang, message, **values)
                )
                for key in definition.sources
            ],
            sources_date=max(str(registry[key].get("date") or "") for key in definition.sources),
            alternates=[(other, chart_path(settings, definition.chart_id, other)) for other in languages],
            embed_alternates=[
                (other, chart_path(settings, definition.chart_id, other) + "embed/") for other in languages
            ],
        )

    def generate_output(self, writer: Any) -> None:
        """Write each chart's files, page, embed page and oEmbed JSON, in each language."""
        page = self.get_template("chart")
        embed = self.get_template("chart_embed")
        for (chart_id, lang), view in sorted(self.views.items()):
            rendered = self.rendered[(chart_id, lang)]
            folder = os.path.join(self.output_path, *view.page_path.strip("/").split("/"))
            os.makedirs(folder, exist_ok=True)
            for kind, cached in SITE_FILES.items():
                shutil.copyfile(rendered.path(cached), os.path.join(folder, view.files[kind]))
            common = {"relative_urls": self.settings["RELATIVE_URLS"], "lang": lang, "chart": view}
            writer.write_file(
                f"{view.page_path}index.html", page, self.context, alternates=view.alternates, **common
            )
            writer.write_file(
                f"{view.page_path}embed/index.html",
                embed,
                self.context,
                alternates=view.embed_alternates,
                **common,
            )
            for name, data in (
                ("oembed.json", self._oembed(view)),
                (view.files["metadata"], self._metadata(view)),
            ):
                with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
                    json.dump(data, handle, ensure_ascii=False, sort_keys=True, indent=1)
                    handle.write("\n")

    def _oembed(self, view: ChartView) -> dict[str, Any]:
        """The oEmbed 1.0 response (type ``rich``): the sizes are the embed code's."""
        return {
            "version": "1.0",
            "type": "rich",
            "title": view.title,
            "provider_name": site_name(self.settings, view.lang),
            "provider_url": public_url(self.settings) + "/",
            "html": view.embed_code,
            "width": view.embed_width,
            "height": view.embed_height,
            "thumbnail_url": view.og_image,
            "thumbnail_width": view.image_width,
            "thumbnail_height": view.image_height,
            "license": view.license["name"],
            "license_url": view.license["url"],
        }

    def _metadata(self, view: ChartView) -> dict[str, Any]:
        """What a reuser needs to know about the chart, beside its downloads (as Our World
        in Data offers): title, description, notes, sources with their full citation,
        licence and credit, the date, the chart page's address and the files."""
        folder = view.page_url
        dates = [brief["date"] for brief in view.appears_in if brief.get("date")]
        dates = dates or [view.sources_date]
        return {
            "title": view.title,
            "description": view.description,
            "notes": view.notes,
            "language": view.lang,
            "date": max(dates) if dates else "",
            "chart_page": view.page_url,
            "embed_page": f"{folder}embed/",
            "files": {kind: folder + view.files[kind] for kind in ("png", "svg", "csv")},
            "columns": view.headers,
            "sources": view.source_records,
            "license": view.license,
            "credit": next(c["text"] for c in view.credits if c["lang"] == view.lang),
            "publisher": {
                "name": site_name(self.settings, view.lang),
                "url": public_url(self.settings) + "/",
            },
        }


def place_figures(generators: list[Any]) -> None:
    """Put each placed chart's ``<figure>`` into its brief, and note where each chart appears.

    Connected to ``all_generators_finalized``: by then the briefs are read and
    the charts rendered.
    """
    charts = next((g for g in generators if isinstance(g, ChartsGenerator)), None)
    if charts is None:
        return
    figure = charts.get_template("partials/chart_figure")
    for item in all_content(generators):
        placed = (getattr(item, "metadata", {}).get("extracted") or {}).get("charts") or []
        if not placed:
            continue
        html = item._content
        views: list[ChartView] = []
        for entry in placed:
            view = charts.views.get((entry["id"], item.lang))
            if view is None:
                # The chart failed to load or render: that problem is already reported.
                continue
            root = relative_root(item.save_as or item.url or "index.html")
            # The page's language, for every interface string around the figure.
            html = html.replace(
                placeholder(entry["id"]).strip(),
                figure.render(chart=view, root=root, lang=item.lang, **_template_globals(charts)),
                1,
            )
            if getattr(item, "status", "published") == "published":
                day = getattr(item, "date", None)
                view.appears_in.append(
                    {"title": item.title, "path": item.url, "date": day.date().isoformat() if day else ""}
                )
            views.append(view)
        item._content = html
        record = item_data(item, ChartsItem)
        record.charts = views
        record.og_image = views[0].og_image if views else None
    for view in charts.views.values():
        view.appears_in.sort(key=lambda brief: brief["path"])


def _template_globals(generator: Generator) -> dict[str, Any]:
    return {
        "THEME_STATIC_DIR": generator.settings.get("THEME_STATIC_DIR", "theme"),
        "SITE_LANGUAGES": generator.settings.get("SITE_LANGUAGES", {}),
    }
