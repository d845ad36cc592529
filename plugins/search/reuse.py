"""Reuse the search index of each language whose pages Pagefind would index the same.

Pagefind has no incremental mode: it reads every page it is given on every
run. A language's bundle depends only on that language's HTML pages
(:func:`pages_by_language`), Pagefind's version and its command line (and
the plugin's own code, Pagefind's configuration files and ``PAGEFIND_*``
variables), so each language's bundle, as Pagefind wrote it, is kept under
``.cache/search/<key>/`` (setting ``SEARCH_CACHE_PATH``), the key hashing
all of those; a build whose key is there copies that language's bundle
instead of running Pagefind on it. The bytes are the same either way: the
reproducibility tests build twice and compare.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
import re
import shutil
import tempfile
import time
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from strictbuild import forked
from strictbuild.leftovers import remove_stale
from strictbuild.problems import ContentError, ContentProblems
from strictbuild.swap import remove_later

#: Cached bundles kept besides the one in use, for builds taking turns.
KEEP = 2
#: The plugin's own code that shapes a bundle (the run and the tidying after it).
_CODE = tuple(Path(__file__).with_name(name) for name in ("index.py", "reuse.py", "slim.py"))
#: Files Pagefind reads from the folder it runs in, besides its arguments.
_CONFIG = ("pagefind.yml", "pagefind.yaml", "pagefind.toml", "pagefind.json")


def cache_folder(settings: Mapping[str, Any]) -> Path:
    """The folder of cached bundles (``SEARCH_CACHE_PATH``, relative to the project)."""
    project = Path(str(settings.get("PATH", "content"))).resolve().parent
    return project / str(settings.get("SEARCH_CACHE_PATH", ".cache/search"))


#: What marks a page for Pagefind: once any page has it, only those pages are indexed.
BODY_MARK = b"data-pagefind-body"


#: How long before a reading a page must have been last modified for that
#: reading to stand for it while its inode, size and modification time stay
#: the same. A later change gets a later modification time; one within the
#: same tick of the file system's clock as the reading could not be told
#: apart, so a page that new is read again.
SETTLED_NS = 1_000_000_000


#: The file, in the cache folder, of what the last build read of each page.
SCAN_FILE = "pages-read"
_SCAN_FORMAT = 1


@dataclass
class PageScan:
    """What the site's pages held when they were read, for reading the site again.

    Every build reads the indexed pages twice (``search.index``: when the
    index is started, and when the build ends, to check they did not change),
    and a page kept from the build before is a link to the same file. A
    reading takes a page from an earlier one (this build's, or the last
    build's, kept in :data:`SCAN_FILE`) while its inode, size and
    modification time are the ones seen then, if it had not been modified
    in the :data:`SETTLED_NS` before that reading; every other page is read.
    With ``verify`` (``STRICTBUILD_VERIFY_REUSE=1``, the test suite) a page
    taken is read too, and a difference stops the build.
    """

    pages: dict[str, tuple[tuple[int, int, int], bytes, str, bool]] = field(default_factory=dict)
    seen: dict[str, tuple[tuple[int, int, int], bytes, str, bool]] = field(default_factory=dict)
    read: int = 0  # pages read (not taken from an earlier reading), for tests
    verify: bool = False

    @classmethod
    def load(cls, path: Path, *, verify: bool = False) -> PageScan:
        """The readings kept in ``path``; none if there is no such file or it cannot be read."""
        try:
            loaded = marshal.loads(path.read_bytes())  # noqa: S302 (the build's own cache)
        except (OSError, EOFError, ValueError, TypeError):
            return cls(verify=verify)
        if not isinstance(loaded, tuple) or len(loaded) != 2 or loaded[0] != _SCAN_FORMAT:
            return cls(verify=verify)
        pages = loaded[1]
        if not isinstance(pages, dict) or not all(_is_entry(key, value) for key, value in pages.items()):
            return cls(verify=verify)
        return cls(pages=pages, verify=verify)

    def save(self, path: Path) -> None:
        """Keep the readings of the pages the last reading saw in ``path``, atomically."""
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(marshal.dumps((_SCAN_FORMAT, self.seen), 2))
            os.replace(temporary, path)
        except OSError:
            temporary.unlink(missing_ok=True)


def _is_entry(key: object, value: object) -> bool:
    return (
        type(key) is str
        and type(value) is tuple
        and len(value) == 4
        and type(value[0]) is tuple
        and len(value[0]) == 3
        and all(type(number) is int for number in value[0])
        and type(value[1]) is bytes
        and type(value[2]) is str
        and type(value[3]) is bool
    )


def pages_to_index(site: Path, bundle: str) -> list[tuple[str, bytes]]:
    """The pages Pagefind indexes: (path relative to ``site``, hash of the bytes), in a fixed order.

    Pagefind reads every HTML page but, once one page marks its body with
    ``data-pagefind-body``, indexes only the pages that do; the others
    (side-by-side pages, chart and embed pages, the home page...) cost it
    time and memory for nothing. A page that has the words in its text
    without the attribute is kept in the list: Pagefind then decides, as
    it would have. Each page is read once and only its hash kept.
    """
    return [(name, page_hash) for name, page_hash, _lang in _pages(site, bundle)]


def pages_by_language(
    site: Path, bundle: str, scan: PageScan | None = None
) -> dict[str, list[tuple[str, bytes]]]:
    """:func:`pages_to_index` grouped by language, as Pagefind groups them: by ``<html lang>``, lowercased.

    Pagefind builds each language's index from that language's pages alone,
    so a run over one group writes, byte for byte, that language's files of
    a run over all pages (``search.index`` checks each run's languages).
    A page without the attribute is in the group ``""``. ``scan``, when
    given, holds earlier readings of the site, this build's or the last
    build's (see :class:`PageScan`).
    """
    groups: dict[str, list[tuple[str, bytes]]] = {}
    for name, page_hash, lang in _pages(site, bundle, scan):
        groups.setdefault(lang, []).append((name, page_hash))
    return dict(sorted(groups.items()))


# The language of a page, as Pagefind reads it: the <html> element's lang attribute.
_HTML_LANG = re.compile(rb"""<html\b[^>]*?\slang\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def _pages(site: Path, bundle: str, scan: PageScan | None = None) -> list[tuple[str, bytes, str]]:
    pages = []
    marked = []
    if scan is not None:
        scan.seen = {}
    settled = time.time_ns() - SETTLED_NS
    # Pages a forked child is writing are read once it has finished (the
    # index is checked then); until then they may be half written.
    elsewhere = forked.written_elsewhere()
    for path, relative in _html_files(os.fspath(site), bundle):
        if elsewhere and relative.replace(os.sep, "/") in elsewhere:
            continue
        status = os.stat(path)
        stamp = (status.st_ino, status.st_size, status.st_mtime_ns)
        known = scan.pages.get(relative) if scan is not None else None
        if scan is not None and known is not None and known[0] == stamp:
            _stamp, page_hash, lang, has_mark = known
            scan.seen[relative] = known
            if scan.verify and _read(path) != known[1:]:
                raise ContentProblems(
                    [
                        ContentError(
                            relative,
                            1,
                            "internal error: the search step took this page from an earlier "
                            "reading, but it holds other bytes: its inode, size and modification "
                            "time do not tell its changes apart",
                        )
                    ]
                )
        else:
            page_hash, lang, has_mark = _read(path)
            if scan is not None:
                scan.read += 1
                if status.st_mtime_ns < settled:
                    scan.pages[relative] = scan.seen[relative] = (stamp, page_hash, lang, has_mark)
        page = (relative, page_hash, lang)
        pages.append(page)
        if has_mark:
            marked.append(page)
    return marked or pages


def _html_files(top: str, bundle: str) -> list[tuple[str, str]]:
    """Every HTML page below ``top`` but in the folder ``bundle``: (path, path relative to ``top``).

    In :func:`os.walk`'s order with each folder's names sorted (its pages,
    then its folders), linked folders not followed; with plain strings, as
    a site has a folder for each of its thousands of pages.
    """
    found: list[tuple[str, str]] = []
    todo = [(top, "")]
    while todo:
        folder, under = todo.pop()
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
        below = []
        for entry in entries:
            relative = under + entry.name
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if is_folder:
                if not (under == "" and entry.name == bundle) and not entry.is_symlink():
                    below.append((entry.path, relative + os.sep))
            elif entry.name.endswith((".html", ".htm")):
                found.append((entry.path, relative))
        todo.extend(reversed(below))
    return found


def _read(path: str) -> tuple[bytes, str, bool]:
    """A page's hash, its language as Pagefind reads it, and whether it is marked for indexing."""
    with open(path, "rb") as handle:
        data = handle.read()
    found = _HTML_LANG.search(data)
    raw = next((g for g in found.groups() if g is not None), b"") if found else b""
    return hashlib.sha256(data).digest(), raw.decode().lower(), BODY_MARK in data


def outside_inputs(_settings: Mapping[str, Any] | None = None) -> str:
    """What Pagefind reads besides its arguments: its configuration files and ``PAGEFIND_*`` variables."""
    digest = hashlib.sha256()
    for name in _CONFIG:
        config = Path(name)
        digest.update(b"\0" + (config.read_bytes() if config.is_file() else b"-"))
    settings_from_env = sorted((k, v) for k, v in os.environ.items() if k.startswith("PAGEFIND_"))
    digest.update(repr(settings_from_env).encode("utf-8"))
    return digest.hexdigest()


def index_key(site: Path, command: Sequence[str], pages: Sequence[tuple[str, bytes]]) -> str:
    """A hash of every page Pagefind indexes (path and hash of its bytes), of its binary and its arguments."""
    digest = hashlib.sha256()
    try:
        version = metadata.version("pagefind-bin-extended")
    except metadata.PackageNotFoundError:
        version = "unknown"
    digest.update(f"{command[0]}\0{version}\0".encode())
    arguments = [part.replace(str(site), "<site>") for part in command[1:]]
    digest.update("\0".join(arguments).encode("utf-8"))
    for code in _CODE:
        digest.update(b"\0" + code.read_bytes())
    digest.update(outside_inputs().encode("utf-8"))
    for name, page_hash in pages:
        digest.update(b"\0" + name.encode("utf-8") + b"\0")
        digest.update(page_hash)
    return digest.hexdigest()[:32]


def restore(cache: Path, key: str, target: Path) -> bool:
    """Copy the cached bundle ``key`` to ``target``; False when there is none.

    Also False when the copy fails (another build pruning that bundle as it is
    read): ``target`` is then removed, and the caller runs Pagefind.
    """
    found = cache / key
    if not found.is_dir():
        return False
    try:
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(found, target)
        os.utime(found)  # the newest use, for pruning
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        return False
    return True


#: The folders of a bundle whose files Pagefind names by a hash of their content.
_HASHED = ("fragment", "index", "filter")
#: What Pagefind puts before the CBOR of a ``.pf_meta`` file (inside its gzip).
_META_PREFIX = b"pagefind_dcd"


def seed(cache: Path, lang: str, target: Path) -> dict[str, int]:
    """Link into ``target`` the hashed files of the newest cached bundle of ``lang``.

    Returns the files linked (path relative to ``target``: inode), for
    :func:`drop_unlisted`. Pagefind names each fragment, word index,
    filter index and language meta file by a hash of its content, and does
    not write such a file when one of that name is already in its output
    folder (it re-runs over a site that way). A language with one brief
    changed writes back all but a few of its two thousand fragments, which
    was most of its run (compressing them at the highest level, creating
    them from many threads). A run seeded with the last bundle's files
    writes only what changed; :func:`drop_unlisted` then removes what it did
    not list and checks what it kept, so the bundle is byte for byte that of
    a run into an empty folder. Only those files are linked: Pagefind
    truncates and writes the others (scripts, the WASM, the entry) on every
    run, and would write through to the cached copy. The bundle is the
    newest of that language made by this Pagefind version; a file pruned
    meanwhile by another build is one Pagefind writes.
    """
    want = lang or "unknown"
    version = _pagefind_release()
    candidates = []
    with contextlib.suppress(OSError):
        for folder in cache.iterdir():
            if folder.name.startswith(".") or not folder.is_dir():
                continue
            with contextlib.suppress(OSError, ValueError, AttributeError):
                entry = json.loads((folder / ENTRY).read_text(encoding="utf-8"))
                if entry.get("version") == version and list(entry.get("languages", {})) == [want]:
                    candidates.append((folder.stat().st_mtime_ns, folder))
    linked: dict[str, int] = {}
    if not candidates:
        return linked
    source = max(candidates)[1]
    for under in _HASHED:
        with contextlib.suppress(OSError):
            files = os.listdir(source / under)
            os.makedirs(target / under, exist_ok=True)
            for name in files:
                with contextlib.suppress(OSError):
                    os.link(source / under / name, target / under / name)
                    linked[f"{under}/{name}"] = os.stat(target / under / name).st_ino
    with contextlib.suppress(OSError):
        for name in os.listdir(source):
            if name.endswith(".pf_meta"):
                with contextlib.suppress(OSError):
                    os.link(source / name, target / name)
                    linked[name] = os.stat(target / name).st_ino
    return linked


#: A bundle's entry file, which names each language's meta file.
ENTRY = "pagefind-entry.json"


def _pagefind_release() -> str | None:
    """The Pagefind version written in the entry files: the wheel's, without a post-release."""
    try:
        found = re.match(r"\d+(?:\.\d+)*", metadata.version("pagefind-bin-extended"))
    except metadata.PackageNotFoundError:
        return None
    return found.group() if found else None


def drop_unlisted(bundle: Path, seeded: Mapping[str, int]) -> bool:
    """Tidy a run's ``bundle`` that was seeded with ``seeded`` (see :func:`seed`); False to run it again.

    A seeded file that the languages' meta files do not list is removed. A
    listed one that Pagefind kept (the same inode) is checked: its content
    must hash to its name, as Pagefind names files, for Pagefind trusts the
    name alone. Two pages whose short names collide get a longer name for
    one of them, from the pages of that run only: a file kept from the last
    run can then hold another page under a name this run gives its page.
    False then, and the caller runs the language again unseeded. Raises
    ValueError when the meta files cannot be read, or list a file the
    bundle lacks.
    """
    import cbor2  # only for a finished run; Pagefind's meta file is CBOR

    entry = json.loads((bundle / ENTRY).read_text(encoding="utf-8"))
    listed: set[str] = set()
    for info in entry["languages"].values():
        meta = f"pagefind.{info['hash']}.pf_meta"
        listed.add(meta)
        # MetaIndex (pagefind/src/index/index_metadata.rs): version, pages
        # (hash, word count), index chunks (from, to, hash), filters (name, hash), ...
        _version, pages, chunks, filters, *_rest = cbor2.loads(_content(bundle / meta))
        listed.update(f"fragment/{page[0]}.pf_fragment" for page in pages)
        listed.update(f"index/{chunk[2]}.pf_index" for chunk in chunks)
        listed.update(f"filter/{item[1]}.pf_filter" for item in filters)
    top = os.fspath(bundle)  # strings, not paths: thousands of files
    present = {name for name in os.listdir(top) if name.endswith(".pf_meta")}
    for under in _HASHED:
        with contextlib.suppress(FileNotFoundError):
            present.update(f"{under}/{name}" for name in os.listdir(os.path.join(top, under)))
    absent = sorted(listed - present)
    if absent:
        raise ValueError(f"its meta file lists {absent[0]}, which it did not write")
    for name, inode in seeded.items():
        path = os.path.join(top, name)
        if name not in listed:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        elif os.stat(path).st_ino == inode and not _named_by_content(path):
            return False
    for under in _HASHED:
        with contextlib.suppress(OSError):
            if not os.listdir(os.path.join(top, under)):
                os.rmdir(
                    os.path.join(top, under)
                )  # only the seed had files there: a run from nothing makes none
    return True


def _content(path: str | Path) -> bytes:
    """What Pagefind hashed and wrote, gzipped, in a hashed file."""
    with open(path, "rb") as handle:
        packed = handle.read()
    try:
        data = zlib.decompress(packed, wbits=31)  # gzip's header and trailer: checked
    except zlib.error as error:
        raise ValueError(f"{os.path.basename(path)}: {error}") from error
    if not data.startswith(_META_PREFIX):
        raise ValueError(f"{os.path.basename(path)}: not a file Pagefind wrote")
    return data[len(_META_PREFIX) :]


def _named_by_content(path: str) -> bool:
    """Whether the hashed file ``path`` holds what its name says (Pagefind's ``full_hash``)."""
    stem = os.path.basename(path).rpartition(".")[0].removeprefix("pagefind.")
    named = stem.rpartition("_")[2]
    try:
        content = _content(path)
    except (OSError, ValueError):
        return False
    # SHA-1, each byte in hex without a leading zero (pagefind/src/utils.rs).
    return "".join(f"{byte:x}" for byte in hashlib.sha1(content).digest()).startswith(named)  # noqa: S324


def store(cache: Path, key: str, bundle: Path, keep: int = KEEP) -> None:
    """Keep the finished ``bundle`` under ``key``, moved there; prune all but ``keep`` + 1.

    ``bundle`` is a run's own folder, which nothing else uses after the
    build has copied its files into the site: it is moved, not copied again
    (a copy when the cache is on another file system). Its hashed files may
    be links to an older cached bundle's (see :func:`seed`): Pagefind never
    writes such a file, nor does anything else, so the copies share them.
    """
    cache.mkdir(parents=True, exist_ok=True)
    if not (cache / key).is_dir():
        try:
            bundle.rename(cache / key)
        except OSError:
            # Another build stored the same key first (its bundle is the same), or another file system.
            if not (cache / key).is_dir():
                _store_copy(cache, key, bundle)
    os.utime(cache / key)  # the newest use, for pruning (the run's folder kept the run's time)
    _prune(cache, keep)


def _store_copy(cache: Path, key: str, bundle: Path) -> None:
    """Copy ``bundle`` under ``key``, atomically."""
    staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=cache))
    try:
        shutil.copytree(bundle, staging / "bundle")
        try:
            (staging / "bundle").rename(cache / key)
        except OSError:
            # Another build stored the same key first: its bundle is the same.
            if not (cache / key).is_dir():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _prune(cache: Path, keep: int) -> None:
    """Remove all but the ``keep`` + 1 most recently used bundles, and what killed builds left."""
    kept = sorted(
        (p for p in cache.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime_ns,
        reverse=True,
    )
    for old in kept[keep + 1 :]:
        # Out of every build's way at once, its thousands of files removed after the build.
        aside = Path(tempfile.mkdtemp(prefix=".tmp-", dir=cache)) / old.name
        try:
            old.rename(aside)
        except OSError:
            shutil.rmtree(aside.parent, ignore_errors=True)
            shutil.rmtree(old, ignore_errors=True)
        else:
            remove_later(aside.parent)
    remove_stale(cache, ".tmp-*")  # by a build that was killed before removing them
