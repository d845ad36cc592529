"""No code outside the site model names a language: adding one is configuration alone.

Plugins and templates ask the site model (plugins/strictbuild/site.py) for a
language's path, locale, punctuation or font; a language code, URL segment,
html tag or locale of a configured language written as a literal elsewhere
would decide something by the language's name instead.
"""

from __future__ import annotations

import re

from pelican.settings import read_settings

from strictbuild import site_of
from tests.support import ROOT, SETTINGS

#: Where a language may be named: the model, and the settings schemas (which only check).
ALLOWED = {ROOT / "plugins" / "strictbuild" / "site.py", *(ROOT / "plugins").glob("*/settings.py")}
SITES = [SETTINGS, ROOT / "tests" / "fixtures" / "trilingual_site" / "siteconf.py"]


def language_names() -> set[str]:
    """Every code, primary subtag, URL segment, html tag and locale of the configured languages."""
    names: set[str] = set()
    for path in SITES:
        for language in site_of(read_settings(str(path))).languages.values():
            names |= {
                language.code,
                language.code.split("-")[0],
                language.path,
                language.html,
                language.locale,
            }
    return names


def literals(text: str, names: set[str]) -> list[tuple[int, str]]:
    """``(line, literal)`` of every quoted language name in ``text``."""
    pattern = re.compile(
        r"""(["'])(""" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + r")\1"
    )
    return [
        (number, match.group(0))
        for number, line in enumerate(text.splitlines(), start=1)
        for match in pattern.finditer(line)
    ]


def test_the_scan_finds_a_language_literal() -> None:
    names = {"en", "zh-TW", "zh"}
    code = 'if lang == "en":\n    x = 1\nelif lang.startswith(\'zh\'):\n    y = {"zh-TW": 2, "enough": 3}\n'
    assert literals(code, names) == [(1, '"en"'), (3, "'zh'"), (4, '"zh-TW"')]


def test_no_plugin_or_template_names_a_language() -> None:
    names = language_names()
    assert {"en", "zh-TW", "zh-CN", "zh-tw", "zh_Hant_TW", "zh-Hans-CN", "zh"} <= names
    files = [*(ROOT / "plugins").rglob("*.py"), *(ROOT / "theme" / "templates").rglob("*.html")]
    found = [
        f"{path.relative_to(ROOT)}:{line}: {literal}"
        for path in sorted(set(files) - ALLOWED)
        for line, literal in literals(path.read_text(encoding="utf-8"), names)
    ]
    assert not found, "language named outside the site model:\n" + "\n".join(found)


def test_no_module_but_the_model_reads_the_languages_setting() -> None:
    readers = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "plugins").rglob("*.py"))
        if "SITE_LANGUAGES" in path.read_text(encoding="utf-8") and path not in ALLOWED
    ]
    assert readers == []
