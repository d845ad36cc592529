"""Keep a brief's page from the previous build when nothing it shows changed.

Pelican renders every page on every build. Most of a rebuild's time is the
templates of the briefs and their side-by-side pages, although after a
correction to one brief almost all of them come out byte for byte as
before. This module gives each such page a *digest* of everything its
template can read, and when the digest equals the one recorded for the
previous build's copy of the page (and that copy is still the file the
build wrote), copies that file into the new site instead of rendering it.

What a page's digest covers:

- the **build**: the settings (the site's address included), Python and the
  installed packages, the plugins' code (the content cache's fingerprint,
  :func:`strictbuild.cache.fingerprint`), every file of the theme and of the
  plugin folders (templates, catalogs, scripts), every content file that is
  not a brief or page (the sources registry, the glossary) nor declared by
  its plugin as shown only through records and values (chart modules and
  data: :func:`shown_through_records`), and every value of the template
  context that is not a list of content;
- the **site**: for every brief and page, its address, output path and
  front matter as read, which is what other pages show of it (titles in
  related briefs and language switches, summaries, dates);
- the **page**: the template and the values handed to it, the item's HTML
  as the plugins left it, its metadata (sections included) and every record
  the plugins keep for it (:mod:`strictbuild.itemdata`: its numbered
  sources and back-links, its charts, its related briefs, its updates).

A value the digest does not know how to read (a type it has no rule for)
makes the page render as usual: a page is only ever kept on positive
evidence. Every check runs on every build whatever is kept: the checks read
the content and the site model, not the written pages.

The record of what was written (``pages-written.json`` in ``CACHE_PATH``:
the digest and a hash of the bytes of each page) is saved only after the new
site replaced the old one, and a kept page is copied only when the file in
``output/`` still has the bytes recorded, so an edit by hand, a failed build
or another output folder never leads to a stale page. A kept page is
read and hashed to tell, unless it has its *stamp*: its inode, size,
modification and change times as :mod:`strictbuild.settle` finds them once
the new site is in place (for a linked page, once the previous site's name
of it is removed), for each page the build wrote or linked and that nothing
wrote to since (``pages-stamped.json``, valid for the record it names). Any
write to the file, or any link to it or removal of one, moves its change
time, and the page is read again. With
``STRICTBUILD_VERIFY_REUSE=1`` in the environment (the test suite sets it),
every kept page is also rendered and compared with the kept copy, and a
difference stops the build.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import hashlib
import json
import marshal
import os
import shutil
import stat
import types
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePath
from typing import Any

from markupsafe import Markup
from pelican import signals
from pelican.contents import Content, Static
from pelican.urlwrappers import URLWrapper
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from . import forked, progress
from .cache import CacheFingerprint, _hash_files, _stable, fingerprint
from .itemdata import ATTRIBUTE, ItemData
from .leftovers import remove_stale
from .problems import ContentError, ContentProblems, problem_log
from .settle import FORMAT as SETTLE_FORMAT
from .state import build_state, current_state

__all__ = [
    "MANIFEST_FILE",
    "VERIFY_ENV",
    "CannotDigest",
    "PageReuse",
    "ReusingWriter",
    "bytes_hash",
    "code_digest",
    "copy_file",
    "digest_of",
    "enable",
    "made_from_digested",
    "recorded",
    "recorded_pages",
    "recorded_stamps",
    "reuse_for",
    "save_manifest",
    "settle_job",
    "shown_through_records",
    "source_digest",
    "write_page",
    "write_text",
]

#: The file, in ``CACHE_PATH``, recording each page the last successful build wrote.
MANIFEST_FILE = "pages-written.json"
#: Set to 1 to render every kept page too and stop the build on any difference.
VERIFY_ENV = "STRICTBUILD_VERIFY_REUSE"
_FORMAT = 2  # 2: pages hashed with SHA-256
#: The file, in ``CACHE_PATH``, of the stamps of the pages the last build kept.
STAMPS_FILE = "pages-stamped.json"

#: Inode, size, modification and change times (nanoseconds) of a file, from ``os.lstat``.
Stamp = tuple[int, int, int, int]

# Template context entries that list content: what they show of each item is
# in the site part of every digest, so the lists themselves are not read.
_CONTENT_LISTS = frozenset(
    {
        "articles",
        "dates",
        "drafts",
        "draft_translations",
        "hidden_articles",
        "hidden_translations",
        "translations",
        "pages",
        "hidden_pages",
        "draft_pages",
        "categories",
        "tags",
        "authors",
        "period_archives",
        "static_content",
        "static_links",
        "generated_content",
        "all_articles",
        "hidden_pages_translations",
    }
)
# Values that differ from build to build without changing any page: the
# staging folder written into, whether the content cache was loaded.
_VOLATILE = frozenset({"OUTPUT_PATH", "LOAD_CONTENT_CACHE", "CACHE_PATH", "output_file", "localsiteurl"})
# Metadata an item gets from its body, not its front matter: shown on the
# item's own pages only (part of their digest), never on another item's.
_BODY_METADATA = {"extracted"}
# Metadata a plugin makes from the item's source file alone, and that no
# template shows as such (the parsed document): the source file's bytes
# stand for it in the page's digest, which is faster to read.
_FROM_SOURCE: set[str] = set()


def from_source(key: str) -> None:
    """Declare metadata ``key`` as made from the item's source file alone (see above)."""
    _FROM_SOURCE.add(key)
    _BODY_METADATA.add(key)


# Item records a plugin makes only from what a page's digest reads anyway
# (see :func:`made_from_digested`): their fields are not walked.
_DERIVED_RECORDS: set[str] = set()


