"""A strict YAML loader: no duplicate keys, aliases, anchors or tags.

Built on ruamel.yaml (YAML 1.2, so ``no`` stays the text "no" and ``010`` is
not octal). Its composer is subclassed so that what YAML allows but content
never needs is refused while the file is parsed, with the line and column
where it appears: a key given twice in one mapping (PyYAML keeps the last
value without a word), an alias or anchor (``&x``, ``*x``: one value
silently shared by two places), and an explicit tag (``!!python/...``,
``!foo``: a value whose type the author chose, not the schema).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import ContentError

__all__ = ["MappingNode", "Node", "ScalarNode", "SequenceNode", "compose", "load", "node_line"]


class _Refused(MarkedYAMLError):
    """Something the strict loader does not accept, at a mark."""


class _StrictComposer(Composer):
    """Composes nodes as ruamel.yaml does, refusing aliases, anchors, tags and repeated keys."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            msg = f"aliases are not allowed (*{event.anchor}): write the value out"
            raise _Refused(None, None, msg, event.start_mark)
        if isinstance(event, (ScalarEvent, CollectionStartEvent)):
            if event.anchor is not None:
                msg = f"anchors are not allowed (&{event.anchor}): write each value where it is used"
                raise _Refused(None, None, msg, event.start_mark)
            tag = getattr(event, "ctag", None)
            if tag is not None and str(tag) != "!":
                msg = f"tags are not allowed ({tag}): the schema decides each value's type"
                raise _Refused(None, None, msg, event.start_mark)
        return super().compose_node(parent, index)

    def compose_mapping_node(self, anchor: Any) -> Any:
        node = super().compose_mapping_node(anchor)
        seen: dict[str, Any] = {}
        for key, _value in node.value:
            if not isinstance(key, ScalarNode):
                msg = "a key must be plain text"
                raise _Refused(None, None, msg, key.start_mark)
            if key.value in seen:
                msg = f"key '{key.value}' is given twice"
                raise _Refused("first given", seen[key.value], msg, key.start_mark)
            seen[key.value] = key.start_mark
        return node


def _yaml() -> YAML:
    yaml = YAML(typ="safe", pure=True)
    yaml.Composer = _StrictComposer
    yaml.allow_duplicate_keys = False
    return yaml


def node_line(node: Node, offset: int = 0) -> int:
    """The 1-based line where ``node`` starts; ``offset`` lines come before the YAML text."""
    return int(node.start_mark.line) + 1 + offset


def _problem(error: YAMLError, path: str, offset: int, what: str) -> ContentError:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 + offset if mark is not None else 1 + offset
    column = mark.column + 1 if mark is not None else 0
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    if isinstance(error, _Refused):
        first = error.context_mark
        if first is not None and error.problem_mark is not None:
            problem += f" (first at line {first.line + 1 + offset})"
        return ContentError(path, line, f"{what}: {problem}", column)
    return ContentError(path, line, f"{what} is not valid YAML: {problem}", column)


def compose(text: str, path: str, *, offset: int = 0, what: str = "the file") -> Node | None:
    """The node tree of ``text`` (None when empty), keeping each value's position.

    Raises :class:`ContentError` at the line (plus ``offset``) and column of
    the first syntax error, repeated key, alias, anchor or tag.
    """
    try:
        return _yaml().compose(text)
    except YAMLError as error:
        raise _problem(error, path, offset, what) from None


def load(text: str, path: str, *, offset: int = 0, what: str = "the file") -> tuple[Node | None, Any]:
    """The node tree of ``text`` and the data built from it (YAML 1.2 core types).

    Raises :class:`ContentError` as :func:`compose` does.
    """
    yaml = _yaml()
    node: Node | None = None
    try:
        node = yaml.compose(text)
        data = yaml.constructor.construct_document(node) if node is not None else None
    except YAMLError as error:
        raise _problem(error, path, offset, what) from None
    except (ValueError, OverflowError) as error:
        # A value shaped like a timestamp that is no real date (2026-13-01):
        # the constructor raises without a position, so find the scalar.
        raise _bad_value(node, error, path, offset, what) from None
    return node, data


def _scalars(node: Node | None) -> Iterator[Node]:
    if isinstance(node, MappingNode):
        for key, value in node.value:
            yield from _scalars(key)
            yield from _scalars(value)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            yield from _scalars(item)
    elif node is not None:
        yield node


def _bad_value(node: Node | None, error: Exception, path: str, offset: int, what: str) -> ContentError:
    """The first timestamp-shaped scalar under ``node`` that is no real date, as a problem."""
    for scalar in _scalars(node):
        if scalar.tag == "tag:yaml.org,2002:timestamp":
            try:
                datetime.date.fromisoformat(str(scalar.value)[:10])
            except ValueError:
                mark = scalar.start_mark
                return ContentError(
                    path,
                    mark.line + 1 + offset,
                    f"{what}: {scalar.value!r} is not a real date ({error})",
                    mark.column + 1,
                )
    return ContentError(path, 1 + offset, f"{what}: a value could not be read ({error})")
