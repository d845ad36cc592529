"""Write the sources and glossary pages of each language and the citation files of each brief."""

from __future__ import annotations

import os
from typing import Any

from pelican.generators import Generator

from strictbuild import site_of
from strictbuild.itemdata import record_of
from strictbuild.reuse import write_page

from .render import source_view, term_view
from .resolve import SourceCiting, page_url
from .state import citations_state


class CitationPagesGenerator(Generator):
    """Writes ``/{lang}/sources/``, ``/{lang}/glossary/`` and each brief's ``cite.json``/``cite.bib``."""

    def generate_context(self) -> None:
        """Nothing to read: the registry is loaded when the build starts."""

    def generate_output(self, writer: Any) -> None:
        """Write the pages of every language, then the citation downloads."""
        state = citations_state(self.settings)
        languages = site_of(self.settings).codes
        for name in ("sources", "glossary"):
            alternates = [(lang, page_url(self.settings, name, lang)) for lang in languages]
            for lang in languages:
                url = page_url(self.settings, name, lang)
                extra: dict[str, Any]
                digest_as: dict[str, Any] | None = None
                if name == "sources":
                    citing = state.citing.get(lang, {})
                    entries = sorted((state.sources or {}).values(), key=lambda s: (s.date, s.key))
                    shown = [
                        (source_view(source, lang, self.settings), citing.get(source.key, SourceCiting()))
                        for source in entries
                    ]
                    extra = {"sources": shown}
                    cited_in_briefs = state.citing_inputs.get(lang)
                    if cited_in_briefs is not None:
                        # Each source's citing briefs are made from the language's citation
                        # places, titles and addresses, digested once when they were resolved.
                        digest_as = {
                            "lang": lang,
                            "alternates": alternates,
                            "page_name": url + "index",
                            "sources": [(view, citing_of.charts) for view, citing_of in shown],
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
                    lang=lang,
                    alternates=alternates,
                    page_name=url + "index",
                    **extra,
                )
        self._write_cite_files()

    def _write_cite_files(self) -> None:
        """Write the CSL-JSON and BibTeX of every brief beside its page."""
        for article in citations_state(self.settings).briefs:
            cites = record_of(article, "citations")
            files = getattr(cites, "cite_files", None)
            cite = getattr(cites, "cite_this", None)
            if not files or cite is None:
                continue
            for kind, text in (("csl", cite.csl_json), ("bibtex", cite.bibtex)):
                target = os.path.join(self.output_path, files[kind])
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "w", encoding="utf-8", newline="\n") as handle:
                    handle.write(text)
