"""No registry key, and on zh-TW pages no English interface string, reaches a reader.

Registry keys (``cna2026``) are the authors' handles for sources; readers get
the source's name. Every file a reader opens or saves is read as text (see
``tests/site/reader_text.py``): HTML pages and embeds, SVG and PNG images,
CSV data, JSON (oEmbed, metadata, chart specs, CSL-JSON) and BibTeX.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.site.harness import PROJECT, Site
from tests.site.reader_text import Piece, reader_pieces

REGISTRY = PROJECT / "content" / "sources.yaml"
PO = PROJECT / "theme" / "translations" / "zh_Hant_TW" / "LC_MESSAGES" / "messages.po"
_PLACEHOLDER = re.compile(r"%\(\w+\)s")


def registry_keys() -> list[str]:
    """Every key of the site's sources registry."""
    keys = re.findall(r"^- key:\s*(\S+)\s*$", REGISTRY.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert keys, f"no keys found in {REGISTRY}"
    return keys


def english_interface_strings() -> list[str]:
    """The English text of every catalog entry that zh-TW translates: each msgid, or
    each run of at least two words between its placeholders."""
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    found: set[str] = set()
    for message in catalog:
        msgid = str(message.id) if message.id else ""
        if not msgid or str(message.string) == msgid:
            continue
        for fragment in _PLACEHOLDER.split(msgid):
            words = fragment.strip(" .,:;“”()")
            if len(re.findall(r"[A-Za-z]+", words)) >= (1 if fragment == msgid else 2):
                found.add(words)
    assert found, f"no translated entries in {PO}"
    return sorted(found)


def reader_files(site: Site) -> Iterator[Path]:
    """Every file of the built site that a reader reads as text (the theme's own files aside)."""
    for path in sorted(site.output.rglob("*")):
        relative = path.relative_to(site.output).as_posix()
        if path.is_file() and not relative.startswith(("theme/", "pagefind/")):
            yield path


def is_zh_tw(site: Site, path: Path) -> bool:
    """True for a file of the zh-TW site (its folder or its name says so)."""
    relative = path.relative_to(site.output).as_posix()
    return relative.startswith("zh-tw/") or ".zh-tw." in path.name


def _contains(text: str, word: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_-]){re.escape(word)}(?![A-Za-z0-9_-])", text) is not None


def _where(site: Site, path: Path, piece: Piece) -> str:
    return f"{path.relative_to(site.output).as_posix()}: {piece.text.strip()[:120]!r}"


def test_the_checks_see_every_kind_of_file(site: Site) -> None:
    """The scan reads what it claims to: a chart's PNG metadata, SVG text, CSV, JSON and page."""
    folder = site.output / "zh-tw" / "charts" / "h200-timeline"
    kinds = {
        "h200-timeline.zh-tw.png": "晶片與管制",
        "h200-timeline.zh-tw.svg": "來源：",
        "h200-timeline.zh-tw.csv": "中央社，2026-01-08",
        "h200-timeline.zh-tw.metadata.json": "中央社",
        "oembed.json": "晶片與管制",
        "embed/index.html": "來源：",
    }
    for name, expected in kinds.items():
        texts = " ".join(piece.text for piece in reader_pieces(folder / name))
        assert expected in texts, f"{name}: {expected!r} not among its reader text"


def test_no_registry_key_reaches_a_reader(site: Site) -> None:
    keys = registry_keys()
    found = []
    checked = 0
    for path in reader_files(site):
        for piece in reader_pieces(path):
            checked += 1
            found += [f"{key} in {_where(site, path, piece)}" for key in keys if _contains(piece.text, key)]
    assert checked > 1000, f"only {checked} pieces of text were read"
    assert not found, f"{len(found)} registry keys reach readers:\n" + "\n".join(found[:40])


def test_zh_tw_outputs_have_no_english_interface_strings(site: Site) -> None:
    english = english_interface_strings()
    found = []
    files = [path for path in reader_files(site) if is_zh_tw(site, path)]
    assert len(files) > 30, f"only {len(files)} zh-TW files"
    for path in files:
        for piece in reader_pieces(path):
            if piece.lang and not piece.lang.lower().startswith("zh"):
                continue  # marked as another language on purpose (a credit line, a language link)
            found += [
                f"{word!r} in {_where(site, path, piece)}" for word in english if _contains(piece.text, word)
            ]
    assert not found, f"{len(found)} English interface strings on zh-TW pages:\n" + "\n".join(found[:40])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('<p>Source: <a href="#source-cna2026">中央社</a></p>', ["Source: ", "中央社"]),
        ('<div aria-label="cna2026" id="x"><script>var cna2026;</script></div>', ["cna2026"]),
        ('<p lang="zh-Hant-TW">甲<q lang="en">PNG image</q></p>', ["甲", "PNG image"]),
    ],
)
def test_reader_text_is_text_and_reader_attributes_only(text: str, expected: list[str]) -> None:
    from tests.site.reader_text import html_pieces

    assert [piece.text for piece in html_pieces(text)] == expected
