"""Strict builds: collect every content problem, then stop once.

A Pelican plugin. Readers and other plugins record problems (see
:mod:`strictbuild.problems`); once all generators have read the content, this
plugin stops the build before anything is written if any problem was found.
Run builds through ``python -m strictbuild`` to also make them atomic and to
treat Pelican's warnings as errors.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from pelican import signals

from . import forked, fragments, itemdata, memory, progress, readahead, reuse, sourcepaths, state
from .cache import (
    check_content_cache,
    no_stamps_for_an_unused_cache,
    save_only_when_changed,
    store_fingerprint,
)
from .links import add_link, add_resolver, check_links, collect_content_links
from .problems import (
    ContentError,
    ContentProblems,
    ProblemLog,
    content_problems,
    display_path,
    problem_log,
    report,
)
from .site import Language, Site, SiteError, site_of

__all__ = [
    "ContentError",
    "ContentProblems",
    "Language",
    "ProblemLog",
    "Site",
    "SiteError",
    "add_generator_last",
    "add_link",
    "add_resolver",
    "content_problems",
    "display_path",
    "problem_log",
    "register",
    "report",
    "site_of",
]

_CONTENT_LISTS = (
    "articles",
    "translations",
    "drafts",
    "drafts_translations",
    "pages",
    "translations",
    "hidden_pages",
    "hidden_translations",
    "draft_pages",
    "draft_translations",
)


def add_generator_last(get_generators: Callable[[Any], Any]) -> None:
    """Add a plugin's generators after every other plugin's.

    Called from a plugin's ``register()``: ``get_generators`` (a receiver of
    Pelican's ``get_generators``) is connected once every plugin has
    registered, so its generators come after those of the plugins listed
    after it. For pages search does not index (homes, feeds, sources
    pages), written while Pagefind indexes the pages written before.
    """

    def connect(_pelican: object) -> None:
        signals.get_generators.connect(get_generators)

    signals.initialized.connect(connect, weak=False)


def all_content(generators: list[Any]) -> list[Any]:
    """Every content object the generators read, published or not."""
    seen: dict[int, Any] = {}
    for generator in generators:
        for name in _CONTENT_LISTS:
            for item in getattr(generator, name, None) or []:
                seen.setdefault(id(item), item)
    return list(seen.values())


def prepare(pelican: Any) -> None:
    """Mark the build state as Pelican's; decide whether the content cache is valid."""
    state.build_state().started = True
    check_content_cache(pelican.settings)


def content_cache_saved(generators: list[Any]) -> None:
    """Record what the content cache just saved was made with."""
    if generators:
        store_fingerprint(generators[0].settings)


def collect_content_problems(generators: list[Any]) -> None:
    """Gather the problems readers stored on content (cached content too)."""
    if not generators:
        return
    log = problem_log(generators[0].settings)
    for item in all_content(generators):
        log.extend(content_problems(item))


def check_output_paths(generators: list[Any]) -> None:
    """Report files that would be written to the same place (same slug and language)."""
    if not generators:
        return
    settings = generators[0].settings
    log = problem_log(settings)
    by_target: dict[str, list[Any]] = {}
    for item in all_content(generators):
        target = getattr(item, "save_as", "")
        if target and getattr(item, "status", "published") != "draft":
            by_target.setdefault(target, []).append(item)
    for target, items in sorted(by_target.items()):
        if len(items) < 2:
            continue
        paths = sorted(display_path(str(i.source_path), settings) for i in items)
        for item in items:
            lines = (item.metadata.get("source_lines") or {}) if hasattr(item, "metadata") else {}
            others = ", ".join(p for p in paths if p != display_path(str(item.source_path), settings))
            message = (
                f"slug {item.slug!r} with lang {item.lang!r} is also used by {others}; "
                f"both would be written to {target}"
            )
            log.add(
                ContentError(
                    display_path(str(item.source_path), settings), int(lines.get("slug", 1)), message
                )
            )


def stop_on_problems(pelican: Any) -> None:
    """Stop before anything is written if the content has problems.

    Connected to ``get_writer``, which Pelican sends after every plugin has
    seen ``all_generators_finalized``, so checks made there are included.
    """
    log = problem_log(pelican.settings)
    if log:
        raise ContentProblems(log.problems)


#: The file, in ``CACHE_PATH``, holding how many pages the last build wrote:
#: the total of the next build's progress line.
PAGES_WRITTEN_FILE = "pages-written"


def _pages_written_path(settings: Any) -> str:
    return os.path.join(str(settings.get("CACHE_PATH", "cache")), PAGES_WRITTEN_FILE)


def start_writing(pelican: Any) -> None:
    """Open the progress line of the pages about to be written."""
    counts = progress.current()
    if counts is None:
        return
    try:
        with open(_pages_written_path(pelican.settings), encoding="utf-8") as handle:
            total: int | None = int(handle.read().strip())
    except (OSError, ValueError):
        total = None  # the first build: the count alone is shown
    counts.pages = progress.Progress("pages written", total)


def page_written(path: str, context: Any = None) -> None:
    """Count one page written, and move the progress line on."""
    counts = progress.current()
    if counts is None:
        return
    counts.add("pages written")
    if counts.pages is not None:
        counts.pages.advance()


def finish_writing(pelican: Any) -> None:
    """Close the progress line; remember the count for the next build's total."""
    counts = progress.current()
    if counts is None or counts.pages is None:
        return
    counts.pages.close()
    written = counts.counts.get("pages written", 0)
    path = _pages_written_path(pelican.settings)
    if written and os.path.isdir(os.path.dirname(path)):
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(f"{written}\n")


def add_template_filters(generator: Any) -> None:
    """Let templates read a plugin's record of a brief or page (``article|plugin_data("charts")``)
    and keep a fragment's markup for the rest of the build (``{% memo key %}``, :mod:`.fragments`)."""
    env = getattr(generator, "env", None)
    if env is not None:
        env.filters["plugin_data"] = itemdata.record_of
        fragments.install(env)


def register() -> None:
    """Open the run's build state (unless the driver did), and connect to Pelican's signals."""
    state.open_for_pelican()
    sourcepaths.install()
    signals.initialized.connect(prepare)
    signals.generator_init.connect(add_template_filters)
    signals.generator_init.connect(save_only_when_changed)
    signals.article_generator_init.connect(readahead.read_ahead)
    signals.article_generator_init.connect(no_stamps_for_an_unused_cache)
    signals.page_generator_init.connect(no_stamps_for_an_unused_cache)
    forked.writing_started.connect(forked.start_beside)
    signals.all_generators_finalized.connect(collect_content_problems)
    signals.all_generators_finalized.connect(content_cache_saved)
    signals.all_generators_finalized.connect(check_output_paths)
    signals.get_writer.connect(stop_on_problems)
    signals.get_writer.connect(start_writing)
    signals.get_writer.connect(reuse.prepare)
    signals.all_generators_finalized.connect(reuse.keep_generators)
    signals.content_written.connect(page_written)
    signals.article_generator_finalized.connect(memory.reader_cache_saved)
    signals.page_generator_finalized.connect(memory.reader_cache_saved)
    signals.content_written.connect(memory.page_written)
    signals.all_generators_finalized.connect(collect_content_links)
    # First of the finalized receivers: the others read what forked children wrote.
    signals.finalized.connect(forked.join_all)
    signals.finalized.connect(check_links)
    signals.finalized.connect(finish_writing)
