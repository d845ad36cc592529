"""Render one chart in one language (step 2 of 3: load, render, pages).

Runs in a worker process: it gets a :class:`RenderJob` (plain, picklable
data), runs the chart module, validates the Vega-Lite spec with Altair,
compiles it to Vega, draws the static SVG and the 2× PNG with vl-convert and
writes the data CSV. The PNG and the downloadable SVG carry their own
attribution (title, source line, the site's name and address, the licence),
so a copy that leaves the site still says where it came from. The files land
in the job's cache folder, atomically.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import shutil
import struct
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from strictbuild import ContentError

from .api import FONT_SIZE, LAYOUTS, ChartContext, estimate_width
from .catalog import describe_exception, error_line, run_module

#: Files of one rendered chart, as written in its cache folder and the site.
FILES = {
    "vega_lite": "chart.vl.json",
    "vega": "chart.vg.json",
    "svg": "chart.svg",
    "download_svg": "download.svg",
    "vega_narrow": "chart.narrow.vg.json",
    "svg_narrow": "chart.narrow.svg",
    "png": "chart.png",
    "csv": "data.csv",
    "meta": "meta.json",
}


@dataclass(frozen=True)
class RenderJob:
    """Everything needed to render one chart in one language."""

    chart_id: str
    lang: str
    module_path: str
    shown_path: str
    rows: Sequence[Mapping[str, Any]]
    labels: Mapping[str, Mapping[str, str]]
    columns: Sequence[str]
    table_columns: Sequence[str]
    title: str
    source_line: str
    format_locale: str
    time_format_locale: str
    font: str | None
    target: str
    png_scale: float = 2.0
    line: int = 1
    #: lines printed under the source line of the PNG and the downloadable SVG
    #: (the site's name and the chart's address, the licence)
    credit_lines: Sequence[str] = ()
    #: (keyword, text) pairs written into the PNG as iTXt chunks, e.g. ("Title", ...)
    png_text: Sequence[tuple[str, str]] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)


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


def _text_width(text: str, size: float) -> float:
    """A rough width of a line of text: full-width characters 1 em, others 0.56 em."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.56 for ch in text)


def wrap(text: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (words in English, characters in Chinese)."""
    lines: list[str] = []
    current = ""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ord(ch) > 0x2E80:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        elif ch == " ":
            tokens.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        tokens.append(word)
    for token in tokens:
        if current and _text_width((current + token).rstrip(), size) > width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current += token
    if current.strip():
        lines.append(current.rstrip())
    return lines or [""]


def framed_svg(svg: str, job: RenderJob) -> str:
    """The chart SVG framed for downloading: the title above; the source line, the
    site's name and address and the licence below (the PNG is drawn from it too)."""
    head, _, _ = svg.partition(">")
    width = float(_attr(head, "width") or 600)
    height = float(_attr(head, "height") or 400)
    pad = 16.0
    frame_width = max(width + 2 * pad, 360.0)
    font = f"'{job.font}', sans-serif" if job.font else "sans-serif"
    title_lines = wrap(job.title, 18, frame_width - 2 * pad)
    foot_lines = [
        (line, size, colour)
        for text, size, colour in [(job.source_line, 12, "#555555")]
        + [(credit, 11, "#555555") for credit in job.credit_lines]
        for line in wrap(text, size, frame_width - 2 * pad)
    ]
    top = pad + 24 * len(title_lines) + 8
    bottom = 12 + sum(size + 5 for _, size, _ in foot_lines) + pad
    total = top + height + bottom
    family = xml_escape(font)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{frame_width:g}" height="{total:g}" '
        f'viewBox="0 0 {frame_width:g} {total:g}" role="img" aria-labelledby="chart-title">',
        f'<title id="chart-title">{xml_escape(job.title)}</title>',
        f'<rect width="{frame_width:g}" height="{total:g}" fill="#ffffff"/>',
    ]
    for i, line in enumerate(title_lines):
        parts.append(
            f'<text x="{pad:g}" y="{pad + 18 + 24 * i:g}" font-family="{family}" font-size="18" '
            f'font-weight="bold" fill="#1a1a1a">{xml_escape(line)}</text>'
        )
    # The chart's own ARIA labels are Vega's, in English ("text mark", "X-axis titled"):
    # the image is announced by its title instead, in the chart's language.
    inner = svg.replace("<svg ", f'<svg x="{(frame_width - width) / 2:g}" y="{top:g}" aria-hidden="true" ', 1)
    parts.append(inner)
    y = top + height + 12
    for line, size, colour in foot_lines:
        y += size + 5
        parts.append(
            f'<text x="{pad:g}" y="{y - 4:g}" font-family="{family}" '
            f'font-size="{size}" fill="{colour}">{xml_escape(line)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def png_with_text(png: bytes, entries: Sequence[tuple[str, str]], lang: str) -> bytes:
    """``png`` with an iTXt chunk (UTF-8 text, PNG spec 11.3.4.5) per ``(keyword, text)``,
    placed right after the header so that every reader of PNG metadata finds them."""
    signature, rest = png[:8], png[8:]
    (length,) = struct.unpack(">I", rest[:4])
    header_end = 8 + 4 + 4 + length + 4  # signature; length, type, data, CRC
    chunks = []
    for keyword, text in entries:
        data = (
            keyword.encode("latin-1")
            + b"\0\0\0"  # keyword end, not compressed, compression method 0
            + lang.encode("ascii")
            + b"\0\0"  # language tag end, no translated keyword
            + text.encode("utf-8")
        )
        body = b"iTXt" + data
        chunks.append(struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body)))
    return signature + rest[: header_end - 8] + b"".join(chunks) + rest[header_end - 8 :]


