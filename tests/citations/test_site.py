"""Functional tests: build the citations fixture site, good and broken, into temp dirs."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from posixpath import normpath
from urllib.parse import urldefrag

import pytest

from strictbuild.driver import BuildResult, build

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "citations_site"


class _Page(HTMLParser):
    """Ids and links of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if "id" in found:
            self.ids.add(found["id"])
        if tag == "a" and "href" in found:
            self.links.append((found["href"], found))


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def copy_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site, ignore=shutil.ignore_patterns("__pycache__"))
    return site


def build_site(site: Path, output: Path, **settings: object) -> BuildResult:
    return build(
        site / "siteconf.py",
        output,
        override={
            "THEME": str(ROOT / "theme"),
            "PLUGIN_PATHS": [str(ROOT / "plugins"), str(site / "plugins")],
            **settings,
        },
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("citations")
    result = build_site(copy_site(tmp), tmp / "output")
    assert result.ok, "\n".join(map(str, result.problems))
    return tmp / "output"


def resolve_link(output: Path, page: Path, href: str) -> tuple[Path, str]:
    """The file and fragment a relative link on ``page`` points to."""
    url, fragment = urldefrag(href)
    if not url:
        return page, fragment
    target = normpath(str((page.parent / url).relative_to(output))) if not url.startswith("/") else url
    path = output / target
    if path.is_dir() or url.endswith("/"):
        path = path / "index.html"
    return path, fragment


def test_every_internal_link_lands_on_an_existing_anchor(built: Path) -> None:
    checked = 0
    for page in sorted(built.rglob("*.html")):
        if page.name == "404.html":
            continue
        for href, _attrs in parse(page).links:
            if re.match(r"^[a-z]+:", href):
                continue
            target, fragment = resolve_link(built, page, href)
            assert target.exists(), f"{page.relative_to(built)}: {href} leads nowhere"
            if fragment:
                assert fragment in parse(target).ids, f"{page.relative_to(built)}: {href} has no anchor"
            checked += 1
    assert checked > 50


def test_citations_link_to_the_source_list_and_back(built: Path) -> None:
    page = parse(built / "en" / "alpha" / "index.html")
    refs = [a for _h, a in page.links if a.get("class") == "citation-ref"]
    # "[@beta2024; @alpha2025, ...]" prints in number order: 1 (alpha2025), then 2.
    assert [a["href"] for a in refs] == [
        "#source-alpha2025",
        "#source-alpha2025",
        "#source-beta2024",
        "#source-alpha2025",
    ]
    assert [a.get("id") for a in refs] == [
        "cite-alpha2025-1",
        "cite-alpha2025-2",
        "cite-beta2024-1",
        "cite-alpha2025-3",
    ]
    backlinks = [h for h, a in page.links if a.get("class") == "backlink"]
    assert backlinks == ["#cite-alpha2025-1", "#cite-alpha2025-2", "#cite-alpha2025-3", "#cite-beta2024-1"]
    for a in refs:
        assert a["aria-describedby"] in page.ids


def test_numbering_follows_first_use(built: Path) -> None:
    html = (built / "en" / "alpha" / "index.html").read_text(encoding="utf-8")
    numbers = re.findall(r'class="citation-ref" id="[^"]+" href="#source-([a-z0-9]+)"[^>]*>(\d+)<', html)
    assert numbers == [("alpha2025", "1"), ("alpha2025", "1"), ("beta2024", "2"), ("alpha2025", "1")]
    assert re.findall(r'<li id="source-([a-z0-9]+)" value="(\d)">', html) == [
        ("alpha2025", "1"),
        ("beta2024", "2"),
    ]


def test_every_source_lists_its_citing_places(built: Path) -> None:
    expected = {
        "en": {
            "alpha2025": [
                "en/alpha/#para-1",
                "en/alpha/#para-2",
                "en/alpha/#para-3",
                "en/charts/demo-timeline/",
            ],
            "beta2024": ["en/alpha/#para-2", "en/beta/#para-1"],
            "gamma2023": ["en/about/#para-4", "en/charts/demo-timeline/"],
        },
        "zh-tw": {
            "alpha2025": ["zh-tw/alpha/#para-1", "zh-tw/alpha/#para-2", "zh-tw/charts/demo-timeline/"],
            "beta2024": ["zh-tw/alpha/#para-2", "zh-tw/beta/#para-1"],
            "gamma2023": ["zh-tw/about/#para-4", "zh-tw/charts/demo-timeline/"],
        },
    }
    for lang, sources in expected.items():
        html = (built / lang / "sources" / "index.html").read_text(encoding="utf-8")
        for key, places in sources.items():
            entry = html.split(f'<li id="source-{key}">', 1)[1].split('<li id="source-', 1)[0]
            found = re.findall(r'class="cited-(?:paragraph|chart)" href="\.\./\.\./([^"]+)"', entry)
            assert found == places, (lang, key)


def test_english_pages_show_the_original_headline_and_its_translation(built: Path) -> None:
    en = (built / "en" / "alpha" / "index.html").read_text(encoding="utf-8")
    zh = (built / "zh-tw" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert (
        '<q lang="zh-Hant">晶片出口新規定上路</q> '
        '<span class="source-translation">[New chip export rules take effect]' in en
    )
    assert "晶片出口新規定上路" in zh
    assert "New chip export rules" not in zh
    assert "2025年12月10日" in zh
    assert "10 December 2025" in en


def test_links_between_briefs_glossary_and_related(built: Path) -> None:
    page = parse(built / "zh-tw" / "alpha" / "index.html")
    hrefs = [h for h, _a in page.links]
    assert "../../zh-tw/beta/" in hrefs
    assert "../../zh-tw/glossary/#term-nvidia" in hrefs
    related = (built / "en" / "beta" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../en/alpha/#para-1">the alpha brief</a>' in related
    assert '<li><a href="../../en/alpha/">Alpha brief</a></li>' in related
    glossary = parse(built / "zh-tw" / "glossary" / "index.html")
    assert {"term-nvidia", "term-export-licence"} <= glossary.ids


def test_cite_this_brief(built: Path) -> None:
    csl = json.loads((built / "en" / "alpha" / "cite.json").read_text(encoding="utf-8"))
    assert csl[0]["URL"] == "https://example.org/site/en/alpha/"
    assert csl[0]["issued"] == {"date-parts": [[2026, 11, 21]]}
    bib = (built / "zh-tw" / "alpha" / "cite.bib").read_text(encoding="utf-8")
    assert bib.startswith("@online{alpha-zh-tw,")
    assert "url = {https://example.org/site/zh-tw/alpha/}" in bib
    html = (built / "zh-tw" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert "晶片與管制。〈阿爾法簡報〉。2026年11月21日。https://example.org/site/zh-tw/alpha/" in html
    assert "Chips and Controls. “Alpha brief.” 21 November 2026. https://example.org/site/en/alpha/" in html


def test_pages_have_no_inline_script_or_style(built: Path) -> None:
    for page in built.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), page
        assert not re.search(r"\sstyle=|\son[a-z]+=", html), page


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


BRIEF = "content/briefs/alpha.en.md"
REGISTRY = "content/sources.yaml"


def _unknown_key(site: Path) -> None:
    _edit(site / BRIEF, "[@beta2024; @alpha2025", "[@beta2042; @alpha2025")


def _empty(site: Path) -> None:
    _edit(site / BRIEF, "citing again [@alpha2025]", "citing again [@]")


def _missing_field(site: Path) -> None:
    _edit(site / REGISTRY, "  reliability: {en: A weekly column., zh-TW: 每週專欄。}\n", "")


def _bad_date(site: Path) -> None:
    _edit(site / REGISTRY, "date: 2024-03-01", "date: 2024-02-30")


def _duplicate(site: Path) -> None:
    text = (site / REGISTRY).read_text(encoding="utf-8")
    (site / REGISTRY).write_text(text + "\n" + text.split("\n\n")[0] + "\n", encoding="utf-8")


def _unused(site: Path) -> None:
    text = (site / REGISTRY).read_text(encoding="utf-8")
    extra = text.split("\n\n")[2].replace("gamma2023", "delta2022")
    (site / REGISTRY).write_text(text + "\n" + extra, encoding="utf-8")


def _unknown_brief(site: Path) -> None:
    _edit(site / BRIEF, "({brief}beta)", "({brief}betta)")


def _unknown_term(site: Path) -> None:
    _edit(site / BRIEF, "{term=export-licence}", "{term=export-license}")


def _unknown_related(site: Path) -> None:
    _edit(site / BRIEF, "related: [beta]", "related: [gamma]")


def _no_registry(site: Path) -> None:
    (site / REGISTRY).unlink()


BAD_INPUT: list[tuple[Callable[[Path], None], str]] = [
    (
        _unknown_key,
        "content/briefs/alpha.en.md:12: unknown citation key 'beta2042' (did you mean 'beta2024'?)",
    ),
    (_empty, "content/briefs/alpha.en.md:14: empty citation '[@]': write the source's key after '@'"),
    (_missing_field, "content/sources.yaml:22: entry is missing the required field 'reliability'"),
    (_bad_date, "content/sources.yaml:16: 'date' is not a valid date (YYYY-MM-DD): '2024-02-30'"),
    (_duplicate, "content/sources.yaml:31: duplicate source key 'alpha2025' (first defined at line 2)"),
    (_unused, "content/sources.yaml:30: source 'delta2022' is never cited by any brief or chart"),
    (_unknown_brief, "content/briefs/alpha.en.md:17: link to unknown brief 'betta' (did you mean 'beta'?)"),
    (
        _unknown_term,
        "content/briefs/alpha.en.md:10: unknown glossary term 'export-license' "
        "(did you mean 'export-licence'?)",
    ),
    (_unknown_related, "content/briefs/alpha.en.md:8: related brief 'gamma' does not exist"),
    (
        _no_registry,
        "content/briefs/alpha.en.md:10: citation [@alpha2025] but there is no sources registry "
        "(content/sources.yaml is missing)",
    ),
]


@pytest.mark.parametrize(
    ("break_it", "message"), BAD_INPUT, ids=[f.__name__.strip("_") for f, _m in BAD_INPUT]
)
def test_bad_input_stops_the_build_and_keeps_the_output(
    tmp_path: Path, break_it: Callable[[Path], None], message: str
) -> None:
    site = copy_site(tmp_path)
    break_it(site)
    output = tmp_path / "output"
    output.mkdir()
    (output / "previous.html").write_text("previous build", encoding="utf-8")
    result = build_site(site, output)
    assert not result.ok
    assert message in [str(p) for p in result.problems], "\n".join(map(str, result.problems))
    assert [p.name for p in output.iterdir()] == ["previous.html"]
    assert (output / "previous.html").read_text(encoding="utf-8") == "previous build"


def test_a_site_without_citations_needs_no_registry(tmp_path: Path) -> None:
    site = copy_site(tmp_path)
    for name in ("sources.yaml", "glossary.yaml"):
        (site / "content" / name).unlink()
    shutil.rmtree(site / "content" / "briefs")
    for about in (site / "content" / "pages").glob("about.*.md"):
        text = about.read_text(encoding="utf-8")
        about.write_text(re.sub(r"\n[^\n]*\[@gamma2023\][^\n]*\n", "\n", text), encoding="utf-8")
    plugins = ["strictbuild", "markdown_reader", "bilingual", "citations"]
    result = build_site(site, tmp_path / "output", PLUGINS=plugins)
    assert result.ok, "\n".join(map(str, result.problems))
    assert (tmp_path / "output" / "en" / "sources" / "index.html").exists()


def test_a_page_citing_sources_ends_with_its_source_list(built: Path) -> None:
    page = parse(built / "en" / "about" / "index.html")
    assert "source-gamma2023" in page.ids
    assert "preview-gamma2023" in page.ids
    assert [h for h, a in page.links if a.get("class") == "backlink"] == ["#cite-gamma2023-1"]
    html = (built / "en" / "about" / "index.html").read_text(encoding="utf-8")
    assert "Cite this brief" not in html
