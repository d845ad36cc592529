"""Find, load and check chart modules (step 1 of 3: load; then render, then pages).

A chart module is ``content/charts/<module>.py`` (see content-model.md). Loading
runs the module, checks its constants and reads its CSV; every problem becomes
a :class:`strictbuild.ContentError` naming the module or data file and line.
"""

from __future__ import annotations

import ast
import csv
import glob
import importlib.util
import io
import os
import re
import sys
import traceback
import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from strictbuild import ContentError, display_path
from strictbuild.site import language_codes
from strictbuild.text import decode_text

from .data import ColumnKind, check_csv, declared_columns

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NUMBER = re.compile(r"^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$")
#: Constants every chart module declares, with their kind.
REQUIRED = ("ID", "DATA", "SOURCES", "TITLE", "DESCRIPTION", "LABELS")


@dataclass
class ChartDefinition:
    """One chart module, loaded and checked, with its data."""

    chart_id: str
    module_path: str
    shown_path: str
    data_path: str
    shown_data_path: str
    source_code: bytes
    data_bytes: bytes
    sources: list[str]
    title: dict[str, str]
    description: dict[str, str]
    notes: dict[str, str]
    labels: dict[str, dict[str, str]]
    #: CSV header, as written (``event@en`` kept)
    header: list[str] = field(default_factory=list)
    #: 1-based line of each top-level constant in the module
    lines: dict[str, int] = field(default_factory=dict)

    def columns(self) -> list[str]:
        """The data's columns, with ``x@en`` and ``x@zh-TW`` reduced to ``x``."""
        seen: dict[str, None] = {}
        for name in self.header:
            seen.setdefault(name.split("@", 1)[0], None)
        return list(seen)

    def rows(self, lang: str) -> list[dict[str, Any]]:
        """The data's rows in ``lang``: language columns resolved, numbers typed."""
        return data_rows(self.data_bytes, lang)

    def table_columns(self) -> list[str]:
        """The columns a reader sees in the table and CSV: those with labels, in LABELS order."""
        return [c for c in self.labels if c in self.columns()]


def module_name(chart_id: str) -> str:
    """The module file name (without ``.py``) of a chart id: ``-`` becomes ``_``."""
    return chart_id.replace("-", "_")


def charts_folder(settings: Mapping[str, Any]) -> str:
    """The folder of chart modules (setting ``CHARTS_PATH``, relative to PATH)."""
    return os.path.join(str(settings.get("PATH", "content")), str(settings.get("CHARTS_PATH", "charts")))


def module_paths(settings: Mapping[str, Any]) -> list[str]:
    """Every chart module's file, sorted (so builds are reproducible)."""
    folder = charts_folder(settings)
    return sorted(
        p for p in glob.glob(os.path.join(folder, "*.py")) if not os.path.basename(p).startswith("_")
    )


def chart_ids(settings: Mapping[str, Any]) -> set[str]:
    """The ids of the charts the content has, from module file names alone (cheap)."""
    return {os.path.basename(p)[:-3].replace("_", "-") for p in module_paths(settings)}


def _cell(value: str) -> Any:
    text = value.strip()
    if text == "":
        return None
    if _NUMBER.match(text):
        number = float(text)
        return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number
    return value


def data_rows(data: bytes, lang: str) -> list[dict[str, Any]]:
    """Parse CSV bytes into rows for ``lang``.

    A column written ``name@lang`` becomes ``name`` in its language; columns
    in other languages are dropped. Numeric cells become numbers; empty cells
    ``None``. Dates stay ISO text, which Vega-Lite parses for ``:T`` fields.
    """
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    header = next(reader, [])
    rows: list[dict[str, Any]] = []
    for record in reader:
        if not any(cell.strip() for cell in record):
            continue
        row: dict[str, Any] = {}
        for name, value in zip(header, record, strict=False):
            base, _, col_lang = name.partition("@")
            if col_lang and col_lang != lang:
                continue
            row[base] = _cell(value)
        rows.append(row)
    return rows


