"""The settings the search plugin reads, validated once when the build starts."""

from __future__ import annotations

from strictbuild.settings import boolean, text, url_pattern

PREFIX = "SEARCH_"

SCHEMA = {
    "SEARCH_URL": url_pattern("lang_path"),
    "SEARCH_BUNDLE": text,
    "SEARCH_INDEX": boolean,
    "SEARCH_CACHE_PATH": text,
}
