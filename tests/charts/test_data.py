"""A chart's CSV is read strictly: each problem at its file, line and column.

The unit cases feed ``check_csv`` directly; the build cases prove that a
bad data file stops the build of the charts fixture site and leaves its
output byte for byte as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from charts.data import ColumnKind, check_csv, declared_columns
from strictbuild.driver import BuildResult
from tests.support import tree_digest

PATH = "content/data/sample.csv"
LANGS = ["en", "zh-TW"]
DECLARED: dict[str, ColumnKind] = {"item": "text", "share": "number", "when": "date"}
HEADER = "item@en,item@zh-TW,share,when\n"


def problems(text: str | bytes) -> list[str]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return [str(p) for p in check_csv(data, PATH, languages=LANGS, declared=DECLARED).problems]


CASES: dict[str, tuple[str | bytes, list[str]]] = {
    "short row": (
        HEADER + "A,甲,1,2025-12-08\nB,乙,2\n",
        [f"{PATH}:3:6: the row has 3 cells, fewer than the header's 4"],
    ),
    "long row": (
        HEADER + "A,甲,1,2025-12-08,extra\n",
        [f"{PATH}:2:18: the row has 5 cells, more than the header's 4"],
    ),
    "stray quote": (
        HEADER + 'A,"甲"x,1,2025-12-08\n',
        [f"{PATH}:2:6: the data file is not valid CSV: ',' expected after '\"'"],
    ),
    "quote inside an unquoted cell": (
        HEADER + 'A,5" disc,1,2025-12-08\n',
        [
            f"{PATH}:2:4: a quote inside an unquoted cell of column 'item@zh-TW': "
            'write the cell as "...""..."'
        ],
    ),
    "unclosed quote": (
        HEADER + 'A,甲,1,2025-12-08\nB,"乙,2,2026-01-08\nC,丙,3,2026-01-09\n',
        [f"{PATH}:3:3: the data file is not valid CSV: a quoted cell is never closed"],
    ),
    "number column with text": (
        HEADER + "A,甲,1,2025-12-08\nB,乙,about 2,2026-01-08\n",
        [f"{PATH}:3:5: column 'share' holds numbers; got 'about 2'"],
    ),
    "date column with a day that does not exist": (
        HEADER + "A,甲,1,2025-02-30\n",
        [f"{PATH}:2:7: column 'when' holds ISO dates (YYYY-MM-DD); got '2025-02-30'"],
    ),
    "date column with a local date": (
        HEADER + "A,甲,1,08/12/2025\n",
        [f"{PATH}:2:7: column 'when' holds ISO dates (YYYY-MM-DD); got '08/12/2025'"],
    ),
    "type error after a multi-line cell": (
        HEADER + '"A\nsecond line",甲,x,2025-12-08\n',
        [f"{PATH}:3:16: column 'share' holds numbers; got 'x'"],
    ),
    "column twice": (
        "item@en,item@zh-TW,share,when,share\nA,甲,1,2025-12-08,2\n",
        [f"{PATH}:1:31: column 'share' appears twice in the header"],
    ),
    "blank line": (
        HEADER + "A,甲,1,2025-12-08\n\nB,乙,2,2026-01-08\n",
        [f"{PATH}:3:1: a blank line in the data: every row needs its cells"],
    ),
    "not UTF-8": (
        HEADER.encode() + b"A,\xe7\x94,1,2025-12-08\n",
        [f"{PATH}:2:3: the data file is not UTF-8 (byte 0xe7)"],
    ),
    "control character": (
        HEADER + "A,甲\x0b,1,2025-12-08\n",
        [f"{PATH}:2:4: the data file contains a control character (U+000B control character)"],
    ),
    "language column missing its partner": (
        "item@en,share,when\nA,1,2025-12-08\n",
        [f"{PATH}:1:1: column 'item' has no item@zh-TW version"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_csv(case: str) -> None:
    text, expected = CASES[case]
    assert problems(text) == expected


def test_good_csv_with_bom_crlf_quotes_and_empty_cells() -> None:
    text = "\ufeff" + HEADER.replace("\n", "\r\n") + '"A, quoted ""x""",甲,1.5,2025-12-08\r\nB,乙,,\r\n'
    assert problems(text) == []


def test_declared_columns_come_from_the_module_encodings() -> None:
    source = (
        "import altair as alt\n"
        "def chart(ctx):\n"
        "    return alt.Chart().encode(\n"
        "        x=alt.X('share:Q'), y='item:N',\n"
        "        color=alt.Color('when', type='temporal'), tooltip=['item:O'],\n"
        "    )\n"
    )
    assert declared_columns(source) == {"share": "number", "item": "text", "when": "date"}


# name: (new CSV text of the fixture chart, expected "path:line:column: message")
BUILD_CASES = {
    "short row": (
        "item@en,item@zh-TW,share,note@en,note@zh-TW,when,source\nShanghai,上海,70,Hope,期望,2026-01-08\n",
        "content/data/sample-bars.csv:2:34: the row has 6 cells, fewer than the header's 7",
    ),
    "broken quote": (
        'item@en,item@zh-TW,share,note@en,note@zh-TW,when,source\nShanghai,"上海"x,70,Hope,期望,2026-01-08,wire2026\n',
        "content/data/sample-bars.csv:2:14: the data file is not valid CSV: ',' expected after '\"'",
    ),
    "number column with text": (
        "item@en,item@zh-TW,share,note@en,note@zh-TW,when,source\nShanghai,上海,seventy,Hope,期望,2026-01-08,wire2026\n",
        "content/data/sample-bars.csv:2:13: column 'share' holds numbers; got 'seventy'",
    ),
    "date column with text": (
        "item@en,item@zh-TW,share,note@en,note@zh-TW,when,source\nShanghai,上海,70,Hope,期望,January,wire2026\n",
        "content/data/sample-bars.csv:2:24: column 'when' holds ISO dates (YYYY-MM-DD); got 'January'",
    ),
}


@pytest.mark.parametrize("case", sorted(BUILD_CASES))
def test_bad_csv_stops_the_build(case: str, site: Path, build_site: Callable[..., BuildResult]) -> None:
    first = build_site()
    assert first.ok, first.problems
    before = tree_digest(site / "output")
    text, expected = BUILD_CASES[case]
    (site / "content" / "data" / "sample-bars.csv").write_text(text, encoding="utf-8")
    result = build_site()
    assert not result.ok
    assert expected in [str(p) for p in result.problems]
    assert tree_digest(site / "output") == before


def test_control_character_in_a_chart_module_stops_the_build(
    site: Path, build_site: Callable[..., BuildResult]
) -> None:
    first = build_site()
    assert first.ok, first.problems
    before = tree_digest(site / "output")
    module = site / "content" / "charts" / "sample_bars.py"
    module.write_text(
        module.read_text(encoding="utf-8").replace("Fixture data,", "Fixture\x1b data,"), "utf-8"
    )
    result = build_site()
    assert "content/charts/sample_bars.py:17:24: the chart module contains a control character (U+001B" in (
        " ".join(str(p) for p in result.problems)
    )
    assert tree_digest(site / "output") == before
