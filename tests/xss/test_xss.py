"""The XSS corpus: script payloads everywhere an author, a registry or a chart can put text.

tests/fixtures/xss_site holds payloads in front matter (titles, summaries),
Markdown that the reader accepts (escaped tags, code, link titles, image alt,
glossary terms, citation locators, tables, footnotes), the sources registry,
the glossary, and a chart's title, description, notes, labels and data. It
must build, and no payload may run: a browser listens for the marker function
every payload calls, with the CSP on and with the CSP bypassed (so escaping,
not the CSP alone, is what stops them), while charts are hydrated, hovered and
previews focused. Payloads that the reader must refuse (raw HTML and script
URLs in the Markdown body) live in tests/fixtures/xss_refused, whose build
must fail naming each payload's file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog

from strictbuild.driver import build
from tests.browser import READER_LOCALE, Reader
from tests.site.harness import PROJECT, SUB_PATH, Site, discover, serve, sub_path_answer
from tests.site.scan import script_problems
from tests.support import own_caches

FIXTURES = PROJECT / "tests" / "fixtures"
MARKER = re.compile(r"xssMarker\('([a-z0-9-]+)'\)|msgbox\('([a-z0-9-]+)'\)")


def _payload_ids(folder: Path) -> set[str]:
    ids = set()
    for file in folder.rglob("*"):
        if file.is_file() and file.suffix in {".md", ".yaml", ".py", ".csv"}:
            ids |= {a or b for a, b in MARKER.findall(file.read_text("utf-8"))}
    return ids


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The corpus site, built with the project's settings and served under the sub-path."""
    folder = tmp_path_factory.mktemp("xss")
    output = folder / "output"
    server = serve(sub_path_answer(output))
    base_url = f"{server.origin}{SUB_PATH}/"
    content = FIXTURES / "xss_site" / "content"
    result = build(
        PROJECT / "pelicanconf.py",
        output,
        override={
            "PATH": str(content),
            "PUBLIC_URL": base_url.rstrip("/"),
            "CHARTS_WORKERS": 1,
            **own_caches(folder),
        },
    )
    assert result.ok, "the XSS corpus site did not build:\n" + "\n".join(map(str, result.problems))
    yield Site(output, base_url, discover(output))
    server.close()


def test_the_corpus_has_at_least_25_payloads() -> None:
    built = _payload_ids(FIXTURES / "xss_site")
    refused = _payload_ids(FIXTURES / "xss_refused")
    assert len(built) + len(refused) >= 25, sorted(built | refused)
    assert len(built) >= 25, sorted(built)


def test_every_payload_reaches_the_output_as_inert_text(xss_site: Site) -> None:
    """A payload dropped on the way would prove nothing; each must be in some page or file."""
    text = "\n".join(
        f.read_text("utf-8", errors="replace")
        for f in xss_site.output.rglob("*")
        if f.is_file() and f.suffix in {".html", ".svg", ".json", ".csv", ".xml"}
    )
    missing = [i for i in sorted(_payload_ids(FIXTURES / "xss_site")) if not re.search(rf"\W{i}\W", text)]
    assert not missing, f"payloads that are nowhere in the output: {missing}"


def test_no_handler_script_or_script_url_in_the_output(xss_site: Site) -> None:
    problems = []
    for file in sorted(xss_site.output.rglob("*")):
        if file.suffix in {".html", ".svg"}:
            name = file.relative_to(xss_site.output)
            problems += [f"{name}: {p}" for p in script_problems(file.read_text("utf-8"))]
    assert not problems, "\n".join(problems)


# Every element's attributes in the live DOM (after scripts ran), for handlers
# and script URLs that script-built markup (chart tooltips) might carry.
_LIVE_DOM = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const v = a.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
      if (a.name.startsWith('on') || a.name === 'srcdoc'
          || /^(javascript|vbscript|data:text)/.test(v)) {
        bad.push(`<${el.tagName.toLowerCase()} ${a.name}="${a.value.slice(0, 60)}">`);
      }
    }
  }
  return bad;
}"""


def _dismiss(dialog: Dialog, seen: list[str]) -> None:
    seen.append(dialog.message)
    dialog.dismiss()


@pytest.mark.browser
@pytest.mark.parametrize("csp", ["CSP on", "CSP bypassed"])
def test_no_payload_runs_in_the_browser(xss_site: Site, browser: Browser, csp: str) -> None:
    origin = xss_site.base_url.split(SUB_PATH)[0]
    context = browser.new_context(
        bypass_csp=csp == "CSP bypassed", viewport={"width": 1000, "height": 800}, locale=READER_LOCALE
    )
    dialogs: list[str] = []
    problems: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: _dismiss(dialog, dialogs))
        reader = Reader(page, [origin])
        for site_page in xss_site.pages:
            visit = reader.open(xss_site.url(site_page))
            for chart in page.locator("figure.chart[data-chart]").all():
                chart.scroll_into_view_if_needed()
                page.wait_for_selector("figure.chart[data-hydrated='true'] .chart-view svg", timeout=15_000)
                for mark in chart.locator(".chart-view svg path, .chart-view svg rect").all()[:30]:
                    if mark.is_visible():
                        mark.hover(force=True)
            for link in page.locator("[data-preview], a, button, summary").all()[:200]:
                if link.is_visible():
                    link.focus()
            visit = reader.collect()
            label = f"{site_page} ({csp})"
            problems += [f"{label}: {p}" for p in visit.problems() if csp == "CSP on" or "CSP" not in p]
            problems += [f"{label}: live DOM has {b}" for b in page.evaluate(_LIVE_DOM)]
    finally:
        context.close()
    problems += [f"a dialog opened: {d}" for d in dialogs]
    assert not problems, "\n".join(problems)


def test_body_payloads_are_refused_with_their_lines(tmp_path: Path) -> None:
    content = FIXTURES / "xss_refused" / "content"
    override = {"PATH": str(content), **own_caches(tmp_path)}
    result = build(PROJECT / "pelicanconf.py", tmp_path / "output", override=override)
    assert not result.ok, "a Markdown body with raw HTML and script URLs built"
    assert not (tmp_path / "output").exists()
    reported = {(Path(p.path).name, p.line) for p in result.problems}
    expected = set()
    for file in sorted(content.rglob("*.md")):
        lines = file.read_text("utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            if not MARKER.search(line):
                continue
            # A script URL in a reference definition is refused where a link uses it.
            label = re.match(r"^(\[[^\]]+\]):", line)
            if label:
                number = next(n for n, used in enumerate(lines, start=1) if "]" + label.group(1) in used)
            expected.add((file.name, number))
    assert expected, "the refused fixture has no payloads"
    assert not expected - reported, f"payload lines the build did not report: {sorted(expected - reported)}"
