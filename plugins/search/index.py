"""Index: run Pagefind over the written site, then keep only what readers load.

Pagefind's "extended" build segments Chinese text into words, so a query
such as 國產晶片 finds pages that never put spaces between words. Pages
opt in with ``data-pagefind-body`` (briefs, pages, the glossary); anything
marked ``data-pagefind-ignore`` inside them (source lists) is left out.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from strictbuild import forked
from strictbuild.leftovers import remove_stale
from strictbuild.problems import ContentError, ContentProblems
from strictbuild.reuse import verifying
from strictbuild.settings import plugin_enabled
from strictbuild.state import build_state, current_state
from strictbuild.swap import remove_later

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
class _Part:
    """One language's index: Pagefind over that language's pages alone.

    Pagefind builds each language's index from that language's pages only
    (``reuse.pages_by_language``), so the files of a run over one language
    are, byte for byte, that language's files of a run over every page; only
    the entry file, which lists the languages, is merged. A change to one
    language's pages runs Pagefind on that language alone, the others coming
    from the cache.
    """

    lang: str
    key: str
    #: (path relative to the site, SHA-256 of its bytes) of each page
    pages: list[tuple[str, bytes]]


@dataclass
class _Run:
    """Pagefind over some languages, one after another, in one process group.

    One Pagefind process at a time: the build's memory then holds the
    largest language's run, not all of them at once.
    """

    parts: list[_Part]
    folder: Path
    process: subprocess.Popen[bytes]
    #: each part's files linked from a cached bundle before the run (``reuse.seed``), by its number
    seeded: dict[int, dict[str, int]] = field(default_factory=dict)

    def bundle(self, part: _Part) -> Path:
        """Where ``part``'s run writes its bundle."""
        return self.folder / f"bundle-{self.parts.index(part)}"

    def wait(self, site: Path, wanted: list[_Part]) -> list[_Part]:
        """Wait for the runs; raise the failure Pagefind reported for a language in ``wanted``.

        Each language's run writes its exit status and messages to files of
        its own, and a failed run does not stop the next: a language whose
        pages changed since the start is not wanted any more, and its failure
        does not fail the build. Returns the languages of ``wanted`` to run
        again without a seed (see ``reuse.drop_unlisted``).
        """
        returncode = self.process.wait()
        for part in wanted:
            step = self.folder / f"status-{self.parts.index(part)}"
            status = step.read_text(encoding="utf-8").strip() if step.is_file() else f"{returncode}"
            if status == "0":
                continue
            said = step.with_name(f"messages-{self.parts.index(part)}")
            lines = said.read_text("utf-8", "replace").strip().splitlines() if said.is_file() else []
            detail = lines[-1] if lines else f"exit status {status}"
            raise ContentProblems(
                [ContentError(str(site), 0, f"search index ({part.lang or 'no language'}): {detail}")]
            )
        again = []
        for part in wanted:
            try:
                if not reuse.drop_unlisted(self.bundle(part), self.seeded.get(self.parts.index(part), {})):
                    again.append(part)
            except (ValueError, KeyError, TypeError, IndexError, EOFError, OSError) as error:
                raise ContentProblems(
                    [
                        ContentError(
                            str(site),
                            0,
                            f"search index ({part.lang or 'no language'}): cannot read Pagefind's "
                            f"bundle: {error}",
                        )
                    ]
                ) from error
        return again

    def stop(self) -> None:
        """Stop the runs if still going; their folder of pages and bundles is removed after the build.

        Its thousands of files need not hold the build up: none is the site's
        (:func:`_merge` copies a bundle's files into the site, and the bundle
        goes to the search cache), the pages in it are links to copies kept
        in the search cache.
        """
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)  # the shell and the Pagefind it runs
            self.process.wait()
        remove_later(self.folder)


@dataclass
class _Started:
    """The index as started before the build finished writing (see :func:`start_index`)."""

    #: None when every language came from the cache
    run: _Run | None = None

    def stop(self) -> None:
        if self.run is not None:
            self.run.stop()


def _command(settings: Any, site: Path) -> tuple[str, list[str]]:
    bundle = str(settings.get("SEARCH_BUNDLE", "pagefind"))
    # What the bundle is keyed on: Pagefind on the site, the bundle inside it.
    return bundle, [pagefind_executable(), "--site", str(site), "--output-subdir", bundle, *FLAGS]


def _enabled(settings: Any) -> bool:
    return bool(plugin_enabled(settings, NAME) and settings.get("SEARCH_INDEX", True))


def _parts(site: Path, bundle: str, command: list[str], scan: reuse.PageScan | None) -> list[_Part]:
    """The site's indexed pages, one part per language, each keyed on its pages.

    ``scan`` is what earlier readings found (see :class:`reuse.PageScan`).
    """
    return [
        _Part(lang, reuse.index_key(site, command, pages), pages)
        for lang, pages in reuse.pages_by_language(site, bundle, scan).items()
    ]


