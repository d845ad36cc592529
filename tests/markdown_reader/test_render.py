"""A parsed document between the reader and the render pass: tokens kept pickled."""

from __future__ import annotations

import gc
import pickle
from typing import Any

from markdown_it.token import Token

from citations.syntax import citations_plugin
from markdown_reader import ParsedDocument, make_markdown, render_document

SOURCE = "# A title\n\nA paragraph with *emphasis* and a [link](https://example.org/).\n\n- one\n- two\n"


def _document() -> tuple[Any, ParsedDocument]:
    md = make_markdown()
    env: dict[str, Any] = {"source_path": "brief.md", "settings": {}, "problems": []}
    return md, ParsedDocument.of(md.parse(SOURCE, env), env)


def test_a_document_holds_its_tokens_as_bytes_not_objects() -> None:
    _md, document = _document()
    assert isinstance(document.packed, bytes)
    assert not [value for value in vars(document).values() if isinstance(value, (Token, list))]
    # Compressed: smaller than the tokens' plain pickle by more than half.
    plain = pickle.dumps(document.tokens, protocol=pickle.HIGHEST_PROTOCOL)
    assert len(document.packed) < len(plain) / 2
    # What belongs to the build is not kept with the file.
    assert "settings" not in document.env
    assert "problems" not in document.env
    assert document.env["source_path"] == "brief.md"


def test_each_read_of_the_tokens_is_a_fresh_equal_copy() -> None:
    md, document = _document()
    first, second = document.tokens, document.tokens
    assert first == second == md.parse(SOURCE, {"source_path": "brief.md"})
    assert first is not second
    assert first[0] is not second[0]


def test_a_render_rule_that_changes_tokens_does_not_change_the_next_render() -> None:
    md, document = _document()

    def shouting_text(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        tokens[idx].content += "!"
        return str(tokens[idx].content)

    md.add_render_rule("text", shouting_text)
    first = render_document(md, document, "brief.md")
    assert "A title!" in first
    assert render_document(md, document, "brief.md") == first


def test_rendering_is_the_same_after_the_content_cache_round_trip() -> None:
    md, document = _document()
    cached = pickle.loads(pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL))  # noqa: S301 (made here)
    html = render_document(md, document, "brief.md")
    assert render_document(md, cached, "brief.md") == html
    assert html == make_markdown().render(SOURCE, {"source_path": "brief.md"})


def test_reading_the_tokens_leaves_the_garbage_collector_as_it_was() -> None:
    _md, document = _document()
    assert gc.isenabled()
    assert document.tokens
    assert gc.isenabled()
    gc.disable()
    try:
        assert document.tokens
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_citations_render_the_same_from_the_packed_tokens_as_from_a_fresh_parse() -> None:
    # Each citation's place is in its token and in the parse environment's
    # extracted places; the packed tokens hold their own copy of it.
    md = make_markdown()
    citations_plugin(md, registry={"a", "b"})
    source = "A claim [@a; @b, p. 2].\n\nAnother [@a].\n"
    env: dict[str, Any] = {"source_path": "brief.md", "settings": {}, "problems": [], "extracted": {}}
    document = ParsedDocument.of(md.parse(source, env), env)
    # What the resolver does with the places later does not reach the tokens.
    for place in document.env["extracted"]["citation_places"]:
        place["paragraph"] = "elsewhere"
    html = render_document(md, document, "brief.md")
    assert html == md.render(source, {"source_path": "brief.md", "extracted": {}})
    assert 'id="cite-b-1"' in html
    assert 'data-locator="p. 2"' in html
