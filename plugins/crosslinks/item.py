"""What the cross-links plugin adds to a brief: ``item.plugin_data.crosslinks``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

__all__ = ["CrosslinksItem"]


@dataclass
class CrosslinksItem:
    """A brief's related briefs (see :mod:`strictbuild.itemdata`)."""

    NAME: ClassVar[str] = "crosslinks"

    #: the briefs its ``related`` front matter names, in its language, in that order
    related_briefs: list[Any] = field(default_factory=list)