def _scan(settings: Any) -> reuse.PageScan | None:
    """The build's readings of the site: the last build's to begin with.

    None from the last build under ``--ignore-cache``, or when the build
    keeps no cache (``CACHE_CONTENT`` off; nothing is saved either).
    """
    state = current_state()
    if state is None:
        return None
    path = reuse.cache_folder(settings) / reuse.SCAN_FILE
    if not settings.get("LOAD_CONTENT_CACHE", True) or not settings.get("CACHE_CONTENT"):
        return state.slot(reuse.PageScan, lambda: reuse.PageScan(verify=verifying()))
    return state.slot(reuse.PageScan, lambda: reuse.PageScan.load(path, verify=verifying()))


def start_index(settings: Any, output_path: str) -> None:
    """Start indexing once every page Pagefind indexes is written, while the build goes on.

    Called by this plugin's generator, which runs after those that write
    the indexed pages (briefs, pages, the glossary): Pagefind then runs in
    its own process while the later generators write the side-by-side,
    chart and embed pages. :func:`build_index` checks at the end that the
    indexed pages are still those it was started on, else runs it again
    for the languages whose pages changed.
    """
    if not _enabled(settings):
        return
    site = Path(output_path)
    bundle, command = _command(settings, site)
    cache = reuse.cache_folder(settings)
    parts = _parts(site, bundle, command, _scan(settings))
    started = _Started()
    build_state().slot(_Starts).runs.append(started)
    missing = [part for part in parts if not (cache / part.key).is_dir()]
    if missing:
        started.run = _launch(site, command, missing, cache, seeded=_seeding(settings))


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
    forked.join_all()  # done already when strictbuild is first in PLUGINS, as it must be
    site = Path(pelican.output_path)
    bundle, command = _command(settings, site)
    cache = reuse.cache_folder(settings)
    scan = _scan(settings)
    parts = _parts(site, bundle, command, scan)
    state = current_state()
    starts = state.peek(_Starts) if state is not None else None
    started = starts.runs[-1] if starts is not None and starts.runs else None
    runs: list[_Run] = []
    with tempfile.TemporaryDirectory(prefix=".search-", dir=site.parent) as restored:
        try:
            found: dict[str, Path] = {}  # each part's bundle, by key
            ran: dict[str, Path] = {}  # those a run of this build wrote, for the cache
            early = started.run if started is not None else None
            coming = [part for part in early.parts if part in parts] if early is not None else []
            if early is not None:
                runs.append(early)  # stopped below whatever happens from here
            # The cached languages first, while Pagefind may still be running on the others.
            for part in parts:
                if part not in coming and reuse.restore(cache, part.key, Path(restored, part.key)):
                    found[part.key] = Path(restored, part.key)
            seeded = _seeding(settings)
            if early is not None:
                if coming:
                    again = early.wait(site, coming)
                    ran.update({part.key: early.bundle(part) for part in coming if part not in again})
                    seeded = seeded and not again
                else:
                    early.stop()  # every language it indexes changed since the start
            found.update(ran)
            missing = [part for part in parts if part.key not in found]
            while missing:
                # Pages indexed changed after the start, no start, or a seeded run to run again
                # without its seed: index them as written.
                run = _launch(site, command, missing, cache, seeded=seeded)
                runs.append(run)
                again = run.wait(site, missing)
                ran.update({part.key: run.bundle(part) for part in missing if part not in again})
                found.update(ran)
                missing, seeded = again, False
            _merge([found[part.key] for part in parts], site / bundle, copied=set(ran.values()))
            for key, made in ran.items():
                reuse.store(cache, key, made, keep=reuse.KEEP + len(parts) - 1)
            if scan is not None and settings.get("CACHE_CONTENT"):
                scan.save(cache / reuse.SCAN_FILE)
        finally:
            for run in runs:
                run.stop()
            if started is not None:
                started.run = None


#: The script that copies each page for Pagefind without what it leaves out.
SLIM = Path(__file__).with_name("slim.py")
#: The folder, in the search cache, of those copies (a folder per digest of
#: the slimming code, and in it one per language, each copy named by the
#: page's hash); hidden from the bundles' pruning.
PAGES = ".pages"


def _seeding(settings: Any) -> bool:
    """Whether runs start from the last bundle of their language: not under ``--ignore-cache``."""
    return bool(settings.get("LOAD_CONTENT_CACHE", True))


