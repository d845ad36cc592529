"""Which written pages the sitemap records, whatever generator wrote them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bilingual.sitemap import Sitemap, record_page
from strictbuild.state import building

LANGUAGES = {
    "en": {"name": "English", "path": "en", "html": "en", "locale": "en_GB"},
    "zh-TW": {"name": "繁體中文", "path": "zh-tw", "html": "zh-Hant-TW", "locale": "zh_Hant_TW"},
}


def context(**values: Any) -> dict[str, Any]:
    return {
        "SITE_LANGUAGES": LANGUAGES,
        "DEFAULT_LANG": "en",
        "PUBLIC_URL": "https://example.org/site",
        "lang": "zh-TW",
        "alternates": [("en", "en/charts/x/"), ("zh-TW", "zh-tw/charts/x/")],
        **values,
    }


@pytest.mark.parametrize(
    ("html", "values", "recorded"),
    [
        ("<html><head></head>", {}, True),
        ('<html><head><meta name="robots" content="noindex">', {}, False),
        ("<html><head></head>", {"sitemap": False}, False),
        ("<html><head></head>", {"alternates": None}, False),
    ],
)
def test_record_page(tmp_path: Path, html: str, values: dict[str, Any], recorded: bool) -> None:
    page = tmp_path / "index.html"
    page.write_text(html, encoding="utf-8")
    with building() as build:
        sitemap = build.slot(Sitemap)
        record_page(str(page), context=context(**values))
    assert bool(sitemap.pages) is recorded
    if recorded:
        links = sitemap.pages["zh-tw/charts/x/"]
        assert links.canonical == "https://example.org/site/zh-tw/charts/x/"
        assert links.hreflang == [
            ("en", "https://example.org/site/en/charts/x/"),
            ("zh-Hant-TW", "https://example.org/site/zh-tw/charts/x/"),
            ("x-default", "https://example.org/site/en/charts/x/"),
        ]
