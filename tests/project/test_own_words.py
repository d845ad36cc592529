"""The site's words are its own: no run of 20 characters is copied from a source copy.

The source copies live beside the project, in ``shared/sources`` of the project's folder
or of a folder above it (``SOURCE_COPIES`` names another place). A short quotation of a
named person is allowed when it is marked: text inside 「」, 『』, “” or "" is not
compared, and neither is a source's original headline in the registry, which records
the headline as printed.
"""

from __future__ import annotations

import ast
import csv
import functools
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from tests.support import ROOT

RUN = 20  # characters, after normalising width and dropping white space
CONTENT = ROOT / "content"
QUOTED = re.compile(r"「[^」]*」|『[^』]*』|“[^”]*”|\"[^\"\n]*\"")
# Markup that could split a copied run: citations, glossary marks, brief links, emphasis.
MARKUP = re.compile(r"\[@[^\]]*\]|\{term=[^}]*\}|\(\{brief\}[^)]*\)|[\[\]*#`]")


def source_copies() -> Path:
    """Find the folder of source copies: SOURCE_COPIES, or shared/sources above the project."""
    named = os.environ.get("SOURCE_COPIES")
    if named:
        return Path(named)
    for folder in (ROOT, *ROOT.parents):
        candidate = folder / "shared" / "sources"
        if (candidate / "README.md").is_file():
            return candidate
    msg = "no source copies found: set SOURCE_COPIES or put them in shared/sources above the project"
    raise AssertionError(msg)


def normalise(text: str) -> str:
    """Fold full-width forms to their plain ones and drop white space, so a copy cannot hide."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def runs(text: str) -> set[str]:
    """Every run of RUN characters in normalised text."""
    flat = normalise(text)
    return {flat[i : i + RUN] for i in range(len(flat) - RUN + 1)}


def strings_in(value: Any, skip: frozenset[str] = frozenset()) -> Iterator[tuple[str, str]]:
    """Every string in parsed YAML with a dotted path, leaving out keys named in skip."""
    if isinstance(value, str):
        yield "", value
    elif isinstance(value, dict):
        for key, item in value.items():
            if str(key) in skip:
                continue
            for where, text in strings_in(item, skip):
                yield f"{key}.{where}".rstrip("."), text
    elif isinstance(value, list):
        for index, item in enumerate(value):
            for where, text in strings_in(item, skip):
                yield f"{index}.{where}".rstrip("."), text


def texts() -> Iterator[tuple[str, str]]:
    """Every text of the site meant for readers, as (place, text)."""
    for path in sorted([*CONTENT.glob("briefs/*.md"), *CONTENT.glob("pages/*.md")]):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            yield f"{path.relative_to(ROOT)}:{number}", MARKUP.sub("", QUOTED.sub("", line))
    for name in ("sources.yaml", "glossary.yaml"):
        path = CONTENT / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        # The original headline is recorded as printed: it is the source's own title.
        for where, text in strings_in(data, skip=frozenset({"original"})):
            yield f"{path.relative_to(ROOT)}: {where}", QUOTED.sub("", text)
    for path in sorted(CONTENT.glob("charts/*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield f"{path.relative_to(ROOT)}:{node.lineno}", QUOTED.sub("", node.value)
    for path in sorted(CONTENT.glob("data/*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for number, row in enumerate(csv.reader(handle), 1):
                for cell in row:
                    yield f"{path.relative_to(ROOT)}:{number}", QUOTED.sub("", cell)


def test_the_source_copies_are_there() -> None:
    copies = sorted(source_copies().glob("*.txt"))
    assert len(copies) >= 3, f"expected the 3 source copies in {source_copies()}, found {len(copies)}"


@functools.cache
def source_runs() -> dict[str, set[str]]:
    """The runs of every source copy, by file name."""
    return {
        copy.name: runs(copy.read_text(encoding="utf-8")) for copy in sorted(source_copies().glob("*.txt"))
    }


def test_no_run_of_20_characters_is_copied() -> None:
    copied = [
        f"{place}: {name}: {run}"
        for place, text in texts()
        for name, theirs in source_runs().items()
        for run in sorted(runs(text) & theirs)
    ]
    assert not copied, f"{len(copied)} runs of {RUN} characters copied unquoted:\n" + "\n".join(copied)


def test_every_kind_of_text_is_read() -> None:
    places = {place.split(":")[0] for place, _ in texts()}
    for kind in (
        "content/briefs/",
        "content/pages/",
        "content/sources.yaml",
        "content/glossary.yaml",
        "content/charts/",
        "content/data/",
    ):
        assert any(p.startswith(kind) for p in places), f"no text read from {kind}"


def test_the_check_finds_a_copied_run() -> None:
    copy = next(iter(sorted(source_copies().glob("*.txt"))))
    passage = normalise(copy.read_text(encoding="utf-8"))[200:230]
    assert runs(f"Some words, then {passage} and more") & runs(copy.read_text(encoding="utf-8"))
    assert not runs(QUOTED.sub("", f"「{passage}」")) & runs(copy.read_text(encoding="utf-8"))
