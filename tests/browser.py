"""A reader's browser: Playwright driving the machine's Chromium.

Playwright's own browser download is never used; the Chromium the system set-up
installs (or the one the CHROMIUM environment variable names) is launched.
Every visit records what a careful reader's browser would complain about:
console errors, failed requests, requests to other hosts and Content Security
Policy violations (counted by a listener installed before any page script).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Request, Response

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Runs in every frame before the page's own scripts. It counts CSP violations
# and offers a marker function that the XSS corpus calls: if a payload ever
# runs, the marker records it.
INIT_SCRIPT = """
(() => {
  const record = (list, value) => { try { window[list].push(value); } catch (e) {} };
  window.__cspViolations = [];
  window.__executed = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    record('__cspViolations', `${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} `
      + `at ${e.sourceFile || ''}:${e.lineNumber || 0}`);
  }, true);
  window.xssMarker = (what) => record('__executed', String(what));
  // Forget a remembered language choice, so the chooser at / stays a page
  // to check instead of sending the browser on (see theme/static/js/language.js).
  try { window.localStorage.clear(); } catch (e) {}
})();
"""


def chromium_path() -> str:
    """The Chromium binary: $CHROMIUM, else Debian's /usr/bin/chromium."""
    return os.environ.get("CHROMIUM") or "/usr/bin/chromium"


# A reader whose language the site does not offer: the chooser at / then
# stays, instead of sending the browser to a language's home.
READER_LOCALE = "fr-FR"


def launch(playwright: Playwright) -> Browser:
    """Start the machine's Chromium, headless, with nothing phoning home."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)


@dataclass
class Visit:
    """What happened while a page was open."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    executed: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Every complaint, one line each; empty when the page is clean."""
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"failed request: {m}" for m in self.failed_requests]
            + [f"request to another host: {m}" for m in self.foreign_requests]
            + [f"CSP violation: {m}" for m in self.csp_violations]
            + [f"script ran: {m}" for m in self.executed]
        )


class Reader:
    """One browser tab that visits pages and records what went wrong."""

    def __init__(self, page: Page, allowed_origins: Iterable[str] = ()) -> None:
        """Watch ``page``; requests to ``allowed_origins`` are not foreign."""
        self.page = page
        self.allowed_origins = set(allowed_origins)
        self.visit = Visit("")
        # Requests made during the current visit: a request of the previous
        # page that the next navigation cancels is not this page's failure.
        self._requests: set[Request] = set()
        page.add_init_script(INIT_SCRIPT)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.visit.console_errors.append(f"uncaught {error}"))
        page.on("requestfailed", self._failed)
        page.on("request", self._request)
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            self.visit.console_errors.append(f"{message.text} ({where})")

    def _failed(self, request: Request) -> None:
        # ERR_ABORTED is the browser cancelling a request itself (a navigation
        # or a fragment change interrupting a favicon fetch, say); a missing
        # file answers 404 and a blocked one fails with another error.
        if request not in self._requests or request.failure == "net::ERR_ABORTED":
            return
        self.visit.failed_requests.append(f"{request.url}: {request.failure}")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.visit.failed_requests.append(f"{response.url}: HTTP {response.status}")

    def _request(self, request: Request) -> None:
        self._requests.add(request)
        parts = urlsplit(request.url)
        if parts.scheme in {"data", "blob", "about"}:
            return
        if f"{parts.scheme}://{parts.netloc}" not in self.allowed_origins:
            self.visit.foreign_requests.append(request.url)

    def open(self, url: str, *, scroll: bool = True, idle: bool = True) -> Visit:
        """Load ``url``, scroll it through so lazy parts wake, and report.

        ``idle=False`` returns at the load event instead of waiting for the
        network to fall quiet, for a page whose lazy frames the caller waits
        for itself (the quiet moment can come late or not at all while
        frames keep loading under a busy machine)."""
        self.visit = Visit(url)
        self._requests = set()
        self.page.goto(url, wait_until="load")
        if scroll:
            self.scroll_through()
        if idle:
            self.page.wait_for_load_state("networkidle")
        return self.collect()

    def scroll_through(self) -> None:
        """Scroll to the bottom in viewport steps, then back to the top."""
        self.page.evaluate(
            """async () => {
              const step = Math.max(200, window.innerHeight - 50);
              for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
                window.scrollTo(0, y);
                await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30)));
              }
              window.scrollTo(0, 0);
            }"""
        )

    def collect(self) -> Visit:
        """Add the in-page records (CSP, executed markers) to the visit."""
        for frame in self.page.frames:
            try:
                csp = frame.evaluate("window.__cspViolations || []")
                ran = frame.evaluate("window.__executed || []")
            except Exception as error:
                self.visit.console_errors.append(f"could not read frame {frame.url}: {error}")
                continue
            self.visit.csp_violations += [f"{v} (in {frame.url})" for v in csp]
            self.visit.executed += [f"{v} (in {frame.url})" for v in ran]
        self.visit.executed = sorted(set(self.visit.executed))
        return self.visit


# WCAG 2.0, 2.1 and 2.2, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def axe_violations(page: Page) -> list[str]:
    """Run axe-core over the open page; one line per violating element."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    lines = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"{violation['id']} ({violation['impact']}) at {target}: {summary}")
    return lines
