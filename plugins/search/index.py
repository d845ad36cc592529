"""Index: run Pagefind over the written site, then keep only what readers load.

Pagefind's "extended" build segments Chinese text into words, so a query
such as 國產晶片 finds pages that never put spaces between words. Pages
opt in with ``data-pagefind-body`` (briefs, pages, the glossary); anything
marked ``data-pagefind-ignore`` inside them (source lists) is left out.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from strictbuild.problems import ContentError, ContentProblems
from strictbuild.settings import plugin_enabled

from . import reuse

NAME = "search"


#: Files of the Pagefind bundle that the site's own search script never
#: loads: Pagefind's ready-made interfaces and the highlighter. Leaving them
#: out keeps the published site to what it uses.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


#: Pagefind's options besides where it reads and writes.
FLAGS = ("--silent",)


def pagefind_executable() -> str:
    """The Pagefind binary that the ``pagefind-bin-extended`` wheel installs."""
    import pagefind_bin_extended  # type: ignore[import-untyped]  # ships no type information

    return str(pagefind_bin_extended.get_executable())


def build_index(pelican: Any) -> None:
    """Index the site Pelican has just written into its output folder."""
    settings = pelican.settings
    if not plugin_enabled(settings, NAME) or not settings.get("SEARCH_INDEX", True):
        return
    site = Path(pelican.output_path)
    bundle = str(settings.get("SEARCH_BUNDLE", "pagefind"))
    # What the bundle is keyed on: Pagefind on the site, the bundle inside it.
    command = [pagefind_executable(), "--site", str(site), "--output-subdir", bundle, *FLAGS]
    cache = reuse.cache_folder(settings)
    pages = reuse.pages_to_index(site, bundle)
    key = reuse.index_key(site, command, pages)
    if not reuse.restore(cache, key, site / bundle):
        _run_pagefind(site, bundle, command, [name for name, _data in pages])
        reuse.store(cache, key, site / bundle)


def _run_pagefind(site: Path, bundle: str, command: list[str], pages: list[str]) -> None:
    """Run Pagefind on the pages it indexes only, linked into a folder of their own.

    The bundle is the same as from the whole site (the pages keep their
    paths, so their addresses), in less than half the time and memory on a
    site of briefs, whose side-by-side, chart and embed pages Pagefind
    would read and then leave out.
    """
    with tempfile.TemporaryDirectory(prefix=".search-", dir=site.parent) as folder:
        only = Path(folder)
        for name in pages:
            target = only / name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(site / name, target)
            except OSError:
                shutil.copyfile(site / name, target)
        run = [command[0], "--site", str(only), "--output-path", str((site / bundle).resolve()), *FLAGS]
        done = subprocess.run(run, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines() or [f"exit status {done.returncode}"]
        raise ContentProblems([ContentError(str(site), 0, f"search index: {detail[-1]}")])
    _sort_entry(site / bundle / "pagefind-entry.json")
    for name in UNUSED:
        (site / bundle / name).unlink(missing_ok=True)
    playground = site / bundle / "playground"
    if playground.exists():
        shutil.rmtree(playground)


def _sort_entry(entry: Path) -> None:
    """Write the bundle's entry file with its languages in a stable order.

    Pagefind lists the languages in hash-map order, which changes from run
    to run; the same site must give the same bytes.
    """
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["languages"] = dict(sorted(data.get("languages", {}).items()))
    entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
