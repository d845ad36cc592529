"""A chart module's Vega-Lite spec: run, checked against its data, styled for the site."""

from __future__ import annotations

import functools
import html
import os
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from strictbuild import ContentError

from .api import FONT_SIZE, LAYOUTS, ChartContext, estimate_width
from .catalog import describe_exception, error_line, run_module
from .job import RenderJob, font_family


def _fields(node: Any) -> Iterator[str]:
    """Every ``field`` named in a spec's encodings."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "encoding" and isinstance(value, Mapping):
                for channel in value.values():
                    for item in channel if isinstance(channel, list) else [channel]:
                        if isinstance(item, Mapping) and isinstance(item.get("field"), str):
                            yield item["field"]
            yield from _fields(value)
    elif isinstance(node, list):
        for item in node:
            yield from _fields(item)


def _derived(node: Any) -> Iterator[str]:
    """Every field a transform creates (``as``), which the data need not have."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "as":
                yield from ([value] if isinstance(value, str) else [v for v in value if isinstance(v, str)])
            yield from _derived(value)
    elif isinstance(node, list):
        for item in node:
            yield from _derived(item)


def _inline_columns(node: Any) -> Iterator[str]:
    """Every column of the inline data in a spec, such as one a module added with ``ctx.data_with``."""
    if isinstance(node, Mapping):
        data = node.get("data")
        tables = [data.get("values")] if isinstance(data, Mapping) else []
        if isinstance(node.get("datasets"), Mapping):
            tables.extend(node["datasets"].values())  # where Altair moves inline data
        for table in tables:
            for row in table if isinstance(table, list) else []:
                if isinstance(row, Mapping):
                    yield from (str(key) for key in row)
        for value in node.values():
            yield from _inline_columns(value)
    elif isinstance(node, list):
        for item in node:
            yield from _inline_columns(item)


class BeyondFonts(Exception):
    """A chart's text goes beyond what this worker's cut faces were cut for (see :mod:`charts.subsets`)."""


#: In a worker drawing with cut faces: the characters they were cut for and
#: the one font family its images may name (None: the system's whole fonts).
_limits: tuple[frozenset[str], str] | None = None

_FAMILY = re.compile(r'font-family(?:="|:\s*)([^";]*)')


def limit_text(chars: frozenset[str] | None, font: str | None = None) -> None:
    """Draw only text of ``chars`` in ``font`` in this process (None: any text, the whole fonts)."""
    global _limits
    _limits = None if chars is None else (chars, font_family(font))


def within_fonts(*texts: str) -> None:
    """Raise :class:`BeyondFonts` unless every character and font family of ``texts`` is allowed."""
    if _limits is None:
        return
    chars, family = _limits
    for text in texts:
        plain = html.unescape(text)
        if not chars.issuperset(plain) or any(name != family for name in _FAMILY.findall(plain)):
            raise BeyondFonts


def vega_lite_spec(
    job: RenderJob, layout: str = "wide", measure: Callable[[str, float, bool], float] = estimate_width
) -> dict[str, Any]:
    """Run the module's ``chart(ctx)`` for ``layout`` and return its validated Vega-Lite spec.

    Raises :class:`ContentError` for a module that raises, a spec Altair finds
    invalid, or an encoding of a column the data does not have.
    """
    import altair as alt
    from altair.utils.schemapi import SchemaValidationError

    try:
        module = run_module(job.module_path)
        ctx = ChartContext(
            job.chart_id, job.lang, job.rows, job.labels, tuple(job.columns), layout=layout, measure=measure
        )
        chart = module.chart(ctx)
    except BeyondFonts:
        raise
    except Exception as error:
        line = error_line(error, os.path.abspath(job.module_path))
        if isinstance(error, SchemaValidationError):
            # Altair checks many properties as the chart is built, not only in to_dict().
            first = " ".join(str(error).split())[:400]
            msg = f"the chart's Vega-Lite spec is invalid ({job.lang}): {first}"
            raise ContentError(job.shown_path, line, msg) from None
        msg = f"chart(ctx) raised {describe_exception(error)} ({job.lang})"
        raise ContentError(job.shown_path, line, msg) from None
    if not isinstance(chart, alt.TopLevelMixin):
        msg = f"chart(ctx) must return an Altair chart, got {type(chart).__name__}"
        raise ContentError(job.shown_path, job.line, msg)
    try:
        spec: dict[str, Any] = chart.to_dict(validate=True)
    except Exception as error:
        first = " ".join(str(error).split())[:400]
        msg = f"the chart's Vega-Lite spec is invalid ({job.lang}): {first}"
        raise ContentError(job.shown_path, job.line, msg) from None
    known = set(job.columns) | set(_derived(spec)) | set(_inline_columns(spec))
    for name in sorted(set(_fields(spec))):
        if name not in known and "." not in name and "[" not in name:
            have = ", ".join(job.columns)
            msg = f"the chart encodes column {name!r}, which its data does not have (columns: {have})"
            raise ContentError(job.shown_path, job.line, msg)
    return spec


