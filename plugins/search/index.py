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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from strictbuild.problems import ContentError, ContentProblems
from strictbuild.settings import plugin_enabled
from strictbuild.state import build_state, current_state

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


@dataclass
class _Started:
    """A Pagefind run started before the build finished writing (see :func:`start_index`)."""

    key: str
    #: None when the bundle came from the cache
    process: subprocess.Popen[bytes] | None = None
    folder: tempfile.TemporaryDirectory[str] | None = None
    errors: Any = None  # the file Pagefind's messages go to

    def stop(self) -> None:
        """Stop the run if it is still going, and remove its folder of linked pages."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.errors is not None:
            self.errors.close()
        if self.folder is not None:
            self.folder.cleanup()
            self.folder = None


def _command(settings: Any, site: Path) -> tuple[str, list[str]]:
    bundle = str(settings.get("SEARCH_BUNDLE", "pagefind"))
    # What the bundle is keyed on: Pagefind on the site, the bundle inside it.
    return bundle, [pagefind_executable(), "--site", str(site), "--output-subdir", bundle, *FLAGS]


def _enabled(settings: Any) -> bool:
    return bool(plugin_enabled(settings, NAME) and settings.get("SEARCH_INDEX", True))


def start_index(settings: Any, output_path: str) -> None:
    """Start indexing once every page Pagefind indexes is written, while the build goes on.

    Called by this plugin's generator, which runs after those that write
    the indexed pages (briefs, pages, the glossary): Pagefind then runs in
    its own process while the later generators write the side-by-side,
    chart and embed pages. :func:`build_index` checks at the end that the
    indexed pages are still those it was started on, else runs it again.
    """
    if not _enabled(settings):
        return
    site = Path(output_path)
    bundle, command = _command(settings, site)
    pages = reuse.pages_to_index(site, bundle)
    key = reuse.index_key(site, command, pages)
    started = _Started(key)
    build_state().slot(_Starts).runs.append(started)
    if reuse.restore(reuse.cache_folder(settings), key, site / bundle):
        return
    started.folder, started.process, started.errors = _launch(site, bundle, command, [n for n, _h in pages])


@dataclass
class _Starts:
    runs: list[_Started] = field(default_factory=list)

    def __post_init__(self) -> None:
        build_state().on_close(self.stop)

    def stop(self) -> None:
        for run in self.runs:
            run.stop()


def build_index(pelican: Any) -> None:
    """Finish the index of the site Pelican has just written into its output folder."""
    settings = pelican.settings
    if not _enabled(settings):
        return
    site = Path(pelican.output_path)
    bundle, command = _command(settings, site)
    cache = reuse.cache_folder(settings)
    pages = reuse.pages_to_index(site, bundle)
    key = reuse.index_key(site, command, pages)
    state = current_state()
    starts = state.peek(_Starts) if state is not None else None
    started = starts.runs[-1] if starts is not None and starts.runs else None
    if started is not None and started.key == key:
        if started.process is None:
            return  # restored from the cache when started
        _finish(site, bundle, started)
        reuse.store(cache, key, site / bundle)
        return
    if started is not None:
        # A page Pagefind indexes changed after the start: index the site as written.
        started.stop()
        shutil.rmtree(site / bundle, ignore_errors=True)
    if not reuse.restore(cache, key, site / bundle):
        run = _Started(key)
        try:
            run.folder, run.process, run.errors = _launch(site, bundle, command, [n for n, _h in pages])
            _finish(site, bundle, run)
        finally:
            run.stop()
        reuse.store(cache, key, site / bundle)


def _launch(
    site: Path, bundle: str, command: list[str], pages: list[str]
) -> tuple[tempfile.TemporaryDirectory[str], subprocess.Popen[bytes], Any]:
    """Start Pagefind on the pages it indexes only, linked into a folder of their own.

    The bundle is the same as from the whole site (the pages keep their
    paths, so their addresses), in less than half the time and memory on a
    site of briefs, whose side-by-side, chart and embed pages Pagefind
    would read and then leave out.
    """
    folder = tempfile.TemporaryDirectory(prefix=".search-", dir=site.parent)
    errors = None
    try:
        only = Path(folder.name)
        for name in pages:
            target = only / name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(site / name, target)
            except OSError:
                shutil.copyfile(site / name, target)
        run = [command[0], "--site", str(only), "--output-path", str((site / bundle).resolve()), *FLAGS]
        # A file, not a pipe nobody reads until the end; closed by _Started.stop.
        errors = tempfile.TemporaryFile()  # noqa: SIM115
        process = subprocess.Popen(run, stdin=subprocess.DEVNULL, stdout=errors, stderr=errors)
    except BaseException:
        if errors is not None:
            errors.close()
        folder.cleanup()
        raise
    return folder, process, errors


def _finish(site: Path, bundle: str, run: _Started) -> None:
    """Wait for ``run`` to end, report its failure, and keep only what readers load."""
    assert run.process is not None
    returncode = run.process.wait()
    run.errors.seek(0)
    said = run.errors.read().decode("utf-8", "replace").strip()
    run.stop()
    if returncode != 0:
        detail = said.splitlines() or [f"exit status {returncode}"]
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
