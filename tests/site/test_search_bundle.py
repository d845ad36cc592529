"""The real site's search bundle is what Pagefind makes of the whole site, byte for byte.

The build gives Pagefind each indexed page without the parts marked
``data-pagefind-ignore="all"`` (``search.slim``): that may change how fast
the index is made, never what readers download.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from search import index, slim
from tests.site.harness import Site


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_the_bundle_is_pagefinds_own_over_the_whole_pages(site: Site, tmp_path: Path) -> None:
    whole = tmp_path / "whole"
    subprocess.run(
        [index.pagefind_executable(), "--site", str(site.output), "--output-path", str(whole), *index.FLAGS],
        check=True,
    )
    index._merge([whole], tmp_path / "tidied")
    expected = _files(tmp_path / "tidied")
    built = _files(site.output / "pagefind")
    assert built.keys() == expected.keys(), sorted(built.keys() ^ expected.keys())[:10]
    differing = sorted(name for name in built if built[name] != expected[name])
    assert not differing, f"{len(differing)} bundle files differ from Pagefind's own, e.g. {differing[:5]}"


def test_every_indexed_page_of_the_site_is_given_slimmed(site: Site) -> None:
    # The pages are the templates' own: none should fall back to the whole
    # page, or the speed the slimming is for is lost without a word.
    indexed = [p for p in sorted(site.output.rglob("*.html")) if slim.BODY_MARK in p.read_bytes()]
    assert len(indexed) >= 10, f"only {len(indexed)} indexed pages found"
    whole = [p.relative_to(site.output).as_posix() for p in indexed if slim.slim(p.read_bytes()) is None]
    assert not whole, f"pages given whole to Pagefind: {whole}"
    briefs = [p for p in indexed if b'class="brief"' in p.read_bytes()]
    assert briefs, "no brief page among the indexed pages"
    for page in briefs:
        data = page.read_bytes()
        cut = slim.slim(data)
        assert cut is not None
        assert slim.IGNORE_MARK in data, f"{page}: no part marked for Pagefind to leave out"
        assert slim.IGNORE_MARK not in cut, f"{page}: a marked part is left in"
        assert b'class="brief-sources"' in data, page
        assert b'class="brief-sources"' not in cut, page