def made_from_digested(name: str) -> None:
    """Declare the item record ``name`` a function of what its pages' digests read besides it.

    That is: the item's own metadata (its front matter, and what its body
    gives it, such as its citation places), source file and HTML, and the
    parts every page's digest shares (the settings, the code, the theme,
    every content file that is not a brief or page, every item's address
    and front matter). Such a record (a brief's numbered sources and
    back-links, made from its citation places and the registry) can hold
    tens of thousands of small objects per build; walking them for every
    page's digest told nothing those inputs did not. Its presence is still
    digested. A record that reads anything else (another brief's body, a
    file declared with :func:`shown_through_records`) must not be declared:
    a page would be kept with the old record. ``STRICTBUILD_VERIFY_REUSE=1``
    (the test suite) renders every kept page and stops on a difference.
    """
    _DERIVED_RECORDS.add(name)


# Settings naming folders whose files a page may show (catalogs, templates):
# declared by the plugin reading them, see :func:`folders_in_setting`.
_FOLDER_SETTINGS: set[str] = {"THEME_TEMPLATES_OVERRIDES"}


def folders_in_setting(key: str) -> None:
    """Declare that setting ``key`` lists folders whose files pages show: they are hashed too."""
    _FOLDER_SETTINGS.add(key)


def shown_through_records(paths: Iterable[str]) -> None:
    """Declare content files whose every trace on a page is in that page's own digest.

    A plugin that reads ``paths`` (a chart's module and data) and hands what
    pages show of them only through item records and page values, never the
    template context, calls this while the build reads its content: the files
    then leave the digest shared by every page, and a change to one of them
    renders only the pages whose records or values changed with it.
    """
    state = current_state()
    found = state.peek(PageReuse) if state is not None else None
    if found is not None:
        found.per_page.update(os.path.abspath(path) for path in paths)


def _input_folders(settings: Mapping[str, Any]) -> list[str]:
    found: list[Any] = []
    for key in sorted(_FOLDER_SETTINGS):
        value = settings.get(key) or []
        found.extend([value] if isinstance(value, (str, os.PathLike)) else [str(v) for v in value])
    return [str(folder) for folder in found]


@dataclasses.dataclass
class _SourceDigests:
    found: dict[str, bytes] = dataclasses.field(default_factory=dict)


def source_digest(path: str) -> bytes:
    """The digest of content file ``path``'s bytes (``b"-"`` if it cannot be read), read once per build.

    A file written while the build runs is caught by the up-to-date record
    (:mod:`.uptodate`), which the build leaves alone then.
    """
    state = current_state()
    memo = state.slot(_SourceDigests).found if state is not None else {}
    found = memo.get(path)
    if found is None:
        try:
            with open(path, "rb") as handle:
                found = hashlib.blake2b(handle.read(), digest_size=20).digest()
        except OSError:
            found = b"-"
        memo[path] = found
    return found


class CannotDigest(TypeError):
    """A value the digest has no rule for: the page that shows it is rendered."""


def _plain(value: Any) -> bytes | None:
    """``value``'s bytes in one call when it holds only plain data, else None.

    Plain data is what :mod:`marshal` writes: exact ``str``, ``int``,
    ``float``, ``bool``, ``None``, ``bytes``, and lists, tuples, dicts and
    sets of them (the metadata a brief's body gives it: its citations, links
    and headings, thousands of small dicts per build). Version 2 writes no
    references between equal objects, so the bytes do not depend on which
    objects happen to be shared (a value read from the content cache and the
    same value parsed afresh give the same bytes), and since Python 3.11 a
    set is written in an order of its own (bpo-37596), not in the iteration
    order that differs from process to process.
    """
    try:
        return marshal.dumps(value, 2)
    except ValueError:  # something else inside (a record, a date, Markup)
        return None


def _feed(update: Callable[[bytes], Any], value: Any, memo: dict[int, tuple[Any, bytes]]) -> None:
    """Feed ``value`` to ``update`` in a form that differs whenever what a template reads differs."""
    kind = type(value)
    if kind is str or kind is Markup:
        data = value.encode("utf-8", "surrogatepass")
        update(b"s%d:" % len(data))
        update(data)
    elif value is None:
        update(b"N")
    elif (kind is list or kind is tuple or kind is dict) and (plain := _plain(value)) is not None:
        update(b"M%d:" % len(plain))
        update(plain)
    elif kind is list or kind is tuple:
        update(b"l%d:" % len(value))
        for item in value:
            _feed(update, item, memo)
    elif kind is dict:
        # In order: a template that loops over a mapping shows its order.
        update(b"m%d:" % len(value))
        for key, item in value.items():
            _feed(update, key, memo)
            _feed(update, item, memo)
    elif kind is bool:
        update(b"T" if value else b"F")
    elif kind is int or kind is float:
        update(b"n%r;" % value)
    else:
        names = _FIELDS.get(kind)
        if names is None:
            names = _FIELDS[kind] = _field_names(kind)
        if names:
            update(_object_digest(value, memo, names))
        else:
            _feed_other(update, value, memo)


def _field_names(kind: type) -> tuple[str, ...]:
    """The fields a record type shows (a dataclass or a pydantic model); () for other types."""
    if dataclasses.is_dataclass(kind):
        return tuple(f.name for f in dataclasses.fields(kind))
    model_fields = getattr(kind, "model_fields", None)  # a pydantic model
    if isinstance(model_fields, Mapping) and model_fields:
        return tuple(model_fields)
    return ()


#: The fields of each record type met so far.
_FIELDS: dict[type, tuple[str, ...]] = {}


