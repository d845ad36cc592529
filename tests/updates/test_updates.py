"""Dated updates and corrections, in a fixture site: shown, carried everywhere, and checked."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.support import build_content, copy_fixture, tree_digest

EN = "briefs/first-brief.en.md"
ZH = "briefs/first-brief.zh-TW.md"
EN_UPDATES = """\
updated: 2026-01-20
updates:
  - {date: 2026-01-05, kind: correction, text: "The second figure was the 2024 total, not 2025's."}
  - {date: 2026-01-20, kind: update, text: Added the reaction of the ministry.}
"""
ZH_UPDATES = """\
updated: 2026-01-20
updates:
  - {date: 2026-01-05, kind: correction, text: 第二個數字是2024年的總數，而非2025年。}
  - {date: 2026-01-20, kind: update, text: 補上部會的回應。}
"""


def add_front_matter(content: Path, name: str, fields: str) -> None:
    """Insert ``fields`` (YAML lines) at the end of a file's front matter."""
    path = content / name
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("\n---\n", 1)
    path.write_text(f"{head}\n{fields.rstrip()}\n---\n{rest}", encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("updates")
    content = copy_fixture("basic_site", base)
    add_front_matter(content, EN, EN_UPDATES)
    add_front_matter(content, ZH, ZH_UPDATES)
    result = build_content(content, base / "output", SEARCH_INDEX=False)
    assert result.ok, "\n".join(map(str, result.problems))
    return base / "output"


def test_the_updated_line_under_the_title_links_to_the_log(built: Path) -> None:
    for lang, updated, heading in (
        ("en", "Updated 20 January 2026", "Updates and corrections"),
        ("zh-tw", "2026年1月20日 更新", "更新與更正紀錄"),
    ):
        html = (built / lang / "first-brief" / "index.html").read_text("utf-8")
        header = html.split("</header>", 2)[1]  # the brief's own header, after the site's
        assert f'<a href="#updates">{updated}</a>' in header, f"/{lang}/first-brief/ has no {updated!r} link"
        log = re.search(r'<section class="update-log" id="updates"[^>]*>(.*?)</section>', html, re.S)
        assert log, f"/{lang}/first-brief/ has no update log"
        assert heading in log.group(1)
        dates = re.findall(r'<time datetime="([\d-]+)">', log.group(1))
        assert dates == ["2026-01-05", "2026-01-20"], dates
        assert 'class="update-correction"' in log.group(1)


def test_a_brief_without_updates_shows_none(built: Path) -> None:
    html = (built / "en" / "second-brief" / "index.html").read_text("utf-8")
    assert 'class="updated"' not in html
    assert 'id="updates"' not in html


def test_the_feed_carries_the_updated_date(built: Path) -> None:
    feed = (built / "en" / "feed.xml").read_text("utf-8")
    entry = re.search(r"<entry>(?:(?!</entry>).)*first-brief/(?:(?!</entry>).)*</entry>", feed, re.S)
    assert entry, "the feed has no entry for the first brief"
    assert "<updated>2026-01-20T00:00:00+00:00</updated>" in entry.group(0), entry.group(0)
    assert "<published>2025-12-10T00:00:00+00:00</published>" in entry.group(0), entry.group(0)


def test_the_sitemap_carries_lastmod(built: Path) -> None:
    sitemap = (built / "sitemap.xml").read_text("utf-8")
    for lang, day in (("en", "2026-01-20"), ("zh-tw", "2026-01-20")):
        found = re.search(rf"<loc>[^<]*/{lang}/first-brief/</loc>\s*<lastmod>([^<]+)</lastmod>", sitemap)
        assert found, f"no lastmod for /{lang}/first-brief/"
        assert found.group(1) == day
    second = re.search(r"<loc>[^<]*/en/second-brief/</loc>\s*<lastmod>([^<]+)</lastmod>", sitemap)
    assert second, "no lastmod for a brief without updates"
    # A brief without updates: its date.
    assert second.group(1) == "2025-12-11"


def test_cite_this_names_the_updated_version(built: Path) -> None:
    html = (built / "en" / "first-brief" / "index.html").read_text("utf-8")
    assert "10 December 2025, updated 20 January 2026." in html
    assert "2025年12月10日（2026年1月20日更新）" in html
    entry = json.loads((built / "en" / "first-brief" / "cite.json").read_text("utf-8"))[0]
    assert entry["available-date"] == {"date-parts": [[2026, 1, 20]]}, entry
    assert entry["issued"] == {"date-parts": [[2025, 12, 10]]}, entry
    assert entry["note"] == "Updated 2026-01-20", entry
    bibtex = (built / "en" / "first-brief" / "cite.bib").read_text("utf-8")
    assert "note = {Updated 2026-01-20}" in bibtex, bibtex


def _build_with(tmp_path: Path, en: str, zh: str) -> tuple[list[str], Path, dict[str, str]]:
    content = copy_fixture("basic_site", tmp_path)
    output = tmp_path / "output"
    first = build_content(content, output, SEARCH_INDEX=False)
    assert first.ok, "\n".join(map(str, first.problems))
    before = tree_digest(output)
    add_front_matter(content, EN, en)
    add_front_matter(content, ZH, zh)
    result = build_content(content, output, SEARCH_INDEX=False)
    return [str(p) for p in result.problems], output, before


def test_languages_must_record_the_same_corrections(tmp_path: Path) -> None:
    zh_without_correction = "updates:\n  - {date: 2026-01-20, kind: update, text: 補上部會的回應。}\n"
    problems, output, before = _build_with(tmp_path, EN_UPDATES, zh_without_correction)
    assert any("translation drift: corrections" in p and "first-brief" in p for p in problems), problems
    assert any(re.search(r"first-brief\.(en|zh-TW)\.md:\d+: ", p) for p in problems), problems
    assert tree_digest(output) == before, "a failed build changed the previous output"


def test_bad_entries_are_reported_with_their_line(tmp_path: Path) -> None:
    bad = "updates:\n  - {date: soon, kind: fix, text: ''}\n"
    problems, _output, _before = _build_with(tmp_path, bad, bad)
    joined = "\n".join(problems)
    assert re.search(r"first-brief\.en\.md:8: .*'date' must be a date", joined), joined
    assert "'kind' must be one of update, correction, not 'fix'" in joined, joined
    assert "'text' must say what changed" in joined, joined
