"""Interface strings: gettext catalogs per language, and Babel-localised filters.

The catalogs live under ``<theme>/translations/<locale>/LC_MESSAGES/messages.po``
(Babel layout), or in a folder of the setting ``BILINGUAL_CATALOG_PATHS``
(searched first: a site may bring the catalog of a language the theme
lacks). The build reads the ``.po`` file, refuses an entry without a
translation (reported at its line in the ``.po``), and compiles the catalog in
memory, so a build never uses a stale ``.mo``. Templates call ``_("...")``;
the language is the template's ``lang`` (or the ``article``/``page`` being
rendered), or an explicit ``lang=`` keyword for pages showing every language.
"""

from __future__ import annotations

import datetime
import io
import os
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations
from jinja2 import TemplateRuntimeError, pass_context
from jinja2.runtime import Context, Undefined
from markupsafe import Markup

from strictbuild import ContentError, Site, display_path, problem_log
from strictbuild.state import build_state

from .languages import locale_of, site_of

DOMAIN = "messages"


@dataclass
class Catalogs:
    """The interface translations of one build, one per site language."""

    source_lang: str
    translations: dict[str, NullTranslations] = field(default_factory=dict)
    #: msgids each translated language has, to catch a string the catalog lacks
    known: dict[str, set[str]] = field(default_factory=dict)
    po_paths: dict[str, str] = field(default_factory=dict)

    def lookup(self, lang: str, message: str) -> str | None:
        """The translation of ``message``, or None when the catalog lacks it."""
        if lang == self.source_lang:
            return message
        if message not in self.known.get(lang, set()):
            return None
        return str(self.translations[lang].gettext(message))

    def plural(self, lang: str, singular: str, plural: str, count: int) -> str | None:
        """The translation of a plural message, or None when the catalog lacks it."""
        if lang == self.source_lang:
            return singular if count == 1 else plural
        if singular not in self.known.get(lang, set()):
            return None
        return str(self.translations[lang].ngettext(singular, plural, count))


def catalog_path(settings: Mapping[str, Any], locale: str) -> str:
    """Where the ``.po`` file of a locale lives: the first of ``BILINGUAL_CATALOG_PATHS``
    that has one, else the theme's ``translations`` folder."""
    theme = str(settings.get("THEME", "theme"))
    folders = [
        *(str(f) for f in settings.get("BILINGUAL_CATALOG_PATHS") or []),
        os.path.join(theme, "translations"),
    ]
    paths = [os.path.join(folder, locale, "LC_MESSAGES", f"{DOMAIN}.po") for folder in folders]
    return next((path for path in paths if os.path.exists(path)), paths[-1])


def load_catalogs(settings: MutableMapping[str, Any]) -> Catalogs:
    """Read, check and compile every language's catalog, once per build (a build state slot).

    An entry with an empty or fuzzy translation, or a missing catalog, is a
    problem in the build's problem log.
    """
    return build_state().slot(Catalogs, lambda: _read_catalogs(settings))


def _read_catalogs(settings: MutableMapping[str, Any]) -> Catalogs:
    log = problem_log(settings)
    site = site_of(settings)
    catalogs = Catalogs(site.source)
    for lang in site.languages:
        if lang == catalogs.source_lang:
            catalogs.translations[lang] = NullTranslations()
            continue
        path = catalog_path(settings, locale_of(lang, settings))
        shown = display_path(os.path.abspath(path), settings)
        catalogs.po_paths[lang] = shown
        if not os.path.exists(path):
            log.add(ContentError(shown, 1, f"no interface catalog for {lang}: run 'make catalogs'"))
            catalogs.translations[lang] = NullTranslations()
            continue
        with open(path, "rb") as handle:
            po = read_po(handle, locale=locale_of(lang, settings))
        for message in po:
            if not message.id:
                continue
            singular = str(message.id[0] if isinstance(message.id, (tuple, list)) else message.id)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy or not all(strings):
                state = "fuzzy" if message.fuzzy else "untranslated"
                log.add(ContentError(shown, message.lineno or 0, f"{state} msgid for {lang}: {singular!r}"))
                continue
            catalogs.known.setdefault(lang, set()).add(singular)
        buffer = io.BytesIO()
        write_mo(buffer, po)
        buffer.seek(0)
        catalogs.translations[lang] = Translations(buffer, domain=DOMAIN)
    return catalogs


