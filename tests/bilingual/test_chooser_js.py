"""The chooser's decision, run in Node: remembered choice, then navigator.languages."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.support import ROOT

SCRIPT = ROOT / "theme" / "static" / "js" / "language.js"
AVAILABLE = [{"path": "en", "html": "en"}, {"path": "zh-tw", "html": "zh-Hant-TW"}]


THREE = [*AVAILABLE, {"path": "zh-cn", "html": "zh-Hans-CN"}]


def choose(
    stored: str | None, preferred: list[str], available: list[dict[str, str]] = AVAILABLE
) -> str | None:
    program = (
        f"const {{chooseLanguage}} = require({json.dumps(str(SCRIPT))});"
        f"process.stdout.write(JSON.stringify(chooseLanguage({json.dumps(stored)}, "
        f"{json.dumps(preferred)}, {json.dumps(available)})));"
    )
    run = subprocess.run(["node", "-e", program], capture_output=True, text=True, check=True)
    result = json.loads(run.stdout)
    assert result is None or isinstance(result, str)
    return result


@pytest.mark.parametrize(
    ("stored", "preferred", "expected"),
    [
        (None, ["zh-TW", "en"], "zh-tw"),
        (None, ["zh-Hant-TW"], "zh-tw"),
        (None, ["zh-HK", "en"], "zh-tw"),
        (None, ["en-US", "zh-TW"], "en"),
        (None, ["fr-FR", "en"], "en"),
        (None, ["fr-FR"], None),
        (None, [], None),
        ("en", ["zh-TW"], "en"),
        ("zh-tw", ["en"], "zh-tw"),
        ("klingon", ["en"], "en"),
    ],
)
def test_choose_language(stored: str | None, preferred: list[str], expected: str | None) -> None:
    assert choose(stored, preferred) == expected


@pytest.mark.parametrize(
    ("preferred", "expected"),
    [
        (["zh-CN"], "zh-cn"),
        (["zh-Hans"], "zh-cn"),
        (["zh-Hans-SG"], "zh-cn"),
        (["zh-Hant"], "zh-tw"),
        (["zh-TW"], "zh-tw"),
        (["zh-HK"], "zh-tw"),
        (["en-GB"], "en"),
    ],
)
def test_choose_among_three_languages(preferred: list[str], expected: str) -> None:
    assert choose(None, preferred, THREE) == expected
