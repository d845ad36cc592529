"""The settings the citations plugin reads, validated once when the build starts."""

from __future__ import annotations

from strictbuild.settings import boolean, text, url_pattern

PREFIX = "CITATIONS_"

SCHEMA = {
    "CITATIONS_REGISTRY": text,
    "CITATIONS_GLOSSARY": text,
    "CITATIONS_STRICT_UNUSED": boolean,
    "CITATIONS_SOURCES_URL": url_pattern("lang_path", "lang"),
    "CITATIONS_GLOSSARY_URL": url_pattern("lang_path", "lang"),
}
