"""The site and its languages: one frozen model, built once from the settings.

Every plugin and template asks this model about a language (its URL path,
Babel locale, ``<html lang>``, date pattern, citation punctuation, chart
font) instead of testing a language code; this module is the only one that
reads ``SITE_LANGUAGES``. The author writes the languages in the settings::

    SITE_LANGUAGES = {
        "en": {"name": "English", "path": "en", "html": "en", "locale": "en_GB"},
        "zh-TW": {"name": "繁體中文", "path": "zh-tw", "html": "zh-Hant-TW",
                  "locale": "zh_Hant_TW", "citation": "cjk"},
    }

Only ``name``, ``path``, ``html`` and ``locale`` are required; the rest has
defaults (``citation`` names a preset, ``latin`` or ``cjk``, or gives the
fields one by one). :func:`site_of` validates the settings with pydantic and
raises :class:`SiteError` listing every problem, each with its setting path.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

_TAG = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"
_SEGMENT = r"^[a-z0-9][a-z0-9-]*$"
#: The settings the model is built from.
SETTINGS = (
    "SITE_LANGUAGES",
    "DEFAULT_LANG",
    "SITE_SOURCE_LANG",
    "SITE_HEADLINE_LANG",
    "BILINGUAL_SOURCE_LANG",
)


class Citation(BaseModel):
    """How a language writes a reference: its punctuation and the order of its parts."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: between the parts of a reference (``CNA, 2026-01-08``)
    comma: str = ", "
    #: after a sentence inside a reference
    stop: str = ". "
    #: between a term and its definition
    colon: str = ": "
    #: between the sources of a chart's source line
    list_separator: str = "; "
    #: at the end of a full citation
    sentence_end: str = "."
    #: around a headline or a title
    title_open: str = "“"
    title_close: str = "”"
    #: a brief's plain-text reference; ``{date}`` may carry ``updated``
    reference: str = "{site}. “{title}.” {date}. {url}"
    #: the date of a brief updated after it was published
    updated: str = "{date}, updated {updated}"


#: Presets a language may name as its ``citation``, then override field by field.
CITATION_STYLES: dict[str, dict[str, str]] = {
    "latin": {},
    "cjk": {
        "comma": "，",
        "stop": "。",
        "colon": "：",
        "list_separator": "；",
        "sentence_end": "。",
        "title_open": "〈",
        "title_close": "〉",
        "reference": "{site}。〈{title}〉。{date}。{url}",
        "updated": "{date}（{updated}更新）",
    },
}


class Language(BaseModel):
    """One language of the site."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=_TAG)
    #: the language's name in itself (``繁體中文``)
    name: str
    #: the URL segment (``zh-tw``)
    path: str = Field(pattern=_SEGMENT)
    #: the value of ``<html lang>`` (``zh-Hant-TW``)
    html: str = Field(pattern=_TAG)
    #: the ``hreflang`` of links to the language (default: ``html``)
    hreflang: str = Field(default="", pattern=r"^$|" + _TAG)
    #: the Babel locale of dates, numbers and the interface catalog
    locale: str
    #: the site's name in the language (default: ``SITENAME``)
    sitename: str | None = None
    #: a long date: a Babel pattern (``d MMMM y``) or a Babel format name
    date_format: str = "long"
    citation: Citation = Citation()
    #: BibTeX ``langid`` (default: the locale's language in English, lower case)
    bibtex_langid: str = ""
    #: the fontconfig language of chart text (default: the code in lower case)
    chart_font: str = ""

    @field_validator("locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        from babel import Locale, UnknownLocaleError

        try:
            Locale.parse(value)
        except (ValueError, UnknownLocaleError):
            raise ValueError(f"{value!r} is not a locale Babel knows") from None
        return value

    @field_validator("citation", mode="before")
    @classmethod
    def _preset(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = {"style": value}
        if isinstance(value, Mapping) and "style" in value:
            style = value["style"]
            if style not in CITATION_STYLES:
                raise ValueError(f"style {style!r} is not one of {', '.join(CITATION_STYLES)}")
            value = {**CITATION_STYLES[style], **{k: v for k, v in value.items() if k != "style"}}
        return value

    @model_validator(mode="after")
    def _defaults(self) -> Language:
        from babel import Locale

        # Frozen: the derived defaults are set once, here.
        if not self.hreflang:
            object.__setattr__(self, "hreflang", self.html)
        if not self.bibtex_langid:
            name = Locale.parse(self.locale).get_language_name("en") or self.code
            object.__setattr__(self, "bibtex_langid", name.lower())
        if not self.chart_font:
            object.__setattr__(self, "chart_font", self.code.lower())
        return self


class Site(BaseModel):
    """The site's languages, in the order the site lists them, and its roles."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    languages: dict[str, Language]
    #: the language of ``/`` and of ``x-default`` (``DEFAULT_LANG``)
    default: str
    #: the language the interface strings (msgids) are written in
    source: str
    #: the language a registry headline's translation is given in
    headline_language: str

    @model_validator(mode="after")
    def _consistent(self) -> Site:
        if not self.languages:
            raise ValueError("the site needs at least one language")
        paths = [language.path for language in self.languages.values()]
        if len(set(paths)) != len(paths):
            raise ValueError("two languages have the same path")
        return self

    @property
    def codes(self) -> list[str]:
        """The language codes, in the site's order."""
        return list(self.languages)

    def language(self, code: str) -> Language:
        """The language ``code`` (KeyError naming the site's languages if it has none)."""
        try:
            return self.languages[code]
        except KeyError:
            raise KeyError(
                f"{code!r} is not one of the site's languages ({', '.join(self.languages)})"
            ) from None

    @property
    def default_language(self) -> Language:
        """The language of ``/``."""
        return self.languages[self.default]

    @property
    def source_language(self) -> Language:
        """The language of the interface strings' msgids."""
        return self.languages[self.source]

    def others(self, code: str) -> list[Language]:
        """Every language but ``code``, in the site's order."""
        return [language for other, language in self.languages.items() if other != code]


