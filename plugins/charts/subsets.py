"""Chart fonts cut down to the characters a build's charts use: the same images, drawn faster.

vl-convert's font database maps a font's whole file again and parses it for
each run of text it measures or draws. With the 19 MB collection that holds
the Chinese faces, text is the largest cost of a chart: a Chinese chart takes
about twice as long as the same chart in English. A render worker can see
instead, first in its font list, a copy of each face the chart text is set in
(the family's regular and bold) that keeps only the glyphs of the characters
the build's charts can contain. A copy keeps the face's names, weight, width,
metrics, outlines and layout tables, so every run of text is measured and
drawn as with the whole face: the SVGs and PNGs are byte for byte the same
(``tests/charts/test_subsets.py`` renders the site's charts both ways).

What keeps them the same:

- Only the one face of the family at weight 400 or 700, upright and of normal
  width, is cut (fontdb, vl-convert's font database, picks the first of equal
  faces, so the copy is picked exactly where the whole face was).
- A character is kept only if every face of the family has it or none does;
  a character that some faces lack is left out of the copies. Text the family
  cannot draw then falls back, past the copies, to the same other font as
  without them.
- A worker checks every spec and image it draws (its characters and the font
  families it names) against what its copies were cut for, before writing
  anything; a chart that goes beyond is drawn again by a worker with the
  system's fonts only.

Cutting a CJK face takes seconds, so it is done only for a language with at
least ``CHARTS_FONT_SUBSET_MIN`` renderings to draw; the copies stay in the
chart cache (``.cache/charts/.fonts/``) and serve any later build whose
charts use no other character.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from strictbuild.leftovers import remove_stale

from .catalog import ChartDefinition
from .job import RenderJob

logger = logging.getLogger(__name__)

#: The folder of the chart cache that holds the cut faces (a chart id never starts with a dot).
FOLDER = ".fonts"

#: The weights chart text is set in: regular text and bold titles.
WEIGHTS = (400, 700)

#: Characters Vega and d3 write themselves (the minus sign, micro, ellipsis, spaces, dashes) and line ends.
GENERATED = "\u2212\u00b5\u2026\u00a0\u2009\u202f\u2013\u2014\u00b7\t\n\r"

#: How many sets of cut faces of one font the cache keeps beside those in use.
KEEP = 2

#: Seconds since its last use during which a set of cut faces is never removed.
IN_USE = 3600

#: The file of a set of cut faces that lists the characters it was cut for.
CHARS = "chars.txt"

#: What to cut: the folder to write, the font, its faces (file, index) and the characters.
_Task = tuple[str, str, list[tuple[str, int]], str]


@dataclass(frozen=True)
class FontSet:
    """The cut faces of one font, and the characters they were cut for."""

    folder: str
    font: str
    chars: frozenset[str]

    def covers(self, text: Iterable[str]) -> bool:
        """Whether every character of ``text`` is one the faces were cut for."""
        return self.chars.issuperset(text)

    def config(self) -> str:
        """A fontconfig file that lists the cut faces first, then the system's own fonts.

        The system's part is what fontdb itself reads (``FONTCONFIG_FILE``, else
        the user's file or ``/etc/fonts/local.conf``, then ``/etc/fonts/fonts.conf``),
        so the rest of the font list and its order are as without the copies.
        """
        includes = system_configs()
        if includes is None:
            msg = "the system's font configuration cannot be listed after the cut faces"
            raise OSError(msg)
        body = "".join(f'  <include ignore_missing="yes">{_xml(path)}</include>\n' for path in includes)
        text = (
            '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
            f"  <dir>{_xml(os.path.join(self.folder, 'faces'))}</dir>\n{body}</fontconfig>\n"
        )
        name = f"fonts-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}.conf"
        path = os.path.join(self.folder, name)
        if not os.path.isfile(path):
            handle, staging = tempfile.mkstemp(prefix=".tmp-", dir=self.folder)
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(staging, path)
        return path


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def system_configs() -> list[str] | None:
    """The fontconfig files fontdb reads, in its order; None when that cannot be told for sure.

    fontdb reads ``FONTCONFIG_FILE``, else the user's file (``$XDG_CONFIG_HOME``
    or ``~/.config``, ``fontconfig/fonts.conf``) or, when that is missing or
    cannot be parsed, ``/etc/fonts/local.conf``; then ``/etc/fonts/fonts.conf``.
    A relative, missing or malformed file would be read differently through
    an include, so the fonts are then not cut at all.
    """
    given = os.environ.get("FONTCONFIG_FILE")
    if given is not None:
        return [given] if os.path.isabs(given) and _well_formed(given) else None
    xdg = os.environ.get("XDG_CONFIG_HOME")
    if xdg is None:
        home = os.environ.get("HOME")
        xdg = os.path.join(home, ".config") if home else None
    if xdg is not None and not os.path.isabs(xdg):
        return None
    user = os.path.join(xdg, "fontconfig", "fonts.conf") if xdg else None
    if user and os.path.isfile(user):
        # A user file fontdb fails to parse makes it read local.conf: not emulated.
        return [user, "/etc/fonts/fonts.conf"] if _well_formed(user) else None
    return ["/etc/fonts/local.conf", "/etc/fonts/fonts.conf"]


def _well_formed(path: str) -> bool:
    from xml.etree import ElementTree

    try:
        ElementTree.parse(path)  # noqa: S314 (the machine's own font configuration)
    except (OSError, ElementTree.ParseError):
        return False
    return True


def job_chars(job: RenderJob, definition: ChartDefinition) -> frozenset[str]:
    """Every character the text of ``job`` can contain (a superset, never fewer).

    The chart module's source (its titles, notes, labels and any text its
    code writes), its data, the words of the job (source names, credits), the
    number and date formats of its locale, printable ASCII and what Vega and
    d3 write themselves.
    """
    import vl_convert

    vlc: Any = vl_convert
    words = {
        "title": job.title,
        "source_line": job.source_line,
        "rows": [dict(row) for row in job.rows],
        "labels": job.labels,
        "columns": list(job.columns),
        "table_columns": list(job.table_columns),
        "credit_lines": list(job.credit_lines),
        "png_text": [list(pair) for pair in job.png_text],
        "extra": job.extra,
        "number": vlc.get_format_locale(job.format_locale),
        "time": vlc.get_time_format_locale(job.time_format_locale),
    }
    source = definition.source_code.decode("utf-8", "replace")
    chars = set(source) | _literal_chars(source)
    chars |= set(definition.data_bytes.decode("utf-8", "replace"))
    chars |= set(json.dumps(words, ensure_ascii=False, default=str))
    chars |= {chr(code) for code in range(0x20, 0x7F)}
    chars |= set(GENERATED)
    return frozenset(chars)


def _literal_chars(source: str) -> set[str]:
    """The characters of the module's string literals as Python reads them (escapes too: ``"\\u2192"``)."""
    import ast

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.update(node.value)
    return found


