"""The sources registry and the glossary: schema checks, each problem with its line."""

from __future__ import annotations

import datetime

import pytest

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
        "content/sources.yaml:2:1: the file is not valid YAML: expected ',' or ']', but got '<stream end>'"
    ]


# Each way YAML lets one value stand for another, or a type be chosen by the
# author, is refused while the file is read, at its line and column.
STRICT_YAML = {
    "repeated field": (
        "- key: a\n  outlet: {en: A, zh-TW: A}\n  outlet: {en: B, zh-TW: B}\n",
        "content/sources.yaml:3:3: the file: key 'outlet' is given twice (first at line 2)",
    ),
    "repeated language": (
        "- key: a\n  outlet: {en: A, en: B}\n",
        "content/sources.yaml:2:19: the file: key 'en' is given twice (first at line 2)",
    ),
    "anchor": (
        "- key: a\n  outlet: &o {en: A, zh-TW: A}\n",
        "content/sources.yaml:2:11: the file: anchors are not allowed (&o): "
        "write each value where it is used",
    ),
    "tag": (
        "- key: a\n  date: !!timestamp 2025-12-10\n",
        "content/sources.yaml:2:9: the file: tags are not allowed (tag:yaml.org,2002:timestamp): "
        "the schema decides each value's type",
    ),
    "python tag": (
        "- key: !!python/object/apply:os.system [ls]\n",
        "content/sources.yaml:1:8: the file: tags are not allowed "
        "(tag:yaml.org,2002:python/object/apply:os.system): the schema decides each value's type",
    ),
}


@pytest.mark.parametrize("case", sorted(STRICT_YAML))
def test_strict_yaml(case: str) -> None:
    text, expected = STRICT_YAML[case]
    assert problems(text) == [expected]
    terms, found = parse_glossary(text, "content/glossary.yaml", LANGS)
    assert terms == {}
    assert [str(p) for p in found] == [expected.replace("sources", "glossary")]


def test_alias() -> None:
    assert problems("- key: a\n  outlet: *o\n") == [
        "content/sources.yaml:2:11: the file: aliases are not allowed (*o): write the value out"
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
