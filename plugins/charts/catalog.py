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
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from strictbuild import ContentError, display_path
from strictbuild.site import language_codes
from strictbuild.text import decode_text

from .checks import ModuleCheck
from .data import declared_columns

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


def load_chart(
    path: str,
    settings: Mapping[str, Any],
    registry: Mapping[str, Any],
) -> tuple[ChartDefinition | None, list[ContentError]]:
    """Load and check one chart module; return it (or None) and its problems."""
    path = os.path.abspath(path)
    shown = display_path(path, dict(settings))
    with open(path, "rb") as handle:
        code = handle.read()
    try:
        source = decode_text(code, shown, what="chart module")
    except ContentError as error:
        return None, [error]
    try:
        module = run_module(path)
    except Exception as error:
        message = f"the chart module raised {describe_exception(error)}"
        return None, [ContentError(shown, error_line(error, path), message)]
    missing = [name for name in REQUIRED if not hasattr(module, name)]
    if missing:
        return None, [ContentError(shown, 1, f"the chart module does not define {', '.join(missing)}")]
    lines, label_lines = _constant_lines(source)
    check = ModuleCheck(shown, lines, label_lines, list(language_codes(settings)))
    constants = check.constants(module, os.path.basename(path)[:-3].replace("_", "-"), registry)
    labels = check.labels(module.LABELS)
    data = check.data(module.DATA, settings, constants.sources, registry, declared_columns(source), labels)
    if check.problems:
        return None, check.problems
    return (
        ChartDefinition(
            chart_id=constants.chart_id,
            module_path=path,
            shown_path=shown,
            data_path=data.path,
            shown_data_path=data.shown,
            source_code=code,
            data_bytes=data.data,
            sources=list(constants.sources),
            title=constants.title,
            description=constants.description,
            notes=constants.notes,
            labels=labels,
            header=data.header,
            lines=lines,
        ),
        [],
    )
