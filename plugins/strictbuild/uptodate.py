"""Leave the site as it is when nothing it is built from changed since the build that wrote it.

The build is deterministic: the same inputs give the same site, byte for
byte. So, as ``make`` does for a target newer than its prerequisites, a
build whose inputs all equal those of the build that wrote ``output/``,
and whose ``output/`` is still exactly what that build left, has nothing to
do: every page, chart, image, data file and search index the inputs give is
already there, and every check already passed on those very inputs.

What counts as an input (:func:`inputs_digest`):

- the content cache's fingerprint (:func:`strictbuild.cache.fingerprint`):
  the settings (the site's address included), Python, every installed
  package and its version, the plugins' code;
- the settings file's own bytes (a function in it is in the fingerprint
  by name only);
- every file, by name and bytes, below the content folder (``PATH``: briefs,
  pages, charts and their data, the sources registry, the glossary), the
  theme, the plugin folders, the folders a plugin names in its settings
  (:func:`strictbuild.reuse.folders_in_setting`: catalogs, template
  overrides) and any ``STATIC_PATHS`` or ``THEME_STATIC_PATHS`` outside
  them, linked folders followed as Pelican follows them;
- the environment variables that change what Python prints (locale, time
  zone), and what the plugins declare with :func:`depends_on` (the chart
  fonts fontconfig picks, Pagefind's variables);
- the output folder's own path.

What counts as the output still being the one the build left: every file
and folder below ``output/`` has the size, modification and change times
and inode recorded just after that build replaced the previous site (what
``os.lstat`` says, as git's index does). Writing to a file, adding or
removing one, or restoring the folder from elsewhere changes some of them;
the build then runs in full and replaces the folder. A page whose change
time alone moved (it is linked to the previous site's file, and removing
that site, or the links of a build that failed, moves it) is read and
compared with the hash recorded for it in ``pages-written.json`` (unless
it has its stamp: see :mod:`strictbuild.settle`); the record then takes the
new change times.

The record (``build-inputs.json`` in ``CACHE_PATH``) is written only after a
successful build replaced the site, so a failed or interrupted build leaves
the record of the site it left in place; and only if no input file was
written while the build ran (every file's size, modification time and inode
as before the digest was made; a file written back to the same bytes counts,
since the build may have read what was in between). A build without the
content cache's lock (another build of the same content is running) leaves
the record alone. With ``STRICTBUILD_VERIFY_REUSE=1``
(the test suite sets it) a build found unchanged still runs in full, and the
site it builds is compared with ``output/`` file by file: any difference
stops the build, since an input is missing from the list above.
"""

from __future__ import annotations

import dataclasses
import filecmp
import hashlib
import json
import os
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .cache import CacheFingerprint
from .state import build_state, current_state

__all__ = ["RECORD_FILE", "depends_on", "differences", "record", "unchanged"]

#: The file, in ``CACHE_PATH``, recording the inputs and the output of the last successful build.
RECORD_FILE = "build-inputs.json"
_FORMAT = 1

#: Environment variables that change what Python or Pelican prints.
_ENVIRONMENT = ("LANG", "LANGUAGE", "LC_ALL", "LC_COLLATE", "LC_CTYPE", "LC_NUMERIC", "LC_TIME", "TZ")


def depends_on(name: str, probe: Callable[[Mapping[str, Any]], str]) -> None:
    """Declare, for the running build, an input the site depends on besides its files and settings.

    Called from a plugin's ``register()``. ``probe(settings)`` returns a text
    that differs whenever that input does (the font family a language's chart
    text is drawn in, the environment variables a tool reads). An exception
    from it makes the build run in full.
    """
    build_state().slot(_Inputs).probes[name] = probe


@dataclasses.dataclass
class _Inputs:
    """This build's declared inputs, and its inputs digest once computed."""

    digest: str = ""
    #: the content cache's fingerprint the digest was made with
    code: str = ""
    #: the settings file the build was started with
    settings_file: str = ""
    #: every input file's size, times and inode before the digest was made
    stats: dict[str, tuple[int, int, int]] = dataclasses.field(default_factory=dict)
    probes: dict[str, Callable[[Mapping[str, Any]], str]] = dataclasses.field(default_factory=dict)


