"""Two builds in different folders, time zones, locales and hash seeds are byte-identical."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.site.harness import PROJECT

# What a build reads: settings, words, theme and plugins.
BUILD_INPUTS = ["pelicanconf.py", "publishconf.py", "content", "theme", "plugins"]


def _manifest(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder``, by relative path."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def differing_files(first: Path, second: Path) -> list[str]:
    """Files present in only one tree, or with different bytes, by relative path."""
    one, two = _manifest(first), _manifest(second)
    return sorted(name for name in one.keys() | two.keys() if one.get(name) != two.get(name))


def _build_copy(base: Path, env: dict[str, str]) -> Path:
    """Copy the project's build inputs under ``base`` and build them there in a subprocess."""
    project = base / "project"
    for name in BUILD_INPUTS:
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            project.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, project / name)
    environment = {**os.environ, "PYTHONPATH": str(project / "plugins"), **env}
    run = subprocess.run(
        [sys.executable, "-m", "strictbuild", "--settings", "pelicanconf.py", "--output", "output"],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, f"the build in {project} failed:\n{run.stderr}"
    return project / "output"


FIRST = {"TZ": "UTC", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "1"}


@pytest.mark.parametrize(
    "second",
    [
        pytest.param(
            {"TZ": "UTC", "LANG": "zh_TW.UTF-8", "LC_ALL": "", "PYTHONHASHSEED": "4242"},
            id="other-folder-locale-hashseed",
        ),
        pytest.param(
            {"TZ": "Asia/Taipei", "LANG": "zh_TW.UTF-8", "LC_ALL": "", "PYTHONHASHSEED": "4242"},
            id="other-folder-locale-hashseed-timezone",
        ),
    ],
)
def test_two_builds_in_different_places_and_environments_are_byte_identical(
    tmp_path: Path, second: dict[str, str]
) -> None:
    first = _build_copy(tmp_path / "a", FIRST)
    other = _build_copy(tmp_path / "b" / "deeper", second)
    assert _manifest(first), "the build wrote nothing"
    differing = differing_files(first, other)
    assert not differing, "files that differ between the two builds:\n" + "\n".join(differing)
