"""Check every link an author wrote against the site the build has just written.

Plugins record each link with the file and line it was written at
(:func:`add_link`); the Markdown reader records every link of every brief and
page. Once Pelican has written the whole site into the build's unpublished
folder (``finalized``), each link is resolved as a browser would from the
page it appears on, and must land on a file the build wrote, and its
``#fragment`` on an ``id`` of that page. The pages are not listed anywhere:
whatever any generator or plugin wrote (briefs, chart pages, a search page, a
parallel view added later) is known because it is there. A link that misses
stops the build with ``path:line: message``, and since the site is swapped in
only when the build succeeds, the published site never holds a broken link.

Placeholders such as ``{brief}slug`` are turned into URLs by the plugin that
owns them (:func:`add_resolver`); Pelican's own (``{filename}``,
``{static}``, ...) are resolved as Pelican resolves them.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt

from .problems import ContentError, problem_log
from .state import build_state

#: Schemes a link may use to leave the site.
EXTERNAL_SCHEMES = ("http", "https")

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)
_PLACEHOLDER = re.compile(r"^\{(\w+)\}")
# markdown-it percent-encodes the braces of a placeholder: {brief} -> %7Bbrief%7D
_ENCODED_PLACEHOLDER = re.compile(r"^%7B(\w+)%7D", re.I)
_ID = re.compile(r"""\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)

#: Turns the rest of a placeholder link (``slug#x`` of ``{brief}slug#x``) in a
#: language into a URL from the site root (``en/slug/#x``), or None if unknown.
Resolver = Callable[[str, str], "str | None"]


@dataclass(frozen=True)
class AuthorLink:
    """One link as an author wrote it, where it was written and where it is shown."""

    path: str
    line: int
    href: str
    #: the page the link appears on, as a URL from the site root (``en/about/``)
    page: str
    lang: str = ""


@dataclass
class LinkBook:
    """The links of one build and the resolvers of placeholders."""

    links: list[AuthorLink] = field(default_factory=list)
    resolvers: dict[str, Resolver] = field(default_factory=dict)
    #: every published brief and page by its URL (for Pelican's placeholders)
    pages: dict[str, Any] = field(default_factory=dict)


def link_book(settings: Mapping[str, Any] | None = None) -> LinkBook:
    """The running build's link book (a slot of its build state; ``settings`` is not used)."""
    return build_state().slot(LinkBook)


def add_link(
    settings: Mapping[str, Any] | None, *, path: str, line: int, href: str, page: str, lang: str = ""
) -> None:
    """Record a link written at ``path:line``, shown on ``page`` (a URL from the site root)."""
    link_book(settings).links.append(AuthorLink(path, line, normalise(href), page, lang))


def normalise(href: str) -> str:
    """``href`` with a placeholder's braces as written (markdown-it percent-encodes them)."""
    return _ENCODED_PLACEHOLDER.sub(r"{\1}", href.strip())


def add_resolver(settings: Mapping[str, Any] | None, name: str, resolver: Resolver) -> None:
    """Make ``{name}rest`` links resolvable: ``resolver(rest, lang)`` gives a URL from the site root."""
    link_book(settings).resolvers[name] = resolver


_INLINE = MarkdownIt("commonmark")
# See every link, whatever its scheme, so that a refused one is reported.
_INLINE.validateLink = lambda url: True  # type: ignore[method-assign]


def links_in(text: str) -> list[str]:
    """The targets of the Markdown links (``[text](target)``, ``<https://...>``) in a plain text.

    For texts kept outside Markdown files (registry notes, glossary
    definitions, chart notes): a link written there is checked like any other.
    """
    found: list[str] = []
    for block in _INLINE.parseInline(text):
        for child in block.children or []:
            if child.type == "link_open":
                found.append(normalise(str(child.attrGet("href") or "")))
    return found


def scheme_of(href: str) -> str | None:
    """The scheme of ``href`` in lower case (``https``), or None for a link within the site."""
    match = _SCHEME.match(href.strip())
    return match.group(1).lower() if match else None


def scheme_problem(href: str) -> str | None:
    """Why ``href`` may not leave the site, or None if it may (http(s)) or stays on the site."""
    scheme = scheme_of(href)
    if scheme is None:
        if href.strip().startswith("//"):
            return f"link {href!r} has no scheme: write the address with https://"
        return None
    if scheme in EXTERNAL_SCHEMES:
        return None
    return f"link {href!r} uses '{scheme}:'; only http(s) addresses may leave the site"


