"""Front matter read with libyaml (PyYAML's C parser) when that gives what the strict loader gives.

The strict loader (:mod:`strictbuild.yamlfile`, pure-Python ruamel.yaml)
costs about 4 ms per file, most of a reader's time on a large site; libyaml
parses the same text in a tenth of that. This fast path accepts a text only
when the answer is sure to be the strict loader's own:

- no ``&``, ``*``, ``!`` or ``%`` anywhere in it (anchors, aliases, tags and
  directives are refused or decided by the strict loader);
- no tab anywhere (libyaml takes a tab as spacing where ruamel.yaml refuses
  it) and no quoted text followed by ``:`` and no space (``["x":y]``, a
  flow key libyaml accepts and ruamel.yaml does not);
- every mapping key plain text, none given twice in one mapping;
- every plain scalar resolved by ruamel.yaml's own YAML 1.2 resolver, and
  only of a type built here exactly as ruamel.yaml builds it: text, a plain
  decimal integer, true/false, null, or a ``YYYY-MM-DD`` date.

Anything else, and any text libyaml cannot parse, returns None: the caller
then uses the strict loader, which gives the data or the error with its
line and column.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import yaml
from ruamel.yaml.nodes import ScalarNode as RuamelScalar
from ruamel.yaml.resolver import VersionedResolver
from yaml.cyaml import CParser  # type: ignore[attr-defined]

_REFUSED = re.compile(r"[&*!%\t]|[\"']:(?![ \r\n])")
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_TAG = "tag:yaml.org,2002:"
_RESOLVER = VersionedResolver(version=(1, 2))


class _Unsure(Exception):
    """The text needs the strict loader."""


class _Loader(CParser):
    """libyaml's parser and composer; tags are resolved later, by ruamel.yaml's rules."""

    def descend_resolver(self, parent: Any, index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return "?"


def _plain(value: str) -> Any:
    tag = _RESOLVER.resolve(RuamelScalar, value, (True, False))
    if tag == _TAG + "str":
        return value
    if tag == _TAG + "int" and _INT.fullmatch(value):
        return int(value)
    if tag == _TAG + "bool" and value in _BOOLS:
        return _BOOLS[value]
    if tag == _TAG + "null" and value in ("", "~", "null", "Null", "NULL"):
        return None
    if tag == _TAG + "timestamp" and _DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise _Unsure from None  # the strict loader reports the line
    raise _Unsure


def _build(node: Any) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return _plain(node.value) if not node.style else node.value
    if isinstance(node, yaml.SequenceNode):
        return [_build(item) for item in node.value]
    data: dict[str, Any] = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            raise _Unsure
        name = key.value if key.style else _plain(key.value)
        if name in data or not isinstance(name, str):
            raise _Unsure
        data[name] = _build(value)
    return data


def load_front_matter(text: str) -> tuple[dict[str, Any], dict[str, int]] | None:
    """The front matter ``text`` as data and each top-level key's 0-based line, or None (see above).

    None also for a text that is empty or not a mapping: the strict path words those.
    """
    if _REFUSED.search(text):
        return None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if not isinstance(node, yaml.MappingNode):
            return None
        data = _build(node)
    except (yaml.YAMLError, _Unsure):
        return None
    finally:
        loader.dispose()
    lines = {str(key.value): key.start_mark.line for key, _value in node.value}
    return data, lines
