"""Search: each language finds its own briefs, on its own site, under a strict CSP.

The expected pages are read from the built site itself (a page is expected
when its indexed text contains the query), so the checks hold whatever the
briefs say. The bytes a first search downloads are measured and bounded.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Request

from tests.browser import READER_LOCALE, Reader
from tests.site.harness import SUB_PATH, Site
from tests.site.scan import csp_policy, parse

pytestmark = pytest.mark.browser

# (language path, query): Chinese queries must find Chinese text without
# spaces between words; English ones, English text.
QUERIES = [
    ("zh-tw", "國產晶片"),
    ("zh-tw", "採購清單"),
    ("zh-tw", "工信部"),
    ("en", "procurement list"),
    ("en", "export controls"),
]
# What a reader's first search may download: the Pagefind script, its
# WebAssembly, the language's index metadata, index chunks and excerpts.
FIRST_SEARCH_BUDGET = 300 * 1024
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


class _IndexedText(HTMLParser):
    """The text Pagefind indexes: inside ``data-pagefind-body``, outside ``data-pagefind-ignore``.

    Parsed as a tree (ignored parts nest: a list of previews holds divs of its own).
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # open elements
        self.body_at: int | None = None  # depth of the indexed body element
        self.ignored_at: int | None = None  # depth of the ignored element we are in
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        self.depth += 1
        names = dict(attrs)
        if self.body_at is None and "data-pagefind-body" in names:
            self.body_at = self.depth
        if self.ignored_at is None and names.get("data-pagefind-ignore") == "all":
            self.ignored_at = self.depth

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self.ignored_at == self.depth:
            self.ignored_at = None
        if self.body_at == self.depth:
            self.body_at = -1  # the body is closed: nothing more is indexed
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.body_at is not None and self.body_at > 0 and self.ignored_at is None:
            self.parts.append(data)


def indexed_text(page_html: str) -> str:
    """The text of a page that the index holds: its body, without the ignored parts."""
    parser = _IndexedText()
    parser.feed(page_html)
    return " ".join(parser.parts)


def pages_containing(site: Site, lang_path: str, query: str) -> set[str]:
    """URL paths (below the site root) of the language's pages whose text holds the query."""
    found = set()
    for page in site.pages:
        if not page.path.startswith(f"{lang_path}/"):
            continue
        text = indexed_text(site.text(page)).casefold()
        if all(word.casefold() in text for word in query.split()):
            found.add(page.path)
    return found


def search(reader: Reader, site: Site, lang_path: str, query: str) -> tuple[list[str], list[str], int]:
    """Run a search as a reader; (result paths, browser problems, bytes fetched from the bundle)."""
    fetched: list[int] = []

    def count(response: object) -> None:
        url = getattr(response, "url", "")
        if "/pagefind/" in url:
            fetched.append(len(response.body()))  # type: ignore[attr-defined]

    reader.page.on("response", count)
    try:
        reader.open(site.url(f"{lang_path}/search/"), scroll=False)
        reader.page.fill("#search-query", query)
        reader.page.press("#search-query", "Enter")
        reader.page.wait_for_selector("html[data-search-done]", timeout=15000)
        reader.page.wait_for_load_state("networkidle")
        hrefs = reader.page.eval_on_selector_all(
            ".search-results h2 a", "(links) => links.map((a) => a.href)"
        )
        problems = reader.collect().problems()
    finally:
        reader.page.remove_listener("response", count)
    return [h.removeprefix(site.base_url) for h in hrefs], problems, sum(fetched)


@pytest.mark.parametrize(("lang_path", "query"), QUERIES, ids=[f"{lang}-{q}" for lang, q in QUERIES])
def test_a_query_finds_the_pages_that_say_it(site: Site, reader: Reader, lang_path: str, query: str) -> None:
    expected = pages_containing(site, lang_path, query)
    assert expected, f"no {lang_path} page says {query!r}: the query checks nothing"
    results, problems, fetched = search(reader, site, lang_path, query)
    assert not problems, "\n".join(problems)
    assert results, f"{query!r} found nothing on /{lang_path}/search/; expected {sorted(expected)}"
    # Pagefind ranks by its words: a Chinese query is segmented (國產晶片 into
    # 國產 and 晶片), so a page using both words apart may rank first. A page
    # saying the query itself must still be at the top.
    assert any(result in expected for result in results[:3]), (
        f"{query!r}: none of the first 3 results {results[:3]} says it; expected {sorted(expected)}"
    )
    # Every brief that says it is found. (Word segmentation can split a
    # phrase inside a longer compound elsewhere, e.g. in a quoted headline.)
    by_path = {page.path: page for page in site.pages}
    briefs = {path for path in expected if 'class="brief"' in site.text(by_path[path])}
    missing = briefs - set(results)
    assert not missing, f"{query!r} missed the briefs {sorted(missing)}; found {results}"
    strays = [r for r in results if not r.startswith(f"{lang_path}/")]
    assert not strays, f"{query!r} on /{lang_path}/search/ found pages of another language: {strays}"
    assert 0 < fetched <= FIRST_SEARCH_BUDGET, (
        f"a first search fetched {fetched} bytes (budget {FIRST_SEARCH_BUDGET})"
    )


