"""Write ``/{lang}/{slug}/parallel/``: every brief in both languages, side by side.

Each language gets its own page (interface in that language, its own
version in the first column); both pages show every version. Versions that
do not align are reported as translation drift and get no page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pelican.generators import Generator

from strictbuild import ContentError, display_path, forked, problem_log, site_of
from strictbuild.reuse import reuse_for
from strictbuild.settings import plugin_enabled

from .align import Row, misalignment, outline, rows, sections
from .render import column_html, own_html

NAME = "parallel"


@dataclass(frozen=True)
class Column:
    """One version of the brief on the page."""

    lang: str
    title: str
    url: str  # the version's own page, relative to the site root
    prefix: str


def parallel_url(brief: Any, settings: Any) -> str:
    """The side-by-side page of a brief's version, relative to the site root."""
    return str(settings.get("PARALLEL_URL", "{url}parallel/")).format(url=brief.url)


def _own_url(version: Any, alternates: list[tuple[str, str]]) -> str:
    """The side-by-side page of ``version``, from the brief's ``alternates`` (one per language).

    Pelican works a brief's address out again on every read of ``url``: the
    brief's pages take it once, for ``alternates``.
    """
    return next(url for lang, url in alternates if lang == version.lang)


def _versions(article: Any, languages: dict[str, Any]) -> list[Any]:
    found = {v.lang: v for v in [article, *getattr(article, "translations", [])] if v.lang in languages}
    return [found[lang] for lang in languages if lang in found]


