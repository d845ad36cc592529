"""The citations state of one build: registry, glossary and citing places.

It is a slot of the build's :class:`~strictbuild.state.BuildState`, so it
lives as long as the build: not in the settings (every template context
would see it), not in module globals, and two builds never share it. The
markdown-it plugins read it while the reader parses briefs; later
steps add what they find (briefs, charts) and the pages are rendered from it.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import marshal
import os
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from strictbuild import ContentError, add_link, add_resolver, display_path, problem_log, site_of
from strictbuild.cache import CacheFingerprint
from strictbuild.kept import KeptValues
from strictbuild.reuse import code_digest
from strictbuild.state import build_state, current_state
from strictbuild.text import decode_text

from .registry import GlossaryTerm, Source, parse_glossary, parse_sources


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


#: The registry and glossary as the last build read and found them sound,
#: by a digest of what they were read from (a :class:`strictbuild.kept.KeptValues` file).
KEPT_FILE = "citations-files"
_KEPT_FORMAT = 1
_SOURCE_FIELDS = tuple(item.name for item in dataclasses.fields(Source))
_TERM_FIELDS = tuple(item.name for item in dataclasses.fields(GlossaryTerm))

#: What ``_load`` reads of the two files: the entries and every key written (None: no file).
_Files = tuple[dict[str, Source] | None, dict[str, GlossaryTerm] | None, set[str] | None, set[str] | None]


def _load(settings: MutableMapping[str, Any]) -> CitationsState:
    """Read the registry and the glossary the settings name, or take them back as the last build read them.

    Checking the registry parses it with a strict YAML composer (0.3 s for
    the 640 lines of a 2,000-brief site, on every build). Each file is read
    once; a reading with no problem is kept under a digest of those bytes
    and the code, settings and packages (:func:`strictbuild.reuse.code_digest`).
    Under ``STRICTBUILD_VERIFY_REUSE`` the files are parsed anyway, and a
    kept reading that differs stops the build (and is dropped).
    """
    content = str(settings.get("PATH", "content"))
    sources_file = os.path.join(content, str(settings.get("CITATIONS_REGISTRY", "sources.yaml")))
    glossary_file = os.path.join(content, str(settings.get("CITATIONS_GLOSSARY", "glossary.yaml")))
    sources_display = display_path(sources_file, settings)
    glossary_display = display_path(glossary_file, settings)
    sources_raw, glossary_raw = _raw(sources_file), _raw(glossary_file)
    kept = None
    if current_state() is not None and build_state().slot(CacheFingerprint).value:
        kept = KeptValues.open(settings, KEPT_FILE)  # only under the content cache's lock
    key = _kept_key(settings, (sources_file, sources_raw), (glossary_file, glossary_raw)) if kept else None
    found = _unpack(data) if kept is not None and key is not None and (data := kept.get(key)) else None
    if found is not None and kept is not None and not kept.verify:
        sources, glossary, source_keys, term_keys = found
    else:
        since = kept.mark() if kept is not None else 0
        reading, problems = _parse(settings, sources_raw, sources_display, glossary_raw, glossary_display)
        problem_log(settings).extend(problems)
        sources, glossary, source_keys, term_keys = reading
        if kept is not None and key is not None:
            if found is not None and found != reading:
                message = (
                    "internal error: the registry and glossary were kept as the previous build read them, "
                    "but reading them again gives another: the digest misses something the reading reads"
                )
                problem_log(settings).add(ContentError(sources_display, 1, message))
                kept.drop(key)
            elif not problems:
                kept.put(key, _pack(reading), since)
    if kept is not None:
        kept.save()
    return CitationsState(
        sources,
        glossary,
        sources_display,
        glossary_display,
        source_keys=source_keys,
        term_keys=term_keys,
    )


def _raw(path: str) -> bytes | None:
    """The bytes of ``path``; None when there is no such file."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _parse(
    settings: MutableMapping[str, Any],
    sources_raw: bytes | None,
    sources_display: str,
    glossary_raw: bytes | None,
    glossary_display: str,
) -> tuple[_Files, list[ContentError]]:
    """Check the two files' bytes (None: no such file); the reading, and the problems found."""
    problems: list[ContentError] = []
    sources = glossary = None
    source_keys: set[str] = set()
    term_keys: set[str] = set()
    text = _text(sources_raw, sources_display, problems)
    if text is not None:
        sources, found = parse_sources(
            text,
            sources_display,
            _languages(settings),
            keys=source_keys,
            headline_language=site_of(settings).headline_language,
        )
        problems.extend(found)
    text = _text(glossary_raw, glossary_display, problems)
    if text is not None:
        glossary, found = parse_glossary(text, glossary_display, _languages(settings), keys=term_keys)
        problems.extend(found)
    reading = (
        sources,
        glossary,
        source_keys if sources is not None else None,
        term_keys if glossary is not None else None,
    )
    return reading, problems


def _text(raw: bytes | None, display: str, problems: list[ContentError]) -> str | None:
    if raw is None:
        return None
    try:
        return decode_text(raw, display)
    except ContentError as error:
        problems.append(error)
        return None


def _kept_key(settings: MutableMapping[str, Any], *files: tuple[str, bytes | None]) -> bytes | None:
    """The digest a reading of ``files`` (path, bytes or None) is kept under; None when there is none."""
    try:
        code = code_digest(settings)
    except OSError:  # a file of the theme or plugins that cannot be read: read, keep nothing
        return None
    digest = hashlib.blake2b(b"citations files %d\0" % _KEPT_FORMAT, digest_size=20)
    digest.update(code)
    for path, data in files:
        encoded = os.path.abspath(path).encode("utf-8", "surrogateescape")
        digest.update(b"%d:" % len(encoded) + encoded)
        digest.update(b"-" if data is None else b"%d:" % len(data) + data)
    return digest.digest()


def _pack(files: _Files) -> bytes:
    sources, glossary, source_keys, term_keys = files
    packed_sources = None
    if sources is not None:
        packed_sources = [
            tuple(item.date.toordinal() if name == "date" else getattr(item, name) for name in _SOURCE_FIELDS)
            for item in sources.values()
        ]
    packed_glossary = None
    if glossary is not None:
        packed_glossary = [tuple(getattr(term, name) for name in _TERM_FIELDS) for term in glossary.values()]
    return marshal.dumps(
        (
            _KEPT_FORMAT,
            packed_sources,
            packed_glossary,
            None if source_keys is None else sorted(source_keys),
            None if term_keys is None else sorted(term_keys),
        )
    )


def _unpack(data: bytes) -> _Files | None:
    """A kept reading; None if the entry cannot be read as one."""
    try:
        version, sources, glossary, source_keys, term_keys = marshal.loads(data)  # noqa: S302 (own cache)
        if version != _KEPT_FORMAT:
            return None
        found_sources = None
        if sources is not None:
            found_sources = {}
            for values in sources:
                named = dict(zip(_SOURCE_FIELDS, values, strict=True))
                named["date"] = datetime.date.fromordinal(named["date"])
                found_sources[named["key"]] = Source(**named)
        found_glossary = None
        if glossary is not None:
            found_glossary = {}
            for values in glossary:
                term = GlossaryTerm(**dict(zip(_TERM_FIELDS, values, strict=True)))
                found_glossary[term.key] = term
        return (
            found_sources,
            found_glossary,
            None if source_keys is None else set(source_keys),
            None if term_keys is None else set(term_keys),
        )
    except (ValueError, TypeError, EOFError, KeyError, OverflowError):
        return None


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
