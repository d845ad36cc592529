"""Bad chart input: each is a clear error, the build fails, the previous output stays."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from strictbuild.driver import BuildResult

MODULE = "content/charts/sample_bars.py"


def _snapshot(output: Path) -> dict[str, str]:
    return {
        str(p.relative_to(output)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(output.rglob("*"))
        if p.is_file()
    }


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    return next(
        i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line
    )


CASES: dict[str, tuple[str, str, str, str]] = {
    # name: (file, old, new, expected message part)
    "module raises in chart()": (
        MODULE,
        '    """Build the chart in ctx.lang."""\n',
        '    """Build the chart in ctx.lang."""\n    raise RuntimeError("the data looks odd")\n',
        "chart(ctx) raised RuntimeError: the data looks odd",
    ),
    "module raises on import": (
        MODULE,
        'ID = "sample-bars"\n',
        'ID = "sample-bars"\nSOMETHING = 1 / 0\n',
        "the chart module raised ZeroDivisionError: division by zero",
    ),
    "spec fails Vega-Lite validation": (
        MODULE,
        ".mark_bar()",
        '.mark_bar(orient="diagonal")',
        "Vega-Lite",
    ),
    "missing data file": (
        MODULE,
        'DATA = "data/sample-bars.csv"',
        'DATA = "data/no-such-file.csv"',
        "data file not found: content/data/no-such-file.csv",
    ),
    "label for a missing column": (
        MODULE,
        '    "source": {"en": "Source", "zh-TW": "來源"},\n',
        '    "source": {"en": "Source", "zh-TW": "來源"},\n'
        '    "region": {"en": "Region", "zh-TW": "地區"},\n',
        "LABELS names column 'region', which content/data/sample-bars.csv does not have",
    ),
    "encoding of a missing column": (
        MODULE,
        'x=alt.X("share:Q"',
        'x=alt.X("shares:Q"',
        "the chart encodes column 'shares', which its data does not have",
    ),
    "label missing in one language": (
        MODULE,
        '"note": {"en": "Note", "zh-TW": "附註"}',
        '"note": {"en": "Note"}',
        "LABELS['note'] has no zh-TW label",
    ),
    "title missing in one language": (
        MODULE,
        '"zh-TW": "各地國產晶片比例"}',
        '"zh-TW": ""}',
        "TITLE has no zh-TW text",
    ),
    "unknown source key": (
        MODULE,
        'SOURCES = ["study2025", "wire2026"]',
        'SOURCES = ["study2025", "wire2026", "nobody2020"]',
        "unknown source key 'nobody2020' in SOURCES",
    ),
    "unknown source key in the data": (
        "content/data/sample-bars.csv",
        "2026-01-08,wire2026\nNationwide",
        "2026-01-08,rumour2026\nNationwide",
        "unknown source key 'rumour2026' in column 'source'",
    ),
    "language column missing its pair": (
        "content/data/sample-bars.csv",
        "item@en,item@zh-TW,",
        "item@en,item_zh,",
        "column 'item' has no item@zh-TW version",
    ),
    "unknown chart id in Markdown": (
        "content/briefs/sample.en.md",
        "```{chart} sample-bars",
        "```{chart} sample-bar",
        "unknown chart id 'sample-bar' (the charts are: sample-bars)",
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_input_is_a_clear_error_and_output_stays(
    case: str, site: Path, build_site: Callable[..., BuildResult]
) -> None:
    assert build_site().ok
    before = _snapshot(site / "output")
    file, old, new, expected = CASES[case]
    _edit(site / file, old, new)
    result = build_site()
    assert not result.ok
    messages = [str(p) for p in result.problems]
    matching = [m for m in messages if expected in m]
    assert matching, messages
    assert matching[0].startswith(file + ":")
    assert _snapshot(site / "output") == before


def test_errors_name_the_line(site: Path, build_site: Callable[..., BuildResult]) -> None:
    module = site / MODULE
    _edit(module, '"note": {"en": "Note", "zh-TW": "附註"}', '"note": {"en": "Note"}')
    _edit(module, '"study2025", "wire2026"]', '"study2025", "wire2026", "nobody2020"]')
    _edit(site / "content/briefs/sample.en.md", "```{chart} sample-bars", "```{chart} sample-bar")
    problems = {p.message: p for p in build_site().problems}
    label = next(p for m, p in problems.items() if "LABELS['note']" in m)
    assert label.line == _line_of(module, '"note": {"en": "Note"}')
    source = next(p for m, p in problems.items() if "nobody2020" in m)
    assert source.line == _line_of(module, "SOURCES =")
    chart = next(p for m, p in problems.items() if "unknown chart id" in m)
    assert chart.line == _line_of(site / "content/briefs/sample.en.md", "```{chart} sample-bar")


def test_a_raising_chart_names_the_raising_line(site: Path, build_site: Callable[..., BuildResult]) -> None:
    module = site / MODULE
    _edit(
        module,
        '    """Build the chart in ctx.lang."""\n',
        '    """Build the chart in ctx.lang."""\n    ctx.label("nope")\n',
    )
    raised = [p for p in build_site().problems if "raised" in p.message]
    assert len(raised) == 2  # once per language
    problem = raised[0]
    assert problem.line == _line_of(module, 'ctx.label("nope")')
    assert "ChartLabelError" in problem.message
    assert "no en label for 'nope'" in problem.message
