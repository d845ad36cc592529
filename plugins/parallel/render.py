"""Render: a brief's versions as columns of one page one folder below the brief.

The columns hold each version's HTML as its own brief page shows it, with
two changes so that both fit on one page: every id (and every reference to
one: aria-describedby, aria-labelledby, data-preview, for) gets the
version's language prefix, so the two columns never share an id; and every
relative address moves one folder up, since the page sits in ``parallel/``
below the brief. A link to a place in the brief (``#source-x``) goes to
that place on the brief's own page.
"""

from __future__ import annotations

import re

_ID_ATTRS = re.compile(r'\b(id|aria-describedby|aria-labelledby|data-preview|for)="([^"]*)"')
_URL_ATTRS = re.compile(r'\b(href|src|data-spec)="([^"]*)"')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")


def prefix_ids(html: str, prefix: str) -> str:
    """Prefix every id, and every attribute naming ids, with ``prefix``."""

    def one(match: re.Match[str]) -> str:
        names = " ".join(f"{prefix}{name}" for name in match.group(2).split())
        return f'{match.group(1)}="{names}"'

    return _ID_ATTRS.sub(one, html)


def rebase_urls(html: str) -> str:
    """Move relative addresses one folder down (``../x`` -> ``../../x``); fragments to the brief."""

    def one(match: re.Match[str]) -> str:
        name, value = match.groups()
        if value.startswith("#"):
            return f'{name}="../{value}"'
        if not value or value.startswith("/") or _SCHEME.match(value):
            return match.group(0)
        return f'{name}="../{value}"'

    return _URL_ATTRS.sub(one, html)


def column_html(html: str, prefix: str) -> str:
    """One version's block, ready for its column on the side-by-side page."""
    return prefix_ids(rebase_urls(html), prefix)
