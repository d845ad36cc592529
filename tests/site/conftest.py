"""The real site, built once per test session and served under a sub-path.

The build happens when the first test that needs it is collected, because the
tests are generated from the pages the build produced: every page of whatever
site is built is checked, and a new page needs no new test.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from strictbuild.driver import build
from tests.browser import READER_LOCALE, Reader
from tests.site.harness import PROJECT, SUB_PATH, Server, Site, SitePage, discover, serve, sub_path_answer
from tests.support import own_caches

# A page with citations, back-links or previews (citations and glossary terms).
CITING = re.compile(r'class="(?:citation-ref|backlink|cited-paragraph)"|data-preview="')
_FIGURE = re.compile(r'<figure\b[^>]*\bdata-chart="([^"]+)"')
_SITE = pytest.StashKey["Site | str"]()
_CLEANUP = pytest.StashKey[list[object]]()


def chart_ids(text: str) -> list[str]:
    """The chart id of every chart figure in a page, in order."""
    return _FIGURE.findall(text)


def built_site(config: pytest.Config) -> Site:
    """Build the project's site once, serve it, and return it."""
    if _SITE not in config.stash:
        try:
            config.stash[_SITE] = _build(config)
        except Exception as error:
            # A crash is the build's failure: reported by every module, not retried.
            config.stash[_SITE] = f"the site did not build: {type(error).__name__}: {error}"
    site = config.stash[_SITE]
    if isinstance(site, str):
        raise pytest.UsageError(site)
    return site


def _build(config: pytest.Config) -> Site | str:
    folder = Path(tempfile.mkdtemp(prefix="site-under-test-"))
    output = folder / "output"
    server = serve(sub_path_answer(output))
    config.stash.setdefault(_CLEANUP, []).extend([server, folder])
    base_url = f"{server.origin}{SUB_PATH}/"
    override = {"PUBLIC_URL": base_url.rstrip("/"), **own_caches(folder)}
    result = build(PROJECT / "pelicanconf.py", output, override=override)
    if not result.ok:
        listed = "\n".join(str(problem) for problem in result.problems)
        return f"the site did not build:\n{listed}"
    return Site(output, base_url, discover(output))


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the server and remove the built site."""
    for thing in config.stash.get(_CLEANUP, []):
        if isinstance(thing, Server):
            thing.close()
        elif isinstance(thing, Path):
            shutil.rmtree(thing, ignore_errors=True)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Give every page-level test one case per page of the built site."""
    wanted = {
        "page": lambda p: True,
        "language_page": lambda p: not p.is_embed,
        "chart_page": lambda p: p.is_chart,
        "embed_page": lambda p: p.is_embed,
    }
    for name, keep in wanted.items():
        if name in metafunc.fixturenames:
            pages = [p for p in built_site(metafunc.config).pages if keep(p)]
            metafunc.parametrize(name, pages, ids=[str(p) for p in pages])
    if "chart_figure" in metafunc.fixturenames:
        site = built_site(metafunc.config)
        figures = [f"{page.path}#{chart}" for page in site.pages for chart in chart_ids(site.text(page))]
        metafunc.parametrize("chart_figure", figures, ids=figures)
    if "citing_page" in metafunc.fixturenames:
        site = built_site(metafunc.config)
        citing = [page for page in site.pages if CITING.search(site.text(page))]
        metafunc.parametrize("citing_page", citing, ids=[str(p) for p in citing])
    if "tab_page" in metafunc.fixturenames:
        # One page with citations per language is enough for real Tab presses.
        site = built_site(metafunc.config)
        first: dict[str, SitePage] = {}
        for page in site.pages:
            if 'class="citation-ref"' in site.text(page):
                first.setdefault(page.lang, page)
        metafunc.parametrize("tab_page", list(first.values()), ids=[str(p) for p in first.values()])


@pytest.fixture(scope="session")
def site(request: pytest.FixtureRequest) -> Site:
    """The built and served site."""
    return built_site(request.config)


@pytest.fixture(scope="session")
def reader(browser: Browser, site: Site) -> Iterator[Reader]:
    """One browser tab, reused for every page of the site."""
    origin = site.base_url.split(SUB_PATH)[0]
    context = browser.new_context(locale=READER_LOCALE)
    yield Reader(context.new_page(), allowed_origins=[origin])
    context.close()
