"""Parse: line breaks in Chinese source text that must not show as spaces.

Authors wrap long Chinese lines in the Markdown source. A browser renders a
line break as a space, which Chinese text does not have: ``國產\\nAI`` is fine,
but ``分得\\n百分之`` would show a stray gap. ``cjk_linebreak_plugin(md)`` drops
a soft line break whose neighbours on both sides are CJK characters or CJK
punctuation, in every language (an English paragraph never has them).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

# Han ideographs, CJK punctuation, full-width forms, bopomofo.
_CJK = re.compile(r"[\u3000-\u303f\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _joins_cjk(before: str, after: str) -> bool:
    return bool(before and after and _CJK.match(before[-1]) and _CJK.match(after[0]))


def _drop_cjk_softbreaks(state: StateCore) -> None:
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        children = token.children
        for index, child in enumerate(children):
            if child.type != "softbreak" or index == 0 or index + 1 >= len(children):
                continue
            before, after = children[index - 1], children[index + 1]
            if before.type == "text" and after.type == "text" and _joins_cjk(before.content, after.content):
                child.type = "text"
                child.content = ""


def cjk_linebreak_plugin(md: MarkdownIt) -> None:
    """Render a line break between two CJK characters as nothing, not a space."""
    md.core.ruler.push("bilingual_cjk_linebreaks", _drop_cjk_softbreaks)
