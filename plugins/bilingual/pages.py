"""Pages that exist once per language: the homes, plus the chooser and 404."""

from __future__ import annotations

from typing import Any

from pelican.generators import Generator


class LanguagePagesGenerator(Generator):
    """Writes ``/{lang}/`` for each language, ``/`` and ``/404.html``."""

    def generate_context(self) -> None:
        """Nothing to read: the homes list the briefs the articles generator read."""

    def generate_output(self, writer: Any) -> None:
        """Write the language homes, the chooser and the 404 page."""
        languages = self.settings["SITE_LANGUAGES"]
        articles = list(self.context.get("articles", [])) + list(self.context.get("translations", []))
        homes = [(lang, f"{info['path']}/") for lang, info in languages.items()]
        for lang, info in languages.items():
            briefs = sorted(
                (a for a in articles if a.lang == lang),
                key=lambda a: (a.metadata.get("order", 1000), a.slug),
            )
            writer.write_file(
                f"{info['path']}/index.html",
                self.get_template("home"),
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                lang=lang,
                briefs=briefs,
                alternates=homes,
                page_name=f"{info['path']}/index",
            )
        writer.write_file(
            "index.html",
            self.get_template("chooser"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            lang=self.settings["DEFAULT_LANG"],
            alternates=homes,
        )
        writer.write_file(
            "404.html",
            self.get_template("404"),
            self.context,
            relative_urls=False,
            lang=self.settings["DEFAULT_LANG"],
            alternates=homes,
        )
