"""Every link an author writes is checked by the build against the site it wrote.

A link to a page the build did not write, or to a ``#fragment`` its target
page lacks, or off the site with a scheme other than http(s), stops the
build with ``path:line: message`` and leaves ``output/`` as it was, wherever
the link was written: a brief, a page, a ``{brief}`` link, a registry note,
a glossary definition or a chart's notes.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from strictbuild.driver import BuildResult, build
from tests.support import ROOT, tree_digest

FIXTURE = ROOT / "tests" / "fixtures" / "charts_site"
GLOSSARY = (
    "- key: wafer\n"
    "  term: {en: wafer, zh-TW: 晶圓}\n"
    "  definition: {en: A thin disc of silicon., zh-TW: 矽薄片。}\n"
)
BRIEF = (FIXTURE / "content" / "briefs" / "sample.en.md").read_text(encoding="utf-8")
PAGE = (FIXTURE / "content" / "pages" / "method.en.md").read_text(encoding="utf-8")
CHART = (FIXTURE / "content" / "charts" / "sample_bars.py").read_text(encoding="utf-8")
SOURCES = (FIXTURE / "content" / "sources.yaml").read_text(encoding="utf-8")


def _build(site: Path) -> BuildResult:
    settings = {"PATH": str(site / "content"), "CHARTS_WORKERS": 1, "CACHE_PATH": str(site / "cache")}
    return build(ROOT / "pelicanconf.py", site / "output", override=settings)


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site with a glossary, built once."""
    site = tmp_path_factory.mktemp("links") / "site"
    shutil.copytree(FIXTURE, site, ignore=shutil.ignore_patterns(".cache", "__pycache__", "output"))
    (site / "content" / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    result = _build(site)
    assert result.ok, result.problems
    return site


@pytest.fixture
def site(good: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A fresh copy of the good site and its output, and the output's digest."""
    target = tmp_path / "site"
    # Without what the background removal of the build may still be taking away.
    transient = shutil.ignore_patterns("cache", ".search-*", ".output-*", ".tmp-*")
    shutil.copytree(good, target, ignore=transient)
    return target, tree_digest(target / "output")


def _body(extra: str) -> str:
    return BRIEF.replace("That is all.", extra)


# name: (file, new text, expected "path:line: message")
BROKEN: dict[str, tuple[str, str, str]] = {
    "brief to a missing page": (
        "briefs/sample.en.md",
        _body("See [the other brief](no-such-brief)."),
        "content/briefs/sample.en.md:16: link 'no-such-brief': "
        "the site has no page at en/sample/no-such-brief",
    ),
    "brief to a missing section page": (
        "briefs/sample.en.md",
        _body("See [methodology](../no-such-page/)."),
        "content/briefs/sample.en.md:16: link '../no-such-page/': the site has no page at en/no-such-page",
    ),
    "brief to a missing fragment of its own": (
        "briefs/sample.en.md",
        _body("Back to [the shares](#no-such-heading)."),
        "content/briefs/sample.en.md:16: link '#no-such-heading': en/sample/ has no '#no-such-heading'",
    ),
    "brief to a missing fragment of a page": (
        "briefs/sample.en.md",
        _body("See [method](../method/#nowhere)."),
        "content/briefs/sample.en.md:16: link '../method/#nowhere': en/method/ has no '#nowhere'",
    ),
    "brief link with a missing fragment": (
        "pages/method.en.md",
        PAGE + "\nRead [the brief]({brief}sample#no-such-part).\n",
        "content/pages/method.en.md:12: link '{brief}sample#no-such-part': en/sample/ has no '#no-such-part'",
    ),
    "page leaving the site upwards": (
        "pages/method.en.md",
        PAGE + "\nSee [up](../../../../etc/passwd).\n",
        "content/pages/method.en.md:12: link '../../../../etc/passwd' leads out of the site",
    ),
    "mailto link": (
        "briefs/sample.en.md",
        _body("Write to [us](mailto:desk@example.org)."),
        "content/briefs/sample.en.md:16: link 'mailto:desk@example.org' uses 'mailto:'; "
        "only http(s) addresses may leave the site",
    ),
    "ftp link": (
        "pages/method.en.md",
        PAGE + "\nThe [archive](ftp://example.org/a).\n",
        "content/pages/method.en.md:12: link 'ftp://example.org/a' uses 'ftp:'; "
        "only http(s) addresses may leave the site",
    ),
    "scheme-less off-site link": (
        "pages/method.en.md",
        PAGE + "\nThe [archive](//example.org/a).\n",
        "content/pages/method.en.md:12: link '//example.org/a' has no scheme: write the address with https://",
    ),
    "registry note": (
        "sources.yaml",
        SOURCES.replace(
            "  reliability: {en: A wire report., zh-TW: 通訊社報導。}",
            "  reliability: {en: A wire report., zh-TW: 通訊社報導。}\n"
            "  notes: {en: 'See [the method](../method/#no-such-part).', zh-TW: 見方法。}",
        ),
        "content/sources.yaml:8: link '../method/#no-such-part': en/method/ has no '#no-such-part'",
    ),
    "registry note with another scheme": (
        "sources.yaml",
        SOURCES.replace(
            "  reliability: {en: An analysis., zh-TW: 分析。}",
            "  reliability:\n    en: An analysis.\n    zh-TW: '分析，[郵件](mailto:a@example.org)。'",
        ),
        "content/sources.yaml:16: link 'mailto:a@example.org' uses 'mailto:'; "
        "only http(s) addresses may leave the site",
    ),
    "glossary definition": (
        "glossary.yaml",
        GLOSSARY.replace("A thin disc of silicon.", "'A thin disc; see [the brief]({brief}no-such-brief).'"),
        "content/glossary.yaml:3: link '{brief}no-such-brief': the placeholder names nothing known",
    ),
    "glossary definition to a missing page": (
        "glossary.yaml",
        GLOSSARY.replace("矽薄片。", "'矽薄片，見[此](../nowhere/)。'"),
        "content/glossary.yaml:3: link '../nowhere/': the site has no page at zh-tw/nowhere",
    ),
    "chart note": (
        "charts/sample_bars.py",
        CHART.replace(
            "Fixture data, not real figures.", "Fixture data; see [method](../../method/#nowhere)."
        ),
        "content/charts/sample_bars.py:17: link '../../method/#nowhere': en/method/ has no '#nowhere'",
    ),
    "chart note to a missing page": (
        "charts/sample_bars.py",
        CHART.replace("測試資料，並非真實數字。", "測試資料，見[說明](../../no-page/)。"),
        "content/charts/sample_bars.py:17: link '../../no-page/': the site has no page at zh-tw/no-page",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_link_stops_the_build(case: str, site: tuple[Path, dict[str, str]]) -> None:
    root, before = site
    name, text, expected = BROKEN[case]
    (root / "content" / name).write_text(text, encoding="utf-8")
    result = _build(root)
    assert not result.ok
    assert [str(p) for p in result.problems] == [expected]
    assert tree_digest(root / "output") == before


def test_links_that_land_pass_and_external_ones_are_marked(site: tuple[Path, dict[str, str]]) -> None:
    root, _before = site
    links = (
        "See [shares](#shares), [method](../method/), [its chart](../method/#chart-sample-bars), "
        "[the brief]({brief}sample#shares), [the chart page](../charts/sample-bars/), "
        "[a term]({glossary}#term-wafer), "
        "[Chinese](../../zh-tw/sample/) and [a wire](https://example.org/report?id=1)."
    )
    (root / "content" / "briefs" / "sample.en.md").write_text(_body(links), encoding="utf-8")
    result = _build(root)
    assert result.ok, [str(p) for p in result.problems]
    page = (root / "output" / "en" / "sample" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="https://example.org/report\?id=1" rel="external">a wire</a>', page)
    assert '<a href="../method/" rel="external">' not in page


def test_every_broken_link_is_listed_together(site: tuple[Path, dict[str, str]]) -> None:
    root, before = site
    (root / "content" / "briefs" / "sample.en.md").write_text(
        _body("A [one](../gone/) and [two](#gone)."), encoding="utf-8"
    )
    (root / "content" / "glossary.yaml").write_text(
        GLOSSARY.replace("A thin disc of silicon.", "'See [three](../gone-too/).'"), encoding="utf-8"
    )
    result = _build(root)
    assert [str(p) for p in result.problems] == [
        "content/briefs/sample.en.md:16: link '#gone': en/sample/ has no '#gone'",
        "content/briefs/sample.en.md:16: link '../gone/': the site has no page at en/gone",
        "content/glossary.yaml:3: link '../gone-too/': the site has no page at en/gone-too",
    ]
    assert tree_digest(root / "output") == before


PAGE_PLUGIN = '''
"""Test plugin: a generator that writes /{lang}/finder/ for every language, as a search plugin would."""
from pelican import signals
from pelican.generators import Generator


class SearchPages(Generator):
    def generate_context(self):
        pass

    def generate_output(self, writer):
        for lang, info in self.settings["SITE_LANGUAGES"].items():
            writer.write_file(
                info["path"] + "/finder/index.html", self.get_template("page"), self.context,
                page={"title": "Search", "content": '<p id="results">-</p>', "lang": lang},
                lang=lang, alternates=[], page_name=info["path"] + "/finder/index",
            )


def get_generators(pelican):
    # Pelican's signals outlive a build; only the build that asked gets the pages.
    return SearchPages if pelican.settings.get("TESTPLUGIN_SEARCH_PAGES") else None


def register():
    signals.get_generators.connect(get_generators)
'''


def test_pages_another_plugin_writes_are_known(site: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    """No list of pages: a page a plugin adds is a valid target because the build wrote it."""
    root, _before = site
    plugin = tmp_path / "testplugins" / "search_pages"
    plugin.mkdir(parents=True)
    (plugin / "__init__.py").write_text(PAGE_PLUGIN, encoding="utf-8")
    (root / "content" / "briefs" / "sample.en.md").write_text(
        _body("Try [the finder](../finder/#results)."), encoding="utf-8"
    )
    without = _build(root)
    assert [str(p) for p in without.problems] == [
        "content/briefs/sample.en.md:16: link '../finder/#results': the site has no page at en/finder"
    ]
    settings = {
        "PATH": str(root / "content"),
        "CHARTS_WORKERS": 1,
        "CACHE_PATH": str(root / "cache"),
        "PLUGIN_PATHS": [str(ROOT / "plugins"), str(tmp_path / "testplugins")],
        "PLUGINS": ["strictbuild", "markdown_reader", "bilingual", "citations", "charts", "search_pages"],
        "TESTPLUGIN_SEARCH_PAGES": True,
    }
    try:
        result = build(ROOT / "pelicanconf.py", root / "output", override=settings)
    finally:
        # The module was imported from this test's folder: no other test may find it.
        sys.modules.pop("search_pages", None)
    assert result.ok, [str(p) for p in result.problems]
    assert (root / "output" / "en" / "finder" / "index.html").is_file()
    # The plugin is gone for the next build in this process: the link misses again.
    assert [str(p) for p in _build(root).problems] == [str(p) for p in without.problems]
