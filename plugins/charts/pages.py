"""Charts in the site (step 3 of 3: load, render, pages).

:class:`ChartsGenerator` loads and renders every chart while Pelican reads
the content (:mod:`.prepare`), makes what the templates show of each
(:mod:`.views`), gives the Markdown render pass each chart's ``<figure>``
(:func:`chart_figures`), and writes per chart and language: its page, its
bare embed page, its files (SVG, PNG, CSV, Vega-Lite and Vega specs), a
metadata JSON and a static oEmbed JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import zlib
from collections.abc import Callable
from typing import Any

from pelican.generators import Generator

from citations import register_chart
from markdown_reader import SiteFunction, document_of
from markdown_reader.address import Address
from strictbuild import ContentError, all_content, forked, problem_log, site_of
from strictbuild.itemdata import item_data
from strictbuild.kept import KeptValues
from strictbuild.reuse import (
    CannotDigest,
    code_digest,
    copy_file,
    digest_of,
    shown_through_records,
    write_page,
)

from .cache import Rendered
from .catalog import ChartDefinition
from .item import ChartsItem
from .prepare import PreparedCharts, prepare_charts
from .views import ChartView, chart_view, inline_svg, table_cell
from .words import SITE_FILES, chart_path, public_url, relative_root, site_license, site_name


class ChartsGenerator(Generator):
    """Loads and renders the charts, then writes their pages and files."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definitions: dict[str, ChartDefinition] = {}
        self.rendered: dict[tuple[str, str], Rendered] = {}
        self.views: dict[tuple[str, str], ChartView] = {}
        self.fresh_renders = 0
        #: True once a forked child writes this build's pages (strictbuild.forked.write_beside)
        self.forked = False

    def generate_context(self) -> None:
        """Load every chart module, check it, and render what the cache lacks."""
        log = problem_log(self.settings)
        prepared = prepare_charts(self.settings)
        log.extend(prepared.problems)
        self.definitions = prepared.definitions
        self.rendered = prepared.rendered
        self.fresh_renders = prepared.fresh
        self._make_views(prepared)
        # What a page shows of a chart is in its ChartView, which reaches a page
        # only as a record (a brief placing it) or a value (its own pages): a
        # chart's data or module changed renders only those pages again.
        shown_through_records(
            path
            for definition in self.definitions.values()
            for path in (definition.module_path, definition.data_path)
        )
        # Every page's footer states the licence, in its language.
        self.context["site_licenses"] = {
            lang: site_license(self.settings, lang) for lang in site_of(self.settings).codes
        }
        # The sources page lists every chart page under each source it cites.
        for definition in self.definitions.values():
            for lang in site_of(self.settings).codes:
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
        # The chart pages read the views, the context and the records of the
        # briefs placing each chart (made once the briefs are read), and
        # nothing another generator writes: a forked child writes them.
        forked.write_beside("the chart pages", self)

    def _make_views(self, prepared: PreparedCharts) -> None:
        """Each chart's view in each language: kept from the build before when made from the same inputs.

        A view is made from the chart's module and data, its renderings (whose
        folders are named by a digest of their inputs, the site's address
        included), the sources registry, and the code, settings and theme
        (:func:`strictbuild.reuse.code_digest`), all in the digest it is kept
        under (:class:`strictbuild.kept.KeptValues`, ``CACHE_PATH/chart-views``).
        """
        embed = self.get_template("partials/chart_embed_code")
        kept = KeptValues.open(self.settings, VIEWS_FILE)
        base = b""
        if kept is not None:
            try:
                base = digest_of([VIEWS_FORMAT, code_digest(self.settings), prepared.registry])
            except CannotDigest:
                kept = None
        log = problem_log(self.settings)
        for (chart_id, lang), rendered in self.rendered.items():
            definition = self.definitions[chart_id]

            def make(definition: Any = definition, lang: str = lang, rendered: Any = rendered) -> ChartView:
                return chart_view(self.settings, definition, lang, rendered, prepared.registry, embed)

            def differs(definition: Any = definition, lang: str = lang) -> None:
                message = (
                    f"internal error: the {lang} view of chart {definition.chart_id!r} was kept from the "
                    "previous build, but making it again gives another: its digest misses something it reads"
                )
                log.add(ContentError(definition.shown_path, 1, message))

            if kept is None:
                self.views[(chart_id, lang)] = make()
            else:
                self.views[(chart_id, lang)] = kept.take_back_or_make(
                    _view_key(base, definition, rendered),
                    make,
                    encode=_pack_view,
                    decode=_kept_view,
                    differs=differs,
                )
        if kept is not None:
            kept.save()

    def generate_output(self, writer: Any) -> None:
        """Write the chart pages and files, unless a forked child has them in hand."""
        if not self.forked:
            self.write_pages(writer)

    def page_names(self) -> list[str]:
        """Each chart's page and embed page, in each language, relative to the output folder."""
        names = []
        for view in self.views.values():
            folder = view.page_path.strip("/")
            names.extend([f"{folder}/index.html", f"{folder}/embed/index.html"])
        return names

    def write_pages(self, writer: Any) -> None:
        """Write each chart's files, page, embed page and oEmbed JSON, in each language."""
        page = self.get_template("chart")
        embed = self.get_template("chart_embed")
        for (chart_id, lang), view in sorted(self.views.items()):
            rendered = self.rendered[(chart_id, lang)]
            folder = os.path.join(self.output_path, *view.page_path.strip("/").split("/"))
            os.makedirs(folder, exist_ok=True)
            for kind, cached in SITE_FILES.items():
                copy_file(writer, view.page_path.strip("/") + "/" + view.files[kind], rendered.path(cached))
            common = {"relative_urls": self.settings["RELATIVE_URLS"], "lang": lang, "chart": view}
            write_page(
                writer,
                f"{view.page_path}index.html",
                page,
                self.context,
                alternates=view.alternates,
                **common,
            )
            write_page(
                writer,
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


def chart_figures(generators: list[Any]) -> Callable[[Any], dict[str, Any]] | None:
    """For the chart block's render rule: each file's ``chart_figure`` in its language.

    Connected to :data:`markdown_reader.site_known`: by then the charts are rendered.
    """
    charts = next((g for g in generators if isinstance(g, ChartsGenerator)), None)
    if charts is None:
        return None
    figure = charts.get_template("partials/chart_figure")
    template_globals = _template_globals(charts)

    def env_for(item: Any) -> dict[str, Any]:
        root = relative_root(item.save_as or item.url or "index.html")
        document = document_of(item)
        placed = ((document.env if document is not None else {}).get("extracted") or {}).get("charts") or []
        # What the figures read: the views of the charts the file places, the
        # page's place and language, the template's globals (the template
        # itself is in the render cache's code digest).
        reads = [
            item.lang,
            root,
            template_globals,
            [charts.views.get((entry["id"], item.lang)) for entry in placed],
        ]

        def chart_figure(chart_id: str, address: Address) -> str | None:
            view = charts.views.get((chart_id, item.lang))
            if view is None:
                # The chart failed to load or render: that problem is already reported.
                return None
            # The page's language, for every interface string around the figure.
            return str(
                figure.render(
                    chart=view,
                    root=address.url(root),
                    id_prefix=address.prefix,
                    lang=item.lang,
                    **template_globals,
                )
            )

        return {"chart_figure": SiteFunction(chart_figure, reads)}

    return env_for


def place_figures(generators: list[Any]) -> None:
    """Note the charts each brief shows, and where each chart appears.

    Connected to ``all_generators_finalized``: by then the briefs are read and
    the charts rendered.
    """
    charts = next((g for g in generators if isinstance(g, ChartsGenerator)), None)
    if charts is None:
        return
    for item in all_content(generators):
        placed = (getattr(item, "metadata", {}).get("extracted") or {}).get("charts") or []
        if not placed:
            continue
        views: list[ChartView] = []
        for entry in placed:
            view = charts.views.get((entry["id"], item.lang))
            if view is None:
                continue
            if getattr(item, "status", "published") == "published":
                day = getattr(item, "date", None)
                view.appears_in.append(
                    {"title": item.title, "path": item.url, "date": day.date().isoformat() if day else ""}
                )
            views.append(view)
        record = item_data(item, ChartsItem)
        record.charts = views
        record.og_image = views[0].og_image if views else None
    for view in charts.views.values():
        view.appears_in.sort(key=lambda brief: brief["path"])


#: The file, in ``CACHE_PATH``, holding the last build's chart views.
VIEWS_FILE = "chart-views"
VIEWS_FORMAT = "charts views 1"


def _view_key(base: bytes, definition: ChartDefinition, rendered: Rendered) -> bytes:
    """The digest a view is kept under: ``base`` (code, settings, registry), the chart and its renderings."""
    digest = hashlib.blake2b(base, digest_size=20)
    digest.update(hashlib.blake2b(definition.source_code, digest_size=20).digest())
    digest.update(hashlib.blake2b(definition.data_bytes, digest_size=20).digest())
    digest.update(digest_of(rendered))
    return digest.digest()


def _pack_view(view: ChartView) -> bytes:
    return zlib.compress(pickle.dumps(view, protocol=pickle.HIGHEST_PROTOCOL), 1)


def _kept_view(data: bytes) -> ChartView | None:
    """A view as kept, or None if it cannot be read (it is then made again)."""
    try:
        view = pickle.loads(zlib.decompress(data))  # noqa: S301 (the build's own cache)
    except Exception:  # a damaged entry fails in many ways; it is made again
        return None
    return view if isinstance(view, ChartView) else None


def _template_globals(generator: Generator) -> dict[str, Any]:
    return {
        "THEME_STATIC_DIR": generator.settings.get("THEME_STATIC_DIR", "theme"),
        "SITE": site_of(generator.settings),
    }


__all__ = [
    "ChartView",
    "ChartsGenerator",
    "PreparedCharts",
    "chart_figures",
    "chart_path",
    "inline_svg",
    "place_figures",
    "prepare_charts",
    "relative_root",
    "table_cell",
]
