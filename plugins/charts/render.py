"""Render one chart in one language (step 2 of 3: load, render, pages).

Runs in a worker process: it gets a :class:`RenderJob` (plain, picklable
data), runs the chart module, validates the Vega-Lite spec with Altair,
compiles it to Vega, draws the static SVG with vl-convert and writes the data
CSV into ``job.target``; then frames the wide SVG with the title and the
attribution (the site's name and the chart's address among them) and draws
the 2× PNG from it into ``job.framed_target``. The two folders are keyed
apart (see :mod:`charts.cache`): another site address draws only the
framed files again. Each folder lands atomically.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping
from typing import Any

from strictbuild import ContentError

from .api import LAYOUTS
from .catalog import describe_exception
from .frame import csv_cell, data_csv, framed_svg, png_with_text, wrap
from .job import FILES, FRAMED, RenderJob, attr, font_family
from .spec import (
    CATEGORY_COLOURS,
    READABLE_TEXT,
    BeyondFonts,
    limit_text,
    measurer,
    styled,
    vega_lite_spec,
    within_fonts,
)

__all__ = [
    "CATEGORY_COLOURS",
    "FILES",
    "FRAMED",
    "READABLE_TEXT",
    "BeyondFonts",
    "RenderJob",
    "csv_cell",
    "data_csv",
    "framed_svg",
    "limit_text",
    "measurer",
    "png_with_text",
    "render",
    "styled",
    "utc",
    "vega_lite_spec",
    "wrap",
]


@contextlib.contextmanager
def utc() -> Iterator[None]:
    """Run the block in UTC, then give the process its own time zone back.

    vl-convert lays dates out in the process's local time zone; a render
    worker sets UTC for good when it starts (``start_worker``), and a render
    in the build process itself sets it only for the render, so the
    machine's TZ never reaches the output nor the caller's environment.
    """
    before = os.environ.get("TZ")
    if before == "UTC":
        yield
        return
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def start_worker() -> None:
    """Initialise a render worker process: UTC for every render it makes."""
    os.environ["TZ"] = "UTC"
    time.tzset()


def render(job: RenderJob) -> list[ContentError]:
    """Render ``job`` into its cache folders; return the problems found (none on success).

    The address-free files are drawn only when ``job.target`` lacks them; the
    framed SVG and the PNG only when ``job.framed_target`` lacks them.
    """
    # A ContentError is frozen: it must not pass through the context manager,
    # which would set its traceback.
    with utc():
        try:
            svg = _cached_svg(job)
            if svg is None:
                svg = _draw(job)
            if job.framed_target and not _complete(job.framed_target, "png"):
                _draw_framed(job, svg)
        except ContentError as problem:
            return [problem]
    return []


def _complete(folder: str, kind: str) -> bool:
    return os.path.isfile(os.path.join(folder, FILES[kind]))


def _cached_svg(job: RenderJob) -> str | None:
    if not _complete(job.target, "meta"):
        return None
    with open(os.path.join(job.target, FILES["svg"]), encoding="utf-8") as handle:
        return handle.read()


def _drawing_failed(job: RenderJob, error: Exception) -> ContentError:
    msg = f"the chart could not be drawn ({job.lang}): {describe_exception(error)[:400]}"
    return ContentError(job.shown_path, job.line, msg)


def _draw(job: RenderJob) -> str:
    """Draw and write the address-free files of ``job``; return the wide SVG."""
    import vl_convert

    # Locale names come from settings; vl-convert's stubs only accept literals.
    vlc: Any = vl_convert
    measure = measurer(font_family(job.font))
    specs = {layout: styled(vega_lite_spec(job, layout, measure), job, layout) for layout in LAYOUTS}
    vegas: dict[str, dict[str, Any]] = {}
    svgs: dict[str, str] = {}
    try:
        for layout, spec in specs.items():
            vegas[layout] = vlc.vegalite_to_vega(spec)
            svgs[layout] = vlc.vega_to_svg(
                vegas[layout], format_locale=job.format_locale, time_format_locale=job.time_format_locale
            )
    except Exception as error:
        raise _drawing_failed(job, error) from None
    within_fonts(
        *(json.dumps(spec, ensure_ascii=False) for spec in [*specs.values(), *vegas.values()]), *svgs.values()
    )
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
        meta[f"width{suffix}"] = float(attr(head, "width") or 0)
        meta[f"height{suffix}"] = float(attr(head, "height") or 0)
    _write_folder(
        job.target,
        {
            "vega_lite": json.dumps(specs["wide"], ensure_ascii=False, sort_keys=True, indent=1) + "\n",
            "vega": _compact(vegas["wide"]),
            "svg": svgs["wide"],
            "vega_narrow": _compact(vegas["narrow"]),
            "svg_narrow": svgs["narrow"],
            "csv": data_csv(job),
            "meta": json.dumps(meta, sort_keys=True),
        },
    )
    return svgs["wide"]


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _draw_framed(job: RenderJob, svg: str) -> None:
    """Frame the wide ``svg`` with the title and attribution; draw the PNG from it."""
    import vl_convert

    framed = framed_svg(svg, job)
    within_fonts(framed)
    try:
        png = vl_convert.svg_to_png(framed, scale=job.png_scale)
    except Exception as error:
        raise _drawing_failed(job, error) from None
    _write_folder(
        job.framed_target, {"download_svg": framed, "png": png_with_text(png, job.png_text, job.lang)}
    )


def _write_folder(target: str, outputs: Mapping[str, str | bytes]) -> None:
    """Write ``outputs`` (file kind → content) into the folder ``target``, atomically.

    The folder appears whole or not at all; one another process completed
    first is kept.
    """
    os.makedirs(os.path.dirname(target), exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".tmp-", dir=os.path.dirname(target))
    try:
        for kind, content in outputs.items():
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            with open(os.path.join(staging, FILES[kind]), "wb") as handle:
                handle.write(data)
        if os.path.isdir(target):
            shutil.rmtree(staging)
        else:
            os.replace(staging, target)
    finally:
        if os.path.isdir(staging):
            shutil.rmtree(staging, ignore_errors=True)