class _Site:
    """The files of the written site and, on demand, the ids of each page."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._ids: dict[str, set[str]] = {}

    def file_for(self, url_path: str) -> str | None:
        """The written file a URL path (from the site root) serves, or None."""
        clean = posixpath.normpath("/" + unquote(url_path)).lstrip("/")
        candidates = [clean] if clean and not url_path.endswith("/") else []
        candidates.append(posixpath.join(clean, "index.html") if clean else "index.html")
        for candidate in candidates:
            if os.path.isfile(os.path.join(self.root, candidate)):
                return candidate
        return None

    def ids(self, page: str) -> set[str]:
        """Every ``id`` (and ``name``) in the written page ``page``."""
        if page not in self._ids:
            with open(os.path.join(self.root, page), encoding="utf-8", errors="replace") as handle:
                text = handle.read()
            self._ids[page] = {
                html.unescape(next(g for g in m.groups() if g is not None)) for m in _ID.finditer(text)
            }
        return self._ids[page]


def _target(link: AuthorLink, book: LinkBook, expand: Callable[[AuthorLink], str | None]) -> str | None:
    """The link as a URL from the site root, or None when its placeholder is unknown."""
    href = link.href.strip()
    placeholder = _PLACEHOLDER.match(href)
    if placeholder is not None:
        resolver = book.resolvers.get(placeholder.group(1))
        if resolver is not None:
            return resolver(href[placeholder.end() :], link.lang)
        resolved = expand(link)
        return None if resolved is None else resolved.lstrip("/")
    if href.startswith("/"):
        return href.lstrip("/")
    parts = urlsplit(href)
    if not parts.path:
        return link.page + href
    return posixpath.join(posixpath.dirname(link.page.rstrip("/") + "/x"), href)


def check_link(
    link: AuthorLink, site: _Site, book: LinkBook, expand: Callable[[AuthorLink], str | None]
) -> ContentError | None:
    """Why ``link`` does not land on the written site, or None when it does."""
    shown_href = unquote(link.href)
    if scheme_of(link.href) is not None or link.href.strip().startswith("//"):
        problem = scheme_problem(link.href)
        return ContentError(link.path, link.line, problem) if problem else None
    target = _target(link, book, expand)
    if target is None:
        return ContentError(link.path, link.line, f"link {shown_href!r}: the placeholder names nothing known")
    parts = urlsplit(target)
    joined = posixpath.normpath("/" + parts.path) if parts.path else "/"
    if parts.path and ".." in posixpath.normpath(parts.path).split("/")[:1]:
        return ContentError(link.path, link.line, f"link {shown_href!r} leads out of the site")
    page = site.file_for(joined + ("/" if parts.path.endswith("/") else ""))
    if page is None:
        shown = joined.lstrip("/") or "/"
        return ContentError(link.path, link.line, f"link {shown_href!r}: the site has no page at {shown}")
    fragment = unquote(parts.fragment)
    if fragment and page.endswith(".html") and fragment not in site.ids(page):
        shown = page.removesuffix("index.html") or "/"
        return ContentError(link.path, link.line, f"link {shown_href!r}: {shown} has no '#{fragment}'")
    return None


def collect_content_links(generators: list[Any]) -> None:
    """Record the links the Markdown reader found in every published brief and page.

    Run at ``all_generators_finalized``, when every page's URL is known.
    """
    from . import all_content

    if not generators:
        return
    book = link_book(generators[0].settings)
    for item in all_content(generators):
        if getattr(item, "status", "published") != "published" or not getattr(item, "save_as", ""):
            continue
        page = str(item.url)
        book.pages.setdefault(page, item)
        extracted: Mapping[str, Any] = (item.metadata or {}).get("extracted") or {}
        for link in extracted.get("links", []):
            href = normalise(link["href"])
            book.links.append(AuthorLink(link["path"], link["line"], href, page, str(item.lang)))


def _pelican_placeholder(book: LinkBook, link: AuthorLink) -> str | None:
    """A Pelican placeholder link (``{filename}``, ``{static}``...) resolved as Pelican does."""
    item = book.pages.get(link.page)
    if item is None:
        return None
    out = item._update_content(f'<a href="{html.escape(link.href)}">', "")
    match = re.search(r'href="([^"]*)"', out)
    if match is None or match.group(1).startswith("{"):
        return None
    return html.unescape(match.group(1))


def check_links(pelican: Any) -> None:
    """Check every recorded link against the site just written; record what misses.

    Connected to ``finalized``: Pelican has written every page into the
    build's unpublished folder, which replaces the site only if no problem
    is recorded.
    """
    settings = pelican.settings
    book = link_book(settings)
    site = _Site(str(pelican.output_path))
    log = problem_log(settings)
    for link in book.links:
        problem = check_link(link, site, book, lambda one: _pelican_placeholder(book, one))
        if problem is not None:
            log.add(problem)


__all__ = [
    "EXTERNAL_SCHEMES",
    "AuthorLink",
    "LinkBook",
    "add_link",
    "add_resolver",
    "check_link",
    "check_links",
    "collect_content_links",
    "link_book",
    "links_in",
    "scheme_of",
    "scheme_problem",
]
