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
    # Embed pages ask not to be indexed, so the sitemap leaves them out; the
    # embed code on their chart page is how a reader reaches them.
    embeds = [page for page in site.pages if page.is_embed]
    missing = [
        str(page)
        for page in site.pages
        if page.file != "404.html" and not page.is_embed and site.url(page) not in reached
    ]
    assert not missing, f"pages no link leads to: {missing}"
    chart_pages = "".join(site.text(page) for page in site.pages if page.is_chart)
    unnamed = [str(page) for page in embeds if site.url(page) not in chart_pages]
    assert not unnamed, f"embed pages no chart page's embed code names: {unnamed}"
    assert {page.lang for page in site.pages} >= {"en", "zh-Hant-TW"}
