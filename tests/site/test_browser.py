"""Every page, opened in Chromium as a reader would: nothing fails, nothing leaves the site."""

from __future__ import annotations

import pytest

from tests.browser import Reader
from tests.site.harness import Site, SitePage

pytestmark = pytest.mark.browser


def test_page_loads_cleanly(site: Site, reader: Reader, page: SitePage) -> None:
    """No console error, failed or foreign request, or CSP violation.

    The test browser reads French, a language the site does not offer, so
    the chooser at / stays and is checked as a page; its redirect for
    readers of a language the site offers is tests/bilingual's to check.
    """
    problems = reader.open(site.url(page)).problems()
    if page.file == "404.html":
        # Asked for by name the page is found; as a miss, deep in the tree, it
        # must still be whole (its links and assets are absolute for this).
        miss = site.url("no/such/page/")
        problems += [p for p in reader.open(miss).problems() if miss not in p]
    assert not problems, "\n".join(problems)