READABLE_TEXT: dict[str, dict[str, Any]] = {
    "axis": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE, "labelLimit": 0, "titleLimit": 0},
    "legend": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE, "labelLimit": 0, "titleLimit": 0},
    "header": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE},
    "title": {"fontSize": FONT_SIZE + 1, "limit": 0},
    # Labels are wrapped by the module (ChartContext.wrap), never cut with an ellipsis.
    "text": {"fontSize": FONT_SIZE, "lineBreak": "\n", "limit": 0},
}

#: Category colours at least 3:1 against both the light (#ffffff) and the
#: dark (#111418) chart background, so marks stay visible in either scheme.
CATEGORY_COLOURS = ["#4c78a8", "#c9620c", "#3c8d5a", "#e45756", "#7a6fd0", "#9d755d", "#c05a9c", "#2f7d8c"]

_CONCAT = ("hconcat", "vconcat", "concat", "facet", "repeat")


_PIECES = re.compile(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+")


@functools.lru_cache(maxsize=8)
def measurer(font: str) -> Callable[[str, float, bool], float]:
    """Width (px) of a line of text in ``font``, as vl-convert lays it out in the static SVG.

    Text is measured word by word (each word once, rounded up by vl-convert),
    so a line's width is never underestimated, however often a label is
    re-wrapped; one measurer per font serves every chart a process renders.
    """
    import vl_convert

    widths: dict[tuple[str, float, bool], float] = {}

    def word(text: str, size: float, bold: bool) -> float:
        if (text, size, bold) not in widths:
            within_fonts(text)  # text measured may never be drawn: checked here too
            spec = {
                "width": 0,
                "height": 0,
                "padding": 0,
                "autosize": "pad",
                "marks": [
                    {
                        "type": "text",
                        "encode": {
                            "enter": {
                                "text": {"value": text},
                                "font": {"value": font},
                                "fontSize": {"value": size},
                                "fontWeight": {"value": "bold" if bold else "normal"},
                                "align": {"value": "left"},
                            }
                        },
                    }
                ],
            }
            widths[(text, size, bold)] = float(vl_convert.vega_to_scenegraph(spec)["width"])
        return widths[(text, size, bold)]

    def measure(text: str, size: float, bold: bool = False) -> float:
        # Each word and each Chinese character alone (so that each is measured
        # once for all labels), then the spaces: "x x" less "xx", at 100 px
        # for precision (a run of spaces collapses in SVG).
        space = (word("x x", 100, bold) - word("xx", 100, bold)) * size / 100
        pieces = _PIECES.findall(text)
        return sum(word(piece, size, bold) for piece in pieces) + space * text.count(" ")

    return measure


def styled(spec: dict[str, Any], job: RenderJob, layout: str) -> dict[str, Any]:
    """The module's spec with the site's chart style: font, text sizes, colours, fitted width.

    A module can still set its own values: only what it leaves unset is filled in.
    """
    config = spec.setdefault("config", {})
    config.setdefault("font", font_family(job.font))
    # Vega-Lite's default 10-11 px text is too small to read in an article
    # column, on a phone above all.
    for part, sizes in READABLE_TEXT.items():
        config.setdefault(part, {}).update({k: v for k, v in sizes.items() if k not in config[part]})
    config.setdefault("range", {}).setdefault("category", CATEGORY_COLOURS)
    # The page paints the background (light or dark); the PNG frame paints white.
    spec["background"] = "transparent"
    if not any(key in spec for key in _CONCAT):
        # One view: its width is the whole chart's, axes and legend included.
        spec.setdefault("width", LAYOUTS[layout])
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return spec
