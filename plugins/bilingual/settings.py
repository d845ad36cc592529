"""The settings the bilingual plugin reads, validated once when the build starts."""

from __future__ import annotations

from strictbuild.settings import language_code

PREFIX = "BILINGUAL_"

SCHEMA = {
    "BILINGUAL_SOURCE_LANG": language_code,
}
