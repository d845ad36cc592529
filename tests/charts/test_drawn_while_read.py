"""The charts the cache lacks are drawn while the build reads its briefs, and stop with the build."""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pelican.generators import ArticlesGenerator

from strictbuild.driver import BuildResult

#: Drawn by workers even for the fixture's two renderings.
IN_WORKERS = {"CHARTS_WORKERS": 2, "CHARTS_IN_PROCESS_MAX": 0}


def _renderings(site: Path) -> list[Path]:
    return sorted((site / ".cache" / "charts").glob("*/*/meta.json"))


def _until(condition: Callable[[], bool], seconds: float = 120) -> bool:
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _chart_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "chart renders"]


def test_the_charts_are_drawn_while_the_briefs_are_read(
    site: Path, build_site: Callable[..., BuildResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The briefs are read only once a rendering is in the cache: were the
    # charts drawn after the briefs, as they once were, none would come.
    read = ArticlesGenerator.generate_context
    seen: list[int] = []

    def reading(generator: Any) -> None:
        _until(lambda: bool(_renderings(site)))
        seen.append(len(_renderings(site)))
        read(generator)

    monkeypatch.setattr(ArticlesGenerator, "generate_context", reading)
    result = build_site(**IN_WORKERS)
    assert result.ok, result.problems
    assert seen == [1] or seen == [2], f"renderings in the cache while the briefs were read: {seen}"
    assert len(_renderings(site)) == 2
    assert (site / "output" / "en" / "charts" / "sample-bars" / "sample-bars.en.svg").is_file()


def test_a_build_that_stops_while_the_charts_are_drawn_stops_their_workers(
    site: Path, build_site: Callable[..., BuildResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    read = ArticlesGenerator.generate_context

    def failing(generator: Any) -> None:
        assert _until(lambda: bool(_chart_threads()) and bool(multiprocessing.active_children()))
        raise RuntimeError("the reading stopped")

    monkeypatch.setattr(ArticlesGenerator, "generate_context", failing)
    result = build_site(**IN_WORKERS)
    assert not result.ok
    assert "the reading stopped" in str(result.problems)
    assert _chart_threads() == []
    assert multiprocessing.active_children() == []

    # What the stopped workers left in the cache is whole: the next build draws the rest.
    monkeypatch.setattr(ArticlesGenerator, "generate_context", read)
    again = build_site(**IN_WORKERS)
    assert again.ok, again.problems
    assert len(_renderings(site)) == 2
    for lang in ("en", "zh-tw"):
        svg = site / "output" / lang / "charts" / "sample-bars" / f"sample-bars.{lang}.svg"
        assert svg.read_text(encoding="utf-8").startswith("<svg"), svg
