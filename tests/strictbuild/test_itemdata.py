"""What plugins add to a brief or page: one typed record per plugin under ``plugin_data``."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import ClassVar

import jinja2
import pytest

from strictbuild.itemdata import ItemData, item_data, record_of


@dataclass
class Marks:
    NAME: ClassVar[str] = "marks"
    seen: list[str] = field(default_factory=list)


@dataclass
class Impostor:
    NAME: ClassVar[str] = "marks"


def test_a_plugin_gets_one_record_per_item() -> None:
    item = SimpleNamespace()
    item_data(item, Marks).seen.append("a")
    assert item_data(item, Marks).seen == ["a"]
    assert isinstance(item.plugin_data, ItemData)
    assert record_of(item, "marks") is item_data(item, Marks)
    assert record_of(item, "other") is None
    assert record_of({"title": "a page as a dict"}, "marks") is None
    with pytest.raises(TypeError, match=r"plugin_data\.marks"):
        item_data(item, Impostor)


def test_templates_read_a_record_or_nothing() -> None:
    env = jinja2.Environment(autoescape=True)
    env.filters["plugin_data"] = record_of
    template = env.from_string('{% set m = item|plugin_data("marks") %}[{{ m.seen|join(",") if m.seen }}]')
    item = SimpleNamespace()
    item_data(item, Marks).seen.extend(["x", "y"])
    assert template.render(item=item) == "[x,y]"
    assert template.render(item=SimpleNamespace()) == "[]"
    assert template.render(item={"title": "a page as a dict"}) == "[]"
