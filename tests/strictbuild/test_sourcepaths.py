"""A content's relative source path, kept per file: the same answers as Pelican's, asked once."""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from pelican.contents import Article, Content
from pelican.settings import DEFAULT_CONFIG

from strictbuild import sourcepaths
from strictbuild.driver import BuildResult
from tests.charts.conftest import build_site, site  # noqa: F401


def _article(root: str, source: str) -> Article:
    settings = {**copy.deepcopy(DEFAULT_CONFIG), "PATH": root}
    return Article(
        "<p>text</p>",
        metadata={"title": "A brief", "slug": "a-brief"},
        settings=settings,
        context={},
        source_path=source,
    )


@pytest.fixture
def memo(monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, str, str], str | None]:
    """An empty memo, and Pelican's method answering from it (as after a build in this process)."""
    known: dict[tuple[str, str, str], str | None] = {}
    monkeypatch.setattr(sourcepaths, "_known", known)
    monkeypatch.setattr(Content, "get_relative_source_path", sourcepaths.relative_source_path)
    return known


CASES = [
    ("content", "content/briefs/a.en.md"),
    ("content", os.path.join("content", "briefs", "..", "pages", "about.md")),
    ("./content/", "content/briefs/b.md"),
    ("content", "elsewhere/c.md"),
]


@pytest.mark.parametrize(("root", "source"), CASES)
def test_the_answer_is_pelicans(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    memo: dict[tuple[str, str, str], str | None],
    root: str,
    source: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    article = _article(root, source)
    expected = sourcepaths._PELICAN(article)
    assert sourcepaths.relative_source_path(article) == expected
    assert sourcepaths.relative_source_path(article) == expected  # from the memo
    assert sourcepaths.relative_source_path(article, "content/x.md") == sourcepaths._PELICAN(
        article, "content/x.md"
    )
    assert article.url == f"{article.slug}.html"


def test_each_file_is_worked_out_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memo: dict[tuple[str, str, str], str | None]
) -> None:
    calls: list[str | None] = []
    pelican = sourcepaths._PELICAN

    def counted(self: Content, source_path: str | None = None) -> str | None:
        calls.append(source_path)
        return pelican(self, source_path)

    monkeypatch.setattr(sourcepaths, "_PELICAN", counted)
    root = tmp_path / "content"
    article = _article(str(root), str(root / "briefs" / "a.en.md"))
    memo.clear()
    calls.clear()
    for _ in range(5):
        assert sourcepaths.relative_source_path(article) == "briefs/a.en.md"
    assert calls == [str(root / "briefs" / "a.en.md")]


def test_another_working_folder_or_content_folder_is_asked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memo: dict[tuple[str, str, str], str | None]
) -> None:
    # A relative path that climbs past the file system's root reads differently
    # from working folders at different depths: each folder gets Pelican's answer.
    deeper = tmp_path / "one" / "two"
    deeper.mkdir(parents=True)
    source = "../" * 40 + "b.md"
    article = _article("content", source)
    other = _article("/srv/site/content", "/srv/site/content/pages/b.md")
    memo.clear()  # what making the articles asked
    monkeypatch.chdir(tmp_path)
    here = sourcepaths.relative_source_path(article)
    assert here == sourcepaths._PELICAN(article)
    monkeypatch.chdir(deeper)
    there = sourcepaths.relative_source_path(article)
    assert there == sourcepaths._PELICAN(article)
    assert there != here
    assert sourcepaths.relative_source_path(other) == "pages/b.md"
    assert len(memo) == 3


def test_without_a_source_path_or_settings_pelican_answers(
    memo: dict[tuple[str, str, str], str | None],
) -> None:
    article = _article("content", "content/a.md")
    article.source_path = None
    memo.clear()
    assert sourcepaths.relative_source_path(article) is None
    assert memo == {}


def test_a_build_answers_from_the_memo(
    build_site: Callable[..., BuildResult],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Content, "get_relative_source_path", sourcepaths._PELICAN)
    result = build_site()
    assert result.ok, result.problems
    assert Content.get_relative_source_path is sourcepaths.relative_source_path
    assert any(root.endswith("content") for _cwd, root, _path in sourcepaths._known)
