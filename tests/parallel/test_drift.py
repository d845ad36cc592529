"""Versions that cannot be aligned side by side stop the build as translation drift."""

from __future__ import annotations

from pathlib import Path

from tests.support import build_content, copy_fixture, tree_digest


def test_an_extra_paragraph_is_reported_at_its_section(tmp_path: Path) -> None:
    content = copy_fixture("basic_site", tmp_path)
    output = tmp_path / "output"
    first = build_content(content, output, SEARCH_INDEX=False)
    assert first.ok, "\n".join(map(str, first.problems))
    assert (output / "zh-tw" / "first-brief" / "parallel" / "index.html").is_file()
    before = tree_digest(output)
    brief = content / "briefs" / "first-brief.zh-TW.md"
    text = brief.read_text(encoding="utf-8")
    brief.write_text(text.replace("## 細節\n", "## 細節\n\n多出來的一段，英文版沒有。\n"), encoding="utf-8")
    result = build_content(content, output, SEARCH_INDEX=False)
    problems = [str(p) for p in result.problems]
    assert not result.ok, "a brief whose versions do not align was built"
    assert any(
        p.startswith("content/briefs/first-brief.zh-TW.md:15: translation drift: the side-by-side page")
        and "section 2 has 4 paragraphs or blocks against 5" in p
        for p in problems
    ), problems
    assert tree_digest(output) == before, "a failed build changed the previous output"


def test_the_fixture_pages_link_to_their_side_by_side_pages(tmp_path: Path) -> None:
    content = copy_fixture("basic_site", tmp_path)
    result = build_content(content, tmp_path / "output", SEARCH_INDEX=False)
    assert result.ok, "\n".join(map(str, result.problems))
    for lang in ("en", "zh-tw"):
        page = (tmp_path / "output" / lang / "first-brief" / "index.html").read_text("utf-8")
        assert f'href="../../{lang}/first-brief/parallel/"' in page
        side = (tmp_path / "output" / lang / "first-brief" / "parallel" / "index.html").read_text("utf-8")
        assert side.count('class="parallel-cell"') >= 4
