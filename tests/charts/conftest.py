"""Shared helpers: a fresh copy of the charts fixture site per test, and its build."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from strictbuild.driver import BuildResult, build

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "charts_site"
PROJECT_SETTINGS = Path(__file__).resolve().parents[2] / "pelicanconf.py"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the fixture site (settings, content) in a temporary folder."""
    target = tmp_path / "site"
    shutil.copytree(FIXTURE, target, ignore=shutil.ignore_patterns(".cache", "__pycache__"))
    return target


@pytest.fixture
def build_site(site: Path) -> Callable[..., BuildResult]:
    """Build the copied site into ``site/output`` with the project's settings and theme.

    Keyword arguments override settings.
    """

    def run(**override: object) -> BuildResult:
        settings = {
            "PATH": str(site / "content"),
            "CHARTS_WORKERS": 1,
            "CACHE_PATH": str(site / "cache"),
            **override,
        }
        return build(PROJECT_SETTINGS, site / "output", override=settings)

    return run