class SiteError(ValueError):
    """Invalid site settings: ``problems`` holds (setting, path, message) for each."""

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{name}{path}: {message}" for name, path, message in problems))


def _where(loc: tuple[Any, ...]) -> tuple[str, str]:
    """The setting and the path inside it of a pydantic error location."""
    if not loc:
        return "SITE_LANGUAGES", ""
    if loc[0] == "languages":
        return "SITE_LANGUAGES", "".join(f"[{part!r}]" for part in loc[1:])
    setting = {
        "default": "DEFAULT_LANG",
        "source": "SITE_SOURCE_LANG",
        "headline_language": "SITE_HEADLINE_LANG",
    }
    return setting.get(str(loc[0]), "SITE_LANGUAGES"), ""


def _raw(settings: Mapping[str, Any]) -> dict[str, Any]:
    languages = settings.get("SITE_LANGUAGES")
    default = settings.get("DEFAULT_LANG") or "en"
    if languages is None:
        languages = {default: {"name": default, "path": default.lower(), "html": default, "locale": "en"}}
    if isinstance(languages, Mapping):
        languages = {
            code: ({**info, "code": code} if isinstance(info, Mapping) else info)
            for code, info in languages.items()
        }
    source = settings.get("SITE_SOURCE_LANG") or settings.get("BILINGUAL_SOURCE_LANG") or default
    return {
        "languages": languages,
        "default": default,
        "source": source,
        "headline_language": settings.get("SITE_HEADLINE_LANG") or source,
    }


_PATTERNS = {
    "code": "is not a language code (e.g. en, zh-TW)",
    "path": "is not a URL segment (lowercase letters, digits and hyphens)",
}
_CACHE: dict[str, Site] = {}
# The values of SETTINGS last asked about, a copy of them and their site: a
# build asks thousands of times with the very same objects, and comparing
# them costs less than writing out their repr.
_LAST: list[tuple[tuple[Any, ...], tuple[Any, ...], Site]] = []


def site_of(settings: Mapping[str, Any]) -> Site:
    """The site model of ``settings``, validated once per distinct value.

    Raises :class:`SiteError` with every problem of the settings.
    """
    values = tuple([settings.get(name) for name in SETTINGS])
    if _LAST:
        seen, copied, last = _LAST[0]
        if all(a is b for a, b in zip(seen, values, strict=True)) and copied == values:
            return last  # the same objects, still holding what they held
    key = repr(list(values))
    site = _CACHE.get(key)
    if site is None:
        try:
            site = Site.model_validate(_raw(settings))
        except ValidationError as error:
            problems = []
            for item in error.errors():
                name, path = _where(tuple(item["loc"]))
                message = str(item["msg"]).removeprefix("Value error, ")
                if item["type"] == "extra_forbidden":
                    message = "is not a field of a language (known: " + ", ".join(Language.model_fields) + ")"
                elif item["type"] == "missing":
                    message = "is required"
                elif item["type"] == "string_pattern_mismatch":
                    message = (
                        f"{item['input']!r} {_PATTERNS.get(str(item['loc'][-1]), 'is not a language tag')}"
                    )
                problems.append((name, path, message))
            raise SiteError(problems) from None
        roles = {
            "DEFAULT_LANG": site.default,
            "SITE_SOURCE_LANG": site.source,
            "SITE_HEADLINE_LANG": site.headline_language,
        }
        known = ", ".join(site.languages)
        wrong = [
            (name, "", f"is {code!r}, which is not one of the site's languages ({known})")
            for name, code in roles.items()
            if code not in site.languages
        ]
        if wrong:
            raise SiteError(wrong)
        _CACHE[key] = site
    _LAST[:] = [(values, copy.deepcopy(values), site)]
    return site


def language_codes(settings: Mapping[str, Any]) -> list[str]:
    """The codes the settings name as the site's languages, valid or not (for other checks)."""
    languages = settings.get("SITE_LANGUAGES")
    if isinstance(languages, Mapping):
        return [str(code) for code in languages]
    return [str(settings.get("DEFAULT_LANG") or "en")]


__all__ = ["CITATION_STYLES", "Citation", "Language", "Site", "SiteError", "language_codes", "site_of"]
