"""A small HTML reader for tests: elements with their attributes and text."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class Element:
    """One start tag, its attributes and the text directly inside it."""

    tag: str
    attrs: dict[str, str]
    text: str = ""
    langs: list[str] = field(default_factory=list)
    lang: str = ""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.stack: list[Element] = []
        self.text_by_lang: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        # The language the element is in: its own lang, else its nearest ancestor's.
        inherited = next((e.attrs["lang"] for e in reversed(self.stack) if "lang" in e.attrs), "")
        element.lang = element.attrs.get("lang", inherited)
        self.elements.append(element)
        if tag not in ("meta", "link", "br", "img", "input", "source", "hr"):
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.stack and data.strip():
            self.stack[-1].text += data
            lang = next((e.attrs["lang"] for e in reversed(self.stack) if "lang" in e.attrs), "")
            inside = {e.tag for e in self.stack}
            if not inside & {"script", "style", "title"}:
                self.text_by_lang.append((lang, data.strip()))


def read_html(path: Path) -> _Reader:
    """Parse a built page."""
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


def find_all(page: _Reader, tag: str, **attrs: str) -> list[Element]:
    """Elements with ``tag`` whose attributes include ``attrs`` (``_`` for ``-``)."""
    wanted = {k.replace("_", "-"): v for k, v in attrs.items()}
    return [e for e in page.elements if e.tag == tag and all(e.attrs.get(k) == v for k, v in wanted.items())]
