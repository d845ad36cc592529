"""Where a long build is: the progress line on a terminal, quiet elsewhere, and the closing summary."""

from __future__ import annotations

import io
import os
import pty
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from strictbuild import progress
from strictbuild.driver import BuildResult
from tests.charts.conftest import FIXTURE, PROJECT_SETTINGS, build_site, site  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_a_line_counts_and_says_how_long_is_left() -> None:
    line = progress.Progress("charts rendered", 4, stream=Terminal(), enabled=True)
    line._started -= 2.0  # two seconds in
    line.done = 1
    assert line.line().startswith("charts rendered: 1/4, about 6 s left")
    line.done = 4
    assert line.line() == "charts rendered: 4/4"


def test_a_line_without_a_total_shows_the_rate() -> None:
    line = progress.Progress("pages written", None, stream=Terminal(), enabled=True)
    line._started -= 2.0
    line.done = 10
    assert line.line() == "pages written: 10 (5/s)"


def test_a_terminal_gets_a_line_that_overwrites_itself_and_ends() -> None:
    stream = Terminal()
    with progress.Progress("pages written", 3, stream=stream, enabled=True) as line:
        for _ in range(3):
            line.advance()
    drawn = stream.getvalue()
    assert drawn.startswith("\rpages written: ")
    assert "pages written: 3/3\x1b[K" in drawn
    assert drawn.endswith("\n")
    assert drawn.count("\n") == 1


def test_nothing_is_drawn_when_the_output_is_not_a_terminal() -> None:
    stream = io.StringIO()
    with progress.Progress("pages written", 3, stream=stream) as line:
        for _ in range(3):
            line.advance()
    assert stream.getvalue() == ""


def test_nothing_is_drawn_under_ci_even_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    assert progress.draws_progress(Terminal()) is False
    monkeypatch.delenv("CI")
    assert progress.draws_progress(Terminal()) is True


def test_counts_belong_to_one_build_and_end_with_it() -> None:
    progress.count("charts rendered")  # outside a build: counted nowhere
    counts, token = progress.begin()
    progress.count("charts rendered", 2)
    progress.count("charts from the cache", 3)
    progress.end(token)
    progress.count("charts rendered")
    assert counts.counts == {"charts rendered": 2, "charts from the cache": 3}
    assert counts.summary() == "2 charts rendered, 3 charts from the cache"
    assert progress.current() is None


def test_a_build_counts_what_it_rendered_and_what_came_from_the_cache(
    build_site: Callable[..., BuildResult],  # noqa: F811
) -> None:
    first = build_site()
    assert first.ok, first.problems
    assert first.counts["charts rendered"] == 2
    assert first.counts["charts from the cache"] == 0
    written = first.counts["pages written"]
    assert written > 0
    second = build_site()
    assert second.counts == {"charts rendered": 0, "charts from the cache": 2, "pages written": written}


def _cli(site_folder: Path, *, terminal: bool, env: dict[str, str]) -> str:
    settings = site_folder / "settings.py"
    settings.write_text(
        f"from pelicanconf import *  # noqa: F403\nPATH = {str(site_folder / 'content')!r}\n"
        f"THEME = {str(ROOT / 'theme')!r}\nPLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n"
        "CHARTS_WORKERS = 1\n",
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "strictbuild", "--settings", str(settings), "--output", "output"]
    if not terminal:
        run = subprocess.run(command, cwd=site_folder, env=env, capture_output=True, text=True, check=True)
        return run.stderr
    # A pseudo-terminal as standard error, as a reader's shell would give.
    main, child = pty.openpty()
    with subprocess.Popen(
        command, cwd=site_folder, env=env, stdout=subprocess.DEVNULL, stderr=child, stdin=subprocess.DEVNULL
    ) as proc:
        os.close(child)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert proc.wait() == 0, b"".join(chunks).decode("utf-8", "replace")[-3000:]
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


def test_the_command_draws_progress_on_a_terminal_only(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    # Without the fixture's own settings file: the one written here imports the project's.
    skip = shutil.ignore_patterns(".cache", "__pycache__", "output", "pelicanconf.py")
    shutil.copytree(FIXTURE, folder, ignore=skip)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYTHONPATH"] = f"{ROOT / 'plugins'}:{ROOT}"
    drawn = _cli(folder, terminal=True, env=env)
    assert "\rcharts rendered: 2/2" in drawn, drawn[-2000:]
    assert "charts rendered, 0 charts from the cache" in drawn
    # The second build knows how many pages to expect from the first.
    again = _cli(folder, terminal=True, env=env)
    assert "0 charts rendered, 2 charts from the cache" in again
    assert "/" in again.split("\rpages written: ")[-1].split("\x1b")[0], again[-2000:]
    quiet = _cli(folder, terminal=False, env=env)
    assert "\r" not in quiet
    assert "\x1b[K" not in quiet
    assert "0 charts rendered, 2 charts from the cache" in quiet
    under_ci = _cli(folder, terminal=True, env={**env, "CI": "true"})
    assert "\rcharts" not in under_ci
    assert "\rpages" not in under_ci
