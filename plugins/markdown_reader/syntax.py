"""The Markdown dialect of the site: CommonMark, tables, footnotes, heading ids.

Raw HTML is refused and link targets are checked, so an author's Markdown can
never put a script on a page. Each rule is a markdown-it-py plugin in the
mdit-py-plugins style and can be tested without Pelican.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, MutableMapping
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from strictbuild import report
from strictbuild.links import EXTERNAL_SCHEMES, scheme_of, scheme_problem

from .address import SiteRenderer, footnote_address_plugin

_COMMENT = re.compile(r"^\s*<!--.*?-->\s*$", re.S)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)
_SAFE_DATA_IMAGE = re.compile(r"^data:image/(gif|png|jpeg|webp);", re.I)
_BLOCKED_SCHEMES = {"javascript", "vbscript", "file", "data"}
_SLUG_DROP = re.compile(r"[^\w\- ]", re.U)

Extension = Callable[[MarkdownIt], None]


def heading_slug(text: str) -> str:
    """A stable id for a heading, keeping CJK characters.

    ``"Key points"`` gives ``key-points``; ``"重點摘要"`` gives ``重點摘要``.
    """
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = _SLUG_DROP.sub("", text)
    text = re.sub(r"[\s_]+", "-", text).strip("-")
    return re.sub(r"-{2,}", "-", text) or "section"


def link_is_safe(url: str) -> bool:
    """Tell whether a link target may appear in the output.

    ``javascript:``, ``vbscript:``, ``file:`` and ``data:`` (other than images)
    are refused however they are spelt: mixed case, with entities already
    decoded by the parser, percent-encoded, or with control characters inside.
    """
    plain = unquote(url)
    plain = "".join(ch for ch in plain if ch.isprintable() and not ch.isspace())
    match = _SCHEME.match(plain)
    if not match:
        return True
    if match.group(1).lower() not in _BLOCKED_SCHEMES:
        return True
    return bool(_SAFE_DATA_IMAGE.match(plain))


def _line_of(tokens: list[Token], index: int) -> int | None:
    """The source line of a token, or of the nearest block before it."""
    for token in reversed(tokens[: index + 1]):
        if token.map:
            return token.map[0]
    return None


def _refuse_html(token: Token, env: MutableMapping[str, Any], line: int | None) -> None:
    if _COMMENT.match(token.content):
        token.type = "text"
        token.content = ""
        return
    snippet = " ".join(token.content.split())[:60]
    report(env, line, f"raw HTML is not allowed in Markdown: {snippet!r}")
    token.type = "text"


def _record_link(env: MutableMapping[str, Any], line: int | None, url: str, *, image: bool) -> None:
    """Keep a link for the build's link check; refuse a scheme that may not leave the site.

    A data image is part of the page, not a link, and is not kept.
    """
    if image and _SAFE_DATA_IMAGE.match(url):
        return
    problem = scheme_problem(url)
    if problem is not None:
        report(env, line, problem)
        return
    number = (line if line is not None else 0) + 1 + int(env.get("line_offset", 0))
    links = env.setdefault("extracted", {}).setdefault("links", [])
    links.append({"path": str(env.get("source_path", "<string>")), "line": number, "href": url})


def safety_plugin(md: MarkdownIt) -> None:
    """Refuse raw HTML and unsafe link targets, reporting each with its line.

    Raw HTML is turned into escaped text (HTML comments are dropped); an
    unsafe link keeps its text and loses its target. Every other link is
    kept in ``env["extracted"]["links"]`` with its line for the build's link
    check; one leaving the site must be http(s) and is marked
    ``rel="external"``.
    """
    # See every link, so that a refused one can be reported rather than
    # silently left as text.
    md.validateLink = lambda url: True  # type: ignore[method-assign]

    def check(state: StateCore) -> None:
        env = state.env
        for index, block in enumerate(state.tokens):
            if block.type == "html_block":
                _refuse_html(block, env, _line_of(state.tokens, index))
                block.type = "paragraph_text"
                continue
            if block.type != "inline" or not block.children:
                continue
            line = _line_of(state.tokens, index)
            for child in block.children:
                if child.type == "html_inline":
                    _refuse_html(child, env, line)
                elif child.type in ("link_open", "image"):
                    attr = "href" if child.type == "link_open" else "src"
                    url = str(child.attrGet(attr) or "")
                    if not link_is_safe(url):
                        report(env, line, f"unsafe link target refused: {url[:60]!r}")
                        child.attrSet(attr, "")
                        if child.type == "link_open":
                            child.attrs.pop("href", None)
                        continue
                    _record_link(env, line, url, image=child.type == "image")
                    if child.type == "link_open" and scheme_of(url) in EXTERNAL_SCHEMES:
                        child.attrSet("rel", "external")

    md.core.ruler.after("inline", "site_safety", check)

    def render_paragraph_text(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        content = tokens[idx].content
        if not content:
            return ""
        return f"<p>{escapeHtml(content.strip())}</p>\n"

    md.add_render_rule("paragraph_text", render_paragraph_text)


_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def cjk_softbreak_plugin(md: MarkdownIt) -> None:
    """Join lines of Chinese text without a space.

    A line break inside a paragraph becomes a space in HTML, which is right
    between English words and wrong between Chinese characters.
    """

    def join(state: StateCore) -> None:
        for block in state.tokens:
            children = block.children or []
            for i, child in enumerate(children):
                if child.type != "softbreak" or i == 0 or i + 1 >= len(children):
                    continue
                before, after = children[i - 1].content, children[i + 1].content
                if before and after and _CJK.match(before[-1]) and _CJK.match(after[0]):
                    child.type = "text"
                    child.content = ""

    md.core.ruler.push("cjk_softbreak", join)


_ALIGN = re.compile(r"^text-align:(left|center|right)$")


def table_align_plugin(md: MarkdownIt) -> None:
    """Align table columns with classes instead of inline styles.

    The site's Content-Security-Policy forbids inline ``style`` attributes.
    """

    def to_class(state: StateCore) -> None:
        for token in state.tokens:
            if token.type in ("th_open", "td_open"):
                match = _ALIGN.match(str(token.attrGet("style") or ""))
                if match:
                    token.attrs.pop("style", None)
                    token.attrSet("class", f"align-{match.group(1)}")

    md.core.ruler.push("table_align", to_class)


def make_markdown(extensions: list[Extension] | None = None) -> MarkdownIt:
    """The site's Markdown parser, with the project's syntax extensions."""
    md = MarkdownIt("commonmark", {"html": True, "typographer": False}, renderer_cls=SiteRenderer)
    md.enable("table")
    md.use(footnote_plugin)
    md.use(footnote_address_plugin)
    md.use(anchors_plugin, min_level=2, max_level=4, slug_func=heading_slug)
    md.use(safety_plugin)
    md.use(cjk_softbreak_plugin)
    md.use(table_align_plugin)
    for extension in extensions or []:
        extension(md)
    return md
