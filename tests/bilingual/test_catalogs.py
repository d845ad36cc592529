"""Interface catalogs: complete, in sync with the templates, enforced by the build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from jinja2 import Environment, TemplateRuntimeError

from bilingual.catalogs import Catalogs, make_gettext, make_ngettext
from tests.bilingual.conftest import BuiltSite
from tests.bilingual.htmlparse import read_html
from tests.support import ROOT, brief, build_content, write_site

THEME = ROOT / "theme"
PO = THEME / "translations" / "zh_Hant_TW" / "LC_MESSAGES" / "messages.po"
POT = THEME / "translations" / "messages.pot"
GOOD = {
    "pages/about.en.md": brief("about", "en", title="About"),
    "pages/about.zh-TW.md": brief("about", "zh-TW", title="關於"),
}


def template_msgids() -> set[str]:
    """Every msgid the templates and the charts plugin use, extracted as `make catalogs` does."""
    method_map = [("**.html", "jinja2")]
    options = {
        "**.html": {
            "extensions": "jinja2.ext.i18n,strictbuild.fragments.MemoExtension",
            "trim_blocks": "True",
            "lstrip_blocks": "True",
            # A template the extractor cannot read must fail, not lose its strings.
            "silent": "False",
        }
    }
    found = list(extract_from_dir(str(THEME / "templates"), method_map, options_map=options))
    # The charts plugin draws a few interface strings into chart images.
    found += extract_from_dir(str(ROOT / "plugins" / "charts"), [("**.py", "python")])
    return {msg if isinstance(msg, str) else msg[0] for _f, _l, msg, _c, _ctx in found}


def catalog_ids(path: Path) -> dict[str, str]:
    """msgid -> msgstr of a catalog file."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {str(m.id): str(m.string) for m in catalog if m.id}


def test_every_msgid_has_a_zh_tw_translation() -> None:
    missing = [msgid for msgid, text in catalog_ids(PO).items() if not text.strip()]
    assert not missing, f"untranslated in {PO.relative_to(ROOT)}: {missing}"


def test_catalogs_are_in_sync_with_the_templates() -> None:
    used = template_msgids()
    assert used, "no interface strings found in the templates"
    assert set(catalog_ids(POT)) == used, "run `make catalogs`"
    assert set(catalog_ids(PO)) == used, "run `make catalogs` and translate the new entries"


def _theme_copy(tmp_path: Path) -> Path:
    theme = tmp_path / "theme"
    shutil.copytree(THEME, theme, ignore=shutil.ignore_patterns("*.mo"))
    return theme


def test_an_untranslated_msgid_stops_the_build(tmp_path: Path) -> None:
    theme = _theme_copy(tmp_path)
    po = theme / "translations" / "zh_Hant_TW" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "跳至主要內容"', 'msgstr ""'), encoding="utf-8")
    line = po.read_text(encoding="utf-8").splitlines().index('msgid "Skip to content"') + 1
    result = build_content(write_site(tmp_path, GOOD), tmp_path / "output", THEME=str(theme))
    assert not result.ok
    assert any(
        str(p).endswith(f"messages.po:{line}: untranslated msgid for zh-TW: 'Skip to content'")
        for p in result.problems
    ), result.problems


def test_a_template_string_missing_from_the_catalog_stops_the_build(tmp_path: Path) -> None:
    theme = _theme_copy(tmp_path)
    base = theme / "templates" / "base.html"
    base.write_text(
        base.read_text(encoding="utf-8").replace("<main ", '<p>{{ _("A new string") }}</p>\n<main '),
        encoding="utf-8",
    )
    result = build_content(write_site(tmp_path, GOOD), tmp_path / "output", THEME=str(theme))
    assert not result.ok
    assert any("no zh-TW translation for 'A new string'" in str(p) for p in result.problems), result.problems


def test_pages_in_other_languages_show_no_english_interface_text(built: BuiltSite) -> None:
    """No interface string in English, in the text or the attributes of the page's own language.

    (A side-by-side page shows the English version too, marked with its lang.)
    """
    english = template_msgids()
    for language in built.model.others(built.model.source):
        pages = sorted((built.output / language.path).rglob("*.html"))
        assert pages
        for page in pages:
            parsed = read_html(page)
            texts = {text for lang, text in parsed.text_by_lang if lang == language.html}
            values = {
                value
                for element in parsed.elements
                if element.lang == language.html
                for value in element.attrs.values()
            }
            shown = sorted(english & (texts | values))
            assert not shown, f"{page.relative_to(built.output)} shows {shown}"


def test_a_gettext_language_that_names_none_is_a_template_error() -> None:
    # A fragment made once for many pages passes its key's language; an empty
    # one must not fall back to the page's (the first page's, for all the rest).
    env = Environment(autoescape=True)
    env.globals["_"] = make_gettext({}, Catalogs(source_lang="en"))
    env.globals["n_"] = make_ngettext({}, Catalogs(source_lang="en"))
    assert env.from_string("{{ _('Sources', lang='en') }}").render(lang="zh-TW") == "Sources"
    assert env.from_string("{{ _('Sources') }}").render(lang="en") == "Sources"
    for value in ("None", "''", "missing"):
        with pytest.raises(TemplateRuntimeError, match="was given no language"):
            env.from_string("{{ _('Sources', lang=" + value + ") }}").render(lang="en")
        with pytest.raises(TemplateRuntimeError, match="was given no language"):
            env.from_string("{{ n_('a source', '%(num)s sources', 2, lang=" + value + ") }}").render(
                lang="en"
            )