class ParallelPagesGenerator(Generator):
    """Writes the side-by-side page of every brief in every language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: True once a forked child writes this build's pages (strictbuild.forked.write_beside)
        self.forked = False

    def generate_context(self) -> None:
        """Nothing to read: the pages are made from the briefs already read.

        They read only the briefs after the render pass and the context,
        and are the largest group of a cold build's pages: a forked child
        writes them while the build writes the rest.
        """
        if plugin_enabled(self.settings, NAME):
            forked.write_beside("the side-by-side pages", self)

    def generate_output(self, writer: Any) -> None:
        """Write the side-by-side pages, unless a forked child has them in hand."""
        if not self.forked:
            self.write_pages(writer)

    def page_names(self) -> list[str]:
        """The file of every side-by-side page the build may write, relative to the output folder."""
        return [parallel_url(v, self.settings) + "index.html" for brief in self._briefs() for v in brief]

    def _briefs(self) -> list[list[Any]]:
        """The versions of each brief that has a side-by-side page (two languages or more), once each."""
        if not plugin_enabled(self.settings, NAME):
            return []
        languages = site_of(self.settings).languages
        seen: set[str] = set()
        found = []
        for article in self.context.get("articles") or []:
            if article.slug in seen:
                continue
            seen.add(article.slug)
            versions = _versions(article, languages)
            if len(versions) > 1:
                found.append(versions)
        return found

    def write_pages(self, writer: Any) -> None:
        """Check each brief's alignment and write its side-by-side pages."""
        for versions in self._briefs():
            alternates = [(v.lang, parallel_url(v, self.settings)) for v in versions]
            digests = {id(own): self._digest(own, versions, alternates) for own in versions}
            if self._keep(writer, versions, alternates, digests):
                continue
            # One reading of each version's own HTML: its sections (to align)
            # and the ids it defines (links to them stay on the page).
            outlines = [outline(own_html(v)) for v in versions]
            parsed = [found for found, _ids in outlines]
            if self._report(versions, parsed):
                continue
            local = [ids for _found, ids in outlines]
            # A version's column reads the same on every side-by-side page of
            # the brief (same prefix, same way to its page): render it once.
            made: dict[tuple[int, str, str], list[Any]] = {}
            # So do its hover previews (same prefix, same language): the
            # template fills this in on the first page and reads it on the next.
            previews: dict[tuple[str, str], Any] = {}
            for own in versions:
                self._write(
                    writer, own, versions, parsed, local, alternates, made, previews, digests[id(own)]
                )

    def _order(self, own: Any, versions: list[Any]) -> list[Any]:
        return [own, *[v for v in versions if v is not own]]

    def _digest(self, own: Any, versions: list[Any], alternates: list[tuple[str, str]]) -> str | None:
        """The digest of ``own``'s side-by-side page (see :mod:`strictbuild.reuse`)."""
        reuse = reuse_for()
        if reuse is None:
            return None
        url = _own_url(own, alternates)
        values = {"lang": own.lang, "alternates": alternates}
        return reuse.page_digest(
            url + "index.html",
            "parallel",
            self._order(own, versions),
            values,
            relative_urls=bool(self.settings["RELATIVE_URLS"]),
        )

    def _keep(
        self,
        writer: Any,
        versions: list[Any],
        alternates: list[tuple[str, str]],
        digests: dict[int, str | None],
    ) -> bool:
        """Copy every side-by-side page of a brief from the previous build if none changed.

        The previous build aligned the same versions and wrote the same pages
        from the same inputs, so its alignment check passed for them too.
        Nothing is written unless every page can be copied.
        """
        kept_copies = getattr(writer, "kept_copies", None)
        if kept_copies is None:
            return False
        names = {id(v): _own_url(v, alternates) + "index.html" for v in versions}
        kept = kept_copies({names[id(v)]: digests[id(v)] for v in versions})
        if kept is None:
            return False
        for own in versions:
            url = _own_url(own, alternates)
            writer.write_copy(
                names[id(own)],
                digests[id(own)],
                kept[names[id(own)]],
                self.context,
                self.settings["RELATIVE_URLS"],
                lang=own.lang,
                alternates=alternates,
                page_name=url + "index",
                brief=own,
                versions=self._order(own, versions),
            )
        return True

    def _write(
        self,
        writer: Any,
        own: Any,
        versions: list[Any],
        parsed: list[list[Any]],
        local: list[frozenset[str]],
        alternates: list[tuple[str, str]],
        made: dict[tuple[int, str, str], list[Any]],
        previews: dict[tuple[str, str], Any],
        digest: str | None,
    ) -> None:
        """Write ``own``'s side-by-side page: its version first, then the others."""
        languages = site_of(self.settings).languages
        order = self._order(own, versions)
        index = {id(v): i for i, v in enumerate(versions)}
        columns = [Column(v.lang, str(v.title), str(v.url), f"{languages[v.lang].path}-") for v in order]
        url = _own_url(own, alternates)
        # From the side-by-side page up to the site root, then down to a version's brief.
        up = "../" * (str(url).rstrip("/").count("/") + 1)
        cells = []
        for col, v in zip(columns, order, strict=True):
            page = f"{up}{v.url}"
            key = (id(v), col.prefix, page)
            if key not in made:
                html = column_html(v, self.settings, prefix=col.prefix, page=page, local=local[index[id(v)]])
                made[key] = rows([sections(html)])
            cells.append(made[key])
        # A heading row carries the section id of this page's language,
        # so /{lang}/{slug}/parallel/#section lands like the brief's own.
        table = [
            (
                row.kind,
                row.anchors[index[id(own)]] if row.anchors else "",
                [(col, column[number].cells[0]) for col, column in zip(columns, cells, strict=True)],
            )
            for number, row in enumerate(rows(parsed))
        ]
        values: dict[str, Any] = {
            "lang": own.lang,
            "alternates": alternates,
            "page_name": url + "index",
            "brief": own,
            "columns": columns,
            "rows": table,
            "versions": order,
            "previews_made": previews,
        }
        write_page = getattr(writer, "write_page", None)
        if write_page is not None:
            write_page(
                url + "index.html",
                digest,
                self.get_template("parallel"),
                self.context,
                self.settings["RELATIVE_URLS"],
                **values,
            )
        else:
            writer.write_file(
                url + "index.html",
                self.get_template("parallel"),
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                **values,
            )

    def _report(self, versions: list[Any], parsed: list[list[Any]]) -> bool:
        """Report versions that do not align as drift; True when there was any."""
        found = False
        first = parsed[0]
        for version, other in zip(versions[1:], parsed[1:], strict=True):
            for index, message in misalignment(first, other):
                found = True
                contents = (version.metadata.get("extracted") or {}).get("contents") or []
                opening = 1 if other and not other[0].heading else 0
                heading = index - opening
                line = contents[heading]["line"] if 0 <= heading < len(contents) else 1
                path = display_path(str(version.source_path), self.settings)
                problem_log(self.settings).add(
                    ContentError(
                        path,
                        int(line),
                        f"translation drift: the side-by-side page cannot align this version with the "
                        f"{versions[0].lang} one: {message}",
                    )
                )
        return found


__all__ = ["Column", "ParallelPagesGenerator", "Row", "parallel_url"]
