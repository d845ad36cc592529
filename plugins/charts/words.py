"""What charts say and where they live: interface strings, licence, credit, paths.

Every word a reader sees comes from the page's language: interface strings
from the theme's catalogs (marked here with :func:`_` so ``make catalogs``
finds them), source names from the registry.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from bilingual.catalogs import load_catalogs
from strictbuild import ContentError, problem_log, site_of

from .catalog import ChartDefinition
from .render import FILES

#: Files copied into each chart folder of the site: the site's kind -> the cache's kind.
SITE_FILES = {
    "svg": "download_svg",
    "png": "png",
    "csv": "csv",
    "vega_lite": "vega_lite",
    "vega": "vega",
    "vega_narrow": "vega_narrow",
}
#: Downloads named for what they are, ``<chart-id>.<lang>.<ext>`` (the specs keep
#: their names: the browser loads them, nobody saves them).
DOWNLOAD_EXTENSIONS = {"png": "png", "svg": "svg", "csv": "csv", "metadata": "metadata.json"}
#: The licence when the settings name none (``SITE_LICENSE``).
DEFAULT_LICENSE: dict[str, Any] = {
    "name": "CC BY 4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}


def _(message: str) -> str:
    """Mark ``message`` as an interface string for ``make catalogs``; :func:`say` translates it."""
    return message


def say(settings: MutableMapping[str, Any], lang: str, message: str, **values: Any) -> str:
    """``message`` in ``lang`` from the theme's catalogs, with ``%(name)s`` filled from ``values``.

    A message the catalog lacks is a build problem, never an English fallback.
    """
    catalogs = load_catalogs(settings)
    text = catalogs.lookup(lang, message)
    if text is None:
        where = catalogs.po_paths.get(lang, "theme/translations")
        msg = f"no {lang} translation for {message!r}: run 'make catalogs' and translate it"
        problem_log(settings).add(ContentError(where, 0, msg))
        text = message
    return text % values if values else text


def lang_setting(settings: Mapping[str, Any], name: str, lang: str, default: Any) -> Any:
    value = settings.get(name, {})
    return value.get(lang, default) if isinstance(value, Mapping) else default


def _in_lang(value: Any, lang: str, default_lang: str) -> str:
    if isinstance(value, Mapping):
        value = value.get(lang, value.get(default_lang, ""))
    return str(value or "")


def site_license(settings: Mapping[str, Any], lang: str) -> dict[str, str]:
    """The licence of the site's own text and charts in ``lang``: ``name``, ``title``, ``url``.

    From the setting ``SITE_LICENSE`` (texts may be given per language);
    CC BY 4.0 when it is not set.
    """
    value = settings.get("SITE_LICENSE") or DEFAULT_LICENSE
    default_lang = site_of(settings).default
    name = _in_lang(value.get("name"), lang, default_lang)
    return {
        "name": name,
        "title": _in_lang(value.get("title"), lang, default_lang) or name,
        "url": _in_lang(value.get("url"), lang, default_lang),
    }


def download_name(chart_id: str, lang_path: str, kind: str) -> str:
    """The file name of a download, e.g. ``h200-timeline.zh-tw.png``."""
    return f"{chart_id}.{lang_path}.{DOWNLOAD_EXTENSIONS[kind]}"


def site_files(chart_id: str, lang_path: str) -> dict[str, str]:
    """The file names of every file of a chart's folder, by kind."""
    names = {kind: download_name(chart_id, lang_path, kind) for kind in DOWNLOAD_EXTENSIONS}
    names["vega_lite"] = FILES["vega_lite"]
    names["vega"] = FILES["vega"]
    names["vega_narrow"] = FILES["vega_narrow"]
    return names


def public_url(settings: Mapping[str, Any]) -> str:
    """The site's absolute address without a trailing slash (``PUBLIC_URL``)."""
    return str(settings.get("PUBLIC_URL", "")).rstrip("/")


def site_name(settings: Mapping[str, Any], lang: str) -> str:
    """The site's name in ``lang``."""
    return str(site_of(settings).language(lang).sitename or settings.get("SITENAME", ""))


def credit_line(settings: MutableMapping[str, Any], definition: ChartDefinition, lang: str) -> str:
    """The credit a reuser prints under the chart, in ``lang``."""
    return say(
        settings,
        lang,
        _("Chart: “%(title)s”, %(site)s, %(url)s (%(licence)s)"),
        title=definition.title[lang],
        site=site_name(settings, lang),
        url=f"{public_url(settings)}/{chart_path(settings, definition.chart_id, lang)}",
        licence=site_license(settings, lang)["name"],
    )


def chart_path(settings: Mapping[str, Any], chart_id: str, lang: str) -> str:
    """The site path (no leading slash) of a chart's page, e.g. ``en/charts/h200-timeline/``."""
    lang_path = site_of(settings).language(lang).path
    pattern = str(settings.get("CHARTS_URL", "{lang_path}/charts/{id}/"))
    return pattern.format(lang_path=lang_path, id=chart_id)


def relative_root(save_as: str) -> str:
    """The relative path from the folder of ``save_as`` back to the site root."""
    depth = save_as.strip("/").count("/")
    return "/".join([".."] * depth) if depth else "."


__all__ = [
    "DEFAULT_LICENSE",
    "DOWNLOAD_EXTENSIONS",
    "SITE_FILES",
    "chart_path",
    "credit_line",
    "download_name",
    "lang_setting",
    "public_url",
    "relative_root",
    "say",
    "site_files",
    "site_license",
    "site_name",
]