def test_results_show_a_title_and_an_excerpt(site: Site, reader: Reader) -> None:
    search(reader, site, "zh-tw", "工信部")
    items = reader.page.eval_on_selector_all(
        ".search-results li",
        "(items) => items.map((li) => [li.querySelector('h2 a').textContent, "
        "li.querySelector('.search-excerpt').textContent, "
        "li.querySelectorAll('.search-excerpt mark').length])",
    )
    assert items, "no results to check"
    for title, excerpt, _marks in items:
        assert title.strip(), f"a result has an empty title; excerpt {excerpt!r}"
        assert not title.startswith(("http", "/")), f"a result shows its address, not a title: {title!r}"
        assert len(excerpt.strip()) >= 10, f"{title}: excerpt {excerpt!r} is too short"
    assert any(marks for _t, _e, marks in items), "no excerpt marks the matched words"


def test_a_query_in_the_address_runs_on_arrival(site: Site, reader: Reader) -> None:
    """The header's search box submits to the search page with ?q=."""
    reader.open(site.url(f"en/search/?q={quote('procurement list')}"), scroll=False)
    reader.page.wait_for_selector("html[data-search-done]", timeout=15000)
    count = reader.page.locator(".search-results li").count()
    assert count > 0, "a search given in the address found nothing"
    assert reader.page.input_value("#search-query") == "procurement list"


def test_only_the_search_pages_allow_webassembly(site: Site) -> None:
    """Every other page keeps script-src 'self'; the search pages add only 'wasm-unsafe-eval'."""
    problems = []
    search_pages = 0
    for page in site.pages:
        policy = csp_policy(parse(site.text(page))) or {}
        scripts = policy.get("script-src", [])
        if re.fullmatch(r"[^/]+/search/", page.path):
            search_pages += 1
            if scripts != ["'self'", "'wasm-unsafe-eval'"]:
                problems.append(f"{page.path}: script-src {scripts}")
        elif scripts != ["'self'"]:
            problems.append(f"{page.path}: script-src {scripts}, not 'self' alone")
    assert search_pages == 2, f"{search_pages} search pages, expected one per language"
    assert not problems, "\n".join(problems)


def test_no_page_but_the_search_page_loads_search_code(site: Site, reader: Reader) -> None:
    """A brief, a home and the search page before a query fetch nothing from the bundle."""
    bundle = f"{SUB_PATH}/pagefind/"
    for path in ("en/", "zh-tw/h200-reversal/", "en/search/", "zh-tw/search/"):
        requested: list[str] = []

        def listener(request: Request, requested: list[str] = requested) -> None:
            if bundle in request.url:
                requested.append(request.url)

        reader.page.on("request", listener)
        try:
            reader.open(site.url(path), scroll=False)
        finally:
            reader.page.remove_listener("request", listener)
        assert not requested, f"/{path} loaded search code before any search: {requested}"


def test_each_language_has_its_own_index(site: Site) -> None:
    import json

    entry = json.loads((site.output / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    langs = {page.lang.lower() for page in site.pages if "/search/" in f"/{page.path}"}
    assert set(entry["languages"]) == langs, f"indexes {sorted(entry['languages'])}, pages {sorted(langs)}"
    for lang, info in entry["languages"].items():
        assert info["page_count"] > 0, f"the {lang} index holds no page"


@pytest.mark.parametrize("scripts", [True, False], ids=["scripts", "no-scripts"])
def test_the_header_search_box_degrades_to_a_link(browser: Browser, site: Site, scripts: bool) -> None:
    context = browser.new_context(
        locale=READER_LOCALE, java_script_enabled=scripts, viewport={"width": 390, "height": 800}
    )
    try:
        page = context.new_page()
        for lang_path in ("en", "zh-tw"):
            page.goto(site.url(f"{lang_path}/h200-reversal/"))
            box = page.locator(".header-search input[name=q]")
            link = page.locator(f".site-nav a[href$='{lang_path}/search/']")
            assert box.is_visible() is scripts, (
                f"/{lang_path}/: search box visible={box.is_visible()} with scripts={scripts}"
            )
            assert link.is_visible() is not scripts, (
                f"/{lang_path}/: search link visible={link.is_visible()} with scripts={scripts}"
            )
            if scripts:
                box.fill("工信部" if lang_path == "zh-tw" else "procurement")
                box.press("Enter")
                page.wait_for_selector("html[data-search-done]", timeout=15000)
                assert page.url.split("?")[0] == site.url(f"{lang_path}/search/"), page.url
                assert page.locator(".search-results li").count() > 0, f"{page.url} found nothing"
    finally:
        context.close()


def test_the_indexed_text_leaves_out_nested_ignored_parts() -> None:
    page = (
        "<header>Menu</header><article data-pagefind-body><p>Kept <b>words</b></p>"
        '<div data-pagefind-ignore="all"><div>inner</div>after inner<br></div>'
        "<p>also kept</p></article><footer>Foot</footer>"
    )
    text = " ".join(indexed_text(page).split())
    assert text == "Kept words also kept"
