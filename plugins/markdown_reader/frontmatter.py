"""Split a Markdown file into YAML front matter and body, with line numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from strictbuild import ContentError

_FENCES = ("---", "...")
# libyaml's loader when PyYAML was built with it: about ten times faster.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class FrontMatter:
    """The parsed front matter of one file."""

    fields: dict[str, Any]
    #: 1-based line of each key in the file
    lines: dict[str, int] = field(default_factory=dict)
    #: number of lines before the body starts
    body_offset: int = 0
    body: str = ""


def _load(source: str, loader_class: Any) -> tuple[Any, Any]:
    """Compose the YAML once, then build its data from the same node tree.

    The node tree gives each key's line; building the data from it avoids
    parsing the text a second time.
    """
    loader = loader_class(source)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def split_front_matter(text: str, path: str) -> FrontMatter:
    """Parse the YAML front matter at the top of ``text``.

    Raises :class:`ContentError` naming the line when the front matter is
    missing, unterminated, not YAML or not a mapping.
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
    try:
        try:
            node, data = _load(source, _FAST_LOADER)
        except yaml.YAMLError:
            # libyaml words some errors differently: report them as the
            # pure-Python loader does, so messages do not depend on the build.
            node, data = _load(source, yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = (mark.line + 2) if mark is not None else 2
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ContentError(path, line, f"front matter is not valid YAML: {problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict) or not isinstance(node, (yaml.MappingNode, type(None))):
        raise ContentError(path, 2, "front matter must be a mapping of 'key: value' lines")
    key_lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _value in node.value:
            key_lines[str(key_node.value)] = key_node.start_mark.line + 2
    return FrontMatter(
        fields={str(k): v for k, v in data.items()},
        lines=key_lines,
        body_offset=end + 1,
        body="".join(lines[end + 1 :]),
    )
