"""What the charts plugin adds to a brief or page: ``item.plugin_data.charts``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

__all__ = ["ChartsItem"]


@dataclass
class ChartsItem:
    """The charts a brief or page places (see :mod:`strictbuild.itemdata`)."""

    NAME: ClassVar[str] = "charts"

    #: the chart views placed in it, in order (``pages.ChartView``)
    charts: list[Any] = field(default_factory=list)
    #: the absolute address of its first chart's PNG, for ``og:image``; None without charts
    og_image: str | None = None
