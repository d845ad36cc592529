"""Each static check fails on a deliberately broken page, and passes a good one.

Without these, a check that can never fail would pass the real site silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext

from tests.browser import Reader, axe_violations
from tests.site.broken import CSP, page, write
from tests.site.crawl import crawl
from tests.site.harness import SUB_PATH, Server, serve, sub_path_answer
from tests.site.scan import csp_problems, script_problems
from tests.site.test_languages import language_link_problems
from tests.site.test_reproducible import differing_files

GOOD = page('<p id="here"><a href="other/">Other</a> <a href="#here">here</a></p>')


@pytest.fixture
def tiny_site(tmp_path: Path) -> Iterator[tuple[Path, Server]]:
    """An empty served site under the sub-path; tests write pages into it."""
    server = serve(sub_path_answer(tmp_path))
    yield tmp_path, server
    server.close()


def _crawl(tiny_site: tuple[Path, Server], files: dict[str, str]) -> list[str]:
    root, server = tiny_site
    home = page('<p><a href="en/">en</a></p>')
    write(root, {"index.html": home, "404.html": page("<p>Missing</p>"), **files})
    return crawl(f"{server.origin}{SUB_PATH}/", []).problems


def test_a_good_site_passes_the_link_crawl(tiny_site: tuple[Path, Server]) -> None:
    assert _crawl(tiny_site, {"en/index.html": GOOD, "en/other/index.html": page("<p>Other</p>")}) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<p><a href="missing/">x</a></p>', "HTTP 404"),
        ('<p><a href="#nowhere">x</a></p>', "no element has the id #nowhere"),
        ('<p><a href="other/#nowhere">x</a></p>', "no element has the id #nowhere"),
        ('<p><img src="../pic.png" alt="x"></p>', "HTTP 404"),
        ('<p><img srcset="../pic.png 1x, ../pic2.png 2x" src="other/" alt="x"></p>', "pic.png: HTTP 404"),
        ('<p><a href="/en/other/">x</a></p>', "leaves the site's sub-path"),
        ('<p><img src="https://cdn.example.com/x.png" alt="x"></p>', "points at another host"),
        ('<p><a href="http://example.com/">x</a></p>', "points at another host"),
        ('<p><a href="other">x</a></p>', "HTTP 301"),
    ],
)
def test_a_broken_link_fails_the_link_crawl(tiny_site: tuple[Path, Server], body: str, expected: str) -> None:
    problems = _crawl(tiny_site, {"en/index.html": page(body), "en/other/index.html": page("<p>Other</p>")})
    assert any(expected in problem for problem in problems), problems


def test_a_broken_stylesheet_url_fails_the_link_crawl(tiny_site: tuple[Path, Server]) -> None:
    files = {
        "en/index.html": page("<p>x</p>", head='<link rel="stylesheet" href="../site.css">\n'),
        "site.css": "body { background: url(missing.png); }\n",
    }
    assert any("missing.png: HTTP 404" in p for p in _crawl(tiny_site, files))


def test_an_outbound_source_link_is_allowed(tiny_site: tuple[Path, Server]) -> None:
    body = '<p><a rel="external noopener" href="https://news.example.com/a">source</a></p>'
    assert _crawl(tiny_site, {"en/index.html": page(body)}) == []


def test_a_good_page_passes_the_csp_and_script_scans() -> None:
    assert csp_problems(GOOD) == []
    scripts = '<script src="x.js"></script><script type="application/json">{}</script>'
    assert script_problems(page(scripts)) == []


def _csp(old: str, new: str) -> str:
    return page("<p>x</p>", csp=CSP.replace(old, new))


LATE_CSP = page("<p>x</p>").replace(
    '<meta charset="utf-8">\n', '<meta charset="utf-8">\n<title>t</title>\n', 1
)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (page("<p>x</p>", csp=None), "no Content-Security-Policy"),
        (_csp("script-src 'self'", "script-src 'self' 'unsafe-inline'"), "allows 'unsafe-inline'"),
        (_csp("script-src 'self'", "script-src 'self' 'unsafe-eval'"), "allows 'unsafe-eval'"),
        (_csp("default-src 'self'; script-src 'self'; ", ""), "does not restrict scripts"),
        (_csp("script-src 'self'", "script-src 'none'"), "script-src is not 'self'"),
        (_csp("object-src 'none'", "object-src 'self'"), "object-src"),
        (_csp("; base-uri 'self'", ""), "base-uri"),
        (LATE_CSP, "right after"),
    ],
)
def test_a_weak_or_late_csp_fails_the_csp_scan(html: str, expected: str) -> None:
    assert any(expected in problem for problem in csp_problems(html)), csp_problems(html)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<script>alert(1)</script>", "inline script"),
        ('<script type="module">alert(1)</script>', "inline script"),
        ('<p onclick="x()">x</p>', "event-handler attribute onclick"),
        ('<svg><g onload="x()"></g></svg>', "event-handler attribute onload"),
        ('<a href="javascript:alert(1)">x</a>', "javascript: scheme"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "javascript: scheme"),
        ('<a href="&#106;avascript&#58;alert(1)">x</a>', "javascript: scheme"),
        ('<a href="java&#x09;script:alert(1)">x</a>', "javascript: scheme"),
        ('<a href=" vbscript:msgbox(1)">x</a>', "vbscript: scheme"),
        ('<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>', "data: scheme"),
        ('<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;" alt="">', "data: scheme"),
        ('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;" title="x"></iframe>', "srcdoc"),
        ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', "javascript: scheme"),
        (
            '<form action="javascript:alert(1)"><button formaction="javascript:x">x</button></form>',
            "javascript:",
        ),
        ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "javascript: scheme"),
    ],
)
def test_script_in_the_output_fails_the_script_scan(body: str, expected: str) -> None:
    problems = script_problems(page(body))
    assert any(expected in problem for problem in problems), problems


@pytest.mark.browser
@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"en/index.html": page("<p>x</p><script>window.xssMarker('inline')</script>")}, "CSP violation"),
        ({"en/index.html": page('<p style="color: red">styled</p>')}, "CSP violation"),
        (
            {"en/index.html": page('<p><img src="http://192.0.2.1/x.png" alt="x"></p>')},
            "request to another host",
        ),
        ({"en/index.html": page('<p><img src="missing.png" alt="x"></p>')}, "failed request"),
        (
            {"en/index.html": page('<p>x</p><script src="boom.js"></script>'), "en/boom.js": "null.x();\n"},
            "console error: uncaught",
        ),
    ],
)
def test_a_broken_page_fails_the_browser_check(
    tiny_site: tuple[Path, Server], browser: Browser, files: dict[str, str], expected: str
) -> None:
    root, server = tiny_site
    write(root, files)
    context = browser.new_context()
    try:
        problems = (
            Reader(context.new_page(), [server.origin]).open(f"{server.origin}{SUB_PATH}/en/").problems()
        )
    finally:
        context.close()
    assert any(problem.startswith(expected) for problem in problems), problems


def _tiny_reader(browser: Browser, server: Server) -> tuple[Reader, BrowserContext]:
    context = browser.new_context()
    return Reader(context.new_page(), [server.origin]), context


@pytest.mark.browser
@pytest.mark.parametrize(
    ("link", "lang", "expected"),
    [
        ("../../zh-tw/b/", "zh-Hant-TW", "not its counterpart"),
        ("../../zh-tw/a/", "en", "in the same language"),
        ("../../zh-tw/gone/", "zh-Hant-TW", "failed request"),
        (None, "zh-Hant-TW", "no link to the other language"),
    ],
)
def test_a_wrong_language_link_fails_the_language_check(
    tiny_site: tuple[Path, Server], browser: Browser, link: str | None, lang: str, expected: str
) -> None:
    root, server = tiny_site
    nav = f'<p><a rel="alternate" hreflang="zh-Hant-TW" href="{link}">中文</a></p>' if link else "<p>x</p>"
    write(
        root,
        {
            "404.html": page("<p>Missing</p>"),
            "en/a/index.html": page(nav),
            "zh-tw/a/index.html": page("<p>甲</p>", lang=lang),
            "zh-tw/b/index.html": page("<p>乙</p>", lang="zh-Hant-TW"),
        },
    )
    reader, context = _tiny_reader(browser, server)
    try:
        base = f"{server.origin}{SUB_PATH}/"
        problems = language_link_problems(reader, base, {"en", "zh-tw"}, base + "en/a/")
    finally:
        context.close()
    assert any(expected in problem for problem in problems), problems


@pytest.mark.browser
def test_an_inaccessible_page_fails_axe(tiny_site: tuple[Path, Server], browser: Browser) -> None:
    root, server = tiny_site
    write(root, {"en/index.html": page('<p><img src="../x.png"><a href="../"></a></p>'), "x.png": ""})
    reader, context = _tiny_reader(browser, server)
    try:
        reader.open(f"{server.origin}{SUB_PATH}/en/")
        violations = axe_violations(reader.page)
    finally:
        context.close()
    assert any(v.startswith("image-alt") for v in violations), violations
    assert any(v.startswith("link-name") for v in violations), violations


def test_differing_trees_fail_the_reproducibility_comparison(tmp_path: Path) -> None:
    write(tmp_path / "a", {"index.html": "one", "same.css": "x", "only-a.txt": ""})
    write(tmp_path / "b", {"index.html": "two", "same.css": "x"})
    assert differing_files(tmp_path / "a", tmp_path / "b") == ["index.html", "only-a.txt"]


@pytest.mark.browser
def test_a_payload_that_runs_is_caught(tiny_site: tuple[Path, Server], browser: Browser) -> None:
    """With the CSP bypassed, as the XSS test does, a handler that runs is recorded."""
    root, server = tiny_site
    write(root, {"en/index.html": page('<p><img src="x.png" alt="x" onerror="xssMarker(\'caught\')"></p>')})
    context = browser.new_context(bypass_csp=True)
    try:
        visit = Reader(context.new_page(), [server.origin]).open(f"{server.origin}{SUB_PATH}/en/")
    finally:
        context.close()
    assert any(ran.startswith("caught") for ran in visit.executed), visit.problems()