def _feed_other(update: Callable[[bytes], Any], value: Any, memo: dict[int, tuple[Any, bytes]]) -> None:
    """The rarer types of :func:`_feed` (subclasses of the common ones included)."""
    if isinstance(value, str):
        _feed(update, str(value), memo)
    elif isinstance(value, bool):
        update(b"T" if value else b"F")
    elif isinstance(value, (int, float)):
        update(b"n" + repr(value).encode() + b";")
    elif isinstance(value, bytes):
        update(b"b%d:" % len(value))
        update(value)
    elif isinstance(value, (datetime.date, datetime.time)):
        # datetime included: the zone matters to what a template prints.
        update(b"d" + value.isoformat().encode() + repr(getattr(value, "tzinfo", None)).encode() + b";")
    elif isinstance(value, enum.Enum):
        update(b"e" + type(value).__qualname__.encode() + b"." + value.name.encode() + b";")
    elif isinstance(value, PurePath):
        _feed(update, str(value), memo)
    elif isinstance(value, Static):
        # By its source only: asking a static file for its address pins its
        # place, which {attach} links would otherwise move.
        update(b"A")
        _feed(update, value.source_path, memo)
    elif isinstance(value, Content):
        # Another brief or page, by reference: what it shows of itself is
        # in the site part of the digest. Pelican works its address out
        # again on every read, and a brief is named on many pages: once per
        # build (addresses are settled before any page is written).
        found = memo.get(id(value))
        if found is None or found[0] is not value:
            named = (type(value).__name__, value.source_path, value.url, value.save_as, value.lang)
            found = (value, b"C" + digest_of(named))
            memo[id(value)] = found
        update(found[1])
    elif isinstance(value, URLWrapper):
        update(b"W")
        for part in (type(value).__name__, value.name, value.slug, value.url):
            _feed(update, part, memo)
    elif isinstance(value, Mapping):
        _feed(update, dict(value), memo)
    elif isinstance(value, (list, tuple)):
        _feed(update, list(value), memo)
    elif isinstance(value, (set, frozenset)):
        parts = sorted(digest_of(item, memo) for item in value)
        update(b"S%d:" % len(parts) + b"".join(parts))
    elif isinstance(value, ItemData):
        _feed(update, value._records, memo)
    elif isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type)):
        # Code: its behaviour is in the plugins' and packages' fingerprint.
        update(b"f" + f"{value.__module__}.{value.__qualname__}".encode() + b";")
    else:
        raise CannotDigest(f"no digest rule for a {type(value).__module__}.{type(value).__qualname__}")


def _object_digest(value: Any, memo: dict[int, tuple[Any, bytes]], names: tuple[str, ...]) -> bytes:
    """A record's digest, computed once per build for records shared by many pages."""
    found = memo.get(id(value))
    if found is not None and found[0] is value:
        return found[1]
    digest = hashlib.blake2b(digest_size=16)
    update = digest.update
    kind = type(value)
    update(f"{kind.__module__}.{kind.__qualname__}".encode())
    plain = _plain(tuple(getattr(value, name) for name in names))
    if plain is not None:
        # Only plain fields (a back-link, a paragraph link): one call, not kept.
        update(b"M")
        update(plain)
        return b"o" + digest.digest()
    leaf = True
    for name in names:
        update(name.encode())
        field = getattr(value, name)
        leaf = leaf and type(field) in _SCALARS
        _feed(update, field, memo)
    result = b"o" + digest.digest()
    if not leaf:
        # Only records holding others are kept (the value too, so its id is
        # not reused): a leaf (a back-link) is as fast to read again as to
        # look up, and there are as many of them as citations.
        memo[id(value)] = (value, result)
    return result


_SCALARS = frozenset({str, Markup, int, float, bool, type(None)})


def digest_of(value: Any, memo: dict[int, tuple[Any, bytes]] | None = None) -> bytes:
    """The digest of one value (see :func:`_feed`); raises :class:`CannotDigest`."""
    digest = hashlib.blake2b(digest_size=20)
    _feed(digest.update, value, {} if memo is None else memo)
    return digest.digest()


def _hash_tree(digest: Any, folder: str, skip: frozenset[str] = frozenset()) -> None:
    """Feed every file below ``folder`` (name and bytes) to ``digest``, in a fixed order."""
    _hash_files(digest, [path for path in files_below(folder) if path not in skip], folder)


def files_below(folder: str) -> list[str]:
    """Every file below ``folder`` but compiled Python, in a fixed order.

    Linked folders too, as Pelican reads them; each real folder once.
    """
    paths: list[str] = []
    seen: set[str] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        kept = (name for name in sorted(files) if not name.endswith((".pyc", ".pyo")))
        paths.extend(os.path.join(root, name) for name in kept)
    return paths


def _items(generators: Iterable[Any]) -> list[Any]:
    """Every brief and page any generator read, drafts and hidden ones included (not static files)."""
    seen: set[int] = set()
    found = []
    for generator in generators:
        for name, value in vars(generator).items():
            if name.startswith("_") or not isinstance(value, list):
                continue
            for item in value:
                if isinstance(item, Content) and not isinstance(item, Static) and id(item) not in seen:
                    seen.add(id(item))
                    found.append(item)
    return sorted(found, key=lambda item: (str(item.source_path), str(item.lang), str(item.save_as)))