def _constant_lines(source: str) -> tuple[dict[str, int], dict[str, int]]:
    """Lines of top-level assignments, and of each key of the LABELS dict."""
    lines: dict[str, int] = {}
    label_lines: dict[str, int] = {}
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return lines, label_lines
    for node in tree.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = list(node.targets), node.value
        elif isinstance(node, ast.AnnAssign):
            targets, value = [node.target], node.value
        elif isinstance(node, ast.FunctionDef):
            lines[node.name] = node.lineno
        for target in targets:
            if isinstance(target, ast.Name):
                lines[target.id] = node.lineno
                if target.id == "LABELS" and isinstance(value, ast.Dict):
                    for key in value.keys:
                        if isinstance(key, ast.Constant) and isinstance(key.value, str):
                            label_lines[key.value] = key.lineno
    return lines, label_lines


def error_line(error: BaseException, path: str) -> int:
    """The line in ``path`` where ``error`` was raised (its deepest frame there), else 1."""
    if isinstance(error, SyntaxError) and error.lineno and os.path.abspath(str(error.filename)) == path:
        return int(error.lineno)
    line = 1
    for frame in traceback.extract_tb(error.__traceback__):
        if os.path.abspath(frame.filename) == path and frame.lineno:
            line = frame.lineno
    return line


def run_module(path: str) -> types.ModuleType:
    """Execute a chart module from its file, under a private name.

    The module is not left in ``sys.modules``: two builds (or a test) loading
    the same file get fresh modules.
    """
    name = f"_chart_module_{os.path.basename(path)[:-3]}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        msg = f"cannot load {path} as a Python module"
        raise ImportError(msg)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(name, None)
    return module


def describe_exception(error: BaseException) -> str:
    """``TypeError: message`` on one line."""
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _texts(
    value: Any, name: str, languages: Sequence[str], problem: Callable[[str, str], None], *, required: bool
) -> dict[str, str]:
    if value is None and not required:
        return {}
    if not isinstance(value, Mapping):
        problem(name, f"{name} must be a dict of text by language ({', '.join(languages)})")
        return {}
    found: dict[str, str] = {}
    for lang in languages:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            problem(name, f"{name} has no {lang} text")
            continue
        found[lang] = " ".join(text.split())
    for lang in value:
        if lang not in languages:
            problem(name, f"{name} has text for {lang!r}, which is not a site language")
    return found


