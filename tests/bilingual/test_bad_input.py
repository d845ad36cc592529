"""Bad bilingual content stops the build with path:line errors; output/ stays."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support import brief as page
from tests.support import build_content, tree_digest, write_site


def brief(slug: str, lang: str, **fields: str) -> str:
    """A brief: a page with a date (line 6) and any further fields after it."""
    return page(slug, lang, date="2025-12-10", **fields)


GOOD = {
    "pages/about.en.md": page("about", "en", title="About"),
    "pages/about.zh-TW.md": page("about", "zh-TW", title="關於"),
}

# name: (files added to a good site, patterns every one of which a problem must match)
BAD_INPUTS: dict[str, tuple[dict[str, str], list[str]]] = {
    "brief with no partner": (
        {"briefs/lonely.en.md": brief("lonely", "en")},
        [r"^content/briefs/lonely\.en\.md:3: no zh-TW translation of 'lonely': .*lonely\.zh-TW\.md"],
    ),
    "partner with a different slug spelling": (
        {
            "briefs/h200-reversal.en.md": brief("h200-reversal", "en"),
            "briefs/h200-reversal.zh-TW.md": brief("h200-reversl", "zh-TW"),
        },
        [
            r"^content/briefs/h200-reversal\.en\.md:3: no zh-TW translation of 'h200-reversal'.*"
            r"content/briefs/h200-reversal\.zh-TW\.md has slug 'h200-reversl'",
            r"^content/briefs/h200-reversal\.zh-TW\.md:3: no en translation of 'h200-reversl'.*"
            r"content/briefs/h200-reversal\.en\.md has slug 'h200-reversal'",
        ],
    ),
    "unknown lang code": (
        {"briefs/x.fr.md": brief("x", "fr")},
        [r"^content/briefs/x\.fr\.md:4: unknown language 'fr'"],
    ),
    "drift in a percentage": (
        {
            "briefs/share.en.md": brief("share", "en", body="A 25% share goes to the government."),
            "briefs/share.zh-TW.md": brief("share", "zh-TW", body="政府分得百分之十五。"),
        },
        [
            r"^content/briefs/share\.en\.md:9: translation drift: the number 25% is in this file but not "
            r"in its zh-TW translation content/briefs/share\.zh-TW\.md",
            r"^content/briefs/share\.zh-TW\.md:9: translation drift: "
            r"the number 百分之十五 \(15%\) is in this file "
            r"but not in its en translation content/briefs/share\.en\.md",
        ],
    ),
    "draft partner of a published brief": (
        {
            "briefs/soon.en.md": brief("soon", "en"),
            "briefs/soon.zh-TW.md": brief("soon", "zh-TW", draft="true"),
        },
        [
            r"^content/briefs/soon\.en\.md:3: no zh-TW translation of 'soon': "
            r"content/briefs/soon\.zh-TW\.md is a draft"
        ],
    ),
    "acknowledgement without a reason": (
        {
            "briefs/ack.en.md": brief("ack", "en", body="In 2025.", drift_ack='[{value: "2025"}]'),
            "briefs/ack.zh-TW.md": brief("ack", "zh-TW", body="去年。"),
        },
        [r"^content/briefs/ack\.en\.md:7: each 'drift_ack' entry needs a 'value' and a 'reason'"],
    ),
    "acknowledgement of no difference": (
        {
            "briefs/ack.en.md": brief(
                "ack", "en", body="In 2025.", drift_ack='[{value: "30%", reason: "rounded"}]'
            ),
            "briefs/ack.zh-TW.md": brief("ack", "zh-TW", body="2025年。"),
        },
        [r"^content/briefs/ack\.en\.md:7: 'drift_ack' accepts '30%', but .* do not differ in it"],
    ),
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_stops_the_build_and_keeps_the_output(tmp_path: Path, name: str) -> None:
    content = write_site(tmp_path, GOOD)
    output = tmp_path / "output"
    assert build_content(content, output).ok
    before = tree_digest(output)
    added, patterns = BAD_INPUTS[name]
    write_site(tmp_path, added)
    result = build_content(content, output)
    assert not result.ok
    shown = [str(p) for p in result.problems]
    for pattern in patterns:
        assert any(re.search(pattern, line) for line in shown), f"{pattern!r} not in {shown}"
    assert tree_digest(output) == before


def test_an_acknowledged_drift_builds(tmp_path: Path) -> None:
    content = write_site(
        tmp_path,
        {
            **GOOD,
            "briefs/share.en.md": brief(
                "share",
                "en",
                body="A 25% share goes to the government.",
                drift_ack='[{value: "25 %", reason: "The Chinese copy gives no figure."}]',
            ),
            "briefs/share.zh-TW.md": brief("share", "zh-TW", body="政府分得部分收益。"),
        },
    )
    result = build_content(content, tmp_path / "output")
    assert result.ok, result.problems


def test_a_lone_draft_needs_no_partner_and_is_not_published(tmp_path: Path) -> None:
    content = write_site(tmp_path, {**GOOD, "briefs/soon.en.md": brief("soon", "en", draft="true")})
    result = build_content(content, tmp_path / "output")
    assert result.ok, result.problems
    assert not (tmp_path / "output" / "en" / "soon").exists()
