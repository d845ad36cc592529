"""The settings the bilingual plugin reads, validated once when the build starts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from strictbuild.settings import language_code


def _folders(value: Any, _settings: Mapping[str, Any]) -> str | None:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return None
    return f"must be a list of folders, got {value!r}"


PREFIX = "BILINGUAL_"

SCHEMA = {
    "BILINGUAL_SOURCE_LANG": language_code,
    # folders searched before the theme's for <locale>/LC_MESSAGES/messages.po
    "BILINGUAL_CATALOG_PATHS": _folders,
}
