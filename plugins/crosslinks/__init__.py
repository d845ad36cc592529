"""Links between briefs and related briefs.

A Pelican plugin. It adds ``[text]({brief}slug)`` to the Markdown reader,
checks once every file is read that each link and each ``related`` slug
names a brief in the linking file's language, renders each link to that
brief's address, and gives every brief its ``related_briefs`` (for the
brief template). Links written as ``{brief}slug`` in other files the build
checks (the sources registry, the glossary) resolve through it as well.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt
from pelican import signals

from markdown_reader import SiteFunction, markdown_it_ready, site_known
from strictbuild import add_resolver
from strictbuild.reuse import digest_of
from strictbuild.settings import plugin_enabled
from strictbuild.state import build_state

from .resolve import Briefs, brief_href, check, index_briefs
from .syntax import BRIEF_LINK_PREFIX, brief_links_plugin

NAME = "crosslinks"
__all__ = ["BRIEF_LINK_PREFIX", "Briefs", "brief_links_plugin", "register"]


class BriefUrls(dict[tuple[str, str], str]):
    """Each published brief's URL (from the site root), by slug and language.

    Kept in the build state, filled once every brief is read.
    """


def start(pelican: Any) -> None:
    """Let the build's link check resolve ``{brief}slug`` in the files it checks."""
    urls = build_state().slot(BriefUrls)

    def resolve(rest: str, lang: str) -> str | None:
        slug, hash_, fragment = rest.partition("#")
        url = urls.get((slug, lang))
        return None if url is None else f"{url}{hash_}{fragment}"

    add_resolver(pelican.settings, "brief", resolve)


def add_syntax(md: MarkdownIt, **kwargs: Any) -> None:
    """Add the brief-link syntax to the site's parser."""
    if plugin_enabled(kwargs.get("settings"), NAME):
        brief_links_plugin(md)


def resolve_briefs(generators: list[Any]) -> Callable[[Any], dict[str, Any]] | None:
    """Check links and related briefs; give the render rule each file's ``brief_href``."""
    if not generators or not plugin_enabled(generators[0].settings, NAME):
        return None
    briefs = index_briefs(generators)
    check(generators, briefs)
    urls = build_state().peek(BriefUrls)
    if urls is not None:
        urls.update({key: str(brief.url) for key, brief in briefs.by_slug_lang.items()})
    # What a link resolves to: each brief's source file in the linking file's language.
    reads: dict[str, bytes] = {}

    def env_for(item: Any) -> dict[str, Any]:
        lang = item.lang
        if lang not in reads:
            paths = sorted(
                (slug, str(brief.relative_source_path))
                for (slug, brief_lang), brief in briefs.by_slug_lang.items()
                if brief_lang == lang
            )
            reads[lang] = digest_of(paths)
        return {"brief_href": SiteFunction(brief_href(briefs, lang), reads[lang])}

    return env_for


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.initialized.connect(start)
    markdown_it_ready.connect(add_syntax)
    site_known.connect(resolve_briefs)
