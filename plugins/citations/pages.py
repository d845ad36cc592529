"""Write the sources and glossary pages of each language and the citation files of each brief."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from pelican.generators import Generator

from strictbuild import site_of
from strictbuild.itemdata import record_of
from strictbuild.reuse import write_page, write_text

from .render import SourceView, source_view, term_view
from .resolve import SourceCiting, page_url
from .state import CitationsState, citations_state


class CitationPagesGenerator(Generator):
    """Writes ``/{lang}/glossary/``, which search indexes.

    The rest (:class:`CitationFilesGenerator`) is written after every other
    plugin's pages, while Pagefind indexes these.
    """

    def generate_context(self) -> None:
        """Nothing to read: the registry is loaded when the build starts."""

    def generate_output(self, writer: Any) -> None:
        """Write the glossary of every language."""
        self._write_pages(writer, ("glossary",))

    def _write_pages(self, writer: Any, names: tuple[str, ...]) -> None:
        """Write the pages ``names`` (``sources``, ``glossary``) of every language."""
        state = citations_state(self.settings)
        languages = site_of(self.settings).codes
        for name in names:
            alternates = [(lang, page_url(self.settings, name, lang)) for lang in languages]
            for lang in languages:
                url = page_url(self.settings, name, lang)
                extra: dict[str, Any]
                digest_as: dict[str, Any] | None = None
                made: Callable[[], dict[str, Any]] | None = None
                if name == "sources":
                    entries = sorted((state.sources or {}).values(), key=lambda s: (s.date, s.key))
                    views = [source_view(source, lang, self.settings) for source in entries]
                    charts = state.chart_citing.get(lang, {})
                    cited_in_briefs = state.citing_inputs.get(lang)
                    make = functools.partial(_shown, state, lang, views)
                    if cited_in_briefs is None:
                        extra = make()
                    else:
                        # Each source's citing briefs are made from the language's citation
                        # places, titles and addresses, digested once when they were resolved:
                        # the index listing them by source is made only if the page is rendered.
                        extra, made = {}, make
                        digest_as = {
                            "lang": lang,
                            "alternates": alternates,
                            "page_name": url + "index",
                            "sources": [(view, charts.get(view.key, [])) for view in views],
                            "cited_in_briefs": cited_in_briefs,
                        }
                else:
                    terms = sorted(
                        (term_view(term, lang, self.settings) for term in (state.glossary or {}).values()),
                        key=lambda t: t.term.casefold(),
                    )
                    extra = {"terms": terms}
                write_page(
                    writer,
                    url + "index.html",
                    self.get_template(name),
                    self.context,
                    relative_urls=self.settings["RELATIVE_URLS"],
                    digest_as=digest_as,
                    made_if_rendered=made,
                    lang=lang,
                    alternates=alternates,
                    page_name=url + "index",
                    **extra,
                )


class CitationFilesGenerator(CitationPagesGenerator):
    """Writes ``/{lang}/sources/`` and each brief's ``cite.json``/``cite.bib``; none of them indexed."""

    def generate_output(self, writer: Any) -> None:
        """Write the sources page of every language, then the citation downloads."""
        self._write_pages(writer, ("sources",))
        self._write_cite_files(writer)

    def _write_cite_files(self, writer: Any) -> None:
        """Write the CSL-JSON and BibTeX of every brief beside its page.

        Their text is made from what the brief's page is made from (the
        record is ``made_from_digested``): a brief whose page digest is
        unchanged keeps the previous build's files, and its "cite this" texts
        are not made at all.
        """
        for article in citations_state(self.settings).briefs:
            cites = record_of(article, "citations")
            files = getattr(cites, "cite_files", None)
            if not files:
                continue
            for kind in ("csl", "bibtex"):
                write_text(writer, files[kind], article, functools.partial(_cite_text, cites, kind))


def _cite_text(cites: Any, kind: str) -> str:
    cite = cites.cite_this
    return str(cite.csl_json if kind == "csl" else cite.bibtex)


def _shown(state: CitationsState, lang: str, views: list[SourceView]) -> dict[str, Any]:
    """The sources page's values: each source's view with the briefs and charts citing it."""
    citing = state.citing.get(lang, {})
    return {"sources": [(view, citing.get(view.key, SourceCiting())) for view in views]}
