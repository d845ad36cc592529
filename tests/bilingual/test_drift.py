"""The drift check on extracted citations, charts and numbers, without Pelican."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

# The plugins whose facts are compared offer them when imported.
import charts.comparables  # noqa: F401
import citations.api  # noqa: F401
from bilingual.drift import check_drift, compare_pair
from strictbuild import problem_log


def translation(lang: str, extracted: dict[str, Any], **metadata: Any) -> SimpleNamespace:
    return SimpleNamespace(
        lang=lang,
        source_path=f"content/briefs/x.{lang}.md",
        settings=None,
        extracted=extracted,
        metadata={"extracted": extracted, "source_lines": {"drift_ack": 6}, **metadata},
    )


def test_citation_keys_and_chart_ids_must_agree() -> None:
    en = translation(
        "en",
        {"citations": [{"key": "cna2026", "line": 9}], "charts": [{"id": "h200-timeline", "line": 12}]},
    )
    zh = translation("zh-TW", {"citations": [{"key": "analysis2025", "line": 10}], "charts": []})
    shown = [str(p) for p in sorted(compare_pair(en, zh))]
    assert len(shown) == 3
    assert shown[0].startswith(
        "content/briefs/x.en.md:9: translation drift: the citation cna2026 is in this file"
    )
    assert "content/briefs/x.zh-TW.md" in shown[0]
    assert shown[1].startswith("content/briefs/x.en.md:12: translation drift: the chart h200-timeline")
    assert shown[2].startswith("content/briefs/x.zh-TW.md:10: translation drift: the citation analysis2025")


def test_missing_extracted_lists_are_not_drift() -> None:
    assert compare_pair(translation("en", {}), translation("zh-TW", {"numbers": []})) == []


def test_an_acknowledged_citation_is_not_drift() -> None:
    en = translation(
        "en",
        {"citations": [{"key": "cna2026", "line": 9}]},
        drift_ack=[{"value": "cna2026", "reason": "cited in the Chinese caption instead"}],
    )
    assert compare_pair(en, translation("zh-TW", {})) == []


def test_the_check_reports_drift_then_lets_go_of_the_numbers() -> None:
    en = translation("en", {"numbers": [{"value": "25%", "text": "25%", "line": 9}], "citations": []})
    zh = translation("zh-TW", {"numbers": [{"value": "30%", "text": "30%", "line": 9}], "citations": []})
    for item in (en, zh):
        item.slug, item.status = "x", "published"
    settings: dict[str, Any] = {}
    check_drift([SimpleNamespace(settings=settings, articles=[en, zh])])
    shown = sorted(str(p) for p in problem_log(settings).problems)
    assert len(shown) == 2, shown
    assert "the number 25%" in shown[0] or "the number 25%" in shown[1], shown
    for item in (en, zh):
        assert item.metadata["extracted"] == {"citations": []}, item.metadata["extracted"]
