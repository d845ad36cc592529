"""The fixture sites, built once for the tests that only read them.

``site`` is the two-language fixture (English, Traditional Chinese);
``built`` is each of the two-language and the three-language fixture in
turn, with what the language checks need to know of it, so that every
language check runs on both.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from pelican.settings import read_settings

from strictbuild import Site, site_of
from strictbuild.driver import BuildResult, build
from tests.support import ROOT, SETTINGS, build_content, copy_fixture

TRILINGUAL = ROOT / "tests" / "fixtures" / "trilingual_site"


@dataclass(frozen=True)
class BuiltSite:
    """A built fixture site and what its settings say of its languages."""

    name: str
    output: Path
    model: Site
    public: str
    #: the path of every page below each language's segment ("" for the home)
    pages: tuple[str, ...]

    def segments(self) -> list[str]:
        """The URL segment of each language, in the site's order."""
        return [language.path for language in self.model.languages.values()]

    def html_of(self, segment: str) -> str:
        """The html lang of the language at URL segment ``segment``."""
        return next(language.html for language in self.model.languages.values() if language.path == segment)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built output of tests/fixtures/bilingual_site."""
    base = tmp_path_factory.mktemp("bilingual")
    result = build_content(copy_fixture("bilingual_site", base), base / "output")
    assert result.ok, "\n".join(map(str, result.problems))
    return result.output


def copy_trilingual(base: Path) -> Path:
    """Copy the three-language fixture into ``base``; return the copy's folder."""
    folder = base / "site"
    shutil.copytree(TRILINGUAL, folder, ignore=shutil.ignore_patterns("__pycache__", ".cache"))
    return folder


def build_trilingual(folder: Path, output: Path, chart_cache: Path) -> BuildResult:
    """Build a copy of the three-language fixture; its charts are cached in ``chart_cache``."""
    override = {
        "THEME": str(ROOT / "theme"),
        "PLUGIN_PATHS": [str(ROOT / "plugins")],
        "CHARTS_CACHE_PATH": str(chart_cache),
    }
    return build(folder / "siteconf.py", output, override=override)


@pytest.fixture(scope="session")
def chart_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One chart cache for every build of the three-language fixture."""
    return tmp_path_factory.mktemp("trilingual-charts")


@pytest.fixture(scope="module")
def trilingual(tmp_path_factory: pytest.TempPathFactory, chart_cache: Path) -> Path:
    """The built output of tests/fixtures/trilingual_site."""
    base = tmp_path_factory.mktemp("trilingual")
    result = build_trilingual(copy_trilingual(base), base / "output", chart_cache)
    assert result.ok, "\n".join(map(str, result.problems))
    return result.output


@pytest.fixture(scope="module", params=["bilingual", "trilingual"])
def built(request: pytest.FixtureRequest) -> BuiltSite:
    """Each fixture site in turn, with its languages."""
    if request.param == "bilingual":
        output = request.getfixturevalue("site")
        settings = read_settings(str(SETTINGS))
        pages: tuple[str, ...] = ("", "chip-sales/", "procurement/", "about/")
    else:
        output = request.getfixturevalue("trilingual")
        settings = read_settings(str(TRILINGUAL / "siteconf.py"))
        pages = ("", "tram-fares/", "night-service/", "about/")
    public = str(settings["PUBLIC_URL"]).rstrip("/")
    return BuiltSite(request.param, output, site_of(settings), public, pages)
