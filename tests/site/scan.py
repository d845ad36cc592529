"""Static checks of built HTML (and SVG): CSP, scripts, event handlers, URL schemes.

Each check takes a document's text and returns its problems as readable lines;
an empty list means the document passes. They are plain functions so that the
tests can run them over every page of the real site and over small broken
documents that must fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Attributes whose value is a URL (or, for srcset, a list of them).
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "poster", "cite", "background",
    "longdesc", "xlink:href", "ping", "manifest", "icon", "codebase", "srcset", "imagesrcset",
}  # fmt: skip
# The only URL schemes the site may write. data: is allowed for images only.
ALLOWED_SCHEMES = {"http", "https", "mailto"}
# Script types that browsers do not run: data blocks.
DATA_BLOCK_TYPES = {"application/json", "application/ld+json", "importmap-never"}
# Script sources that would let injected or evaluated script run.
UNSAFE_SCRIPT_SOURCES = {
    "'unsafe-inline'",
    "'unsafe-eval'",
    "'unsafe-hashes'",
    "*",
    "data:",
    "http:",
    "https:",
}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_STRIPPED = re.compile(r"[\x00-\x20]")


@dataclass
class Element:
    """A start tag as the parser saw it."""

    tag: str
    attrs: list[tuple[str, str]]
    line: int
    text: str = ""  # for <script>: its content

    def get(self, name: str) -> str | None:
        """The first value of attribute ``name``, or None."""
        return next((value for key, value in self.attrs if key == name), None)


@dataclass
class Document:
    """The elements of a parsed document, in source order."""

    elements: list[Element] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)

    def find(self, tag: str) -> list[Element]:
        """Every element named ``tag``."""
        return [e for e in self.elements if e.tag == tag]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.document = Document()
        self._script: Element | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, [(k, v or "") for k, v in attrs], self.getpos()[0])
        self.document.elements.append(element)
        for key, value in element.attrs:
            if key == "id" or (key == "name" and tag == "a"):
                self.document.ids.add(value)
        if tag == "script":
            self._script = element

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.text += data


def parse(text: str) -> Document:
    """Parse HTML or SVG text into its elements."""
    parser = _Parser()
    parser.feed(text)
    parser.close()
    return parser.document


def scheme_of(url: str) -> str | None:
    """The scheme a browser would see in ``url`` (lower case), or None if relative.

    Browsers drop ASCII whitespace and control characters before parsing a
    scheme, so ``java&#x09;script:`` is still javascript:; so does this.
    """
    found = _SCHEME.match(_STRIPPED.sub("", url).lower())
    return found.group(1) if found else None


def srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset value."""
    return [part.split()[0] for part in value.split(",") if part.strip()]


def element_urls(element: Element) -> list[tuple[str, str]]:
    """``(attribute, url)`` for every URL an element carries."""
    found = []
    for key, value in element.attrs:
        if key in {"srcset", "imagesrcset"}:
            found += [(key, url) for url in srcset_urls(value)]
        elif key in URL_ATTRIBUTES:
            found.append((key, value))
        elif key == "content" and (element.get("http-equiv") or "").lower() == "refresh":
            found.append((key, value.partition("=")[2]))
    return found


def csp_policy(document: Document) -> dict[str, list[str]] | None:
    """The directives of the document's CSP <meta>, or None if it has none."""
    for meta in document.find("meta"):
        if (meta.get("http-equiv") or "").lower() == "content-security-policy":
            policy: dict[str, list[str]] = {}
            for part in (meta.get("content") or "").split(";"):
                words = part.split()
                if words:
                    policy.setdefault(words[0].lower(), words[1:])
            return policy
    return None


def csp_problems(text: str) -> list[str]:
    """Problems with the page's Content Security Policy <meta>."""
    document = parse(text)
    problems = []
    head = [e for e in document.elements if e.tag not in {"html"}]
    if not head or head[0].tag != "head":
        problems.append("the document has no <head> start tag")
    first = head[1:3]
    if not first or first[0].tag != "meta" or first[0].get("charset") is None:
        problems.append("the first element in <head> is not <meta charset>")
    if (
        len(first) < 2
        or first[1].tag != "meta"
        or (first[1].get("http-equiv") or "").lower() != "content-security-policy"
    ):
        problems.append("the CSP <meta> is not the element right after <meta charset>")
    policy = csp_policy(document)
    if policy is None:
        return [*problems, "no Content-Security-Policy <meta>"]
    script = policy.get("script-src", policy.get("default-src"))
    if script is None:
        problems.append("the CSP does not restrict scripts (no script-src or default-src)")
    elif "'self'" not in script:
        problems.append(f"script-src is not 'self': {' '.join(script)}")
    for directive in ("script-src", "script-src-elem", "script-src-attr", "default-src"):
        for word in policy.get(directive, []):
            if word.lower() in UNSAFE_SCRIPT_SOURCES:
                problems.append(f"{directive} allows {word}")
    if policy.get("object-src") != ["'none'"]:
        problems.append(f"object-src is not 'none': {policy.get('object-src')}")
    if policy.get("base-uri") not in (["'self'"], ["'none'"]):
        problems.append(f"base-uri is not 'self': {policy.get('base-uri')}")
    return problems


def script_problems(text: str) -> list[str]:
    """Inline scripts, event-handler attributes and disallowed URL schemes."""
    problems = []
    for element in parse(text).elements:
        where = f"line {element.line}: <{element.tag}>"
        if element.tag == "script":
            kind = (element.get("type") or "").lower()
            if element.text.strip() and kind not in DATA_BLOCK_TYPES:
                problems.append(f"{where} has inline script content")
        for key, _value in element.attrs:
            if key.startswith("on"):
                problems.append(f"{where} has an event-handler attribute {key}")
            if key == "srcdoc":
                problems.append(f"{where} has a srcdoc attribute")
        for key, url in element_urls(element):
            scheme = scheme_of(url)
            if scheme is None or scheme in ALLOWED_SCHEMES:
                continue
            if scheme == "data" and element.tag in {"img", "source", "image"} and _is_image_data(url):
                continue
            problems.append(f"{where} {key} uses the {scheme}: scheme: {url[:80]!r}")
    return problems


def _is_image_data(url: str) -> bool:
    """True for a data: URL of a raster image (SVG can carry script, so it is not one)."""
    kind = _STRIPPED.sub("", url).lower()[len("data:") :]
    return kind.startswith(("image/png", "image/jpeg", "image/gif", "image/webp", "image/avif"))
