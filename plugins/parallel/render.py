"""Render: a brief's versions as columns of one page one folder below the brief.

Each column is the version rendered again from its tokens for the
side-by-side page (see :mod:`markdown_reader.address`): every id (and
every attribute naming one: aria-describedby, aria-labelledby,
data-preview, for) gets the version's language prefix, so the two columns
never share an id, and every relative address starts one folder further
up, since the page sits in ``parallel/`` below the brief. A link to a
place shown in the column (a section, a footnote) stays on the page, under
its prefixed id; a link to any other place of the brief (``#source-x``)
goes to that place on the brief's own page, in that version's language.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any

from markdown_reader import Address, render_pass


class _Ids(HTMLParser):
    """Collects the ids an HTML fragment defines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value is not None)


def ids_in(html: str) -> frozenset[str]:
    """Every id an HTML fragment defines."""
    parser = _Ids()
    parser.feed(html)
    parser.close()
    return frozenset(parser.ids)


def root_from(save_as: str) -> str:
    """The relative way from the folder of ``save_as`` up to the site root (``../..``)."""
    depth = posixpath.dirname(save_as).count("/") + 1
    return posixpath.join(*[".."] * depth)


def own_html(brief: Any) -> str:
    """The brief's HTML as its own page has it (addresses relative to the brief)."""
    return str(brief.get_content(root_from(str(brief.save_as))))


def column_html(
    brief: Any, settings: Mapping[str, Any], *, prefix: str, page: str, local: frozenset[str]
) -> str:
    """One version's HTML for its column: rendered from its tokens for the side-by-side page.

    ``page`` is the version's own page from the side-by-side page; ``local``
    the ids its own HTML defines.
    """
    rendering = render_pass(settings)
    if rendering is None:
        return ""
    address = Address(prefix=prefix, up="../", local=local, page=page)
    html = rendering.render(brief, address=address)
    # Pelican's placeholders ({filename}...), from the side-by-side page's folder.
    here = posixpath.join(posixpath.dirname(str(brief.save_as)), "parallel", "index.html")
    return str(brief._update_content(html, root_from(here)))


__all__ = ["column_html", "ids_in", "own_html", "root_from"]