def _launch(site: Path, command: list[str], parts: list[_Part], cache: Path, *, seeded: bool) -> _Run:
    """Start Pagefind on each part's pages, one language after another.

    Each run reads only its language's indexed pages, at their own paths
    in a folder of their own, each without the elements Pagefind is told
    to leave out (:mod:`search.slim`, which keeps those copies in the
    search cache's :data:`PAGES` and slims only pages it has not seen):
    the bundle is the same as from the whole site (the pages keep their
    paths, so their addresses), without Pagefind reading the side-by-side,
    chart and embed pages it would leave out, nor the source lists and
    previews that are half of a brief's page. The copying runs in
    Pagefind's process group, so the build goes on meanwhile, and it
    leaves the site's pages untouched (a link would move their change
    time, and the next build would have to read them again).
    """
    if shutil.which(command[0]) is None:
        raise FileNotFoundError(f"Pagefind not found: {command[0]}")
    # The copies are what this code made: kept by its digest, the other codes' removed.
    code = hashlib.sha256(SLIM.read_bytes()).hexdigest()[:16]
    copies = cache / PAGES / code
    if (cache / PAGES).is_dir():
        for other in (cache / PAGES).iterdir():
            if other.name != code:
                shutil.rmtree(other, ignore_errors=True)
    remove_stale(site.parent, ".search-*")  # by a build killed before their removal
    folder = Path(tempfile.mkdtemp(prefix=".search-", dir=site.parent))
    linked: dict[int, dict[str, int]] = {}
    try:
        steps = []
        for number, part in enumerate(parts):
            only = folder / f"pages-{number}"
            listing = folder / f"pages-{number}.txt"
            listing.write_text(
                "".join(f"{page_hash.hex()}\t{name}\n" for name, page_hash in part.pages), encoding="utf-8"
            )
            kept = copies / hashlib.sha256(part.lang.encode("utf-8")).hexdigest()[:16]
            if seeded:
                linked[number] = reuse.seed(cache, part.lang, folder / f"bundle-{number}")
            check = ["--verify"] if verifying() else []
            copy = shlex.join(
                [sys.executable, "-I", str(SLIM), *check, str(listing), str(site), str(only), str(kept)]
            )
            run = shlex.join(
                [
                    command[0],
                    "--site",
                    str(only),
                    "--output-path",
                    str(folder / f"bundle-{number}"),
                    *FLAGS,
                ]
            )
            messages = shlex.quote(str(folder / f"messages-{number}"))
            status = shlex.quote(str(folder / f"status-{number}"))
            steps.append(f"{{ {copy} && {run}; }} >{messages} 2>&1; echo $? >{status}")
        script = "; ".join(steps)
        process = subprocess.Popen(
            ["sh", "-c", script],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,  # each run's messages go to a file of its own
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a group of its own, stopped as one
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return _Run(parts, folder, process, linked)


ENTRY = reuse.ENTRY


def _merge(bundles: list[Path], target: Path, copied: Collection[Path] = ()) -> None:
    """The site's bundle from each language's: their files side by side, one entry listing every language.

    ``bundles`` are folders the build removes afterwards (nothing else may
    share their files): their files are moved into ``target``, but for
    those in ``copied`` (a run's bundles, which go to the search cache and
    may share files with it), whose files are copied. Then only what
    readers load is kept, and the entry is written in a stable order.
    """
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    entry: dict[str, Any] | None = None
    merged: set[str] = set()  # relative paths of the files in ``target``
    for bundle in bundles:
        own = json.loads((bundle / ENTRY).read_text(encoding="utf-8"))
        if entry is None:
            entry = own
        else:
            shared = {key: value for key, value in own.items() if key != "languages"}
            if shared != {key: value for key, value in entry.items() if key != "languages"} or set(
                own["languages"]
            ) & set(entry["languages"]):
                raise _disagree(target, ENTRY)
            entry["languages"].update(own["languages"])
        for root, folders, files in os.walk(bundle):  # strings: a bundle has thousands of files
            folders.sort()
            under = os.path.relpath(root, bundle)
            if files:
                os.makedirs(os.path.join(target, under), exist_ok=True)
            for name in sorted(files):
                relative = name if under == os.curdir else os.path.join(under, name)
                if relative == ENTRY:
                    continue
                path = os.path.join(root, name)
                copy = os.path.join(target, relative)
                if relative in merged:
                    # A file every run writes (the scripts, the word splitter): the same bytes.
                    if Path(path).read_bytes() != Path(copy).read_bytes():
                        raise _disagree(target, relative)
                    continue
                merged.add(relative)
                # Moved or copied, not linked: the site's files share no inode with
                # a folder removed after the build has recorded their times.
                if bundle in copied:
                    shutil.copyfile(path, copy)
                    continue
                # What was restored from the cache is this build's own copy: moved.
                try:
                    os.rename(path, copy)
                except OSError:
                    shutil.copyfile(path, copy)
    (target / ENTRY).write_text(
        json.dumps(entry or {}, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    _sort_entry(target / ENTRY)
    for name in UNUSED:
        (target / name).unlink(missing_ok=True)
    playground = target / "playground"
    if playground.exists():
        shutil.rmtree(playground)


def _disagree(target: Path, name: str) -> ContentProblems:
    return ContentProblems(
        [ContentError(str(target), 0, f"search index: the languages' indexes do not fit together ({name})")]
    )


def _sort_entry(entry: Path) -> None:
    """Write the bundle's entry file with its languages in a stable order.

    Pagefind lists the languages in hash-map order, which changes from run
    to run; the same site must give the same bytes.
    """
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["languages"] = dict(sorted(data.get("languages", {}).items()))
    entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
