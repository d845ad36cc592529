"""Render: ``/sitemap.xml``, every page with its language alternates.

Pages are recorded as they are written (Pelican's ``content_written``), so
pages added by any generator appear once they declare ``alternates``. A page
is left out when its context has ``sitemap=False`` or when it asks search
engines not to index it (``<meta name="robots" content="noindex">``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import quoteattr

from strictbuild import forked
from strictbuild.itemdata import record_of
from strictbuild.state import build_state, current_state

from .links import LanguageLinks, language_links_from

_NOINDEX = re.compile(rb"<meta\s+name=[\"']robots[\"']\s+content=[\"'][^\"']*noindex", re.IGNORECASE)


@dataclass
class Sitemap:
    """The pages of one build: URL -> language links."""

    pages: dict[str, LanguageLinks] = field(default_factory=dict)
    #: URL -> the date the page last changed (YYYY-MM-DD), for briefs and pages
    lastmod: dict[str, str] = field(default_factory=dict)

    def render(self) -> str:
        """The sitemap XML, sorted by URL so the same site gives the same bytes."""
        lines = [
            '<?xml version="1.0" encoding="utf-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
        ]
        for _url, links in sorted(self.pages.items()):
            lines.append(f"<url><loc>{links.canonical}</loc>")
            if _url in self.lastmod:
                lines.append(f"  <lastmod>{self.lastmod[_url]}</lastmod>")
            for hreflang, href in links.hreflang:
                lines.append(
                    f'  <xhtml:link rel="alternate" hreflang={quoteattr(hreflang)} href={quoteattr(href)}/>'
                )
            lines.append("</url>")
        lines.append("</urlset>")
        return "\n".join(lines) + "\n"


def start_sitemap(pelican: Any) -> None:
    """Give the build an empty sitemap (a slot of its build state)."""
    build_state().slot(Sitemap)


def record_page(path: str, context: dict[str, Any] | None = None) -> None:
    """Add a written page to the build's sitemap if it declares its alternates."""
    if not context or context.get("sitemap") is False:
        return
    state = current_state()
    sitemap = state.peek(Sitemap) if state is not None else None
    if sitemap is None:
        return
    links = language_links_from(context.get)
    if links is None or _asks_noindex(path):
        return
    sitemap.pages[links.url] = links
    changed = last_changed(context.get("article") or context.get("page"))
    if changed:
        sitemap.lastmod[links.url] = changed


def _sitemap_mark() -> tuple[dict[str, LanguageLinks], dict[str, str]] | None:
    state = current_state()
    sitemap = state.peek(Sitemap) if state is not None else None
    return (dict(sitemap.pages), dict(sitemap.lastmod)) if sitemap is not None else None


def _sitemap_since(
    mark: tuple[dict[str, LanguageLinks], dict[str, str]] | None,
) -> tuple[dict[str, LanguageLinks], dict[str, str]] | None:
    state = current_state()
    sitemap = state.peek(Sitemap) if state is not None else None
    if mark is None or sitemap is None:
        return None
    pages, lastmod = mark
    return (
        {url: links for url, links in sitemap.pages.items() if pages.get(url) != links},
        {url: day for url, day in sitemap.lastmod.items() if lastmod.get(url) != day},
    )


def _sitemap_take(change: tuple[dict[str, LanguageLinks], dict[str, str]] | None) -> None:
    state = current_state()
    sitemap = state.peek(Sitemap) if state is not None else None
    if change is None or sitemap is None:
        return
    sitemap.pages.update(change[0])
    sitemap.lastmod.update(change[1])


# The pages a forked child records (strictbuild.forked).
forked.carry(forked.Carried("bilingual.sitemap", _sitemap_mark, _sitemap_since, _sitemap_take))


def last_changed(item: Any) -> str | None:
    """When a brief or page last changed: its latest update, else its date."""
    if item is None:
        return None
    updated = getattr(record_of(item, "updates"), "updated_date", None)
    for value in (updated, getattr(item, "modified", None), getattr(item, "date", None)):
        if value is not None:
            return str(value.isoformat())[:10]
    return None


def _asks_noindex(path: str) -> bool:
    """True when the written page tells search engines not to index it."""
    try:
        with open(path, "rb") as page:
            head = page.read(4096)
    except OSError:
        return False
    return bool(_NOINDEX.search(head))


def write_sitemap(pelican: Any) -> None:
    """Write ``sitemap.xml`` once every page is written."""
    forked.join_all()  # done already when strictbuild is first in PLUGINS, as it must be
    sitemap = build_state().peek(Sitemap)
    if sitemap is None or not sitemap.pages:
        return
    with open(os.path.join(pelican.output_path, "sitemap.xml"), "w", encoding="utf-8", newline="\n") as out:
        out.write(sitemap.render())
