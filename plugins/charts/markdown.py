"""The chart block in Markdown: ```` ```{chart} chart-id ```` (a markdown-it-py plugin).

The block is a fenced code block whose info string is ``{chart}`` followed by
the chart's id; its body stays empty. It records ``{"id", "line"}`` in
``env["extracted"]["charts"]``. It renders as the chart's ``<figure>`` when
the render environment has ``chart_figure`` (a function of the chart id and
the :class:`markdown_reader.address.Address` rendered for, giving the
figure's HTML or None for a chart that failed to render; the charts plugin
gives it once the charts are rendered), and as an empty placeholder figure
otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, MutableMapping, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from markdown_reader.address import address_of
from strictbuild import report

_INFO = re.compile(r"^\{chart\}(?:\s+(.*))?$")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def placeholder(chart_id: str) -> str:
    """The HTML the block renders to when there is no figure to show."""
    return f'<figure class="chart" data-chart-slot="{escapeHtml(chart_id)}"></figure>\n'


def chart_plugin(md: MarkdownIt, *, chart_ids: Collection[str] | Callable[[], Collection[str]]) -> None:
    """Add the ```` ```{chart} id ```` block; ``chart_ids`` are the ids that exist.

    An unknown or missing id, or text inside the block, is reported with its
    line through :func:`strictbuild.report` and the block renders nothing.
    """

    def known() -> Collection[str]:
        return chart_ids() if callable(chart_ids) else chart_ids

    def find(state: StateCore) -> None:
        env: MutableMapping[str, Any] = state.env
        placed = env.setdefault("extracted", {}).setdefault("charts", [])
        for token in state.tokens:
            if token.type != "fence":
                continue
            match = _INFO.match(token.info.strip())
            if not match:
                continue
            line = token.map[0] if token.map else None
            chart_id = (match.group(1) or "").strip()
            token.type = "chart"
            token.meta = {"id": ""}
            if not chart_id:
                report(env, line, "a {chart} block must name a chart id: ```{chart} chart-id")
                continue
            ids = known()
            if not _ID.match(chart_id) or chart_id not in ids:
                choices = ", ".join(sorted(ids)) or "none"
                report(env, line, f"unknown chart id {chart_id!r} (the charts are: {choices})")
                continue
            if token.content.strip():
                report(env, line, f"the {{chart}} block for {chart_id!r} must be empty")
            token.meta = {"id": chart_id}
            number = (line or 0) + 1 + int(env.get("line_offset", 0))
            placed.append({"id": chart_id, "line": number})

    def render_chart(
        self: RendererHTML,
        tokens: Sequence[Token],
        idx: int,
        options: OptionsDict,
        env: MutableMapping[str, Any],
    ) -> str:
        chart_id = tokens[idx].meta.get("id", "")
        if not chart_id:
            return ""
        figure = env.get("chart_figure")
        html = figure(chart_id, address_of(env)) if figure is not None else None
        return placeholder(chart_id) if html is None else f"{html}\n"

    md.core.ruler.after("block", "chart_block", find)
    md.add_render_rule("chart", render_chart)
