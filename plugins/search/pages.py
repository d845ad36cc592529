"""Render: the search page of each language."""

from __future__ import annotations

from typing import Any

from pelican.generators import Generator

from strictbuild import site_of
from strictbuild.settings import plugin_enabled

from .index import NAME, start_index

#: Where a language's search page lives, below the site root.
DEFAULT_URL = "{lang_path}/search/"


def search_url(settings: Any, lang: str) -> str:
    """The URL of ``lang``'s search page, relative to the site root."""
    path = site_of(settings).language(lang).path
    return str(settings.get("SEARCH_URL", DEFAULT_URL)).format(lang_path=path)


class SearchPagesGenerator(Generator):
    """Writes ``/{lang}/search/`` for every language of the site."""

    def generate_context(self) -> None:
        """Nothing to read: the index is made from the written pages."""

    def generate_output(self, writer: Any) -> None:
        """Write one search page per language, each linking to the others."""
        if not plugin_enabled(self.settings, NAME):
            return
        languages = site_of(self.settings).codes
        alternates = [(lang, search_url(self.settings, lang)) for lang in languages]
        for lang in languages:
            url = search_url(self.settings, lang)
            writer.write_file(
                url + "index.html",
                self.get_template("search"),
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                lang=lang,
                alternates=alternates,
                page_name=url + "index",
                search_bundle=self.settings.get("SEARCH_BUNDLE", "pagefind") + "/",
            )
        # Every page Pagefind indexes is written by now (this generator runs
        # after the briefs', the pages' and the glossary's): index them while
        # the later generators write the rest.
        start_index(self.settings, self.output_path)
