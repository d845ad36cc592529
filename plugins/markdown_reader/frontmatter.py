"""Split a Markdown file into YAML front matter and body, with line numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strictbuild import ContentError
from strictbuild.yamlfile import MappingNode, load

from .fastyaml import load_front_matter

_FENCES = ("---", "...")


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
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in _FENCES), None)
    if end is None:
        raise ContentError(path, 1, "the front matter has no closing '---' line")
    source = "".join(lines[1:end])
    body = "".join(lines[end + 1 :])
    fast = load_front_matter(source)
    if fast is not None:
        fields, at = fast
        return FrontMatter(fields, {key: line + 2 for key, line in at.items()}, end + 1, body)
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
        body_offset=end + 1,
        body=body,
    )
