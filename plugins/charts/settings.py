"""The settings the charts plugin reads, validated once when the build starts."""

from __future__ import annotations

from typing import Any

from strictbuild.settings import per_language, text, url_pattern, whole_number

PREFIX = "CHARTS_"


def _locale(value: Any, settings: Any) -> str | None:
    if not isinstance(value, dict) or set(value) - {"format", "time"}:
        return "must be a dict with 'format' and 'time' (d3 locale names)"
    bad = [key for key, name in value.items() if not isinstance(name, str)]
    return f"'{bad[0]}' must be text" if bad else None


SCHEMA = {
    "CHARTS_PATH": text,
    "CHARTS_CACHE_PATH": text,
    "CHARTS_WORKERS": whole_number(0),
    "CHARTS_IN_PROCESS_MAX": whole_number(0),
    "CHARTS_WORKER_MEMORY_MB": whole_number(1),
    "CHARTS_FONT_SUBSET_MIN": whole_number(0),
    "CHARTS_URL": url_pattern("lang_path", "id"),
    "CHARTS_SOURCE_URL": url_pattern("lang_path", "key"),
    "CHARTS_PNG_SCALE": whole_number(1),
    "CHARTS_EMBED_EXTRA_HEIGHT": whole_number(0),
    "CHARTS_EMBED_EXTRA_WIDTH": whole_number(0),
    "CHARTS_LOCALES": per_language(_locale, every=True),
}
