"""What a chart module sees: :class:`ChartContext`.

A chart module (``content/charts/<module>.py``) imports this and builds its
chart from ``ctx.data`` with labels from ``ctx.label()``; it never reads files
or knows which language is the other one.

Every chart is drawn once per layout (see :data:`LAYOUTS`): ``ctx.width`` is
the width the whole chart (axes and legend included) must fit, ``ctx.narrow``
says whether that is a phone's column. ``ctx.wrap()`` breaks a label into
lines no wider than a width, measured with the font the chart is drawn in, so
a chart never cuts a label short with an ellipsis.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Imported where a chart is drawn, not with the plugin: a rebuild that
    # draws no chart and keeps every chart's definition never loads Altair
    # (0.26-0.29 s).
    import altair as alt

__all__ = ["FONT_SIZE", "LAYOUTS", "LINES", "ChartContext", "ChartLabelError", "estimate_width"]

#: The width (CSS px) each layout is drawn for. ``narrow`` fits a 320 px
#: phone's text column (320 px less the page's margins) without scaling; the
#: page shows ``wide`` wherever its container is at least that wide.
LAYOUTS: dict[str, int] = {"narrow": 288, "wide": 560}

#: The size (px) of chart text unless a module asks for more: shown unscaled,
#: it stays above the 11 px a reader on a phone can read.
FONT_SIZE = 12

#: ``labelExpr`` that draws a wrapped label (see :meth:`ChartContext.wrap`) on several lines.
LINES = "split(datum.label, '\\n')"


class ChartLabelError(KeyError):
    """A chart asked for a label its module does not declare."""


def estimate_width(text: str, size: float, bold: bool = False) -> float:
    """A generous width of a line of text: full-width characters 1 em, others 0.62 em (0.7 bold)."""
    latin = 0.7 if bold else 0.62
    return sum(size if ord(ch) > 0x2E80 else size * latin for ch in text)


def _tokens(text: str) -> list[str]:
    """Break points of ``text``: after each space in Latin text, between Chinese characters."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ord(ch) > 0x2E80 and ch not in "，。、；：）」』":
            if word:
                tokens.append(word)
            word = ch
        elif ch == " ":
            tokens.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens


@dataclass(frozen=True)
class ChartContext:
    """The data and words of one chart in one language, and the layout to draw it for.

    ``rows`` are the CSV rows with every ``column@lang`` pair already reduced
    to ``column`` in ``lang``; numbers are numbers, empty cells are ``None``.
    ``measure(text, size, bold)`` is the width in px of ``text`` in the chart's font.
    """

    chart_id: str
    lang: str
    rows: Sequence[Mapping[str, Any]]
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    columns: Sequence[str] = ()
    layout: str = "wide"
    measure: Callable[[str, float, bool], float] = estimate_width

    @property
    def width(self) -> int:
        """The width (px) the whole chart must fit in this layout."""
        return LAYOUTS[self.layout]

    @property
    def narrow(self) -> bool:
        """True for the phone layout: fewer ticks, wrapped labels, legends below."""
        return self.layout == "narrow"

    @property
    def data(self) -> alt.InlineData:
        """The rows as inline Vega-Lite data, ready for ``alt.Chart(ctx.data)``."""
        import altair as alt

        return alt.InlineData(values=[dict(row) for row in self.rows])

    def data_with(self, **columns: Callable[[Mapping[str, Any]], Any]) -> alt.InlineData:
        """The rows with more columns, each computed from its row (e.g. a wrapped label)."""
        import altair as alt

        return alt.InlineData(
            values=[{**row, **{name: make(row) for name, make in columns.items()}} for row in self.rows]
        )

    def label(self, column: str) -> str:
        """The label of ``column`` in this chart's language (from ``LABELS``)."""
        try:
            return self.labels[column][self.lang]
        except KeyError:
            msg = f"chart {self.chart_id!r} has no {self.lang} label for {column!r}; add it to LABELS"
            raise ChartLabelError(msg) from None

    def wrap(self, text: str, width: float, *, size: float = FONT_SIZE, bold: bool = False) -> str:
        """``text`` broken into lines (joined by ``\\n``) no wider than ``width`` px.

        Words stay whole in English; Chinese breaks between characters, never
        before closing punctuation. A word wider than ``width`` gets a line
        of its own. Draw the result with ``lineBreak="\\n"`` (text marks) or
        ``labelExpr=LINES`` (axes and legends); a title takes ``.split("\\n")``.
        """
        lines: list[str] = []
        current = ""
        for token in _tokens(str(text)):
            candidate = current + token
            if current and self.measure(candidate.rstrip(), size, bold) > width:
                lines.append(current.rstrip())
                current = token.lstrip()
            else:
                current = candidate
        if current.strip() or not lines:
            lines.append(current.rstrip())
        return "\n".join(lines)
