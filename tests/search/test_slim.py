"""Pages given to Pagefind without the parts it leaves out (``search.slim``)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from search import index, slim

PAGE = (
    b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>T</title>'
    b'<script src="a.js" defer></script></head><body>'
    b'<nav data-pagefind-ignore="all"><a href="/">Home</a></nav>'
    b"<article data-pagefind-body><h1>Export controls</h1><p>The list adds domestic chips.</p>"
    b'<section class="sources" data-pagefind-ignore="all" title="a &gt; b > c">'
    b'<h2 id="sources">Sources</h2><section><p class="x">nested</p><br></section>'
    b"<!-- </section> --><script>var s = '</section><div class=\"x\">';</script></section>"
    b"<p>After the list.</p>"
    b"<div class=previews data-pagefind-ignore=all><div><div>deep</div></div></div>"
    b"</article></body></html>"
)


def test_marked_elements_are_cut_whole_and_nothing_else() -> None:
    cut = slim.slim(PAGE)
    assert cut == (
        b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>T</title>'
        b'<script src="a.js" defer></script></head><body>'
        b"<article data-pagefind-body><h1>Export controls</h1><p>The list adds domestic chips.</p>"
        b"<p>After the list.</p>"
        b"</article></body></html>"
    )


def test_a_page_without_marks_is_given_as_it_is() -> None:
    page = b"<html><body><article data-pagefind-body><p>x</p></article></body></html>"
    assert slim.slim(page) is page


@pytest.mark.parametrize(
    "page",
    [
        b'<div data-pagefind-ignore="ALL">x</div>',
        b"<div data-pagefind-ignore>x</div>",
        b'<div data-pagefind-ignore="index">x</div>',
        b'<p>write data-pagefind-ignore="all"> to leave a part out</p>',
        b'<!-- <div data-pagefind-ignore="all">x</div> -->',
        b'<style>.a[data-x] {}</style><script>"<div data-pagefind-ignore="all">x</div>"</SCRIPT>',
    ],
    ids=["other-value", "no-value", "index-only", "in-text", "in-comment", "in-script"],
)
def test_what_pagefind_does_not_take_for_the_mark_is_left_in(page: bytes) -> None:
    assert slim.slim(page) == page


@pytest.mark.parametrize(
    "page",
    [
        b'<p data-pagefind-ignore="all">an element whose end tag may be implied</p>',
        b'<div data-pagefind-ignore="all">no end tag',
        b'<div data-pagefind-ignore="all" />',
        b'<div data-pagefind-ignore="all"><div/></div>',
        b'<div data-pagefind-ignore="all"><article data-pagefind-body>x</article></div>',
        b'<div data-pagefind-ignore="all" DATA-PAGEFIND-BODY>x</div>',
        b'<div data-pagefind-ignore="index" data-pagefind-ignore="all"><span>y</span></div>',
        b'<noscript><div data-pagefind-ignore="all">x</div></noscript>',
        b'<div data-pagefind-ignore="all" title="<div>">x</div>',
        b"<a title='a<b'>x</a><div data-pagefind-ignore=\"all\">x</div>",
        # What Pagefind reads even inside a part it disregards.
        b'<div data-pagefind-ignore="all"><nav><span data-pagefind-filter="tag:secret">x</span></nav></div>',
        b'<div data-pagefind-ignore="all"><svg><g data-pagefind-meta="author:Eve"></g></svg></div>',
        b'<div data-pagefind-ignore="all"><footer><img src="/f.png" alt=""></footer></div>',
        b'<nav data-pagefind-ignore="all"><img src="/n.png" alt=""></nav>',
        b'<div data-pagefind-ignore="all"><h1>Another title</h1></div>',
        # What an HTML parser reads otherwise than a tag count would.
        b'<!--><div data-pagefind-ignore="all">x</div><p>-->shown</p>',
        b'<svg><text><![CDATA[<div>]]></text></svg><div data-pagefind-ignore="all">x</div>',
        b'<svg><title><tspan>t</tspan></title></svg><div data-pagefind-ignore="all">x</div>',
        b'<svg><div data-pagefind-ignore="all">x</div></svg>',
        b'<section><div data-pagefind-ignore="all">x</section><p>RealText</p></div>',
        b'<div data-pagefind-ignore="all"><?x </div> ?>y</div><p>z</p>',
        b'<div data-pagefind-ignore="all"><script><!--<script></script></div>--></script></div>',
        b'<div data-pagefind-ignore="all"></ x></div>',
        b'<div data-pagefind-ignore="all"><ul><li>open</ul></div>',
    ],
    ids=[
        "implied-end",
        "no-end",
        "self-closing",
        "self-closing-inside",
        "body-inside",
        "body-on-it",
        "twice-marked",
        "noscript",
        "lt-value",
        "lt-value-elsewhere",
        "filter-in-nav",
        "meta-in-svg",
        "image-in-footer",
        "image-in-nav",
        "title-inside",
        "abrupt-comment",
        "cdata",
        "svg-title",
        "in-svg",
        "stray-end-tag",
        "bogus-comment",
        "escaped-script",
        "end-tag-not-a-name",
        "unclosed-inside",
    ],
)
def test_a_page_that_cannot_be_cut_for_certain_is_given_whole(page: bytes) -> None:
    assert slim.slim(page) is None


def _bundle(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


HEAD = b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>T</title></head><body>'
CUT = {
    "page": PAGE,
    "anchor-after": b'<div data-pagefind-ignore="all"><h2 id="a">A</h2></div><h2 id="b">Bee</h2><p>x</p>',
    "contents": b'<nav data-pagefind-ignore="all"><h2 id="c">Contents</h2>'
    b'<ol><li><a href="#b">Bee</a></li></ol></nav><h2 id="b">Bee</h2><p>x</p><h2 id="d">Dee</h2>',
    "block-in-paragraph": b'<p>foo<div data-pagefind-ignore="all">x</div>bar</p>',
    "inline-between-words": b'<p>foo<span data-pagefind-ignore="all">x</span>bar</p>',
    "end-tag-with-attribute": b'<div data-pagefind-ignore="all">a<script>x</script foo></div><p>RealText</p>',
    "chart-beside": b'<figure><svg viewBox="0 0 1 1"><title>Chart</title><g></g></svg></figure>'
    b'<div data-pagefind-ignore="all"><p>previews</p></div><p>text</p>',
}


@pytest.mark.parametrize("name", list(CUT))
def test_pagefind_makes_the_same_bundle_of_the_slimmed_page(tmp_path: Path, name: str) -> None:
    whole = (
        CUT[name]
        if CUT[name].startswith(b"<!DOCTYPE")
        else (HEAD + b"<article data-pagefind-body><h1>Title</h1>" + CUT[name] + b"</article></body></html>")
    )
    cut = slim.slim(whole)
    assert cut is not None
    assert len(cut) < len(whole), "nothing was cut: the comparison would prove nothing"
    for folder, data in (("whole", whole), ("slim", cut)):
        page = tmp_path / folder / "en" / "a" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_bytes(data)
        subprocess.run(
            [
                index.pagefind_executable(),
                "--site",
                str(tmp_path / folder),
                "--output-path",
                str(tmp_path / f"{folder}-out"),
                *index.FLAGS,
            ],
            check=True,
        )
    assert _bundle(tmp_path / "slim-out") == _bundle(tmp_path / "whole-out")
    assert len([n for n in _bundle(tmp_path / "whole-out") if n.startswith("fragment/")]) == 1


def _listing(tmp_path: Path, pages: dict[str, bytes]) -> Path:
    site = tmp_path / "site"
    lines = []
    for name, data in pages.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
        lines.append(f"{hashlib.sha256(data).hexdigest()}\t{name}\n")
    listing = tmp_path / "listing.txt"
    listing.write_text("".join(lines), encoding="utf-8")
    return listing


def _run(tmp_path: Path, listing: Path, dest: str, *flags: str) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-I",
        str(index.SLIM),
        *flags,
        str(listing),
        str(tmp_path / "site"),
        str(tmp_path / dest),
        str(tmp_path / "kept"),
    ]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_the_script_slims_each_page_once_and_links_it_afterwards(tmp_path: Path) -> None:
    listing = _listing(tmp_path, {"en/a/index.html": PAGE})
    assert _run(tmp_path, listing, "first").returncode == 0
    given = tmp_path / "first" / "en" / "a" / "index.html"
    assert given.read_bytes() == slim.slim(PAGE)
    (kept,) = (tmp_path / "kept").iterdir()
    assert kept.name == f"{hashlib.sha256(PAGE).hexdigest()}.html"
    # The next run links the kept copy: the page itself is not read (as the
    # bundle cache, it trusts the hash the build gave for the page).
    (tmp_path / "site" / "en" / "a" / "index.html").write_bytes(b"not read")
    assert _run(tmp_path, listing, "second").returncode == 0
    again = tmp_path / "second" / "en" / "a" / "index.html"
    assert again.read_bytes() == slim.slim(PAGE)
    assert again.stat().st_ino == kept.stat().st_ino


def test_a_page_changed_since_it_was_hashed_stops_the_script(tmp_path: Path) -> None:
    listing = _listing(tmp_path, {"en/a/index.html": PAGE})
    (tmp_path / "site" / "en" / "a" / "index.html").write_bytes(PAGE + b" ")
    done = _run(tmp_path, listing, "out")
    assert done.returncode == 3
    assert "en/a/index.html changed while the index was being made" in done.stderr


def test_under_verify_every_page_is_read_and_a_differing_kept_copy_stops_the_script(tmp_path: Path) -> None:
    listing = _listing(tmp_path, {"en/a/index.html": PAGE})
    assert _run(tmp_path, listing, "first").returncode == 0
    (kept,) = (tmp_path / "kept").iterdir()
    kept.unlink()
    kept.write_bytes(b"other bytes")
    done = _run(tmp_path, listing, "second", "--verify")
    assert done.returncode == 4
    assert "internal error" in done.stderr


def test_copies_of_pages_no_longer_listed_are_removed(tmp_path: Path) -> None:
    first = _listing(tmp_path, {"en/a/index.html": PAGE})
    assert _run(tmp_path, first, "first").returncode == 0
    other = PAGE.replace(b"domestic chips", b"lithography")
    second = _listing(tmp_path, {"en/a/index.html": other})
    assert _run(tmp_path, second, "second").returncode == 0
    assert [p.name for p in (tmp_path / "kept").iterdir()] == [f"{hashlib.sha256(other).hexdigest()}.html"]