def context_lang(context: Context) -> str:
    """The language a template is rendering: ``lang``, else its article's or page's."""
    lang = context.resolve("lang")
    if isinstance(lang, str) and lang:
        return lang
    for name in ("article", "page"):
        item = context.resolve(name)
        if not isinstance(item, Undefined) and getattr(item, "lang", None):
            return str(item.lang)
    return _site(context).default


def _site(context: Context) -> Site:
    """The site model, a template global (``SITE``)."""
    site = context.resolve("SITE")
    if isinstance(site, Site):
        return site
    # A template rendered outside the plugin's environments: its context holds the settings.
    return site_of(context.get_all())


def _format(context: Context, text: str, variables: dict[str, Any]) -> str:
    # New-style gettext: the callable escapes and formats, as jinja2.ext does.
    if context.eval_ctx.autoescape:
        # Catalog strings are the theme's own text, trusted like the templates.
        text = Markup(text)  # noqa: S704
    return text % variables if variables else text


def _missing(settings: MutableMapping[str, Any], catalogs: Catalogs, lang: str, message: str) -> None:
    where = catalogs.po_paths.get(lang, "theme/translations")
    problem_log(settings).add(
        ContentError(where, 0, f"no {lang} translation for {message!r}: run 'make catalogs' and translate it")
    )


def _language(context: Context, variables: dict[str, Any], message: str) -> str:
    """The language a gettext call asks for: ``lang=``, else the page's.

    A ``lang=`` that names no language is a template error, not the page's
    language: a fragment made once for many pages (``{% memo %}``) passes its
    key's language, and must never fall back to the first page's.
    """
    if "lang" not in variables:
        return context_lang(context)
    lang = variables.pop("lang")
    if not lang or isinstance(lang, Undefined):
        raise TemplateRuntimeError(f"_({message!r}, lang=…) was given no language")
    return str(lang)


def make_gettext(settings: MutableMapping[str, Any], catalogs: Catalogs) -> Any:
    """A new-style ``gettext`` for templates; ``lang=`` picks the language."""

    @pass_context
    def gettext(context: Context, message: str, **variables: Any) -> str:
        lang = _language(context, variables, message)
        text = catalogs.lookup(lang, message)
        if text is None:
            _missing(settings, catalogs, lang, message)
            text = message
        return _format(context, text, variables)

    return gettext


def make_ngettext(settings: MutableMapping[str, Any], catalogs: Catalogs) -> Any:
    """A new-style ``ngettext`` for templates; ``lang=`` picks the language."""

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
        lang = _language(context, variables, singular)
        variables.setdefault("num", num)
        text = catalogs.plural(lang, singular, plural, num)
        if text is None:
            _missing(settings, catalogs, lang, singular)
            text = singular if num == 1 else plural
        return _format(context, text, variables)

    return ngettext


@pass_context
def localdate(
    context: Context, value: datetime.date | str, format: str = "long", lang: str | None = None
) -> str:
    """A date in the page's language: ``10 December 2025``, ``2025年12月10日``."""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    site = _site(context)
    return format_date(value, format=format, locale=site.language(lang or context_lang(context)).locale)


@pass_context
def localnumber(context: Context, value: float | int | Decimal | str, lang: str | None = None) -> str:
    """A number in the page's language, with its grouping: ``12,500``."""
    site = _site(context)
    return format_decimal(Decimal(str(value)), locale=site.language(lang or context_lang(context)).locale)


@pass_context
def localpercent(context: Context, value: float | int | Decimal | str, lang: str | None = None) -> str:
    """A fraction as a percentage in the page's language: ``0.25`` -> ``25%``."""
    site = _site(context)
    return format_percent(Decimal(str(value)), locale=site.language(lang or context_lang(context)).locale)


def install(generator: Any) -> None:
    """Give a generator's templates ``_()``, ``{% trans %}`` and the locale filters."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    catalogs = load_catalogs(generator.settings)
    # Set directly rather than through install_gettext_callables, whose
    # new-style wrapper would drop the ``lang=`` keyword.
    env.newstyle_gettext = True
    env.globals["gettext"] = make_gettext(generator.settings, catalogs)
    env.globals["ngettext"] = make_ngettext(generator.settings, catalogs)
    env.globals["SITE"] = site_of(generator.settings)
    env.filters["localdate"] = localdate
    env.filters["localnumber"] = localnumber
    env.filters["localpercent"] = localpercent
