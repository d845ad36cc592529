"""Every internal link, asset and #fragment resolves under the sub-path, in both languages."""

from __future__ import annotations

from tests.site.crawl import crawl
from tests.site.harness import Site


def test_every_link_and_asset_resolves_under_the_sub_path(site: Site) -> None:
    result = crawl(site.base_url, [site.url(page) for page in site.pages])
    assert not result.problems, "\n".join(result.problems)


def test_the_crawl_reaches_every_page_in_both_languages(site: Site) -> None:
    result = crawl(site.base_url, [])
    reached = {url for url, fetched in result.fetched.items() if fetched.status == 200}
    missing = [str(page) for page in site.pages if page.file != "404.html" and site.url(page) not in reached]
    assert not missing, f"pages no link leads to: {missing}"
    assert {page.lang for page in site.pages} >= {"en", "zh-Hant-TW"}