@dataclasses.dataclass
class PageReuse:
    """One build's pages: what the previous build recorded and what this one writes."""

    output: Path  # the folder the previous build's site is in
    cache_path: Path
    base: bytes = b""  # the digest of the build and the site, shared by every page
    previous: dict[str, tuple[str, str]] = dataclasses.field(default_factory=dict)
    written: dict[str, tuple[str, str]] = dataclasses.field(default_factory=dict)
    memo: dict[int, tuple[Any, bytes]] = dataclasses.field(default_factory=dict)
    items: dict[tuple[str, int], tuple[Any, bytes]] = dataclasses.field(default_factory=dict)
    verify: bool = False
    generators: list[Any] = dataclasses.field(default_factory=list)
    # Inode, size, modification and change times of each previous page read as kept.
    kept: dict[str, tuple[int, int, int, int]] = dataclasses.field(default_factory=dict)
    # The stamps of the previous build's kept pages (see strictbuild.settle).
    stamps: dict[str, Stamp] = dataclasses.field(default_factory=dict)
    # What os.lstat said of each page this build wrote or linked, just after.
    placed: dict[str, Stamp] = dataclasses.field(default_factory=dict)
    # Names this build's record and the stamps of the pages it links.
    token: str = dataclasses.field(default_factory=lambda: os.urandom(16).hex())
    # Content files shown only through records and values (see shown_through_records).
    per_page: set[str] = dataclasses.field(default_factory=set)
    # The build's writer, once Pelican has made it (for a forked child's hand-back).
    writer: Any = None

    def page_digest(
        self, name: str, template: Any, item: Any, values: Mapping[str, Any], *, relative_urls: bool
    ) -> str | None:
        """The digest of page ``name`` showing ``item`` (a list: several) with ``template``.

        None when some value has no digest rule: the page is then rendered.
        """
        if not self.base:
            return None
        digest = hashlib.blake2b(self.base, digest_size=20)
        try:
            _feed(digest.update, [name, str(getattr(template, "name", template)), relative_urls], self.memo)
            _feed(digest.update, dict(values), self.memo)
            for version in item if isinstance(item, list) else [item]:
                digest.update(self.item_digest(version))
        except CannotDigest:
            return None
        return digest.hexdigest()

    def values_digest(
        self, name: str, template: Any, values: Mapping[str, Any], *, relative_urls: bool
    ) -> str | None:
        """The digest of page ``name`` whose template reads only ``values`` and the context.

        For a generator's own pages (the sources page, a chart's page): every
        item such a page shows is in ``values``, as records or by reference.
        """
        return self.page_digest(name, template, [], values, relative_urls=relative_urls)

    def item_digest(self, item: Any) -> bytes:
        """What ``item`` shows of itself on its pages: computed once, read by each of its pages."""
        key = ("item", id(item))
        found = self.items.get(key)
        if found is not None and found[0] is item:
            return found[1]
        digest = hashlib.blake2b(digest_size=20)
        _feed(digest.update, item, self.memo)
        _feed(digest.update, item.__dict__.get("_content"), self.memo)
        digest.update(source_digest(str(item.source_path)))
        metadata = item.metadata
        if _FROM_SOURCE:
            metadata = {k: v for k, v in metadata.items() if k not in _FROM_SOURCE}
        _feed(digest.update, metadata, self.memo)
        records = item.__dict__.get(ATTRIBUTE)
        if isinstance(records, ItemData) and _DERIVED_RECORDS:
            records = {
                name: "made from the digested" if name in _DERIVED_RECORDS else record
                for name, record in records._records.items()
            }
        _feed(digest.update, records, self.memo)
        result = digest.digest()
        self.items[key] = (item, result)
        return result

    def kept_copy(self, name: str, digest: str | None) -> KeptFile | None:
        """The previous build's file of page ``name`` if its digest is ``digest``, else None.

        Taken without reading it when ``os.lstat`` gives its stamp (see the
        module's notes); else read, and kept only if its bytes hash to the
        recorded hash. Under ``verify`` every file is read, and a file with
        its stamp but other bytes stops the build.
        """
        if digest is None:
            return None
        found = self.previous.get(name)
        if found is None or found[0] != digest:
            return None
        path = self.output / name
        stamp = self.stamps.get(name)
        if stamp is not None and not self.verify:
            try:
                status = os.lstat(path)
            except OSError:
                return None
            now = (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
            if now == stamp and stat.S_ISREG(status.st_mode):
                self.kept[name] = now
                return KeptFile(path, found[1])
        try:
            with open(path, "rb") as handle:
                data = handle.read()
                status = os.fstat(handle.fileno())
        except OSError:
            return None
        now = (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
        if bytes_hash(data) != found[1]:
            if now == stamp:
                raise ContentProblems(
                    [
                        ContentError(
                            name,
                            1,
                            "internal error: the previous site's file has the inode, size, "
                            "modification and change times stamped for its bytes, but holds other bytes",
                        )
                    ]
                )
            return None  # changed since that build wrote it
        self.kept[name] = now
        return KeptFile(path, found[1], data)

    def record(
        self, name: str, digest: str | None, data: bytes, status: os.stat_result | None = None
    ) -> None:
        """Remember that this build wrote ``data`` as page ``name`` from inputs ``digest``.

        ``status``: what ``os.stat`` said of the file just after it was
        written, for :mod:`strictbuild.settle` to stamp it.
        """
        self.placed.pop(name, None)
        if digest is not None:
            self.written[name] = (digest, bytes_hash(data))
            if status is not None:
                self.placed[name] = (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)

    def record_kept(self, name: str, digest: str | None, kept: KeptFile) -> None:
        """:meth:`record` for ``kept``, which :meth:`kept_copy` returned for ``name`` and ``digest``.

        Its bytes hash is the recorded one it was checked against: not computed again.
        """
        found = self.previous.get(name)
        if digest is not None and name in self.kept and found is not None and found[0] == digest:
            self.written[name] = found
        else:
            self.record(name, digest, kept.data)


@dataclasses.dataclass
class KeptFile:
    """The previous build's file of a page, kept: its bytes are read only if asked for.

    A file taken by its stamp is not read; :attr:`data` reads it when needed
    (a copy where the file cannot be linked) and checks its bytes again.
    """

    path: Path
    hash: str
    read: bytes | None = None

    @property
    def data(self) -> bytes:
        """The file's bytes: those recorded for it, else the build stops."""
        if self.read is None:
            data = self.path.read_bytes()
            if bytes_hash(data) != self.hash:
                raise ContentProblems(
                    [
                        ContentError(
                            str(self.path),
                            1,
                            "the previous site's file changed while this build kept it; build again",
                        )
                    ]
                )
            self.read = data
        return self.read


def recorded_pages(cache_path: Path) -> dict[str, tuple[str, str]]:
    """The pages the build that wrote the site recorded: ``{name: (digest, bytes hash)}``."""
    return _load(cache_path / MANIFEST_FILE)[0]


def recorded_stamps(cache_path: Path) -> dict[str, Stamp]:
    """The stamps of the pages :func:`recorded_pages` lists (see :mod:`strictbuild.settle`), by name."""
    return recorded(cache_path)[1]


def recorded(cache_path: Path) -> tuple[dict[str, tuple[str, str]], dict[str, Stamp]]:
    """:func:`recorded_pages` and :func:`recorded_stamps`, the record read once."""
    pages, token = _load(cache_path / MANIFEST_FILE)
    return pages, _load_stamps(cache_path / STAMPS_FILE, token)


def bytes_hash(data: bytes) -> str:
    """The hash of a page's bytes as :func:`recorded_pages` holds it.

    SHA-256, which OpenSSL computes with the processor's SHA instructions at
    about twice BLAKE2b's speed here (1.5 against 0.7 GB/s on an 80 KB page):
    every page written is hashed, and every page kept is hashed again.
    """
    return hashlib.sha256(data).hexdigest()


def _load(path: Path) -> tuple[dict[str, tuple[str, str]], str]:
    """The record in ``path``: each page's digest and bytes hash, and the record's token."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}, ""
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        return {}, ""
    pages = data.get("pages")
    if not isinstance(pages, dict):
        return {}, ""
    found = {
        str(name): (str(entry[0]), str(entry[1]))
        for name, entry in pages.items()
        if isinstance(entry, list) and len(entry) == 2
    }
    return found, str(data.get("token", ""))


def _load_stamps(path: Path, token: str) -> dict[str, Stamp]:
    """The stamps in ``path`` if they are those of the record with ``token``, else none."""
    if not token:
        return {}
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != SETTLE_FORMAT or data.get("token") != token:
        return {}
    stamps = data.get("stamps")
    if not isinstance(stamps, dict):
        return {}
    return {
        str(name): (value[0], value[1], value[2], value[3])
        for name, value in stamps.items()
        if isinstance(value, list) and len(value) == 4 and all(type(number) is int for number in value)
    }


def enable(output: Path) -> None:
    """Let this build keep pages of the site in ``output`` (called by the build driver)."""
    build_state().slot(PageReuse, lambda: PageReuse(output=output, cache_path=Path()))


def write_page(
    writer: Any,
    name: str,
    template: Any,
    context: Any,
    *,
    relative_urls: bool,
    digest_as: Mapping[str, Any] | None = None,
    made_if_rendered: Callable[[], Mapping[str, Any]] | None = None,
    **values: Any,
) -> None:
    """Write a generator's own page, copied from the previous build when ``values`` are unchanged.

    ``values`` must hold everything the template shows besides the template
    context. ``digest_as``, when given, is digested in their place: values
    that everything ``values`` is made from (besides what every page's digest
    reads), in a form faster to digest than what they make (the sources
    page: each language's citing places, rather than the thousands of records
    listing them by source). ``made_if_rendered`` (only with ``digest_as``)
    makes more values, only when the page is rendered rather than copied: what
    ``digest_as`` stands for and a copied page does not need. Without page
    reuse (another writer, no content cache) the page is written by
    ``writer.write_file`` as usual.
    """
    if made_if_rendered is not None and digest_as is None:
        raise ValueError("made_if_rendered needs digest_as: what stands for those values in the digest")
    reuse = reuse_for()
    if reuse is None or not isinstance(writer, ReusingWriter):
        made = made_if_rendered() if made_if_rendered is not None else {}
        writer.write_file(name, template, context, relative_urls=relative_urls, **{**values, **made})
        return
    shown = values if digest_as is None else digest_as
    digest = reuse.values_digest(name, template, shown, relative_urls=relative_urls)
    if made_if_rendered is not None:
        kept = writer.kept_copies({name: digest})
        if kept is not None:
            writer.write_copy(name, digest, kept[name], context, relative_urls, **values)
            return
        values = {**values, **made_if_rendered()}
    writer.write_page(name, digest, template, context, relative_urls, **values)


def write_text(writer: Any, name: str, item: Any, make: Callable[[], str]) -> None:
    """Write file ``name``, a text made from ``item`` as its pages are (a download beside a brief's page).

    ``make()`` gives the text, from nothing but what ``item``'s pages' digest
    reads: when that digest is unchanged, the previous build's file is kept
    and ``make`` is not called. Not a page: no ``content_written``. Without
    page reuse the text is made and written.
    """
    reuse = reuse_for()
    if reuse is None or not isinstance(writer, ReusingWriter):
        path = sanitised_join(writer.output_path, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(make())
        return
    digest = reuse.page_digest(name, "made beside its page", item, {}, relative_urls=False)
    writer.write_text(name, digest, make)


def copy_file(writer: Any, name: str, source: str) -> None:
    """Put a copy of file ``source``, a cache entry written once and never changed, at ``name``.

    For files a generator takes from its own cache (a chart's drawings and
    data): the source's path, inode, size and times stand for its bytes, so while they
    are those the previous build copied, the previous build's file is kept
    (linked) and ``source`` is not read. Without page reuse it is copied.
    """
    reuse = reuse_for()
    if reuse is None or not isinstance(writer, ReusingWriter):
        path = sanitised_join(writer.output_path, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        shutil.copyfile(source, path)
        return
    status = os.stat(source)
    digest = hashlib.blake2b(b"a copy of\0", digest_size=20)
    digest.update(os.fsencode(os.path.abspath(source)))
    stamp = (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
    digest.update(b"\0%d\0%d\0%d\0%d" % stamp)
    writer.copy_file(name, digest.hexdigest(), source)


def verifying() -> bool:
    """True when ``STRICTBUILD_VERIFY_REUSE`` asks to build what could be kept, and compare."""
    return os.environ.get(VERIFY_ENV, "") not in ("", "0")


def reuse_for() -> PageReuse | None:
    """This build's page reuse, when the build may keep pages at all."""
    state = current_state()
    found = state.peek(PageReuse) if state is not None else None
    if found is None or not found.base:
        return None
    return found


def keep_generators(generators: list[Any]) -> None:
    """Hold the generators: the digest reads their content lists and template context.

    Connected to ``all_generators_finalized``.
    """
    state = current_state()
    found = state.peek(PageReuse) if state is not None else None
    if found is not None:
        found.generators = list(generators)


def prepare(pelican: Any) -> type[Writer] | None:
    """Compute the build's and the site's digest and read the previous build's record.

    Connected to ``get_writer``: every plugin has finished its records by then.
    Reuse needs the content cache (its lock keeps two builds of one site
    apart, and its folder holds the record).
    """
    state = current_state()
    found = state.peek(PageReuse) if state is not None else None
    settings = pelican.settings
    if found is None or not settings.get("CACHE_CONTENT"):
        return None
    found.cache_path = Path(str(settings.get("CACHE_PATH", "cache")))
    found.verify = verifying()
    generators = found.generators
    context = generators[0].context if generators else {}
    digest = hashlib.blake2b(digest_size=20)
    digest.update(b"strictbuild page reuse %d\0" % _FORMAT)
    digest.update(code_digest(settings))
    items = _items(generators)
    sources = frozenset(os.path.abspath(str(item.source_path)) for item in items) | found.per_page
    _hash_tree(digest, os.path.abspath(str(settings.get("PATH", "content"))), sources)
    try:
        for key, value in sorted(context.items()):
            if key in _CONTENT_LISTS or key in _VOLATILE:
                continue
            _feed(digest.update, key, found.memo)
            _feed(digest.update, value, found.memo)
        for item in items:
            shown = {k: v for k, v in item.metadata.items() if k not in _BODY_METADATA}
            translations = [getattr(t, "url", None) for t in getattr(item, "translations", [])]
            _feed(digest.update, [item, shown, translations], found.memo)
    except CannotDigest:
        return ReusingWriter  # something site-wide has no digest rule: every page is rendered
    found.previous, token = _load(found.cache_path / MANIFEST_FILE)
    found.stamps = _load_stamps(found.cache_path / STAMPS_FILE, token)
    found.base = digest.digest()
    return ReusingWriter


@dataclasses.dataclass
class _Folders:
    digests: dict[tuple[str, ...], bytes] = dataclasses.field(default_factory=dict)


def code_digest(settings: Mapping[str, Any]) -> bytes:
    """The digest of what shapes every output but the content.

    The settings as they are now, Python and the installed packages, the
    plugins' code and the content files every parse depends on (the content
    cache's fingerprint, :func:`strictbuild.cache.fingerprint`), and every
    file of the theme, of the plugin folders and of the folders a plugin
    declared (:func:`folders_in_setting`: templates, catalogs, scripts),
    which are read once per build.
    """
    digest = hashlib.blake2b(digest_size=20)
    code = build_state().slot(CacheFingerprint).value or fingerprint(settings)
    digest.update(code.encode())
    try:
        _feed(digest.update, {k: v for k, v in settings.items() if k not in _VOLATILE}, {})
    except CannotDigest:
        digest.update(json.dumps(_stable_settings(settings), sort_keys=True).encode())
    plugins = [str(folder) for folder in settings.get("PLUGIN_PATHS") or []]
    folders = (str(settings.get("THEME", "")), *plugins, *_input_folders(settings))
    kept = build_state().slot(_Folders).digests
    if folders not in kept:
        files = hashlib.blake2b(digest_size=20)
        for folder in folders:
            _hash_tree(files, folder)
        kept[folders] = files.digest()
    digest.update(kept[folders])
    return digest.digest()


def folders_unchanged() -> bool:
    """Whether every folder :func:`code_digest` read still has the files and bytes it read."""
    for folders, value in build_state().slot(_Folders).digests.items():
        files = hashlib.blake2b(digest_size=20)
        for folder in folders:
            _hash_tree(files, folder)
        if files.digest() != value:
            return False
    return True


def _stable_settings(settings: Mapping[str, Any]) -> Any:
    return _stable({k: v for k, v in settings.items() if k not in _VOLATILE})


def save_manifest() -> None:
    """Record the pages this build wrote, once its site replaced the previous one."""
    state = current_state()
    found = state.peek(PageReuse) if state is not None else None
    if found is None or not found.base or not found.cache_path.parts:
        return
    path = found.cache_path / MANIFEST_FILE
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "w", encoding="utf-8") as handle:
            # json.dumps, not json.dump: only the one-shot call uses the C encoder (same text).
            record = {"format": _FORMAT, "token": found.token, "pages": found.written}
            handle.write(json.dumps(record, separators=(",", ":")))
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)


def settle_job() -> Path | None:
    """Write what :mod:`strictbuild.settle` needs to stamp the pages this build placed; None if none.

    Called before the new site replaces the old one: the file names the
    output folder, each page written or linked with what ``os.lstat`` said
    of it just after, the stamps file and the token of the record
    :func:`save_manifest` is about to save.
    """
    state = current_state()
    found = state.peek(PageReuse) if state is not None else None
    if found is None or not found.base or not found.cache_path.parts or not found.placed:
        return None
    cache = Path(os.path.abspath(found.cache_path))
    path = cache / f".settle-{found.token}.json"
    remove_stale(cache, ".settle-*.json")  # by a removal that never ran (the build was killed)
    job = {
        "output": str(found.output),
        "token": found.token,
        "stamps": str(cache / STAMPS_FILE),
        "placed": found.placed,
    }
    try:
        cache.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(job, separators=(",", ":")), encoding="utf-8")
    except OSError:
        path.unlink(missing_ok=True)
        return None
    return path


