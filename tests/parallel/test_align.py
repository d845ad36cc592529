"""Cutting a brief into sections and blocks, aligning versions, and rendering a column."""

from __future__ import annotations

from typing import Any

from citations import citations_plugin
from markdown_reader import make_markdown
from markdown_reader.address import OWN_PAGE, Address
from parallel.align import misalignment, outline, rows, sections, top_level
from parallel.render import ids_in

EN = """<p>Opening.</p>
<h2 id="key-points"><a class="heading-link" href="#key-points">Key points</a></h2>
<ul>
<li id="para-1">One<sup class="citation"><a class="citation-ref" id="cite-a-1" href="#source-a" \
aria-describedby="preview-a" data-preview="preview-a">1</a></sup>.</li>
</ul>
<p>Two <img src="../../x.png" alt="x"> and <br> more.</p>
<h2 id="details">Details</h2>
<figure class="chart" id="chart-c" aria-labelledby="chart-c-title"><p id="chart-c-title">T</p>\
<div data-spec="../../en/charts/c/chart.vg.json"></div></figure>
<hr>
"""
ZH = EN.replace("Opening.", "開場。").replace("Key points", "重點摘要")


def test_top_level_elements_nest_and_void_elements_stand_alone() -> None:
    tags = [tag for tag, _html in top_level(EN)]
    assert tags == ["p", "h2", "ul", "p", "h2", "figure", "hr"]


def test_sections_start_at_each_h2_after_an_opening() -> None:
    found = sections(EN)
    assert [(s.anchor, len(s.blocks)) for s in found] == [("", 1), ("key-points", 2), ("details", 2)]
    assert found[1].blocks[1].startswith("<p>Two <img")
    assert found[1].blocks[1].endswith("more.</p>")


def test_versions_align_block_by_block() -> None:
    aligned = rows([sections(EN), sections(ZH)])
    assert [row.kind for row in aligned] == [
        "block",
        "heading",
        "block",
        "block",
        "heading",
        "block",
        "block",
    ]
    assert "開場" in aligned[0].cells[1]
    assert misalignment(sections(EN), sections(ZH)) == []


def test_a_missing_paragraph_or_section_is_reported() -> None:
    fewer = ZH.replace('<p>Two <img src="../../x.png" alt="x"> and <br> more.</p>', "")
    extra = ZH + "<p>An extra paragraph.</p>\n"
    assert misalignment(sections(EN), sections(extra)) == [
        (2, "section 3 has 2 paragraphs or blocks against 3")
    ]
    assert misalignment(sections(EN), sections(fewer)) == [
        (1, "section 2 has 2 paragraphs or blocks against 1")
    ]
    no_details = ZH.split('<h2 id="details">')[0]
    assert misalignment(sections(EN), sections(no_details)) == [(0, "3 sections against 2")]


def _column(text: str, address: Address) -> str:
    """``text`` rendered by the site's parser with the citation syntax, for ``address``."""
    md = make_markdown()
    citations_plugin(md, registry=["a"])
    env: dict[str, Any] = {"source_path": "b.md", "extracted": {}, "problems": []}
    tokens = md.parse(text, env)
    return str(md.renderer.render(tokens, md.options, {**env, "address": address}))


def test_a_column_keeps_its_ids_apart_and_its_addresses_working() -> None:
    text = (
        "## Key points\n\n- One [@a].\n\nSee [the points](#key-points) and [the note][^1].\n\n"
        "![x](../../x.png) [out](https://example.org/) [up](../other/)\n\n[^1]: A note.\n"
    )
    local = frozenset({"para-1", "cite-a-1", "key-points", "fn1", "fnref1"})
    html = _column(text, Address(prefix="en-", up="../", local=local, page="../../../en/b/"))
    assert 'id="en-key-points"' in html
    assert 'id="en-para-1"' in html
    assert 'id="en-cite-a-1"' in html
    assert 'aria-describedby="en-preview-a" data-preview="en-preview-a"' in html
    assert 'href="../../../en/b/#source-a"' in html  # the source list of the version's own brief
    assert 'href="#en-key-points"' in html  # a section of the column stays on the page
    assert 'href="#en-fn1" id="en-fnref1"' in html  # footnotes too
    assert 'id="en-fn1"' in html
    assert 'src="../../../x.png"' in html
    assert 'href="https://example.org/"' in html
    assert 'href="../../other/"' in html
    # Rendered for its own page, the same tokens give the brief's HTML.
    own = _column(text, OWN_PAGE)
    assert 'id="key-points"' in own
    assert 'href="#source-a"' in own
    assert 'src="../../x.png"' in own


def test_an_address_moves_ids_and_addresses_but_not_placeholders() -> None:
    address = Address(prefix="zh-tw-", up="../", local=frozenset({"q"}), page="../b/")
    assert address.attrs({"for": "q", "aria-labelledby": "a b"}) == {
        "for": "zh-tw-q",
        "aria-labelledby": "zh-tw-a zh-tw-b",
    }
    assert address.url("../../en/c.json") == "../../../en/c.json"
    assert address.url("#q") == "#zh-tw-q"
    assert address.url("#elsewhere") == "../b/#elsewhere"
    assert address.url("{filename}/briefs/b.md") == "{filename}/briefs/b.md"  # Pelican resolves it
    assert address.url("/about/") == "/about/"
    assert address.url("mailto:a@example.org") == "mailto:a@example.org"
    # Each layout's spec moves down, the narrow one too.
    assert address.attrs({"data-spec-narrow": "../c.json"}) == {"data-spec-narrow": "../../c.json"}


def test_one_reading_gives_the_sections_and_every_id_defined_at_any_depth() -> None:
    html = (
        '<p id="intro">One<sup id="cite-1"><a href="#s">1</a></sup></p>\n'
        '<h2 id="what">What</h2>\n<p>Two <img id="pic" src="x.png" alt=""></p>\n'
        '<section id="notes"><ol><li id="fn1">Note</li></ol></section>\n'
    )
    found, ids = outline(html)
    assert ids == {"intro", "cite-1", "what", "pic", "notes", "fn1"}
    assert ids == ids_in(html)
    assert [(s.heading, s.anchor, s.blocks) for s in found] == [
        (s.heading, s.anchor, s.blocks) for s in sections(html)
    ]
    assert [s.anchor for s in found] == ["", "what"]
