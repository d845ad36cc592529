"""Every page, opened in Chromium as a reader would: nothing fails, nothing leaves the site."""

from __future__ import annotations

import re

import pytest

from tests.browser import Reader, Visit
from tests.site.harness import Site, SitePage

pytestmark = pytest.mark.browser


def test_page_loads_cleanly(site: Site, reader: Reader, page: SitePage) -> None:
    """No console error, failed or foreign request, or CSP violation."""
    if page.path == "":
        # With scripts the chooser sends a reader on to a language home once
        # it has loaded (tests/bilingual checks the choice): check both.
        reader.visit = Visit(site.url(page))
        reader.page.goto(site.url(page), wait_until="load")
        reader.page.wait_for_url(re.compile(r"/(en|zh-tw)/$"))
        problems = reader.visit.problems() + reader.open(reader.page.url).problems()
        # The browser asks for the icon lazily; leaving the chooser may cancel
        # that request, and the cancellation may be reported a moment later.
        problems = [p for p in problems if not p.endswith("favicon.svg: net::ERR_ABORTED")]
    else:
        problems = reader.open(site.url(page)).problems()
    if page.file == "404.html":
        # Asked for by name the page is found; as a miss, deep in the tree, it
        # must still be whole (its links and assets are absolute for this).
        miss = site.url("no/such/page/")
        problems += [p for p in reader.open(miss).problems() if miss not in p]
    assert not problems, "\n".join(problems)
