"""What the bilingual plugin adds to a brief or page: ``item.plugin_data.bilingual``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

__all__ = ["BilingualItem"]


@dataclass
class BilingualItem:
    """A brief's or page's versions (see :mod:`strictbuild.itemdata`)."""

    NAME: ClassVar[str] = "bilingual"

    #: ``(language code, URL from the site root)`` of every version, itself
    #: included, in the site model's language order
    alternates: list[tuple[str, str]] = field(default_factory=list)
