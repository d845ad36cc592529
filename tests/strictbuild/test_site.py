"""The site model: defaults a minimal language gets, presets, roles, immutability."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from strictbuild.site import Site, SiteError, site_of

MINIMAL: dict[str, dict[str, Any]] = {
    "en": {"name": "English", "path": "en", "html": "en", "locale": "en_GB"},
    "ja": {
        "name": "日本語",
        "path": "ja",
        "html": "ja",
        "locale": "ja_JP",
        "citation": {"style": "cjk", "title_open": "「", "title_close": "」"},
    },
}


def settings(**values: Any) -> dict[str, Any]:
    return {"SITE_LANGUAGES": MINIMAL, "DEFAULT_LANG": "en", **values}


def test_a_minimal_language_gets_its_defaults_from_its_locale_and_code() -> None:
    site = site_of(settings())
    japanese = site.language("ja")
    assert (japanese.hreflang, japanese.bibtex_langid, japanese.chart_font) == ("ja", "japanese", "ja")
    assert japanese.date_format == "long"
    assert japanese.citation.comma == "，"
    assert (japanese.citation.title_open, japanese.citation.title_close) == ("「", "」")
    english = site.language("en")
    assert (english.citation.comma, english.citation.title_open, english.bibtex_langid) == (
        ", ",
        "“",
        "english",
    )
    assert site.codes == ["en", "ja"]
    assert [language.code for language in site.others("en")] == ["ja"]


def test_roles_default_to_the_default_language() -> None:
    site = site_of(settings(DEFAULT_LANG="ja"))
    assert (site.default, site.source, site.headline_language) == ("ja", "ja", "ja")
    site = site_of(settings(SITE_SOURCE_LANG="en", SITE_HEADLINE_LANG="en", DEFAULT_LANG="ja"))
    assert (site.default, site.source, site.headline_language) == ("ja", "en", "en")


def test_a_role_outside_the_languages_is_named_by_its_setting() -> None:
    with pytest.raises(SiteError) as raised:
        site_of(settings(SITE_HEADLINE_LANG="fr"))
    assert raised.value.problems == [
        ("SITE_HEADLINE_LANG", "", "is 'fr', which is not one of the site's languages (en, ja)")
    ]


def test_two_languages_may_not_share_a_path() -> None:
    languages = {**MINIMAL, "ja": {**MINIMAL["ja"], "path": "en"}}
    with pytest.raises(SiteError, match="two languages have the same path"):
        site_of(settings(SITE_LANGUAGES=languages))


def test_the_model_is_frozen_and_built_once_per_value() -> None:
    site = site_of(settings())
    assert site_of(settings()) is site
    with pytest.raises(ValidationError):
        site.default = "ja"
    with pytest.raises(ValidationError):
        site.language("ja").path = "jp"
    assert isinstance(site, Site)


def test_settings_changed_in_place_give_the_site_they_now_describe() -> None:
    # The very same objects asked about again, but one of them edited in between.
    languages = {code: dict(language) for code, language in MINIMAL.items()}
    values = settings(SITE_LANGUAGES=languages)
    assert site_of(values).language("ja").path == "ja"
    assert site_of(values) is site_of(values)
    languages["ja"]["path"] = "jp"
    assert site_of(values).language("ja").path == "jp"
    values["DEFAULT_LANG"] = "ja"
    assert site_of(values).default == "ja"


def test_an_unknown_language_is_a_key_error_naming_the_site_languages() -> None:
    with pytest.raises(KeyError, match="'fr' is not one of the site's languages \\(en, ja\\)"):
        site_of(settings()).language("fr")