def _input_paths(settings: Mapping[str, Any]) -> list[str]:
    """The folders (and files) the site is built from, each named once."""
    from .reuse import _input_folders

    content = str(settings.get("PATH", "content"))
    theme = str(settings.get("THEME", ""))
    found = [
        content,
        theme,
        *(str(folder) for folder in settings.get("PLUGIN_PATHS") or []),
        *_input_folders(settings),
    ]
    # Static files named by a path outside the content folder or the theme.
    for base, key in ((content, "STATIC_PATHS"), (theme, "THEME_STATIC_PATHS")):
        found.extend(os.path.join(base, str(path)) for path in settings.get(key) or [])
    roots: list[str] = []
    kept: list[str] = []
    for path in found:
        real = os.path.realpath(path)
        if not any(real == root or real.startswith(root + os.sep) for root in roots):
            roots.append(real)
            kept.append(path)
    return kept


def _input_stats(settings: Mapping[str, Any], settings_file: str) -> dict[str, tuple[int, int, int]]:
    """Size, modification time and inode of every input file: any write since changes one of them."""
    from .reuse import files_below

    found: dict[str, tuple[int, int, int]] = {}
    for path in [*_input_paths(settings), *([settings_file] if settings_file else [])]:
        for full in files_below(path) if os.path.isdir(path) else [path]:
            try:
                status = os.stat(full)
            except OSError:
                continue
            found[full] = (status.st_size, status.st_mtime_ns, status.st_ino)
    return found


def inputs_digest(settings: Mapping[str, Any], output: Path, code: str = "", settings_file: str = "") -> str:
    """The digest of everything the site in ``output`` is built from (see the module's text).

    ``code`` is the content cache's fingerprint (this build's, by default).
    """
    from .reuse import _hash_tree

    code = code or build_state().slot(CacheFingerprint).value
    if not code:
        return ""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(b"strictbuild inputs %d\0%s\0" % (_FORMAT, code.encode()))
    digest.update(str(output).encode("utf-8", "surrogateescape") + b"\0")
    if settings_file:
        # Its values are in the fingerprint, but a function's only by name.
        digest.update(b"settings\0" + Path(settings_file).read_bytes())
    for path in _input_paths(settings):
        digest.update(b"path\0" + os.path.abspath(path).encode("utf-8", "surrogateescape") + b"\0")
        if os.path.isdir(path):
            _hash_tree(digest, path)
        elif os.path.isfile(path):
            digest.update(Path(path).read_bytes())
    environment = {name: os.environ.get(name) for name in _ENVIRONMENT}
    digest.update(json.dumps(environment, sort_keys=True).encode("utf-8"))
    probes = build_state().slot(_Inputs).probes
    for name in sorted(probes):
        digest.update(b"\0" + name.encode() + b"\0" + probes[name](settings).encode("utf-8"))
    return digest.hexdigest()


def _state(path: Path) -> dict[str, list[int]]:
    """Every file and folder below ``path``: what ``os.lstat`` says of each, by relative name."""
    found: dict[str, list[int]] = {}
    todo = [""]
    while todo:
        relative = todo.pop()
        with os.scandir(path / relative if relative else path) as entries:
            for entry in entries:
                name = f"{relative}/{entry.name}" if relative else entry.name
                status = entry.stat(follow_symlinks=False)
                found[name] = [
                    status.st_mode,
                    status.st_size,
                    status.st_mtime_ns,
                    status.st_ctime_ns,
                    status.st_ino,
                ]
                if entry.is_dir(follow_symlinks=False):
                    todo.append(name)
    return found


def _same_state(
    now: dict[str, list[int]], recorded: Any, same_bytes: Callable[[str], bool] | None = None
) -> bool:
    """True when ``now`` is the state ``recorded``.

    A file that differs in its change time alone is the same if
    ``same_bytes(name)`` says its bytes are those the build recorded: a page
    linked to the previous site's file has its change time moved when that
    site is removed in the background, or when a later build that linked it
    failed and removed its link.
    """
    if not isinstance(recorded, dict) or now.keys() != recorded.keys():
        return False
    for name, status in now.items():
        then = recorded[name]
        if not isinstance(then, list) or len(then) != len(status):
            return False
        if status == then:
            continue
        others_equal = status[:3] == then[:3] and status[4:] == then[4:]
        if not (others_equal and stat.S_ISREG(status[0]) and same_bytes is not None and same_bytes(name)):
            return False
    return True


