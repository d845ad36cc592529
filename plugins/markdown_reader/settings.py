"""The settings the Markdown reader reads, validated once when the build starts."""

from __future__ import annotations

from typing import Any

from strictbuild.settings import mapping_of

PREFIX = "MARKDOWN_"
#: What an extra front-matter field may be declared to hold.
FIELD_KINDS = ("text", "slug", "slugs", "lang", "date", "integer", "boolean", "status", "any")


def _kind(value: Any, settings: Any) -> str | None:
    return None if value in FIELD_KINDS else f"must be one of {', '.join(FIELD_KINDS)}, got {value!r}"


SCHEMA = {
    "MARKDOWN_EXTRA_FIELDS": mapping_of(_kind),
}
