"""The sources registry and the glossary: schema checks, each problem with its line."""

from __future__ import annotations

import datetime

from citations import parse_glossary, parse_sources

LANGS = ("en", "zh-TW")
GOOD = """\
- key: cna2026
  outlet: {en: Central News Agency, zh-TW: 中央社}
  carried_by: {en: udn.com, zh-TW: 聯合新聞網}
  headline: {original: "陸專家：美對高端晶片態度變幻不定", en: "Mainland experts: US attitude shifts"}
  language: zh-Hant
  date: 2026-01-08
  date_certainty: exact
  url: null
  reliability: {en: A wire report., zh-TW: 通訊社報導。}
"""


def problems(text: str) -> list[str]:
    return [str(p) for p in parse_sources(text, "content/sources.yaml", LANGS)[1]]


def test_a_valid_entry() -> None:
    sources, found = parse_sources(GOOD, "content/sources.yaml", LANGS)
    assert found == []
    source = sources["cna2026"]
    assert source.date == datetime.date(2026, 1, 8)
    assert source.outlet == {"en": "Central News Agency", "zh-TW": "中央社"}
    assert source.url is None
    assert (source.path, source.line) == ("content/sources.yaml", 1)


def test_missing_required_field() -> None:
    text = GOOD.replace("  date_certainty: exact\n", "")
    assert problems(text) == ["content/sources.yaml:1: entry is missing the required field 'date_certainty'"]


def test_invalid_date_names_its_line() -> None:
    text = GOOD.replace("2026-01-08", "2026-13-40")
    assert problems(text) == ["content/sources.yaml:6: 'date' is not a valid date (YYYY-MM-DD): '2026-13-40'"]


def test_duplicate_key_names_both_lines() -> None:
    text = GOOD + "\n" + GOOD
    assert problems(text) == [
        "content/sources.yaml:11: duplicate source key 'cna2026' (first defined at line 1)"
    ]


def test_every_problem_is_listed_together() -> None:
    text = (
        GOOD.replace("  language: zh-Hant\n", "  language: zh-Hant\n  colour: red\n")
        .replace("outlet: {en: Central News Agency, zh-TW: 中央社}", "outlet: {en: Central News Agency}")
        .replace("exact", "sure")
    )
    assert problems(text) == [
        "content/sources.yaml:6: unknown field 'colour' (known: key, outlet, carried_by, author, headline, "
        "language, date, date_certainty, date_note, url, archived_url, reliability, notes)",
        "content/sources.yaml:2: 'outlet' is missing zh-TW",
        "content/sources.yaml:8: 'date_certainty' must be one of exact, approximate, on-or-before, "
        "got 'sure'",
    ]


def test_invented_address_must_be_an_address() -> None:
    text = GOOD.replace("url: null", "url: somewhere")
    assert problems(text) == ["content/sources.yaml:8: 'url' must be an http(s) address, got 'somewhere'"]


def test_not_a_list() -> None:
    assert problems("key: x\n") == [
        "content/sources.yaml:1: the file must be a YAML list of entries ('- key: ...')"
    ]


def test_yaml_syntax_error() -> None:
    assert problems("- key: [x\n") == [
        "content/sources.yaml:2: not valid YAML: expected ',' or ']', but got '<stream end>'"
    ]


def test_glossary_entries_and_problems() -> None:
    text = (
        "- key: nvidia\n  term: {en: NVIDIA, zh-TW: 輝達}\n"
        "  definition: {en: A chip designer., zh-TW: 晶片設計公司。}\n"
        "- key: nvidia\n  term: {en: NVIDIA, zh-TW: 輝達}\n"
        "  definition: {en: again, zh-TW: 再次}\n"
        "- key: smic\n  term: {en: SMIC}\n"
        "  definition: {en: A foundry., zh-TW: 晶圓代工廠。}\n"
    )
    terms, found = parse_glossary(text, "content/glossary.yaml", LANGS)
    assert list(terms) == ["nvidia"]
    assert terms["nvidia"].term["zh-TW"] == "輝達"
    assert [str(p) for p in found] == [
        "content/glossary.yaml:4: duplicate glossary key 'nvidia' (first defined at line 1)",
        "content/glossary.yaml:8: 'term' is missing zh-TW",
    ]
