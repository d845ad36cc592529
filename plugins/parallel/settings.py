"""The settings the side-by-side plugin reads, validated once when the build starts."""

from __future__ import annotations

from strictbuild.settings import url_pattern

PREFIX = "PARALLEL_"

SCHEMA = {"PARALLEL_URL": url_pattern("url")}
