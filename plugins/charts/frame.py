"""The chart framed for leaving the site (downloadable SVG, PNG) and its data as CSV.

The PNG and the downloadable SVG carry their own attribution (title, source
line, the site's name and address, the licence), so a copy that leaves the
site still says where it came from.
"""

from __future__ import annotations

import csv
import io
import struct
import zlib
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from .job import RenderJob, attr, font_family


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
    width = float(attr(head, "width") or 600)
    height = float(attr(head, "height") or 400)
    pad = 16.0
    frame_width = max(width + 2 * pad, 360.0)
    font = font_family(job.font)
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
