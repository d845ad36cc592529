"""The settings the cross-links plugin reads, validated once when the build starts."""

from __future__ import annotations

from strictbuild.settings import anything

PREFIX = "CROSSLINKS_"

SCHEMA = {
    # kept by the plugin during a build: each brief's URL, for the link check
    "CROSSLINKS_STATE": anything,
}
