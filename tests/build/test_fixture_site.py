"""Build the small two-language fixture site and compare it with what is expected.

The expected body of each page (the HTML the Markdown reader produced) is
committed under tests/fixtures/basic_site/expected/. When a change to the
reader is intended, regenerate it with ``make expected`` and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.support import ROOT, build_content, copy_fixture, tree_digest

EXPECTED = ROOT / "tests" / "fixtures" / "basic_site" / "expected"
PROSE = re.compile(r'<div class="prose">\n(.*?)\n\s*</div>', re.S)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("basic")
    content = copy_fixture("basic_site", base)
    output = base / "output"
    result = build_content(content, output)
    assert result.ok, [str(p) for p in result.problems]
    return output


def prose_of(page: Path) -> str:
    match = PROSE.search(page.read_text(encoding="utf-8"))
    assert match, f"{page} has no prose block"
    return match.group(1).strip() + "\n"


def pages_with_prose(output: Path) -> list[Path]:
    return sorted(p for p in output.rglob("index.html") if 'class="prose"' in p.read_text(encoding="utf-8"))


def test_every_brief_and_page_is_written_in_both_languages(built: Path) -> None:
    for lang in ("en", "zh-tw"):
        for slug in ("first-brief", "second-brief", "about"):
            assert (built / lang / slug / "index.html").is_file(), f"/{lang}/{slug}/ is missing"
        assert (built / lang / "index.html").is_file()
    assert (built / "index.html").is_file()
    assert (built / "404.html").is_file()
    # GitHub Pages serves the site as it is, without Jekyll.
    assert (built / ".nojekyll").is_file()


def test_page_bodies_match_the_expected_output(built: Path) -> None:
    pages = pages_with_prose(built)
    assert pages
    if os.environ.get("REGENERATE_EXPECTED"):
        for page in pages:
            target = EXPECTED / page.relative_to(built).with_suffix(".prose.html")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(prose_of(page), encoding="utf-8")
    expected = sorted(EXPECTED.rglob("*.prose.html"))
    assert [p.relative_to(EXPECTED).as_posix() for p in expected] == [
        p.relative_to(built).with_suffix(".prose.html").as_posix() for p in pages
    ]
    for page in pages:
        want = (EXPECTED / page.relative_to(built).with_suffix(".prose.html")).read_text(encoding="utf-8")
        assert prose_of(page) == want, f"{page.relative_to(built)} differs; run `make expected` if intended"


def test_home_lists_briefs_in_the_site_order(built: Path) -> None:
    home = (built / "en" / "index.html").read_text(encoding="utf-8")
    assert home.index("A first brief") < home.index("A second brief")


def test_pages_declare_their_language(built: Path) -> None:
    assert '<html lang="zh-Hant-TW"' in (built / "zh-tw" / "about" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in (built / "en" / "about" / "index.html").read_text(encoding="utf-8")


def test_assets_are_linked_relatively(built: Path) -> None:
    html = (built / "zh-tw" / "first-brief" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../theme/css/site.css"' in html
    head = html.split("<body")[0].replace("http-equiv", "")
    # canonical and hreflang links are absolute by definition; assets are not.
    assets = [line for line in head.splitlines() if 'rel="canonical"' not in line and "hreflang" not in line]
    assert "http://" not in "\n".join(assets)


def test_two_builds_are_byte_identical(tmp_path: Path, built: Path) -> None:
    content = copy_fixture("basic_site", tmp_path)
    again = tmp_path / "output"
    assert build_content(content, again).ok
    assert tree_digest(again) == tree_digest(built)
