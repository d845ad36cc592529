"""Render: pages that exist once per language, the chooser and the 404 page."""

from __future__ import annotations

import os
from typing import Any

from pelican.generators import Generator

from .catalogs import load_catalogs
from .feeds import render_feed
from .languages import site_of
from .pairing import is_published


def home_order(brief: Any) -> tuple[int, str]:
    """The site's reading order: front-matter ``order``, then slug."""
    order = brief.metadata.get("order")
    return (order if isinstance(order, int) else 10**6, brief.slug)


class LanguagePagesGenerator(Generator):
    """Writes ``/{lang}/`` and ``/{lang}/feed.xml`` per language, ``/`` and ``/404.html``."""

    def generate_context(self) -> None:
        """Nothing to read: the homes list the briefs the articles generator read."""

    def briefs_in(self, lang: str) -> list[Any]:
        """A language's published briefs, in the site's reading order."""
        seen: dict[int, Any] = {}
        # Pelican's context lists one article per translation group; the
        # others hang on it as ``translations``.
        for article in self.context.get("articles") or []:
            for item in [article, *getattr(article, "translations", [])]:
                if item.lang == lang and is_published(item):
                    seen.setdefault(id(item), item)
        return sorted(seen.values(), key=home_order)

    def generate_output(self, writer: Any) -> None:
        """Write the language homes, their feeds, the chooser and the 404 page."""
        site = site_of(self.settings)
        homes = [(lang, f"{language.path}/") for lang, language in site.languages.items()]
        catalogs = load_catalogs(self.settings)
        for lang, language in site.languages.items():
            briefs = self.briefs_in(lang)
            writer.write_file(
                f"{language.path}/index.html",
                self.get_template("home"),
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                lang=lang,
                briefs=briefs,
                alternates=homes,
                x_default_url="",
                feed_url=f"{language.path}/feed.xml",
                page_name=f"{language.path}/index",
            )
            name = language.sitename or self.settings["SITENAME"]
            description = catalogs.lookup(lang, self.settings.get("SITE_DESCRIPTION", "")) or ""
            feed = render_feed(briefs, lang=lang, title=name, description=description, settings=self.settings)
            target = os.path.join(self.output_path, language.path, "feed.xml")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as out:
                out.write(feed)
        writer.write_file(
            "index.html",
            self.get_template("chooser"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            lang=site.default,
            alternates=homes,
            page_url="",
            x_default_url="",
        )
        # Served for any missing path, so its links are absolute; not a page
        # of the site, so not in the sitemap.
        writer.write_file(
            "404.html",
            self.get_template("404"),
            self.context,
            relative_urls=False,
            lang=site.default,
            alternates=homes,
            page_url="404.html",
            x_default_url="",
            sitemap=False,
        )
