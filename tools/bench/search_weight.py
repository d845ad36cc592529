"""Search weight, reader side: the index of each language and a first search.

Pagefind writes one index per language (``pagefind-entry.json`` lists them):
index metadata (``.pf_meta``), word index chunks (``.pf_index``) and page
fragments for excerpts (``.pf_fragment``), each already gzip-compressed, and
a WebAssembly search engine per language (``wasm.<lang>.pagefind``; a
language without a stemmer, such as Chinese, uses ``wasm.unknown``). A first
search downloads the search script, the entry file, one WebAssembly file,
the language's metadata, the index chunks the query needs and the fragments
of the results shown: measured in Chromium on the served site.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

KB = 1024
#: A query per language (its URL segment) for the first-search measurement.
QUERIES = {"en": "procurement list", "zh-tw": "採購清單"}


@dataclass
class SearchWeight:
    """What one language's search costs."""

    lang: str  # Pagefind's language key, e.g. "zh-hant-tw"
    pages: int
    meta: int  # bytes as served (already compressed)
    index: int
    fragments: int
    wasm: int
    first_search: int | None = None  # bytes transferred by a first search
    query: str = ""

    @property
    def total(self) -> int:
        """The whole index of the language, metadata, chunks and fragments."""
        return self.meta + self.index + self.fragments


def index_weights(output: Path, bundle: str = "pagefind") -> list[SearchWeight]:
    """The size of each language's index in a built site."""
    folder = output / bundle
    entry_file = folder / "pagefind-entry.json"
    if not entry_file.is_file():
        return []
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    weights = []
    for lang, info in sorted(entry["languages"].items()):
        wasm = folder / f"wasm.{info.get('wasm') or 'unknown'}.pagefind"
        weights.append(
            SearchWeight(
                lang=lang,
                pages=int(info.get("page_count", 0)),
                meta=(folder / f"pagefind.{info['hash']}.pf_meta").stat().st_size,
                index=sum(p.stat().st_size for p in folder.glob(f"index/{lang}_*.pf_index")),
                fragments=sum(p.stat().st_size for p in folder.glob(f"fragment/{lang}_*.pf_fragment")),
                wasm=wasm.stat().st_size if wasm.is_file() else 0,
            )
        )
    return weights


def measure_first_search(base: str, weights: list[SearchWeight], chromium: str) -> None:
    """Fill in the bytes a first search transfers, per language, in Chromium."""
    from playwright.sync_api import sync_playwright

    segments = {"en": "en", "zh-hant-tw": "zh-tw"}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"], headless=True)
        try:
            for weight in weights:
                segment = segments.get(weight.lang, weight.lang)
                query = QUERIES.get(segment)
                if not query:
                    continue
                page = browser.new_context().new_page()
                # Requests of the page and of its search worker, by their
                # transferred (encoded) body size.
                seen: list[Any] = []
                page.context.on("requestfinished", lambda request, seen=seen: seen.append(request))
                page.goto(f"{base}{segment}/search/?q={quote(query)}")
                page.wait_for_selector("html[data-search-done]", timeout=30000)
                page.wait_for_load_state("networkidle")
                sizes = sum(r.sizes()["responseBodySize"] for r in seen if "/pagefind/" in r.url)
                weight.first_search, weight.query = int(sizes), query
                page.context.close()
        finally:
            browser.close()


def report(weights: list[SearchWeight]) -> list[str]:
    """The search table, as Markdown lines."""
    if not weights:
        return []
    lines = [
        "",
        "## Search, reader side",
        "",
        "Pagefind's index per language as served (its files are already gzip-compressed), and the "
        "bytes a first search transfers (script, WebAssembly, metadata, the chunks and excerpts it "
        "needs), measured in Chromium. No other page loads any of it.",
        "",
        "| language | pages | index KB (meta + chunks + fragments) | WebAssembly KB "
        "| first search KB | query |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for w in weights:
        first = f"{w.first_search / KB:.1f}" if w.first_search is not None else "–"
        lines.append(
            f"| {w.lang} | {w.pages} | {w.total / KB:.1f} ({w.meta / KB:.1f} + {w.index / KB:.1f} + "
            f"{w.fragments / KB:.1f}) | {w.wasm / KB:.1f} | {first} | {w.query or '–'} |"
        )
    return lines