def _attr(tag: str, name: str) -> str | None:
    marker = f' {name}="'
    start = tag.find(marker)
    if start < 0:
        return None
    start += len(marker)
    return tag[start : tag.find('"', start)]


#: What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A data value as a CSV cell that a spreadsheet shows and never runs.

    Text that starts like a formula gets a leading ``'``, which spreadsheets
    read as "this is text"; numbers (negative ones too) stay numbers.
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def data_csv(job: RenderJob) -> str:
    """The data as CSV in the job's language: labelled columns only, headers translated.

    It starts with a byte-order mark, without which Excel reads UTF-8 as the
    machine's legacy code page and garbles the Chinese.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell(job.labels[c][job.lang]) for c in job.table_columns])
    for row in job.rows:
        writer.writerow([csv_cell(row.get(c)) for c in job.table_columns])
    return "\ufeff" + out.getvalue()


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
    config.setdefault("font", f"'{job.font}', sans-serif" if job.font else "sans-serif")
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


def render(job: RenderJob) -> list[ContentError]:
    """Render ``job`` into ``job.target``; return the problems found (none on success)."""
    # vl-convert lays dates out in the process's local time zone; pin UTC
    # before its runtime starts so the machine's TZ never reaches the output.
    if os.environ.get("TZ") != "UTC":
        os.environ["TZ"] = "UTC"
        time.tzset()
    import vl_convert

    # Locale names come from settings; vl-convert's stubs only accept literals.
    vlc: Any = vl_convert
    measure = measurer(f"'{job.font}', sans-serif" if job.font else "sans-serif")
    specs: dict[str, dict[str, Any]] = {}
    vegas: dict[str, dict[str, Any]] = {}
    svgs: dict[str, str] = {}
    try:
        for layout in LAYOUTS:
            specs[layout] = styled(vega_lite_spec(job, layout, measure), job, layout)
    except ContentError as problem:
        return [problem]
    try:
        for layout, spec in specs.items():
            vegas[layout] = vlc.vegalite_to_vega(spec)
            svgs[layout] = vlc.vega_to_svg(
                vegas[layout], format_locale=job.format_locale, time_format_locale=job.time_format_locale
            )
        framed = framed_svg(svgs["wide"], job)
        png = png_with_text(vlc.svg_to_png(framed, scale=job.png_scale), job.png_text, job.lang)
    except Exception as error:
        msg = f"the chart could not be drawn ({job.lang}): {describe_exception(error)[:400]}"
        return [ContentError(job.shown_path, job.line, msg)]
    # The browser gets the same number and date formats as the static SVG.
    for vega in vegas.values():
        vega.setdefault("config", {})["locale"] = {
            "number": vlc.get_format_locale(job.format_locale),
            "time": vlc.get_time_format_locale(job.time_format_locale),
        }
    meta: dict[str, float] = {}
    for layout, svg in svgs.items():
        head = svg.partition(">")[0]
        suffix = "" if layout == "wide" else f"_{layout}"
        meta[f"width{suffix}"] = float(_attr(head, "width") or 0)
        meta[f"height{suffix}"] = float(_attr(head, "height") or 0)
    os.makedirs(os.path.dirname(job.target), exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".tmp-", dir=os.path.dirname(job.target))
    try:
        outputs: dict[str, str | bytes] = {
            "vega_lite": json.dumps(specs["wide"], ensure_ascii=False, sort_keys=True, indent=1) + "\n",
            "vega": json.dumps(vegas["wide"], ensure_ascii=False, sort_keys=True, separators=(",", ":")),
            "svg": svgs["wide"],
            "download_svg": framed,
            "vega_narrow": json.dumps(
                vegas["narrow"], ensure_ascii=False, sort_keys=True, separators=(",", ":")
            ),
            "svg_narrow": svgs["narrow"],
            "png": png,
            "csv": data_csv(job),
            "meta": json.dumps(meta, sort_keys=True),
        }
        for kind, content in outputs.items():
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            with open(os.path.join(staging, FILES[kind]), "wb") as handle:
                handle.write(data)
        if os.path.isdir(job.target):
            shutil.rmtree(staging)
        else:
            os.replace(staging, job.target)
    finally:
        if os.path.isdir(staging):
            shutil.rmtree(staging, ignore_errors=True)
    return []
