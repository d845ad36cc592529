"""Splitting a file into front matter and body: lines right, every bad shape named."""

from __future__ import annotations

import pytest

from markdown_reader.frontmatter import split_front_matter
from strictbuild import ContentError


def test_fields_their_lines_and_the_body_offset() -> None:
    front = split_front_matter("---\ntitle: A\n\nslug: a\n---\nBody.\n", "a.md")
    assert front.fields == {"title": "A", "slug": "a"}
    assert front.lines == {"title": 2, "slug": 4}
    assert front.body_offset == 5
    assert front.body == "Body.\n"


def test_the_front_matter_may_close_with_dots() -> None:
    front = split_front_matter("---\ntitle: A\n...\nBody.\n", "a.md")
    assert front.fields == {"title": "A"}
    assert front.body == "Body.\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "a.md:1: the file is empty"),
        ("title: A\n", "a.md:1: the file must start with YAML front matter between '---' lines"),
        ("---\ntitle: A\nBody.\n", "a.md:1: the front matter has no closing '---' line"),
        ("---\n- a\n---\n", "a.md:2: front matter must be a mapping of 'key: value' lines"),
    ],
)
def test_a_bad_front_matter_is_named_at_its_line(text: str, expected: str) -> None:
    with pytest.raises(ContentError) as error:
        split_front_matter(text, "a.md")
    assert str(error.value) == expected


def test_a_yaml_error_is_at_its_line_in_the_file() -> None:
    with pytest.raises(ContentError) as error:
        split_front_matter("---\ntitle: A\ntitle: B\n---\n", "a.md")
    assert str(error.value) == "a.md:3:1: front matter: key 'title' is given twice (first at line 2)"
