"""The settings the bilingual plugin reads, validated once when the build starts."""

from __future__ import annotations

from strictbuild.settings import anything, language_code

PREFIX = "BILINGUAL_"

SCHEMA = {
    "BILINGUAL_SOURCE_LANG": language_code,
    # kept by the plugin during a build
    "BILINGUAL_CATALOGS": anything,
    "BILINGUAL_SITEMAP": anything,
}