class ReusingWriter(Writer):
    """Pelican's writer, keeping a brief's or page's page when its digest is unchanged."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._linked: set[str] = set()  # pages linked to the previous site's files
        # The folders this writer has made or found (see _make_folder).
        self._folders: set[str] = set()
        state = current_state()
        found = state.peek(PageReuse) if state is not None else None
        if found is not None:
            found.writer = self
            # Pelican makes its writer just before the generators write.
            forked.writing_started.send(self)

    def write_file(
        self,
        name: Any,
        template: Any,
        context: Any,
        relative_urls: bool = False,
        paginated: Any = None,
        template_name: Any = None,
        override_output: bool = False,
        url: Any = None,
        **kwargs: Any,
    ) -> Any:
        reuse = reuse_for()
        item = kwargs.get("article") or kwargs.get("page")
        if reuse is None or not name or paginated or not isinstance(item, Content):
            return super().write_file(
                name,
                template,
                context,
                relative_urls,
                paginated,
                template_name,
                override_output,
                url,
                **kwargs,
            )
        values = {"override_output": override_output, "url": url, **kwargs}
        digest = reuse.page_digest(name, template, item, values, relative_urls=relative_urls)
        return self.write_page(name, digest, template, context, relative_urls, override_output, url, **kwargs)

    def write_page(
        self,
        name: str,
        digest: str | None,
        template: Any,
        context: Any,
        relative_urls: bool = False,
        override_output: bool = False,
        url: Any = None,
        **kwargs: Any,
    ) -> None:
        """Write page ``name``: the previous build's copy when ``digest`` matches, else rendered."""
        reuse = reuse_for()
        kept = reuse.kept_copy(name, digest) if reuse is not None else None
        path = sanitised_join(self.output_path, name)
        if kept is None or reuse is None or reuse.verify:
            # {}: no pagination (None would let Pelican look for some)
            super().write_file(
                name, template, context, relative_urls, {}, None, override_output, url, **kwargs
            )
            if reuse is not None:
                with open(path, "rb") as handle:
                    data = handle.read()
                    status = os.fstat(handle.fileno())
                why = ("page", "rendering it", "something the template reads")
                self._record_made(reuse, name, digest, data, kept, why, status)
            return
        self.write_copy(name, digest, kept, context, relative_urls, override_output, **kwargs)

    def _make_folder(self, path: str) -> None:
        """Make the folder of ``path`` unless this writer made it before (``os.makedirs`` asks the disk).

        Once per writer: a forked child adds to its own copy of the set. A
        rebuild at N = 2000 keeps ten thousand pages in four thousand folders.
        """
        folder = os.path.dirname(path)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)

    def write_text(self, name: str, digest: str | None, make: Callable[[], str]) -> None:
        """Write file ``name``: the previous build's copy when ``digest`` matches, else ``make()``'s text.

        See :func:`write_text`. Under ``verify`` the text is made anyway and
        compared with the copy that would have been kept.
        """
        reuse = reuse_for()
        path = sanitised_join(self.output_path, name)
        self._make_folder(path)
        kept = reuse.kept_copy(name, digest) if reuse is not None else None
        if kept is not None and reuse is not None and not reuse.verify:
            if not self._link(reuse, name, path, False):
                with self._open_w(path, "utf-8") as handle:
                    handle.write(kept.data.decode("utf-8"))
            reuse.record_kept(name, digest, kept)
            return
        text = make()
        with self._open_w(path, "utf-8") as handle:
            handle.write(text)
        if reuse is None:
            return
        why = ("file", "making it", "something its text is made from")
        self._record_made(reuse, name, digest, text.encode("utf-8"), kept, why, os.stat(path))

    def copy_file(self, name: str, digest: str, source: str) -> None:
        """Write file ``name``: the previous build's copy when ``digest`` matches, else a copy of ``source``.

        See :func:`copy_file`. Under ``verify`` the source is copied anyway
        and compared with the file that would have been kept.
        """
        reuse = reuse_for()
        path = sanitised_join(self.output_path, name)
        self._make_folder(path)
        kept = reuse.kept_copy(name, digest) if reuse is not None else None
        if kept is not None and reuse is not None and not reuse.verify:
            if self._link(reuse, name, path, False):
                reuse.record_kept(name, digest, kept)
                return
            kept = None  # not linked: copied from the source, which is at hand
        with open(source, "rb") as handle:
            data = handle.read()
        self._write_bytes(path, data)
        if reuse is not None:
            why = ("file", "copying it", "its source file")
            self._record_made(reuse, name, digest, data, kept, why, os.stat(path))

    def _write_bytes(self, path: str, data: bytes) -> None:
        """Write ``data`` to ``path`` as :meth:`_open_w` writes a first page there."""
        if path in self._written_files or path in self._overridden_files:
            raise FileOverwriteFailedError(f'Failed to overwrite "{path}": this build has already written it')
        self._forget_placed(path)
        if path in self._linked:
            self._unlink(path)
        with open(path, "wb") as handle:
            handle.write(data)
        self._written_files.add(path)

    def _record_made(
        self,
        reuse: PageReuse,
        name: str,
        digest: str | None,
        data: bytes,
        kept: KeptFile | None,
        why: tuple[str, str, str],
        status: os.stat_result,
    ) -> None:
        """Record ``data`` as made for ``name``; a problem if the digest chose ``kept``, other bytes.

        ``why`` names the kind of output, how it was made and what its digest
        covers, for the report.
        """
        reuse.record(name, digest, data, status)
        if kept is not None and kept.data != data:
            kind, how, what = why
            problem_log(self.settings).add(
                ContentError(
                    name,
                    1,
                    f"internal error: this {kind} was kept from the previous build, but {how} "
                    f"again gives different bytes: its digest misses {what}",
                )
            )

    def _link(self, reuse: PageReuse, name: str, path: str, override: bool) -> bool:
        """Give the new site the previous site's file of page ``name`` by a hard link; False if not done.

        Creating a link costs a fraction of writing the file again, and the
        two sites are on one disk (the new one replaces the old by renaming).
        The file linked must be the one :meth:`PageReuse.kept_copy` read (or took by its stamp):
        the same inode, size, modification and change times just before
        linking, and the same inode after; else the page is written. Nothing
        writes into a linked page afterwards: a second write of the same
        page goes through :meth:`_open_w`, which replaces the link. Booked
        as :meth:`_open_w` books a first write.
        """
        read = reuse.kept.get(name)
        if read is None or path in self._written_files or path in self._overridden_files:
            return False
        source = reuse.output / name
        try:
            before = os.lstat(source)
            if (before.st_ino, before.st_size, before.st_mtime_ns, before.st_ctime_ns) != read:
                return False  # changed since it was read
            os.link(source, path)
        except OSError:
            return False
        try:
            after = os.lstat(path)
        except OSError:
            return False
        if after.st_ino != read[0]:
            os.unlink(path)  # replaced since it was checked
            return False
        reuse.placed[name] = (after.st_ino, after.st_size, after.st_mtime_ns, after.st_ctime_ns)
        if override:
            self._overridden_files.add(path)
        self._written_files.add(path)
        self._linked.add(path)
        return True

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> Any:
        """Pelican's, but never writing into a page linked to the previous site's file."""
        # Only when Pelican will open it (not when it skips the write or refuses it).
        opens = filename not in self._overridden_files and (override or filename not in self._written_files)
        if opens:
            self._forget_placed(filename)
        if opens and filename in self._linked:
            self._unlink(filename)
        return super()._open_w(filename, encoding, override)

    def _forget_placed(self, path: str) -> None:
        """Drop what this build saw of ``path`` after placing it: it is about to be written again.

        A page this build records is recorded after that write; one written
        without a record (Pelican's own pages, feeds) must not keep an
        earlier write's stamp.
        """
        reuse = reuse_for()
        if reuse is not None and reuse.placed:
            reuse.placed.pop(os.path.relpath(path, self.output_path).replace(os.sep, "/"), None)

    def _unlink(self, path: str) -> None:
        """Remove a link to the previous site's file, before writing the page afresh.

        Its callers have already forgotten what was seen of it (:meth:`_forget_placed`).
        """
        os.unlink(path)
        self._linked.discard(path)

    def kept_copies(self, pages: Mapping[str, str | None]) -> dict[str, KeptFile] | None:
        """The previous build's bytes of every page of ``{name: digest}``, or None if any cannot be copied.

        For a generator that skips work when all of a group's pages are
        unchanged: it then writes them with :meth:`write_copy`, never by
        rendering, since it did not compute what rendering needs.
        """
        reuse = reuse_for()
        if reuse is None or reuse.verify:
            return None
        found = {}
        for name, digest in pages.items():
            kept = reuse.kept_copy(name, digest)
            if kept is None:
                return None
            found[name] = kept
        return found

    def write_copy(
        self,
        name: str,
        digest: str | None,
        kept: KeptFile,
        context: Any,
        relative_urls: bool = False,
        override_output: bool = False,
        **kwargs: Any,
    ) -> None:
        """Write ``kept``, the previous build's bytes of page ``name``, as Pelican would write a page.

        Linked to the previous site's file where it can be (see :meth:`_link`).
        """
        reuse = reuse_for()
        path = sanitised_join(self.output_path, name)
        self._make_folder(path)
        if reuse is None or not self._link(reuse, name, path, override_output):
            with self._open_w(path, "utf-8", override=override_output) as handle:
                handle.write(kept.data.decode("utf-8"))
        if reuse is not None:
            reuse.record_kept(name, digest, kept)
        # What Pelican's writer hands to ``content_written`` (its _get_localcontext).
        localcontext = context.copy()
        localcontext["localsiteurl"] = localcontext.get("localsiteurl", None)
        if relative_urls:
            relative_url = path_to_url(get_relative_path(name))
            localcontext["SITEURL"] = relative_url
            localcontext["localsiteurl"] = relative_url
            context["localsiteurl"] = relative_url
        localcontext["output_file"] = name
        localcontext.update(kwargs)
        signals.content_written.send(path, context=localcontext)
        progress.count("pages copied unchanged")