def load_chart(
    path: str,
    settings: Mapping[str, Any],
    registry: Mapping[str, Any],
) -> tuple[ChartDefinition | None, list[ContentError]]:
    """Load and check one chart module; return it (or None) and its problems."""
    path = os.path.abspath(path)
    shown = display_path(path, dict(settings))
    languages = language_codes(settings)
    problems: list[ContentError] = []
    with open(path, "rb") as handle:
        code = handle.read()
    try:
        source = decode_text(code, shown, what="chart module")
    except ContentError as error:
        return None, [error]
    lines, label_lines = _constant_lines(source)

    def problem(name: str, message: str) -> None:
        problems.append(ContentError(shown, lines.get(name, 1), message))

    try:
        module = run_module(path)
    except Exception as error:
        return None, [
            ContentError(
                shown, error_line(error, path), f"the chart module raised {describe_exception(error)}"
            )
        ]
    expected = os.path.basename(path)[:-3].replace("_", "-")
    missing = [name for name in REQUIRED if not hasattr(module, name)]
    if missing:
        problems.append(ContentError(shown, 1, f"the chart module does not define {', '.join(missing)}"))
        return None, problems
    if not callable(getattr(module, "chart", None)):
        problems.append(ContentError(shown, 1, "the chart module has no function chart(ctx)"))
    chart_id = module.ID
    if not isinstance(chart_id, str) or not _ID.match(chart_id):
        problem("ID", f"ID must be lowercase letters, digits and hyphens, got {chart_id!r}")
    elif chart_id != expected:
        problem("ID", f"ID {chart_id!r} does not match the file name (expected {expected!r})")
    sources = module.SOURCES
    if not isinstance(sources, (list, tuple)) or not sources or not all(isinstance(s, str) for s in sources):
        problem("SOURCES", "SOURCES must be a non-empty list of source keys")
        sources = []
    for key in sources:
        if key not in registry:
            known = ", ".join(sorted(registry)) or "none"
            problem("SOURCES", f"unknown source key {key!r} in SOURCES (the registry has: {known})")
    title = _texts(module.TITLE, "TITLE", languages, problem, required=True)
    description = _texts(module.DESCRIPTION, "DESCRIPTION", languages, problem, required=True)
    notes = _texts(getattr(module, "NOTES", None), "NOTES", languages, problem, required=False)
    for lang in languages:
        if lang in title and lang in description and title[lang] == description[lang]:
            problem("DESCRIPTION", f"DESCRIPTION in {lang} repeats the title; describe what the chart shows")
    labels: dict[str, dict[str, str]] = {}
    if not isinstance(module.LABELS, Mapping) or not module.LABELS:
        problem("LABELS", "LABELS must be a dict: column -> {language: label}")
    else:
        for column, texts in module.LABELS.items():
            where = label_lines.get(column, lines.get("LABELS", 1))
            if not isinstance(texts, Mapping):
                problems.append(
                    ContentError(shown, where, f"LABELS[{column!r}] must be a dict of text by language")
                )
                continue
            for lang in languages:
                text = texts.get(lang)
                if not isinstance(text, str) or not text.strip():
                    problems.append(ContentError(shown, where, f"LABELS[{column!r}] has no {lang} label"))
            labels[str(column)] = {k: str(v) for k, v in texts.items() if isinstance(v, str)}
    data_name = module.DATA
    content_root = str(settings.get("PATH", "content"))
    data_path = os.path.abspath(os.path.join(content_root, str(data_name)))
    shown_data = display_path(data_path, dict(settings))
    data = b""
    header: list[str] = []
    if not isinstance(data_name, str):
        problem("DATA", "DATA must be a path relative to the content folder")
    elif not os.path.isfile(data_path):
        problem("DATA", f"data file not found: {shown_data}")
    else:
        with open(data_path, "rb") as handle:
            data = handle.read()
        header, data_problems = _check_data(
            data, shown_data, languages, sources, registry, declared_columns(source)
        )
        problems.extend(data_problems)
        # An encoded column the file lacks may be one the module computes
        # (ctx.data_with, a transform): rendering checks those against the
        # data the chart really gets.
        columns = {name.split("@", 1)[0] for name in header}
        for column in labels:
            if column not in columns:
                where = label_lines.get(column, lines.get("LABELS", 1))
                problems.append(
                    ContentError(
                        shown, where, f"LABELS names column {column!r}, which {shown_data} does not have"
                    )
                )
    if problems:
        return None, problems
    return (
        ChartDefinition(
            chart_id=chart_id,
            module_path=path,
            shown_path=shown,
            data_path=data_path,
            shown_data_path=shown_data,
            source_code=code,
            data_bytes=data,
            sources=list(sources),
            title=title,
            description=description,
            notes=notes,
            labels=labels,
            header=header,
            lines=lines,
        ),
        [],
    )


def _check_data(
    data: bytes,
    shown: str,
    languages: Sequence[str],
    sources: Sequence[str],
    registry: Mapping[str, Any],
    declared: Mapping[str, ColumnKind],
) -> tuple[list[str], list[ContentError]]:
    """Check a chart's CSV strictly (see :mod:`.data`), then the source keys of its rows."""
    checked = check_csv(data, shown, languages=languages, declared=declared)
    header, problems = checked.header, list(checked.problems)
    if problems or "source" not in header:
        return header, problems
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    next(reader, None)
    index = header.index("source")
    for record in reader:
        # line_num counts physical lines, so quoted cells with line breaks keep it right.
        number = reader.line_num
        if index < len(record) and record[index].strip():
            key = record[index].strip()
            if key not in registry:
                problems.append(ContentError(shown, number, f"unknown source key {key!r} in column 'source'"))
            elif key not in sources:
                problems.append(
                    ContentError(
                        shown,
                        number,
                        f"source {key!r} is cited in the data but not in the module's SOURCES",
                    )
                )
    return header, problems
