"""The settings the cross-links plugin reads, validated once when the build starts."""

from __future__ import annotations

from collections.abc import Mapping

from strictbuild.settings import Check

PREFIX = "CROSSLINKS_"

#: Nothing to configure (each brief's URL is kept in the build state), so any
#: ``CROSSLINKS_`` name is a mistake.
SCHEMA: Mapping[str, Check] = {}
