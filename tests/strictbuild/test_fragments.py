"""The ``memo`` template tag: a fragment made once per key, and bodies that cannot leak a page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from jinja2 import DictLoader, Environment, TemplateSyntaxError

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
        ("{{ show(page_title) }}", "memo body reads 'page_title', which is not in its key"),
        ("{{ _('Sources') }}", "_() in a memo body needs lang="),
        ("{{ gettext('Sources') }}", "gettext() in a memo body needs lang="),
    ],
)
def test_a_body_reading_beyond_its_key_is_a_template_error(body: str, message: str) -> None:
    env = environment(
        {"page": "{% macro show(x) %}{{ x }}{% endmacro %}\n\n{% memo v %}" + body + "{% endmemo %}"},
        _=str,
        gettext=str,
    )
    with pytest.raises(TemplateSyntaxError) as raised:
        env.get_template("page")
    assert message in str(raised.value)
    assert raised.value.name == "page"
    assert raised.value.lineno == 3


def test_gettext_with_a_language_may_be_used() -> None:
    def gettext(message: str, lang: str) -> str:
        return f"{lang}:{message}"

    env = environment({"page": "{% memo lang %}{{ _('Sources', lang=lang) }}{% endmemo %}"}, _=gettext)
    assert env.get_template("page").render(lang="en") == "en:Sources"


def test_a_memo_needs_a_key() -> None:
    with pytest.raises(TemplateSyntaxError, match="memo needs a key"):
        environment({"page": "{% memo %}x{% endmemo %}"}).get_template("page")
