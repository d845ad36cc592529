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
    b'<h2 id="sources">Sources</h2><section><p data-pagefind-meta="kind:list">nested</p></section>'
    b"<!-- </section> --><script>var s = '</section><div data-pagefind-ignore=\"all\">';</script>"
    b'<span data-pagefind-filter="year">2025</span></section>'
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
        b'<noscript><div data-pagefind-ignore="all">x</div></noscript>',
        b'<div data-pagefind-ignore="all" title="<div>">x</div>',
        b"<a title='a<b'>x</a><div data-pagefind-ignore=\"all\">x</div>",
    ],
    ids=[
        "implied-end",
        "no-end",
        "self-closing",
        "self-closing-inside",
        "body-inside",
        "noscript",
        "lt-value",
        "lt-value-elsewhere",
    ],
)
def test_a_page_that_cannot_be_cut_for_certain_is_given_whole(page: bytes) -> None:
    assert slim.slim(page) is None


def _bundle(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_pagefind_makes_the_same_bundle_of_the_slimmed_page(tmp_path: Path) -> None:
    for name, data in (("whole", PAGE), ("slim", slim.slim(PAGE))):
        assert data is not None
        page = tmp_path / name / "en" / "a" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_bytes(data)
        subprocess.run(
            [
                index.pagefind_executable(),
                "--site",
                str(tmp_path / name),
                "--output-path",
                str(tmp_path / f"{name}-out"),
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
