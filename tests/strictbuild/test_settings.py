"""Settings are validated once, before anything is built, with every problem listed.

A typo in a setting under a plugin's prefix, a value of the wrong type and a
language code the site does not have are each reported at their line in the
settings file, all together; the build stops before reading any content and
``output/`` is left as it was.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pelican.settings import read_settings

from strictbuild.settings import validate_settings
from tests.support import ROOT, brief, tree_digest, write_site

GOOD = {
    "pages/about.en.md": brief("about", "en", title="About"),
    "pages/about.zh-TW.md": brief("about", "zh-TW", title="關於"),
}


def _settings_file(tmp_path: Path, content: Path, extra: str) -> Path:
    settings = tmp_path / "settings.py"
    settings.write_text(
        "from pelicanconf import *  # noqa: F403\n"
        f"PATH = {str(content)!r}\n"
        f"THEME = {str(ROOT / 'theme')!r}\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n" + extra,
        encoding="utf-8",
    )
    return settings


def _run(settings: Path, output: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "strictbuild", "--settings", str(settings), "--output", str(output)],
        cwd=settings.parent,
        env={
            "PYTHONPATH": f"{ROOT / 'plugins'}:{ROOT}",
            "PATH": "/usr/bin:/bin",
            "PYTHONDONTWRITEBYTECODE": "1",
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_every_settings_problem_is_listed_with_its_line(tmp_path: Path) -> None:
    content = write_site(tmp_path, GOOD)
    output = tmp_path / "output"
    good = _settings_file(tmp_path, content, "")
    first = _run(good, output)
    assert first.returncode == 0, first.stderr
    before = tree_digest(output)
    _settings_file(
        tmp_path,
        content,
        "CHARTS_WORKER = 2\n"
        "CITATIONS_STRICT_UNUSED = 'yes'\n"
        "SITE_LICENSE = {'name': 'CC0', 'title': {'fr': 'Domaine public'}}\n"
        "DEFAULT_LANG = 'fr'\n"
        "CHARTS_URL = '{lang_path}/charts/{slug}/'\n",
    )
    run = _run(good, output)
    assert run.returncode == 1
    lines = [line for line in run.stderr.splitlines() if line.startswith("settings.py:")]
    assert lines == [
        "settings.py:5: setting CHARTS_WORKER is not a setting of CHARTS_* (unknown name); "
        "did you mean CHARTS_WORKERS?",
        "settings.py:6: setting CITATIONS_STRICT_UNUSED must be True or False, got 'yes'",
        "settings.py:7: setting SITE_LICENSE 'title' has unknown language code 'fr' "
        "(the site's languages: en, zh-TW)",
        "settings.py:8: setting DEFAULT_LANG is 'fr', which is not one of the site's languages (en, zh-TW)",
        "settings.py:9: setting CHARTS_URL uses unknown placeholder {slug} (known: lang_path, id)",
    ]
    assert "5 problems found" in run.stderr
    assert "Traceback" not in run.stderr
    assert tree_digest(output) == before


# name: (settings overrides, expected message)
CASES: dict[str, tuple[dict[str, object], str]] = {
    "unknown site language code": (
        {"SITE_LANGUAGES": {"en": {"name": "E", "path": "en", "html": "en", "locale": "en"}, "x!": {}}},
        "setting SITE_LANGUAGES['x!']['code']: 'x!' is not a language code (e.g. en, zh-TW)",
    ),
    "unknown Babel locale": (
        {"SITE_LANGUAGES": {"en": {"name": "E", "path": "en", "html": "en", "locale": "xx_YY"}}},
        "setting SITE_LANGUAGES['en']['locale']: 'xx_YY' is not a locale Babel knows",
    ),
    "language missing a field": (
        {"SITE_LANGUAGES": {"en": {"name": "E", "path": "en", "locale": "en"}}},
        "setting SITE_LANGUAGES['en']['html']: is required",
    ),
    "typo under the site prefix": (
        {"SITE_LANGUAGE": {}},
        "setting SITE_LANGUAGE is not a setting of SITE_* (unknown name); did you mean SITE_LANGUAGES?",
    ),
    "wrong type": ({"CHARTS_WORKERS": "4"}, "setting CHARTS_WORKERS must be a whole number, got '4'"),
    "chart locales missing a language": (
        {"CHARTS_LOCALES": {"en": {"format": "en-US", "time": "en-US"}}},
        "setting CHARTS_LOCALES has no entry for zh-TW",
    ),
    "unknown front-matter kind": (
        {"MARKDOWN_EXTRA_FIELDS": {"drift_ack": "anything"}},
        "setting MARKDOWN_EXTRA_FIELDS ['drift_ack'] must be one of text, slug, slugs, lang, date, integer, "
        "boolean, status, any, got 'anything'",
    ),
    "unknown source language": (
        {"BILINGUAL_SOURCE_LANG": "de"},
        "setting BILINGUAL_SOURCE_LANG is 'de', which is not one of the site's languages (en, zh-TW)",
    ),
    "licence without a name": (
        {"SITE_LICENSE": {"url": "https://creativecommons.org/licenses/by/4.0/"}},
        "setting SITE_LICENSE needs a 'name' (e.g. 'CC BY 4.0')",
    ),
    "licence address not on the web": (
        {"SITE_LICENSE": {"name": "CC BY 4.0", "url": {"en": "ftp://example.org/by"}}},
        "setting SITE_LICENSE 'url' must be an http(s) address, got 'ftp://example.org/by'",
    ),
    "licence text in an unknown language": (
        {"SITE_LICENSE": {"name": "CC BY 4.0", "title": {"fr": "Attribution"}}},
        "setting SITE_LICENSE 'title' has unknown language code 'fr' (the site's languages: en, zh-TW)",
    ),
    "navigation entry with neither page nor url": (
        {"SITE_NAVIGATION": [{"page": "timeline"}, {"label": "Glossary"}]},
        "setting SITE_NAVIGATION entry 2 needs either 'page' (a page's slug) or 'url' (with 'label')",
    ),
    "navigation url with an unknown placeholder": (
        {"SITE_NAVIGATION": [{"url": "{lang}/glossary/", "label": "Glossary"}]},
        "setting SITE_NAVIGATION entry 1 uses unknown placeholder {lang} (known: lang_path)",
    ),
    "typo under the search prefix": (
        {"SEARCH_BUNDEL": "pagefind"},
        "setting SEARCH_BUNDEL is not a setting of SEARCH_* (unknown name); did you mean SEARCH_BUNDLE?",
    ),
    "typo under the citations prefix": (
        {"CITATIONS_REGISTY": "x.yaml"},
        "setting CITATIONS_REGISTY is not a setting of CITATIONS_* (unknown name); "
        "did you mean CITATIONS_REGISTRY?",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_setting_problem(case: str) -> None:
    override, expected = CASES[case]
    settings = read_settings(str(ROOT / "pelicanconf.py"), override=override)
    found = [p.message for p in validate_settings(settings, str(ROOT / "pelicanconf.py"))]
    assert expected in found, found


def test_every_language_problem_is_reported_at_once_with_its_path() -> None:
    languages = {
        "en": {"name": "English", "path": "E N", "html": "en", "locale": "en_GB", "colour": "red"},
        "zh-TW": {
            "name": "中文",
            "path": "zh-tw",
            "html": "zh-Hant-TW",
            "locale": "zz_QQ",
            "citation": "fancy",
        },
    }
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"SITE_LANGUAGES": languages})
    found = [p.message for p in validate_settings(settings, str(ROOT / "pelicanconf.py"))]
    wanted = [
        "setting SITE_LANGUAGES['en']['path']: 'E N' is not a URL segment "
        "(lowercase letters, digits and hyphens)",
        "setting SITE_LANGUAGES['en']['colour']: is not a field of a language (known: code, name, path, "
        "html, hreflang, locale, sitename, date_format, citation, bibtex_langid, chart_font)",
        "setting SITE_LANGUAGES['zh-TW']['locale']: 'zz_QQ' is not a locale Babel knows",
        "setting SITE_LANGUAGES['zh-TW']['citation']: style 'fancy' is not one of latin, cjk",
    ]
    assert [message for message in found if message.startswith("setting SITE_LANGUAGES")] == sorted(wanted)


def test_project_settings_are_valid() -> None:
    for name in ("pelicanconf.py", "publishconf.py"):
        settings = read_settings(str(ROOT / name))
        assert validate_settings(settings, str(ROOT / name)) == []


def test_lines_point_into_the_file_that_sets_them() -> None:
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"CHARTS_WORKERS": -1})
    (found,) = validate_settings(settings, str(ROOT / "pelicanconf.py"))
    text = (ROOT / "pelicanconf.py").read_text(encoding="utf-8").splitlines()
    assert text[found.line - 1].startswith("CHARTS_WORKERS = ")
    assert str(found).startswith(f"pelicanconf.py:{found.line}: setting CHARTS_WORKERS must be at least 0")
