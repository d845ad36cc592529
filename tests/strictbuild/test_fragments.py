"""The ``memo`` template tag: a fragment made once per key, and bodies that cannot leak a page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from jinja2 import DictLoader, Environment, TemplateSyntaxError, pass_context

from strictbuild import fragments


@dataclass(frozen=True)
class View:
    name: str


def environment(templates: dict[str, str], **globals_: Any) -> Environment:
    env = Environment(loader=DictLoader(templates), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(globals_)
    fragments.install(env)
    fragments.install(env)  # twice: still one extension
    return env


def counter() -> tuple[list[str], Callable[[str], str]]:
    calls: list[str] = []

    def made(name: str) -> str:
        calls.append(name)
        return name.upper()

    return calls, made


def test_a_body_is_made_once_per_key_and_reused_on_later_pages() -> None:
    calls, made = counter()
    env = environment(
        {
            "macros": "{% macro show(v) %}{% memo v %}<b>{{ made(v.name) }}</b>{% endmemo %}{% endmacro %}",
            "page": '{% from "macros" import show %}{% for v in views %}{{ show(v) }};{% endfor %}',
        },
        made=made,
    )
    page = env.get_template("page")
    first = page.render(views=[View("a"), View("b"), View("a")])
    second = page.render(views=[View("b"), View("<c>")])
    assert first == "<b>A</b>;<b>B</b>;<b>A</b>;"
    # Equal keys hit (a new but equal View); the markup stays escaped.
    assert second == "<b>B</b>;<b>&lt;C&gt;</b>;"
    assert calls == ["a", "b", "<c>"]


def test_two_tags_with_the_same_key_keep_their_own_markup() -> None:
    env = environment({"page": "{% memo v %}one {{ v }}{% endmemo %}|{% memo v %}two {{ v }}{% endmemo %}"})
    assert env.get_template("page").render(v="x") == "one x|two x"


def test_each_environment_starts_empty() -> None:
    calls, made = counter()
    templates = {"page": "{% memo v %}{{ made(v) }}{% endmemo %}"}
    for _build in range(2):
        assert environment(templates, made=made).get_template("page").render(v="a") == "A"
    assert calls == ["a", "a"]


def test_names_the_body_sets_itself_may_be_read() -> None:
    env = environment(
        {"page": "{% memo items %}{% for i in items %}{% set j = i * 2 %}{{ j }}{% endfor %}{% endmemo %}"}
    )
    assert env.get_template("page").render(items=(1, 2)) == "24"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{{ v }} {{ page_title }}", "memo body reads 'page_title', which is not in its key"),
        # A macro of the same template, or one imported with context, sees the page.
        ("{{ show(v) }}", "memo body reads 'show'"),
        ("{{ seen(v) }}", "memo body reads 'seen'"),
        ("{{ _('Sources') }}", "_() in a memo body needs lang="),
        ("{{ gettext('Sources') }}", "gettext() in a memo body needs lang="),
        ("{% include 'part' %}", "not include"),
        ("{% from 'part' import shown with context %}", "not fromimport"),
        ("{% with x = v %}{{ x }}{% endwith %}", "not with"),
        ("{{ v|paged }}", "paged reads the page's context"),
        ("{{ here() }}", "memo body reads 'here'"),
        # Jinja leaves a name set inside a loop or a branch unset after it.
        ("{% for page_title in [] %}{% endfor %}{{ page_title }}", "memo body reads 'page_title'"),
        ("{% if false %}{% set page_title = 1 %}{% endif %}{{ page_title }}", "memo body reads 'page_title'"),
    ],
)
def test_a_body_reading_beyond_its_key_is_a_template_error(body: str, message: str) -> None:
    env = environment(
        {
            "page": "{% macro show(x) %}{{ x }}{% endmacro %}\n{% from 'part' import seen with context %}\n"
            "{% memo v %}" + body + "{% endmemo %}",
            "part": "{% macro seen(x) %}{{ x }}{{ page_title }}{% endmacro %}"
            "{% macro shown() %}{% endmacro %}",
        },
        _=pass_context(lambda context, message: message),
        gettext=pass_context(lambda context, message: message),
        here=pass_context(lambda context: context.get("page_title")),
    )
    env.filters["paged"] = pass_context(lambda context, value: value)
    with pytest.raises(TemplateSyntaxError) as raised:
        env.get_template("page")
    assert message in str(raised.value)
    assert raised.value.name == "page"
    assert raised.value.lineno == 3


def test_a_key_is_a_list_of_names() -> None:
    with pytest.raises(TemplateSyntaxError, match="a memo key is a list of names"):
        environment({"page": "{% memo c.source %}{{ c.number }}{% endmemo %}"}).get_template("page")


def test_a_body_may_call_macros_imported_without_context_and_read_what_it_set() -> None:
    env = environment(
        {
            "page": "{% from 'part' import shown %}{% memo v %}{% set twice = v * 2 %}"
            "{% for i in range(2) %}{{ shown(i + twice) }}{% endfor %}{% endmemo %}",
            "part": "{% macro shown(x) %}[{{ x }}]{% endmacro %}",
        }
    )
    assert env.get_template("page").render(v=1) == "[2][3]"


def test_gettext_with_a_language_may_be_used() -> None:
    def gettext(message: str, lang: str) -> str:
        return f"{lang}:{message}"

    env = environment({"page": "{% memo lang %}{{ _('Sources', lang=lang) }}{% endmemo %}"}, _=gettext)
    assert env.get_template("page").render(lang="en") == "en:Sources"


def test_a_memo_needs_a_key() -> None:
    with pytest.raises(TemplateSyntaxError, match="memo needs a key"):
        environment({"page": "{% memo %}x{% endmemo %}"}).get_template("page")