def _fc_escape(family: str) -> str:
    return "".join("\\" + c if c in "\\-:," else c for c in family)


def family_faces(font: str) -> list[tuple[str, int]]:
    """Every face (file, index) fontconfig counts in the family ``font``, sorted."""
    if shutil.which("fc-list") is None:
        return []
    listed = subprocess.run(
        ["fc-list", "-f", "%{file}\\t%{index}\\n", _fc_escape(font)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    faces = set()
    for line in listed.splitlines():
        path, _, index = line.rpartition("\t")
        if path and index.isdigit():
            faces.add((path, int(index)))
    return sorted(faces)


def _identity(font: str, faces: Sequence[tuple[str, int]]) -> str:
    """What a set of cut faces of ``font`` depends on besides its characters."""
    here = os.path.abspath(__file__)
    with open(here, "rb") as handle:
        code = hashlib.sha256(handle.read()).hexdigest()[:16]
    files = []
    for path, index in faces:
        try:
            stat = os.stat(path)
        except OSError:
            continue
        files.append([path, index, stat.st_size, stat.st_mtime_ns])
    words = {
        "font": font,
        "faces": files,
        "versions": {name: metadata.version(name) for name in ("fonttools", "vl-convert-python")},
        "code": code,
    }
    return hashlib.sha256(json.dumps(words, sort_keys=True).encode("utf-8")).hexdigest()[:12]


def _load_set(folder: str, font: str) -> FontSet | None:
    try:
        with open(os.path.join(folder, CHARS), encoding="utf-8", newline="") as handle:
            chars = frozenset(handle.read())
    except OSError:
        return None
    return FontSet(folder, font, chars)


def _cached(root: str, font: str, identity: str, need: frozenset[str]) -> FontSet | None:
    """The newest set of cut faces of ``font`` in the cache that covers ``need``."""
    if not os.path.isdir(root):
        return None
    found: list[tuple[int, FontSet]] = []
    for name in os.listdir(root):
        if not name.startswith(identity + "-"):
            continue
        folder = os.path.join(root, name)
        fontset = _load_set(folder, font)
        if fontset is not None and fontset.covers(need):
            found.append((os.stat(folder).st_mtime_ns, fontset))
    if not found:
        return None
    return max(found, key=lambda pair: pair[0])[1]


def plan(
    jobs: Sequence[tuple[RenderJob, ChartDefinition]],
    todo: Sequence[RenderJob],
    settings: Mapping[str, Any],
    root: str,
) -> dict[str, FontSet]:
    """The cut faces each job of ``todo`` is drawn with, by its ``target`` (none: the system's fonts).

    Uses a set from the cache that covers a language's charts; else, for a
    language with at least ``CHARTS_FONT_SUBSET_MIN`` renderings to draw
    (0: never), cuts one for the characters of all its charts (``jobs``), so
    the next build finds it.
    """
    minimum = int(settings.get("CHARTS_FONT_SUBSET_MIN", 24))
    if minimum <= 0 or not todo or system_configs() is None:
        return {}
    try:
        return _plan(jobs, todo, minimum, os.path.join(root, FOLDER))
    except OSError as error:  # cutting is an optimisation: the whole fonts draw the same files
        logger.warning("charts: fonts not cut (%s); drawing with the whole fonts", error)
        return {}


def _plan(
    jobs: Sequence[tuple[RenderJob, ChartDefinition]], todo: Sequence[RenderJob], minimum: int, folder: str
) -> dict[str, FontSet]:
    definitions = {(job.chart_id, job.lang): definition for job, definition in jobs}
    # By chart and language: ``jobs`` are the same renderings, not yet given their folders.
    chars = {(job.chart_id, job.lang): job_chars(job, definitions[(job.chart_id, job.lang)]) for job in todo}
    by_font: dict[str, list[RenderJob]] = {}
    for job in todo:
        if job.font:
            by_font.setdefault(job.font, []).append(job)
    chosen: dict[str, FontSet] = {}
    to_cut: list[_Task] = []
    # Every font of the site, not only those drawn now: their sets are kept.
    faces_of = {font: family_faces(font) for font in sorted({job.font for job, _d in jobs if job.font})}
    identities = {font: _identity(font, faces) for font, faces in faces_of.items() if faces}
    for font, font_jobs in by_font.items():
        if font not in identities:
            continue
        identity, faces = identities[font], faces_of[font]
        need = frozenset().union(*(chars[(job.chart_id, job.lang)] for job in font_jobs))
        fontset = _cached(folder, font, identity, need)
        if fontset is not None:
            os.utime(fontset.folder)
            chosen[font] = fontset
        elif len(font_jobs) >= minimum:
            every = frozenset().union(
                *(
                    chars.get((job.chart_id, job.lang)) or job_chars(job, definition)
                    for job, definition in jobs
                    if job.font == font
                )
            )
            text = "".join(sorted(every))
            name = f"{identity}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}"
            to_cut.append((os.path.join(folder, name), font, faces, text))
    if to_cut:
        os.makedirs(folder, exist_ok=True)
        for target, font, problem in _cut_elsewhere(to_cut):
            if problem:
                logger.warning(
                    "charts: the faces of %s were not cut (%s); drawing with the whole font", font, problem
                )
                continue
            fontset = _load_set(target, font)
            if fontset is not None:
                chosen[font] = fontset
    _prune(folder, {fontset.folder for fontset in chosen.values()}, set(identities.values()))
    placed: dict[str, FontSet] = {}
    for job in todo:
        fontset = chosen.get(job.font or "")
        if fontset is not None and fontset.covers(chars[(job.chart_id, job.lang)]):
            placed[job.target] = fontset
    return placed


def _cut_elsewhere(tasks: Sequence[_Task]) -> list[tuple[str, str, str]]:
    """Cut each task's faces in a process of its own (fontTools and the faces' tables stay there)."""
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    results: list[tuple[str, str, str]] = []
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        futures = [
            (target, font, pool.submit(cut, target, font, faces, text)) for target, font, faces, text in tasks
        ]
        for target, font, future in futures:
            try:
                future.result()
            except Exception as error:  # a font fontTools cannot cut: draw with the whole font
                results.append((target, font, f"{type(error).__name__}: {error}"))
            else:
                results.append((target, font, ""))
    return results


def _prune(folder: str, used: set[str], identities: set[str]) -> None:
    """Remove sets of cut faces past the newest :data:`KEEP` of each font, and any half-written one."""
    if not os.path.isdir(folder):
        return
    remove_stale(folder, ".tmp-*")  # half-written by a build that was killed
    by_identity: dict[str, list[tuple[int, str]]] = {}
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if name.startswith(".tmp-"):
            continue  # being written by a build beside this one
        identity = name.partition("-")[0]
        by_identity.setdefault(identity, []).append((os.stat(path).st_mtime_ns, path))
    recent = time.time_ns() - IN_USE * 10**9
    for identity, sets in by_identity.items():
        sets.sort(reverse=True)
        keep = KEEP if identity in identities else 0
        for stamp, path in sets[keep:]:
            # A set used within the hour may be in use by another build (fontdb opens the files per text run).
            if path not in used and stamp < recent:
                shutil.rmtree(path, ignore_errors=True)


# What follows runs in the cutting process.


@dataclass
class _Face:
    path: str
    index: int
    families: set[str]
    #: the family names fontdb matches the face by (name 16, else name 1)
    named: set[str]
    weight: int
    width: int
    upright: bool
    cmap: set[int]


def _read_face(path: str, index: int) -> _Face:
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, lazy=True)
    # fontdb names a face by its typographic family (name 16), else its family (name 1);
    # both are counted, so the family's faces are never fewer than fontdb's.
    names = font["name"].names
    families = {str(record.toUnicode()) for record in names if record.nameID in (1, 16)}
    typographic = {str(record.toUnicode()) for record in names if record.nameID == 16}
    named = typographic or {str(record.toUnicode()) for record in names if record.nameID == 1}
    os2 = font["OS/2"]
    italic_angle = font["post"].italicAngle if "post" in font else 0
    upright = not (os2.fsSelection & 0x0201) and not italic_angle
    cmap = set(font.getBestCmap())
    return _Face(path, index, families, named, os2.usWeightClass, os2.usWidthClass, upright, cmap)


def _options(index: int) -> Any:
    from fontTools import subset

    options = subset.Options()
    options.font_number = index
    # Keep everything that decides how text is found, shaped, measured and drawn.
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    options.glyph_names = True
    options.hinting = True
    options.legacy_kern = True
    options.symbol_cmap = True
    options.legacy_cmap = True
    options.prune_unicode_ranges = False
    options.recalc_bounds = False
    options.recalc_timestamp = False
    return options


def cut(target: str, font: str, faces: Sequence[tuple[str, int]], text: str) -> None:
    """Write the cut faces of ``font`` for the characters of ``text`` into the folder ``target``.

    Raises ValueError when the family has no face that can be cut safely.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # Tables the cut leaves out (e.g. FontForge's time stamp) do not shape text: no warning.
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    read = [_read_face(path, index) for path, index in faces]
    family = [face for face in read if font in face.families]
    chosen = []
    for weight in WEIGHTS:
        matches = [
            face
            for face in family
            if face.weight == weight and face.width == 5 and face.upright and font in face.named
        ]
        if len(matches) == 1:
            chosen.append(matches[0])
    if not chosen:
        msg = f"no single upright face of normal width at weight {' or '.join(map(str, WEIGHTS))}"
        raise ValueError(msg)
    # Every face of the family has the character, or none does.
    kept = "".join(c for c in text if len({ord(c) in face.cmap for face in family}) == 1)
    parent = os.path.dirname(target)
    staging = tempfile.mkdtemp(prefix=".tmp-", dir=parent)
    try:
        os.makedirs(os.path.join(staging, "faces"))
        for number, face in enumerate(chosen):
            ttfont = TTFont(face.path, fontNumber=face.index, lazy=True)
            subsetter = subset.Subsetter(_options(face.index))
            subsetter.populate(text=kept)
            subsetter.subset(ttfont)
            suffix = "otf" if "CFF " in ttfont or "CFF2" in ttfont else "ttf"
            out = os.path.join(staging, "faces", f"{number}-{face.weight}.{suffix}")
            ttfont.save(out)
            _check(out, face, kept)
        with open(os.path.join(staging, CHARS), "w", encoding="utf-8", newline="") as handle:
            handle.write(kept)
        with open(os.path.join(staging, "faces.json"), "w", encoding="utf-8") as handle:
            json.dump({"font": font, "cut": [[face.path, face.index] for face in chosen]}, handle)
        if os.path.isdir(target):
            shutil.rmtree(staging)  # another build cut the same set first
        else:
            os.replace(staging, target)
    finally:
        if os.path.isdir(staging):
            shutil.rmtree(staging, ignore_errors=True)


def _check(path: str, whole: _Face, kept: str) -> None:
    """The cut face has the names, style and characters of the whole one, for the kept text."""
    cut_face = _read_face(path, 0)
    wanted = {ord(c) for c in kept}
    same = (
        cut_face.families == whole.families
        and (cut_face.weight, cut_face.width, cut_face.upright) == (whole.weight, whole.width, whole.upright)
        and cut_face.cmap & wanted == whole.cmap & wanted
    )
    if not same:
        msg = f"the cut copy of {whole.path} ({whole.index}) differs from the whole face"
        raise ValueError(msg)
