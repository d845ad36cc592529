"""Split a Markdown file into YAML front matter and body, with line numbers.

mdit-py-plugins' ``front_matter`` finds the block (``---`` to ``---`` or
``...``); the project's strict YAML loader reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from strictbuild import ContentError
from strictbuild.yamlfile import MappingNode, load

from .fastyaml import load_front_matter


def _block_parser() -> MarkdownIt:
    """A parser that only cuts blocks, finding the front matter (mdit-py-plugins' front_matter)."""
    md = MarkdownIt("zero").use(front_matter_plugin)
    md.core.ruler.disable(["inline", "text_join"])
    return md


_BLOCKS = _block_parser()


def _front_matter(text: str) -> tuple[str, int] | None:
    """The front matter's YAML and the 0-based line after its closing fence, if it has one."""
    first = next(iter(_BLOCKS.parse(text)), None)
    if first is None or first.type != "front_matter" or not first.map:
        return None
    # The YAML as written, ending with its line break like every line.
    return (first.content + "\n" if first.content else ""), first.map[1]


@dataclass
class FrontMatter:
    """The parsed front matter of one file."""

    fields: dict[str, Any]
    #: 1-based line of each key in the file
    lines: dict[str, int] = field(default_factory=dict)
    #: number of lines before the body starts
    body_offset: int = 0
    body: str = ""


def split_front_matter(text: str, path: str) -> FrontMatter:
    """Parse the YAML front matter at the top of ``text``.

    Raises :class:`ContentError` naming the line when the front matter is
    missing, unterminated, not YAML or not a mapping, or when it repeats a
    key or uses an alias, anchor or tag (see :mod:`strictbuild.yamlfile`).
    """
    if not text.strip():
        raise ContentError(path, 1, "the file is empty")
    lines = text.splitlines(keepends=True)
    if lines[0].strip() != "---":
        raise ContentError(path, 1, "the file must start with YAML front matter between '---' lines")
    block = _front_matter(text)
    if block is None:
        raise ContentError(path, 1, "the front matter has no closing '---' line")
    source, end = block
    body = "".join(lines[end:])
    fast = load_front_matter(source)
    if fast is not None:
        fields, at = fast
        return FrontMatter(fields, {key: line + 2 for key, line in at.items()}, end, body)
    node, data = load(source, path, offset=1, what="front matter")
    if data is None:
        data = {}
    if not isinstance(data, dict) or not isinstance(node, (MappingNode, type(None))):
        raise ContentError(path, 2, "front matter must be a mapping of 'key: value' lines")
    key_lines: dict[str, int] = {}
    if isinstance(node, MappingNode):
        for key_node, _value in node.value:
            key_lines[str(key_node.value)] = key_node.start_mark.line + 2
    return FrontMatter(
        fields={str(k): v for k, v in data.items()},
        lines=key_lines,
        body_offset=end,
        body=body,
    )
