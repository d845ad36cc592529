"""What a chart module sees: :class:`ChartContext`.

A chart module (``content/charts/<module>.py``) imports this and builds its
chart from ``ctx.data`` with labels from ``ctx.label()``; it never reads files
or knows which language is the other one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import altair as alt

__all__ = ["ChartContext", "ChartLabelError"]


class ChartLabelError(KeyError):
    """A chart asked for a label its module does not declare."""


@dataclass(frozen=True)
class ChartContext:
    """The data and words of one chart in one language.

    ``rows`` are the CSV rows with every ``column@lang`` pair already reduced
    to ``column`` in ``lang``; numbers are numbers, empty cells are ``None``.
    """

    chart_id: str
    lang: str
    rows: Sequence[Mapping[str, Any]]
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    columns: Sequence[str] = ()

    @property
    def data(self) -> alt.InlineData:
        """The rows as inline Vega-Lite data, ready for ``alt.Chart(ctx.data)``."""
        return alt.InlineData(values=[dict(row) for row in self.rows])

    def label(self, column: str) -> str:
        """The label of ``column`` in this chart's language (from ``LABELS``)."""
        try:
            return self.labels[column][self.lang]
        except KeyError:
            msg = f"chart {self.chart_id!r} has no {self.lang} label for {column!r}; add it to LABELS"
            raise ChartLabelError(msg) from None
