"""Load, check and render every chart of a site: the build-time work on charts, without Pelican.

:func:`prepare_charts` is what the charts generator calls when the build
reads its content; a benchmark or a check can call it alone.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import marshal
import os
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from strictbuild import ContentError, site_of
from strictbuild.kept import KeptValues
from strictbuild.reuse import code_digest
from strictbuild.state import current_state

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
    kept = KeptValues.open(settings, KEPT_FILE) if current_state() is not None else None
    base = _base_digest(settings, prepared.registry) if kept is not None else b""
    for path in paths:
        definition, problems = _load(path, settings, prepared.registry, kept, base)
        prepared.problems.extend(problems)
        if definition is not None:
            prepared.definitions[definition.chart_id] = definition
    if kept is not None:
        kept.save()
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


#: The chart definitions found sound by the last build, by a digest of what
#: each was loaded from (a :class:`strictbuild.kept.KeptValues` file).
KEPT_FILE = "chart-definitions"
_FIELDS = tuple(item.name for item in dataclasses.fields(ChartDefinition))


def _base_digest(settings: Mapping[str, Any], registry: Mapping[str, Any]) -> bytes:
    """What every chart's loading reads besides its module and data: code, settings, the registry."""
    digest = hashlib.blake2b(b"chart definition 1\0" + code_digest(settings), digest_size=20)
    digest.update(json.dumps(registry, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8"))
    return digest.digest()


def _load(
    path: str,
    settings: MutableMapping[str, Any],
    registry: Mapping[str, Any],
    kept: KeptValues | None,
    base: bytes,
) -> tuple[ChartDefinition | None, list[ContentError]]:
    """:func:`load_chart`, or the definition the last build loaded from the same module and data.

    Loading a chart runs its module, parses it twice and checks its data
    (about 1.5 ms a chart). A definition found sound is kept under a digest
    of the module's path and bytes, the code, settings and source registry
    (:func:`_base_digest`), and taken back while its data file still holds
    the bytes it was loaded with: the same assumption the chart cache makes,
    which renders a chart again only when its module or data changed. Under
    ``STRICTBUILD_VERIFY_REUSE`` every chart is loaded, and a kept
    definition that differs stops the build.
    """
    if kept is None:
        return load_chart(path, settings, registry)
    absolute = os.path.abspath(path)
    try:
        with open(absolute, "rb") as handle:
            code = handle.read()
    except OSError:
        return load_chart(path, settings, registry)  # which reports it
    digest = hashlib.blake2b(base, digest_size=20)
    encoded = absolute.encode("utf-8", "surrogateescape")
    digest.update(b"%d:" % len(encoded) + encoded + code)
    key = digest.digest()
    data = kept.get(key)
    found = _decoded(data) if data is not None else None
    if found is not None and not _same_data(found):
        found = None  # its data changed: load it again
    if found is not None and not kept.verify:
        return found, []
    since = kept.mark()
    definition, problems = load_chart(path, settings, registry)
    if found is not None and (problems or definition != found):
        kept.drop(key)
        message = (
            "internal error: this chart was kept as the previous build loaded it, but loading it "
            "again gives another definition: the digest misses something the loading reads"
        )
        return definition, [*problems, ContentError(found.shown_path, 1, message)]
    if definition is not None and not problems and definition.source_code == code:
        kept.put(key, marshal.dumps(tuple(getattr(definition, name) for name in _FIELDS)), since)
    return definition, problems


def _decoded(data: bytes) -> ChartDefinition | None:
    """A kept definition; None if the entry cannot be read as one."""
    try:
        values = marshal.loads(data)  # noqa: S302 (the build's own cache)
        if not isinstance(values, tuple) or len(values) != len(_FIELDS):
            return None
        definition = ChartDefinition(**dict(zip(_FIELDS, values, strict=True)))
    except (EOFError, ValueError, TypeError):
        return None
    plain = (str, bytes, list, dict)
    if not all(isinstance(getattr(definition, name), plain) for name in _FIELDS):
        return None
    return definition


def _same_data(definition: ChartDefinition) -> bool:
    """Whether the definition's data file still holds the bytes it was loaded with."""
    try:
        with open(definition.data_path, "rb") as handle:
            return handle.read() == definition.data_bytes
    except OSError:
        return False


__all__ = ["KEPT_FILE", "PreparedCharts", "prepare_charts", "render_job"]
