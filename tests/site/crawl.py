"""A static link crawler over a served site: no browser, just HTTP and a parser.

Starting from the site root and every known page, it follows every internal
link, asset, srcset candidate and stylesheet url(), fetches each once, and
checks that it answers 200 and that every ``#fragment`` names an element of the
target page. Anything that points at another host, or outside the site's
sub-path, is a problem, except outbound ``<a rel="external">`` links (sources).
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from tests.site.scan import Document, element_urls, parse, scheme_of

_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_SITEMAP_LOC = re.compile(r"<loc>([^<]+)</loc>")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


@dataclass
class Fetched:
    """One fetched address."""

    status: int
    kind: str
    body: bytes
    location: str = ""


@dataclass
class Crawl:
    """The result of crawling a site."""

    problems: list[str] = field(default_factory=list)
    fetched: dict[str, Fetched] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)


def fetch(url: str) -> Fetched:
    """GET ``url`` without following redirects."""
    try:
        with _OPENER.open(url, timeout=30) as response:
            return Fetched(response.status, response.headers.get_content_type(), response.read())
    except urllib.error.HTTPError as error:
        return Fetched(
            error.code, error.headers.get_content_type(), error.read(), error.headers.get("Location", "")
        )


def crawl(base_url: str, start: Iterable[str]) -> Crawl:
    """Crawl the site served at ``base_url`` (ending with "/") from ``start``."""
    result = Crawl()
    origin = urlsplit(base_url)
    queue = [base_url, *start]
    sitemap = fetch(urljoin(base_url, "sitemap.xml"))
    if sitemap.status == 200:
        queue += [loc.strip() for loc in _SITEMAP_LOC.findall(sitemap.body.decode("utf-8"))]
    fragments: list[tuple[str, str, str]] = []  # (from page, target, fragment)
    seen: set[str] = set()
    referrers: dict[str, str] = {url: "(start)" for url in queue}
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        fetched = result.fetched[url] = fetch(url)
        if fetched.status != 200:
            where = f" (linked from {referrers.get(url, '?')})"
            moved = f" -> {fetched.location}" if fetched.location else ""
            result.problems.append(f"{url}: HTTP {fetched.status}{moved}{where}")
            continue
        targets: list[tuple[str, str, str]] = []  # (description, raw url, tag)
        if fetched.kind == "text/html":
            document = result.documents[url] = parse(fetched.body.decode("utf-8"))
            for element in document.elements:
                for attribute, raw in element_urls(element):
                    targets.append((f"line {element.line}: <{element.tag} {attribute}>", raw, element.tag))
                    if element.tag == "a" and "external" in (element.get("rel") or "").split():
                        targets[-1] = (targets[-1][0], raw, "a[rel=external]")
        elif fetched.kind == "text/css":
            for raw in _CSS_URL.findall(fetched.body.decode("utf-8")):
                targets.append(("url()", raw, "css"))
        for description, raw, tag in targets:
            scheme = scheme_of(raw)
            if scheme not in (None, "http", "https"):
                continue  # data:, mailto: and the like are the static scan's business
            absolute = urljoin(url, raw.strip())
            target, fragment = urldefrag(absolute)
            parts = urlsplit(target)
            if parts.netloc != origin.netloc:
                if tag != "a[rel=external]":
                    result.problems.append(f"{url}: {description} points at another host: {raw}")
                continue
            if not parts.path.startswith(origin.path):
                result.problems.append(f"{url}: {description} leaves the site's sub-path: {raw}")
                continue
            referrers.setdefault(target, f"{url} {description}")
            if target not in seen:
                queue.append(target)
            if fragment:
                fragments.append((f"{url}: {description}", target, unquote(fragment)))
    for where, target, fragment in fragments:
        found = result.documents.get(target)
        if found is None:
            if result.fetched.get(target, Fetched(0, "", b"")).status == 200:
                result.problems.append(f"{where}: #{fragment} points into a page that is not HTML")
        elif fragment not in found.ids:
            result.problems.append(f"{where}: no element has the id #{fragment}")
    return result
