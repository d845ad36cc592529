"""Resolve: the main navigation of a page, in the page's language.

``SITE_NAVIGATION`` lists the entries in order. ``{"page": slug}`` links a
page of the site by its slug and labels it with that page's title in the
page's language; an entry whose page the site does not have is left out.
``{"url": "{lang_path}/glossary/", "label": "Glossary", "plugin": "citations"}``
links a page that a generator writes, labelled with an interface string from
the catalogs, when the plugin named (if any) is part of the build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context

from .links import _value, page_lang, site_from


@dataclass(frozen=True)
class NavItem:
    """One entry of the main navigation."""

    key: str  # the slug or URL of the entry, stable across languages
    url: str  # relative to the site root
    label: str
    current: bool = False
    search: bool = False  # the site's search page: a search box where scripts run


def _pages(lookup: Callable[[str], Any]) -> Iterator[Any]:
    for name in ("pages", "hidden_pages"):
        for page in _value(lookup, name) or []:
            yield page
            yield from getattr(page, "translations", []) or []


def navigation_from(lookup: Callable[[str], Any], translate: Callable[[str], str]) -> list[NavItem]:
    """The main navigation of the page being rendered; ``translate`` gives interface labels."""
    settings = _value(lookup, "SITE_NAVIGATION") or []
    lang = page_lang(lookup)
    path = site_from(lookup).language(lang).path
    here = _value(lookup, "page_url")
    for name in ("article", "page"):
        item = _value(lookup, name)
        if here is None and item is not None:
            here = getattr(item, "url", None)
    if here is None:
        here = dict((str(code), str(url)) for code, url in (_value(lookup, "alternates") or [])).get(lang)
    plugins = {getattr(p, "__name__", str(p)) for p in _value(lookup, "PLUGINS") or []}
    pages = {(getattr(p, "slug", None), getattr(p, "lang", None)): p for p in _pages(lookup)}
    items: list[NavItem] = []
    for entry in settings:
        if "page" in entry:
            page = pages.get((entry["page"], lang))
            if page is None:
                continue
            url, label, key = str(page.url), str(page.title), str(entry["page"])
        else:
            # A generated page exists only when the plugin writing it runs.
            if entry.get("plugin") and entry["plugin"] not in plugins:
                continue
            url = str(entry["url"]).format(lang_path=path)
            label = translate(str(entry["label"]))
            key = str(entry["url"])
        search = bool(entry.get("search", False))
        items.append(NavItem(key=key, url=url, label=label, current=url == here, search=search))
    return items


@pass_context
def main_navigation(context: Context) -> list[NavItem]:
    """Template global: ``{% for item in main_navigation() %}``."""
    gettext = context.resolve("gettext")

    def translate(message: str) -> str:
        # The catalogs report a label they lack, as for any template string.
        return str(context.call(gettext, message)) if callable(gettext) else message

    return navigation_from(context.resolve, translate)
