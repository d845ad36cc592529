"""The language link on every page lands on the same page in the other language."""

from __future__ import annotations

import pytest

from tests.browser import Reader
from tests.site.harness import Site, SitePage

pytestmark = pytest.mark.browser
LANGUAGE_LINKS = "a[rel~='alternate'][hreflang]"


def _below_language(base_url: str, segments: set[str], url: str) -> tuple[str, str]:
    """``(language segment, rest of the path)`` of a served address."""
    path = url.removeprefix(base_url).split("#")[0]
    first, _, rest = path.partition("/")
    return (first, rest) if first in segments else ("", path)


def language_link_problems(reader: Reader, base_url: str, segments: set[str], url: str) -> list[str]:
    """Follow each language link of the page at ``url``; say where one goes wrong.

    A link must land, without a browser complaint, on a page whose <html lang>
    is the link's hreflang and differs from this page's, at the same path
    below the other language segment. A page outside the languages (the
    chooser, the 404 page) must lead to a language's home.
    """
    reader.open(url, scroll=False)
    own_lang = reader.page.evaluate("document.documentElement.lang")
    here_lang, here_rest = _below_language(base_url, segments, url)
    # A page in both languages (the chooser, the 404 page) links to each
    # language's home with a[hreflang]; a page in one language to its
    # counterpart with a[rel=alternate][hreflang].
    selector = LANGUAGE_LINKS if here_lang else "a[hreflang]"
    count = reader.page.locator(selector).count()
    if not count:
        return [f"{url}: no link to the other language ({selector})"]
    problems = []
    if not here_lang:
        offered = set(reader.page.eval_on_selector_all(selector, "(links) => links.map((a) => a.hreflang)"))
        if len(offered) < len(segments):
            problems.append(f"{url}: links to {sorted(offered)} only, not to every language")
    for index in range(count):
        reader.open(url, scroll=False)
        link = reader.page.locator(selector).nth(index)
        hreflang = link.get_attribute("hreflang")
        link.click()
        reader.page.wait_for_load_state("load")
        landed = reader.page.url
        lang = reader.page.evaluate("document.documentElement.lang")
        problems += [f"after the language link to {landed}: {p}" for p in reader.collect().problems()]
        there_lang, there_rest = _below_language(base_url, segments, landed)
        if lang != hreflang:
            problems.append(f"{landed} has lang={lang!r}, the link said hreflang={hreflang!r}")
        if here_lang and lang == own_lang:
            problems.append(f"{landed} is in the same language ({lang}) as {url}")
        if not there_lang or there_lang == here_lang:
            problems.append(f"{landed} is not below the other language's segment")
        if there_rest != (here_rest if here_lang else ""):
            problems.append(f"the language link of {url} lands on {landed}, not its counterpart")
    return problems


def test_language_link_lands_on_the_counterpart(site: Site, reader: Reader, language_page: SitePage) -> None:
    segments = {p.path.split("/")[0] for p in site.pages if "/" in p.path}
    problems = language_link_problems(reader, site.base_url, segments, site.url(language_page))
    assert not problems, "\n".join(problems)
