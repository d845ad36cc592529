"""The citations state of one build: registry, glossary and citing places.

It is a slot of the build's :class:`~strictbuild.state.BuildState`, so it
lives as long as the build: not in the settings (every template context
would see it), not in module globals, and two builds never share it. The
markdown-it plugins read it while the reader parses briefs; later
steps add what they find (briefs, charts) and the pages are rendered from it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from strictbuild import ContentError, add_link, add_resolver, display_path, problem_log, site_of
from strictbuild.state import build_state

from .registry import GlossaryTerm, Source, load_glossary, load_sources


@dataclass(frozen=True)
class ChartPlace:
    """A chart page that cites sources, registered by the charts plugin."""

    chart_id: str
    lang: str
    url: str
    title: str
    sources: tuple[str, ...]
    path: str = ""
    line: int = 1


@dataclass
class CitationsState:
    """Everything the citations plugin knows in one build."""

    sources: dict[str, Source] | None
    glossary: dict[str, GlossaryTerm] | None
    sources_path: str
    glossary_path: str
    #: every key written in each file, valid entry or not (None: no file)
    source_keys: set[str] | None = None
    term_keys: set[str] | None = None
    charts: list[ChartPlace] = field(default_factory=list)
    #: per language, a digest of what the briefs' part of ``citing`` is made
    #: from (each published brief's title, address and citation places, in
    #: order); None when a place held something it could not digest
    citing_inputs: dict[str, bytes | None] = field(default_factory=dict)
    #: per language, per source key: the chart pages citing it (checked when briefs are resolved)
    chart_citing: dict[str, dict[str, list[ChartPlace]]] = field(default_factory=dict)
    #: every published brief in every language (Pelican's context lists only
    #: the default language's under ``articles``)
    briefs: list[Any] = field(default_factory=list)
    #: set once briefs are resolved: later chart registrations cannot be checked
    finalized: bool = False
    #: what makes ``citing`` when it is first read (set when briefs are resolved)
    make_citing: Callable[[], dict[str, dict[str, Any]]] | None = None
    _citing: dict[str, dict[str, Any]] | None = None

    @property
    def citing(self) -> dict[str, dict[str, Any]]:
        """Per language, per source key: the briefs and charts citing it (a ``resolve.SourceCiting``).

        Made when first read, from what resolving the briefs kept: only a
        sources page that is rendered (not kept from the previous build) reads it.
        """
        if self._citing is None:
            make = self.make_citing
            try:
                self._citing = make() if make is not None else {}
            except AttributeError as error:
                # Read by a template too (see CitationsItem): not a missing field.
                raise RuntimeError(f"making the index of citing places failed: {error}") from error
            self.make_citing = None
        return self._citing

    @citing.setter
    def citing(self, value: dict[str, dict[str, Any]]) -> None:
        self.make_citing = None
        self._citing = value


def _languages(settings: MutableMapping[str, Any]) -> list[str]:
    return site_of(settings).codes


def citations_state(settings: MutableMapping[str, Any]) -> CitationsState:
    """The build's citations state, loading registry and glossary (as ``settings`` say) on first use.

    Problems in either file go to the build's problem log at once, so they
    are listed with every other problem of the build.
    """
    build = build_state()
    state = build.peek(CitationsState)
    if state is not None:
        return state
    state = build.slot(CitationsState, lambda: _load(settings))
    _register_links(settings, state)
    return state


def _load(settings: MutableMapping[str, Any]) -> CitationsState:
    """Read the registry and the glossary the settings name."""
    content = str(settings.get("PATH", "content"))
    sources_file = os.path.join(content, str(settings.get("CITATIONS_REGISTRY", "sources.yaml")))
    glossary_file = os.path.join(content, str(settings.get("CITATIONS_GLOSSARY", "glossary.yaml")))
    sources_display = display_path(sources_file, settings)
    glossary_display = display_path(glossary_file, settings)
    source_keys: set[str] = set()
    term_keys: set[str] = set()
    sources, problems = load_sources(
        sources_file,
        sources_display,
        _languages(settings),
        keys=source_keys,
        headline_language=site_of(settings).headline_language,
    )
    glossary, more = load_glossary(glossary_file, glossary_display, _languages(settings), keys=term_keys)
    problem_log(settings).extend([*problems, *more])
    return CitationsState(
        sources,
        glossary,
        sources_display,
        glossary_display,
        source_keys=source_keys if sources is not None else None,
        term_keys=term_keys if glossary is not None else None,
    )


def _register_links(settings: MutableMapping[str, Any], state: CitationsState) -> None:
    """Give the build's link check the links written in the registry and glossary.

    A source's texts are shown on the sources page and a term's on the
    glossary page, so relative links are read from there. ``{glossary}#term-x``
    links are resolved here for the check (``{brief}slug`` by the cross-links plugin).
    """
    from .resolve import page_url

    languages = _languages(settings)
    for name, entries in (("sources", state.sources), ("glossary", state.glossary)):
        for entry in (entries or {}).values():
            for line, lang, href in entry.links:
                if lang in languages:
                    page = page_url(settings, name, lang)
                    add_link(settings, path=entry.path, line=line, href=href, page=page, lang=lang)

    def glossary(rest: str, lang: str) -> str | None:
        return page_url(settings, "glossary", lang) + rest if lang in languages else None

    add_resolver(settings, "glossary", glossary)


def register_chart(
    context: MutableMapping[str, Any],
    *,
    chart_id: str,
    lang: str,
    url: str,
    title: str,
    sources: Sequence[str],
    path: str = "",
    line: int = 1,
) -> None:
    """Record a chart page as a place citing ``sources`` (registry keys).

    For the charts plugin: call it once per chart and language, from its
    generator's ``generate_context`` (before Pelican sends
    ``all_generators_finalized``), with the Pelican context (``self.context``)
    or settings. ``url`` is the chart page's URL relative to the site root
    (``en/charts/h200-timeline/``); ``path``/``line`` name the chart module
    for errors. Unknown keys are reported as ``path:line`` problems, and the
    chart's sources count as cited for the never-cited check. The sources
    page then lists the chart under each of its sources.
    """
    state = citations_state(context)
    place = ChartPlace(chart_id, lang, url, title, tuple(sources), path, line)
    if state.finalized:
        # Too late to be checked and listed: say so rather than drop it.
        problem_log(context).add(
            ContentError(path or chart_id, line, "chart registered after citations were resolved")
        )
        return
    state.charts.append(place)


__all__ = ["ChartPlace", "CitationsState", "citations_state", "register_chart"]
