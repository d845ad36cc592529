"""One chart rendering's job and files: plain, picklable data a render worker gets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: Files of one rendered chart, as written in its cache folders and the site.
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
    #: where the files that carry the site's address go (the framed SVG and the
    #: PNG); ``target`` holds the rest, which does not depend on the address
    framed_target: str = ""


def font_family(font: str | None) -> str:
    """The CSS font family chart text is set in: the language's font, then any sans-serif.

    The same string goes into the Vega-Lite config, the framed SVG and the
    measurer, and the cut-font check compares the images' families with it.
    """
    return f"'{font}', sans-serif" if font else "sans-serif"


#: The files that carry the site's name and address (``RenderJob.credit_lines``, ``png_text``).
FRAMED = ("download_svg", "png")


def attr(tag: str, name: str) -> str | None:
    marker = f' {name}="'
    start = tag.find(marker)
    if start < 0:
        return None
    start += len(marker)
    return tag[start : tag.find('"', start)]


#: What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection").