def _reuse_and_writer() -> tuple[PageReuse, ReusingWriter] | None:
    state = current_state()
    found = state.peek(PageReuse) if state is not None else None
    if found is None or found.writer is None:
        return None
    return found, found.writer


def _writing_mark() -> tuple[Any, ...] | None:
    """What the build's writer and page records hold when a forked child starts."""
    both = _reuse_and_writer()
    if both is None:
        return None
    found, writer = both
    return (
        frozenset(writer._written_files),
        frozenset(writer._overridden_files),
        frozenset(writer._linked),
        dict(found.written),
        dict(found.placed),
        dict(found.kept),
    )


_ABSENT = object()


def _changed(before: Mapping[str, Any], now: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The entries of ``now`` added or changed since ``before``, and the names removed."""
    return {k: v for k, v in now.items() if before.get(k, _ABSENT) != v}, [k for k in before if k not in now]


def _writing_since(mark: tuple[Any, ...] | None) -> tuple[Any, ...] | None:
    """What a forked child's pages changed in the writer and the page records since ``mark``."""
    both = _reuse_and_writer()
    if mark is None or both is None:
        return None
    found, writer = both
    files, overridden, linked, written, placed, kept = mark
    return (
        writer._written_files - files,
        writer._overridden_files - overridden,
        writer._linked - linked,
        _changed(written, found.written),
        _changed(placed, found.placed),
        _changed(kept, found.kept),
    )


def _writing_take(change: tuple[Any, ...] | None) -> None:
    """Apply a forked child's change to the build's writer and page records.

    A page both processes wrote is refused as Pelican refuses a second write.
    """
    both = _reuse_and_writer()
    if change is None or both is None:
        return
    found, writer = both
    files, overridden, linked, written, placed, kept = change
    twice = sorted(files & writer._written_files)
    if twice:
        raise FileOverwriteFailedError(f'Failed to overwrite "{twice[0]}": this build has already written it')
    writer._written_files |= files
    writer._overridden_files |= overridden
    writer._linked |= linked
    for records, (added, removed) in ((found.written, written), (found.placed, placed), (found.kept, kept)):
        records.update(added)
        for name in removed:
            records.pop(name, None)


forked.carry(forked.Carried("strictbuild.reuse", _writing_mark, _writing_since, _writing_take))