class _PageBytes:
    """Whether a file of ``output`` has the bytes recorded for that page by the build that wrote it.

    A page with its stamp (:mod:`strictbuild.settle`: what ``os.lstat`` said
    of it once the previous site's name of it was removed) is not read.
    """

    def __init__(self, settings: Mapping[str, Any], output: Path) -> None:
        from .reuse import bytes_hash, recorded

        cache = Path(str(settings.get("CACHE_PATH", "cache")))
        self.hash = bytes_hash
        self.load = lambda: recorded(cache)
        self.output = output
        self.pages: dict[str, tuple[str, str]] | None = None  # read at the first page asked about
        self.stamps: dict[str, tuple[int, int, int, int]] = {}
        self.checked = 0

    def __call__(self, name: str) -> bool:
        if self.pages is None:
            self.pages, self.stamps = self.load()
        found = self.pages.get(name)
        if found is None:
            return False
        path = self.output / name
        try:
            stamp = self.stamps.get(name)
            status = os.lstat(path)
            now = (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
            same = (now == stamp and stat.S_ISREG(status.st_mode)) or self.hash(path.read_bytes()) == found[1]
        except OSError:
            return False
        self.checked += same
        return same


def _record_path(settings: Mapping[str, Any]) -> Path:
    return Path(str(settings.get("CACHE_PATH", "cache"))) / RECORD_FILE


def unchanged(settings: Mapping[str, Any], output: Path, settings_file: str = "") -> bool:
    """True when ``output`` holds the site a successful build made from this build's very inputs.

    Called once Pelican has loaded the plugins and checked the content cache,
    before it reads anything. Computes this build's inputs digest, kept for
    :func:`record`. False whenever the content cache is off (its lock keeps
    two builds of one site apart, its folder holds the record) or not valid.
    """
    if not settings.get("CACHE_CONTENT"):
        return False
    inputs = build_state().slot(_Inputs)
    inputs.code = build_state().slot(CacheFingerprint).value
    inputs.settings_file = settings_file
    try:
        inputs.stats = _input_stats(settings, settings_file)
        digest = inputs_digest(settings, output, inputs.code, settings_file)
    except Exception:  # an input that cannot be read: build in full, which reports it
        return False
    inputs.digest = digest
    if not digest or not settings.get("LOAD_CONTENT_CACHE"):
        return False  # the content cache is to be made again: so is the site
    try:
        with open(_record_path(settings), encoding="utf-8") as handle:
            stored = json.load(handle)
    except (OSError, ValueError):
        return False
    if not isinstance(stored, dict) or stored.get("format") != _FORMAT or stored.get("inputs") != digest:
        return False
    if stored.get("output") != str(output):
        return False
    try:
        files = stored.get("files")
        now = _state(output)
        same_bytes = _PageBytes(settings, output)
        if not files or not _same_state(now, files, same_bytes):
            return False
    except OSError:
        return False
    if same_bytes.checked:
        # Held to the new change times from now on: the next build need not read the pages again.
        _write_record(settings, digest, output, now)
    return True


def record(settings: Mapping[str, Any], output: Path) -> None:
    """Record this build's inputs and ``output`` as it now is; called once the new site replaced the old."""
    if not settings.get("CACHE_CONTENT"):
        return  # without the cache's lock: its folder is another build's
    state = current_state()
    found = state.peek(_Inputs) if state is not None else None
    path = _record_path(settings)
    # A file written while the build ran (even back to the same bytes: the
    # build may have read it in between) leaves no record, so the next build runs.
    if found is None or not found.digest or _input_stats(settings, found.settings_file) != found.stats:
        path.unlink(missing_ok=True)
        return
    try:
        files = _state(output)
    except OSError:
        path.unlink(missing_ok=True)
        return
    _write_record(settings, found.digest, output, files)


def _write_record(
    settings: Mapping[str, Any], digest: str, output: Path, files: dict[str, list[int]]
) -> None:
    path = _record_path(settings)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        data = {"format": _FORMAT, "inputs": digest, "output": str(output), "files": files}
        with open(temporary, "w", encoding="utf-8") as handle:
            # json.dumps, not json.dump: only the one-shot call uses the C encoder (same text).
            handle.write(json.dumps(data, separators=(",", ":")))
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)


def differences(built: Path, kept: Path) -> list[str]:
    """The files that differ between two sites (missing on one side included), by relative name."""
    names: list[str] = []

    def compare(left: Path, right: Path, prefix: str) -> None:
        report = filecmp.dircmp(left, right, ignore=[])
        names.extend(prefix + name for name in report.left_only + report.right_only + report.funny_files)
        for name in report.common_files:
            if not filecmp.cmp(left / name, right / name, shallow=False):
                names.append(prefix + name)
        for name in report.common_dirs:
            compare(left / name, right / name, f"{prefix}{name}/")

    compare(built, kept, "")
    return sorted(names)
