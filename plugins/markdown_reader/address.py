"""Rendering a file for another page than its own: ids prefixed, addresses rebased.

A file's HTML is made for its own page. Shown on another page (the
side-by-side page sits one folder below the brief and holds two versions),
its ids must not clash and its relative addresses must start from that page.
An :class:`Address` in the render environment (``env["address"]``) says how:
:class:`SiteRenderer` applies it to the attributes of every token it
renders, and the site's own render rules (footnotes here, citations, the
chart figure) to the ids and addresses they write. Without one, a file
renders for its own page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

#: Attributes holding ids, or names of ids.
ID_ATTRS = frozenset({"id", "aria-describedby", "aria-labelledby", "data-preview", "for"})
#: Attributes holding addresses.
URL_ATTRS = frozenset({"href", "src", "data-spec", "data-spec-narrow"})
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")
#: Pelican's own placeholders (``{filename}``...), resolved later from the page's own depth.
_PLACEHOLDER = re.compile(r"^(\{|%7B)", re.I)


@dataclass(frozen=True)
class Address:
    """Where a rendering is shown, relative to the file's own page.

    ``prefix`` starts every id; ``up`` starts every relative address; a
    fragment naming an id of ``local`` (the rendering's own) stays on the
    page under its prefixed id, any other goes to ``page`` (the file's own page).
    """

    prefix: str = ""
    up: str = ""
    local: frozenset[str] = frozenset()
    page: str = ""

    def id(self, names: str) -> str:
        """An id, or a space-separated list of them, as the page holds it."""
        return " ".join(f"{self.prefix}{name}" for name in names.split())

    def url(self, value: str) -> str:
        """An address as the page needs it."""
        if value.startswith("#"):
            target = value[1:]
            return f"#{self.prefix}{target}" if target in self.local else f"{self.page}{value}"
        if not value or value.startswith("/") or _SCHEME.match(value) or _PLACEHOLDER.match(value):
            return value
        return f"{self.up}{value}"

    def attrs(self, attrs: Mapping[str, Any]) -> dict[str, Any]:
        """Token attributes with their ids and addresses moved."""
        moved: dict[str, Any] = {}
        for name, value in attrs.items():
            if name in ID_ATTRS:
                value = self.id(str(value))
            elif name in URL_ATTRS:
                value = self.url(str(value))
            moved[name] = value
        return moved


#: What a render rule uses when the environment has no address: the file's own page.
OWN_PAGE = Address()


def address_of(env: Mapping[str, Any]) -> Address:
    """The address a render rule writes for (its own page when none is given)."""
    address = env.get("address")
    return address if isinstance(address, Address) else OWN_PAGE


class SiteRenderer(RendererHTML):
    """The HTML renderer, moving every token's ids and addresses by ``env["address"]``."""

    def renderToken(
        self,
        tokens: Sequence[Token],
        idx: int,
        options: OptionsDict,
        env: MutableMapping[str, Any],
    ) -> str:
        """One token, its attributes moved when the rendering is for another page."""
        address = env.get("address")
        token = tokens[idx]
        if not isinstance(address, Address) or not token.attrs or not isinstance(tokens, list):
            return super().renderToken(tokens, idx, options, env)
        # The tokens stay as parsed (a document is rendered more than once):
        # the moved copy stands in for this token while it renders.
        tokens[idx] = token.copy(attrs=address.attrs(token.attrs))
        try:
            return super().renderToken(tokens, idx, options, env)
        finally:
            tokens[idx] = token


def _footnote_ident(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    return str(self.rules["footnote_anchor_name"](tokens, idx, options, env))


def _render_footnote_ref(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any) -> str:
    address = address_of(env)
    ident = _footnote_ident(self, tokens, idx, options, env)
    caption = self.rules["footnote_caption"](tokens, idx, options, env)
    refid = ident
    if tokens[idx].meta.get("subId", -1) > 0:
        refid += ":" + str(tokens[idx].meta["subId"])
    href, anchor = address.url("#fn" + ident), address.id("fnref" + refid)
    return f'<sup class="footnote-ref"><a href="{href}" id="{anchor}">{caption}</a></sup>'


def _render_footnote_open(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
) -> str:
    ident = _footnote_ident(self, tokens, idx, options, env)
    if tokens[idx].meta.get("subId", -1) > 0:
        ident += ":" + str(tokens[idx].meta["subId"])
    return f'<li id="{address_of(env).id("fn" + ident)}" class="footnote-item">'


def _render_footnote_anchor(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
) -> str:
    ident = _footnote_ident(self, tokens, idx, options, env)
    if tokens[idx].meta["subId"] > 0:
        ident += ":" + str(tokens[idx].meta["subId"])
    # ↩ with a variation selector, so that iOS does not show it as an emoji
    return f' <a href="{address_of(env).url("#fnref" + ident)}" class="footnote-backref">\u21a9\ufe0e</a>'


def footnote_address_plugin(md: MarkdownIt) -> None:
    """Make the footnote plugin's ids and links follow ``env["address"]`` (its HTML otherwise)."""
    md.add_render_rule("footnote_ref", _render_footnote_ref)
    md.add_render_rule("footnote_open", _render_footnote_open)
    md.add_render_rule("footnote_anchor", _render_footnote_anchor)


__all__ = [
    "ID_ATTRS",
    "OWN_PAGE",
    "URL_ATTRS",
    "Address",
    "SiteRenderer",
    "address_of",
    "footnote_address_plugin",
]
