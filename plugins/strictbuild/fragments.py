"""``{% memo key, … %}…{% endmemo %}``: a template fragment rendered once per build for each key.

A brief's source list and hover previews show the same few dozen sources on
thousands of pages; each reference costs a macro call, a date, a gettext look-up
and the escaping of every field. Inside ``memo`` the body is rendered the first
time a key is met and its markup reused for every later page of the build
(the cache lives on the generator's Jinja environment, which each build makes
anew).

The body must be a function of its key, so a cached fragment cannot show one
page's text on another. This is checked when the template is compiled, not
trusted. The key is a list of names. The body holds text, output, ``if``,
``for`` and ``set`` only (an include, an import, a block or a call block
could hand it the page's context). Every name it reads must be a key name, a
name the body has set where it reads it (after a ``set`` at the same level,
inside the ``for`` binding it), a global that does not read the page's
context, or a macro the template imports without context (such a macro sees
only its arguments, which the body reads and so are checked). Filters and
tests that read the page's context are refused, and ``_()``, whose language
otherwise comes from the page, must be given ``lang=``. Anything else is a
template error naming the template and line. Key values are compared by
value (a frozen view of a source is equal to another with the same fields),
so they must be hashable.
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
from jinja2.utils import _PassArg

#: gettext and its aliases: the page's language unless the call names one
_GETTEXT = frozenset({"_", "gettext", "ngettext"})


class MemoExtension(Extension):
    """The ``memo`` tag (see the module's documentation)."""

    tags = {"memo"}  # noqa: RUF012  (Jinja's own declaration)

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.extend(memo_fragments={})
        self._tags = itertools.count()
        # A body may call a macro its template imports without context: that
        # is known only once the whole template is parsed, so the bodies are
        # checked then (Jinja has no hook after parsing but Environment._parse,
        # which every compile and Babel's extraction go through).
        parse = environment._parse
        if not getattr(parse, "memo_checked", False):

            def checked(source: str, name: str | None, filename: str | None) -> nodes.Template:
                tree = parse(source, name, filename)
                _check_template(environment, tree, name)
                return tree

            checked.memo_checked = True  # type: ignore[attr-defined]
            environment._parse = checked  # type: ignore[method-assign]

    def parse(self, parser: Parser) -> nodes.Node:
        token = next(parser.stream)
        where = (parser.name or "<template>", token.lineno)
        key: list[nodes.Expr] = []
        while parser.stream.current.type != "block_end":
            if key:
                parser.stream.expect("comma")
            expr = parser.parse_expression()
            if not isinstance(expr, nodes.Name):
                # {% memo c.source %} would let the body read all of c.
                raise TemplateSyntaxError(
                    "a memo key is a list of names: {% memo s, lang %}", expr.lineno, parser.name
                )
            key.append(expr)
        if not key:
            raise TemplateSyntaxError("memo needs a key: {% memo value, … %}", token.lineno, parser.name)
        body = parser.parse_statements(("name:endmemo",), drop_needle=True)
        # The tag itself is part of the key: two fragments never share markup.
        tag = (*where, next(self._tags))
        parts: list[nodes.Expr] = [nodes.Const(tag), *key]
        call = self.call_method("_fragment", [nodes.Tuple(parts, "load")])
        return nodes.CallBlock(call, [], [], body).set_lineno(token.lineno)

    def _fragment(self, key: tuple[Any, ...], caller: Callable[[], str]) -> str:
        fragments: dict[tuple[Any, ...], str] = self.environment.memo_fragments  # type: ignore[attr-defined]
        found = fragments.get(key)
        if found is None:
            found = fragments[key] = caller()
        return found


def _check_template(environment: Environment, tree: nodes.Template, name: str | None) -> None:
    """Raise unless every memo body of ``tree`` is a function of its key (see the module)."""
    imported: set[str] = set()  # macros imported without context at the top of the template
    for node in tree.body:
        if isinstance(node, nodes.FromImport) and not node.with_context:
            imported.update(part if isinstance(part, str) else part[1] for part in node.names)
    for block in tree.find_all(nodes.CallBlock):
        call = block.call
        if not (
            isinstance(call, nodes.Call)
            and isinstance(call.node, nodes.ExtensionAttribute)
            and call.node.identifier == MemoExtension.identifier
        ):
            continue
        (parts,) = call.args
        assert isinstance(parts, nodes.Tuple)
        key = {part.name for part in parts.items if isinstance(part, nodes.Name)}
        _Body(environment, imported, name).statements(block.body, key)


def _reads_context(function: Any) -> bool:
    return _PassArg.from_obj(function) is _PassArg.context


class _Body:
    """The check of one memo body: statements it may hold, names it may read, what it may call."""

    def __init__(self, environment: Environment, imported: set[str], template: str | None) -> None:
        self.environment = environment
        self.imported = imported
        self.template = template

    def fail(self, node: nodes.Node, message: str) -> TemplateSyntaxError:
        return TemplateSyntaxError(message, node.lineno, self.template)

    def statements(self, body: list[nodes.Node], allowed: set[str]) -> None:
        # A name the body sets is readable only where Jinja has set it: after
        # a {% set %} of the same level, inside the {% for %} that binds it.
        allowed = set(allowed)
        for node in body:
            if isinstance(node, nodes.Output):
                for part in node.nodes:
                    self.expression(part, allowed)
            elif isinstance(node, nodes.Assign):
                self.expression(node.node, allowed)
                allowed.update(name.name for name in _names(node.target))
            elif isinstance(node, nodes.If):
                for branch in [node, *node.elif_]:
                    self.expression(branch.test, allowed)
                    self.statements(branch.body, allowed)
                self.statements(node.else_, allowed)
            elif isinstance(node, nodes.For) and not node.recursive:
                self.expression(node.iter, allowed)
                inner = allowed | {name.name for name in _names(node.target)}
                if node.test is not None:
                    self.expression(node.test, inner)
                self.statements(node.body, inner)
                self.statements(node.else_, allowed)
            else:
                # include, import, block, with, filter, call, macro, do...: they
                # can hand the body the page's context.
                kind = type(node).__name__.lower()
                raise self.fail(node, f"a memo body holds text, output, if, for and set only, not {kind}")

    def expression(self, expr: nodes.Node, allowed: set[str]) -> None:
        called: dict[int, nodes.Call] = {}
        for node in [expr, *expr.find_all(nodes.Node)]:
            if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
                called[id(node.node)] = node
            if isinstance(node, (nodes.ContextReference, nodes.DerivedContextReference)):
                raise self.fail(node, "a memo body cannot read the page's context")
            if isinstance(node, (nodes.Filter, nodes.Test)) and node.name is not None:
                table = self.environment.filters if isinstance(node, nodes.Filter) else self.environment.tests
                if _reads_context(table.get(node.name)):
                    raise self.fail(node, f"{node.name} reads the page's context: not in a memo body")
            if isinstance(node, nodes.Name) and node.ctx == "load":
                self.name(node, called.get(id(node)), allowed)

    def name(self, name: nodes.Name, call: nodes.Call | None, allowed: set[str]) -> None:
        if name.name in allowed:
            return
        if call is not None and name.name in _GETTEXT:
            if not any(kwarg.key == "lang" for kwarg in call.kwargs):
                raise self.fail(
                    call, f"{name.name}() in a memo body needs lang=: the page's language is not in the key"
                )
            return
        if call is not None and name.name in self.imported:
            return  # a macro of a template imported without context: it reads its arguments only
        found = self.environment.globals.get(name.name, _MISSING)
        if found is not _MISSING and not _reads_context(found):
            return
        raise self.fail(
            name, f"memo body reads {name.name!r}, which is not in its key: add it to the key or pass it in"
        )


_MISSING = object()


def _names(target: nodes.Node) -> list[nodes.Name]:
    return [target] if isinstance(target, nodes.Name) else list(target.find_all(nodes.Name))


def install(environment: Environment) -> None:
    """Give ``environment``'s templates the ``memo`` tag (once)."""
    if MemoExtension.identifier not in environment.extensions:
        environment.add_extension(MemoExtension)


__all__ = ["MemoExtension", "install"]
