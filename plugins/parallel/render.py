"""Render: a brief's versions as columns of one page one folder below the brief.

The columns hold each version's HTML as its own brief page shows it, with
two changes so that both fit on one page: every id (and every reference to
one: aria-describedby, aria-labelledby, data-preview, for) gets the
version's language prefix, so the two columns never share an id; and every
relative address moves one folder up, since the page sits in ``parallel/``
below the brief. A link to a place shown in the column (a section, a
footnote) stays on the page, under its prefixed id; a link to any other
place of the brief (``#source-x``) goes to that place on the brief's own
page, in that version's language.
"""

from __future__ import annotations

import re

_ID_ATTRS = re.compile(r'\b(id|aria-describedby|aria-labelledby|data-preview|for)="([^"]*)"')
_URL_ATTRS = re.compile(r'\b(href|src|data-spec|data-spec-narrow)="([^"]*)"')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")


def prefix_ids(html: str, prefix: str) -> str:
    """Prefix every id, and every attribute naming ids, with ``prefix``."""

    def one(match: re.Match[str]) -> str:
        names = " ".join(f"{prefix}{name}" for name in match.group(2).split())
        return f'{match.group(1)}="{names}"'

    return _ID_ATTRS.sub(one, html)


def rebase_urls(
    html: str, *, prefix: str = "", local: frozenset[str] = frozenset(), brief: str = "../"
) -> str:
    """Move relative addresses one folder down (``../x`` -> ``../../x``).

    A fragment naming an id in ``local`` (the column's own) gets ``prefix``;
    any other fragment goes to ``brief``, the version's own page.
    """

    def one(match: re.Match[str]) -> str:
        name, value = match.groups()
        if value.startswith("#"):
            target = value[1:]
            return f'{name}="#{prefix}{target}"' if target in local else f'{name}="{brief}{value}"'
        if not value or value.startswith("/") or _SCHEME.match(value):
            return match.group(0)
        return f'{name}="../{value}"'

    return _URL_ATTRS.sub(one, html)


def ids_in(html: str) -> frozenset[str]:
    """Every id an HTML fragment defines."""
    return frozenset(re.findall(r'\bid="([^"]*)"', html))


def column_html(html: str, prefix: str, *, local: frozenset[str] = frozenset(), brief: str = "../") -> str:
    """One version's block, ready for its column on the side-by-side page."""
    return prefix_ids(rebase_urls(html, prefix=prefix, local=local, brief=brief), prefix)
