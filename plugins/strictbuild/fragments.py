"""``{% memo key, … %}…{% endmemo %}``: a template fragment rendered once per build for each key.

A brief's source list and hover previews show the same few dozen sources on
thousands of pages; each reference costs a macro call, a date, a gettext look-up
and the escaping of every field. Inside ``memo`` the body is rendered the first
time a key is met and its markup reused for every later page of the build
(the cache lives on the generator's Jinja environment, which each build makes
anew).

The body must be a function of its key, so a cached fragment cannot show one
page's text on another. This is checked when the template is compiled, not
trusted: every name the body reads must be a key expression's name, a name the
body sets itself (a ``for`` target, a ``set``), one of the environment's
globals, or a macro it calls (whose arguments are read, and so checked, in the
body; a macro called there takes everything it shows as arguments); and
``_()``, whose language otherwise comes from the page, must be given ``lang=``.
Anything else is a template error naming the template and line. Key values
are compared by value (a frozen view of a source is equal to another with the
same fields), so they must be hashable.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from jinja2 import nodes
from jinja2.environment import Environment
from jinja2.exceptions import TemplateSyntaxError
from jinja2.ext import Extension
from jinja2.parser import Parser

#: gettext and its aliases: the page's language unless the call names one
_GETTEXT = frozenset({"_", "gettext", "ngettext"})


class MemoExtension(Extension):
    """The ``memo`` tag (see the module's documentation)."""

    tags = {"memo"}  # noqa: RUF012  (Jinja's own declaration)

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.extend(memo_fragments={})
        self._tags = itertools.count()

    def parse(self, parser: Parser) -> nodes.Node:
        token = next(parser.stream)
        where = (parser.name or "<template>", token.lineno)
        key: list[nodes.Expr] = []
        while parser.stream.current.type != "block_end":
            if key:
                parser.stream.expect("comma")
            key.append(parser.parse_expression())
        if not key:
            raise TemplateSyntaxError("memo needs a key: {% memo value, … %}", token.lineno, parser.name)
        body = parser.parse_statements(("name:endmemo",), drop_needle=True)
        self._check(body, key, parser, token.lineno)
        # The tag itself is part of the key: two fragments never share markup.
        tag = (*where, next(self._tags))
        parts: list[nodes.Expr] = [nodes.Const(tag), *key]
        call = self.call_method("_fragment", [nodes.Tuple(parts, "load")])
        return nodes.CallBlock(call, [], [], body).set_lineno(token.lineno)

    def _check(self, body: list[nodes.Node], key: list[nodes.Expr], parser: Parser, line: int) -> None:
        """Raise unless ``body`` reads only its key, its own names and the globals."""
        allowed = set(self.environment.globals)
        for expr in key:
            names = [expr] if isinstance(expr, nodes.Name) else list(expr.find_all(nodes.Name))
            allowed.update(name.name for name in names)
        for node in body:
            allowed.update(name.name for name in node.find_all(nodes.Name) if name.ctx in ("store", "param"))
        for node in body:
            called = {id(call.node) for call in node.find_all(nodes.Call)}
            for name in node.find_all(nodes.Name):
                if name.ctx == "load" and name.name not in allowed and id(name) not in called:
                    raise TemplateSyntaxError(
                        f"memo body reads {name.name!r}, which is not in its key: "
                        f"add it to the key or pass it in",
                        name.lineno or line,
                        parser.name,
                    )
            for call in node.find_all(nodes.Call):
                callee = call.node
                named = any(kwarg.key == "lang" for kwarg in call.kwargs)
                if isinstance(callee, nodes.Name) and callee.name in _GETTEXT and not named:
                    raise TemplateSyntaxError(
                        f"{callee.name}() in a memo body needs lang=: the page's language is not in the key",
                        call.lineno or line,
                        parser.name,
                    )

    def _fragment(self, key: tuple[Any, ...], caller: Callable[[], str]) -> str:
        fragments: dict[tuple[Any, ...], str] = self.environment.memo_fragments  # type: ignore[attr-defined]
        found = fragments.get(key)
        if found is None:
            found = fragments[key] = caller()
        return found


def install(environment: Environment) -> None:
    """Give ``environment``'s templates the ``memo`` tag (once)."""
    if MemoExtension.identifier not in environment.extensions:
        environment.add_extension(MemoExtension)


__all__ = ["MemoExtension", "install"]
