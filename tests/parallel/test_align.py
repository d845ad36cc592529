"""Cutting a brief into sections and blocks, aligning versions, and preparing a column."""

from __future__ import annotations

from parallel.align import misalignment, rows, sections, top_level
from parallel.render import column_html, prefix_ids, rebase_urls

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


def test_a_column_keeps_its_ids_apart_and_its_addresses_working() -> None:
    local = frozenset({"para-1", "cite-a-1", "key-points"})
    html = column_html(sections(EN)[1].blocks[0], "en-", local=local, brief="../../../en/b/")
    assert 'id="en-para-1"' in html
    assert 'id="en-cite-a-1"' in html
    assert 'aria-describedby="en-preview-a" data-preview="en-preview-a"' in html
    assert 'href="../../../en/b/#source-a"' in html  # the source list of the version's own brief
    heading = column_html(sections(EN)[1].heading, "en-", local=local)
    assert 'href="#en-key-points"' in heading  # a section of the column stays on the page
    assert prefix_ids('<label for="q">', "zh-tw-") == '<label for="zh-tw-q">'
    assert rebase_urls('<img src="../../x.png">') == '<img src="../../../x.png">'
    assert rebase_urls('<a href="https://example.org/">') == '<a href="https://example.org/">'
    assert rebase_urls('<div data-spec="../../en/c.json">') == '<div data-spec="../../../en/c.json">'
    # Each layout's spec moves down, the narrow one too.
    narrow = '<div data-spec-narrow="../../en/c.narrow.json">'
    assert rebase_urls(narrow) == '<div data-spec-narrow="../../../en/c.narrow.json">'
