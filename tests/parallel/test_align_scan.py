"""The tag scan that cuts a brief into blocks reads HTML exactly as html.parser does.

Every fragment the side-by-side pages of the project's site cut (each
version's own HTML and each column) is read both ways and compared, with
hand-written fragments for the cases the site may not show.
"""

from __future__ import annotations

import shutil

import pytest

import parallel.align as align
from tests.support import ROOT, build_content


def _by_html_parser(html: str) -> tuple[list[tuple[str, int, int]], set[str]]:
    parser = align._TopLevel(html)
    parser.feed(html)
    parser.close()
    return parser.spans, parser.ids


def _by_scan(html: str) -> tuple[list[tuple[str, int, int]], set[str]] | None:
    found = align._scan(html)
    return None if found is None else (found.spans, found.ids)


@pytest.fixture(scope="module")
def site_fragments(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Every fragment the side-by-side pages of the project's site cut in one build."""
    base = tmp_path_factory.mktemp("scan")
    shutil.copytree(ROOT / "content", base / "content")
    seen: list[str] = []
    real = align._parse

    def recording(html: str) -> object:
        seen.append(html)
        return real(html)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(align, "_parse", recording)
        result = build_content(base / "content", base / "output", CACHE_CONTENT=False)
    assert result.ok, result.problems
    return seen


def test_every_fragment_of_the_site_is_read_alike(site_fragments: list[str]) -> None:
    briefs = len(list((ROOT / "content" / "briefs").glob("*.md")))
    assert len(site_fragments) >= 2 * briefs  # each version's own HTML and its column
    for html in site_fragments:
        assert _by_scan(html) == _by_html_parser(html), html[:200]


@pytest.mark.parametrize(
    "html",
    [
        '<p id="a">One <a href="#x" title="a > b">link</a></p>\n<h2 id="s&amp;t">Two</h2>',
        "<P ID=up>upper case</P><hr><img src=x alt='a > b'><br/>",
        '<figure><svg viewBox="0 0 1 1"><path d="M0 0"/>'
        '<linearGradient id="g"></linearGradient></svg></figure>',
        "<p>1 < 2 and 3 > 2</p><p disabled>bare</p><div / >open</div>",
        "<ul>\n<li>one</li>\n<li>two <em>three</em></li>\n</ul>\n<table><tr><td>x</td></tr></table>",
        '<p data-x=\'"quoted"\' id = "spaced">x</p>',
        "<p>a<b</p><p>a <3 b</p>",
    ],
)
def test_hand_written_fragments_are_read_alike(html: str) -> None:
    assert _by_scan(html) == _by_html_parser(html)


@pytest.mark.parametrize(
    "html",
    [
        "<p>a</p><!-- a comment --><p>b</p>",
        "<style>p > a { color: red }</style><p>x</p>",
        "<script>if (a < b) {}</script>",
        "<p>x</p><p>a<b",
        "<p>a</ p>",
        "<!DOCTYPE html><p>x</p>",
    ],
)
def test_other_markup_is_left_to_html_parser(html: str) -> None:
    assert align._scan(html) is None
    found = align._parse(html)
    assert (found.spans, found.ids) == _by_html_parser(html)
