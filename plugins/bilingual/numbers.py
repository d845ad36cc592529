"""Parse: the numbers a brief states, for the translation drift check.

A markdown-it plugin, testable without Pelican: ``numbers_plugin(md)`` adds a
core rule that reads the text of every paragraph, heading, list item and
table cell (not code) and records each number it states in
``env["extracted"]["numbers"]`` as ``{"value", "text", "line"}``. Values are
normalised so the two languages compare equal: ``25%``, ``25 %``, ``25 per
cent`` and ``百分之二十五`` are all ``25%``; ``10 December 2025`` and
``2025年12月10日`` are both ``2025-12-10``; ``25 billion`` and ``250億`` are
both ``25000000000``.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

EXTRACTED_KEY = "numbers"

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_CN_DIGITS = {
    char: value
    for value, chars in enumerate(("〇零", "一", "二兩", "三", "四", "五", "六", "七", "八", "九"))
    for char in chars
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMERAL = "[〇零一二兩三四五六七八九十百千]+"
_SCALE = {
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "trillion": 10**12,
    "萬": 10**4,
    "万": 10**4,
    "億": 10**8,
    "亿": 10**8,
    "兆": 10**12,
}
_SCALE_WORDS = r"thousand|million|billion|trillion|bn\b|[萬万億亿兆]"
# A number is not part of a word or an identifier (H200, cna2026, 7nm is fine).
_NUM = r"(?<![A-Za-z0-9_.,\-@/])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("date", re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日號]")),
    ("date", re.compile(r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])")),
    ("date", re.compile(r"(?<!\d)(?P<d>\d{1,2})\s+" + _MONTH + r",?\s+(?P<y>\d{4})(?!\d)", re.I)),
    ("date", re.compile(r"\b" + _MONTH + r"\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})(?!\d)", re.I)),
    ("month", re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?![\d〇零一二三四五六七八九十]*[日號])")),
    ("month", re.compile(r"\b" + _MONTH + r",?\s+(?P<y>\d{4})(?!\d)", re.I)),
    ("day", re.compile(r"(?<![\d年])(?P<m>\d{1,2})月(?P<d>\d{1,2})[日號]")),
    ("day", re.compile(r"(?<!\d)(?P<d>\d{1,2})\s+" + _MONTH + r"(?![a-z]|,?\s+\d{4})", re.I)),
    ("day", re.compile(r"\b" + _MONTH + r"\s+(?P<d>\d{1,2})(?![\d,]|,?\s+\d{4})", re.I)),
    ("monthname", re.compile(r"(?<![\d年])(?P<m>\d{1,2})月(?![\d〇零一二三四五六七八九十]*[日號])")),
    ("monthname", re.compile(r"\b(?P<month>" + "|".join(n.title() for n in _MONTHS if len(n) > 3) + r")\b")),
    ("percent", re.compile(r"百分之(?P<num>\d+(?:\.\d+)?|" + _CN_NUMERAL + ")")),
    ("percent", re.compile(_NUM + r"\s*(?:%|per\s?cent\b)", re.I)),
    ("number", re.compile(_NUM + r"(?:\s*(?P<scale>" + _SCALE_WORDS + "))?", re.I)),
]

# Every pattern above needs a digit, 百分之 or a capitalised month name: text
# without any of them (most of a brief) is skipped with one search.
_MAY_STATE_A_NUMBER = re.compile(
    r"\d|百分之|\b(?:" + "|".join(n.title() for n in _MONTHS if len(n) > 3) + r")\b"
)


def chinese_numeral(text: str) -> int | None:
    """The value of a Chinese numeral below 10 000 (``二十五`` -> 25), or None."""
    total, digit = 0, None
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[char]
            digit = None
        else:
            return None
    return total + (digit or 0)


_CN_NUMERAL_WHOLE = re.compile(_CN_NUMERAL)


def _decimal(text: str) -> Decimal | None:
    if _CN_NUMERAL_WHOLE.fullmatch(text):
        value = chinese_numeral(text)
        return None if value is None else Decimal(value)
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _plain(value: Decimal) -> str:
    # 25.0 and 25 are the same figure; no exponent in messages.
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _value(kind: str, match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    if kind in ("date", "month", "day", "monthname"):
        month = groups.get("m")
        if month is None:
            month = str(_MONTHS[groups["month"].lower().rstrip(".")])
        if kind == "monthname":
            return _MONTH_NAMES[int(month) - 1]
        parts = {"date": (groups.get("y"), month, groups.get("d")), "month": (groups.get("y"), month)}
        chosen = parts.get(kind, (month, groups.get("d")))
        return "-".join(f"{int(p):02d}" if len(p) < 4 else p for p in chosen if p is not None)
    number = _decimal(groups["num"])
    if number is None:
        return None
    if kind == "percent":
        return f"{_plain(number)}%"
    scale = (groups.get("scale") or "").lower()
    return _plain(number * _SCALE.get(scale, 1))


# What each pattern above cannot match without (a character or word it needs),
# so a pattern runs only on text that has it: most text with a digit has no
# date, no month and no percentage, and each pattern costs a pass over it.
# (Every month name starts with one of twelve prefixes; searched in the
# lower-cased text, not with re.I, which is ten times slower.)
_MONTH_PREFIX = re.compile("|".join(sorted({name[:3] for name in _MONTHS})))
_MONTH_TITLE_PREFIX = re.compile("|".join(sorted({name[:3].title() for name in _MONTHS if len(name) > 3})))
_NEEDS = (
    *("月", "-", "month", "month"),  # the four dates
    *("月", "month"),  # months
    *("月", "month", "month"),  # days
    *("月", "Month"),  # month names
    *("百分之", "%"),  # percentages
    "",  # numbers
)


def _patterns_for(text: str) -> list[tuple[str, re.Pattern[str]]]:
    """The patterns of ``_PATTERNS`` that can match in ``text``, in their order."""
    lower = text.lower()
    has = {
        "": True,
        "月": "月" in text,
        "-": "-" in text,
        "百分之": "百分之" in text,
        "%": "%" in text or "per" in lower,
        "month": _MONTH_PREFIX.search(lower) is not None,
        "Month": _MONTH_TITLE_PREFIX.search(text) is not None,
    }
    return [entry for entry, need in zip(_PATTERNS, _NEEDS, strict=True) if has[need]]


def find_numbers(text: str) -> list[tuple[int, str, str]]:
    """Every number stated in ``text``: ``(offset, normalised value, matched text)``."""
    return _find_normalised(unicodedata.normalize("NFKC", text))


def _find_normalised(text: str) -> list[tuple[int, str, str]]:
    if not _MAY_STATE_A_NUMBER.search(text):
        return []
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, str, str]] = []
    for kind, pattern in _patterns_for(text):
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            value = _value(kind, match)
            if value is None:
                continue
            taken.append((start, end))
            found.append((start, value, match.group(0).strip()))
    return sorted(found)


# Line breaks, code and images separate the text around them.
_GAPS = {"softbreak": "\n", "hardbreak": "\n", "code_inline": " ", "image": " "}


def _extract_numbers(state: StateCore) -> None:
    env = state.env
    numbers: list[dict[str, Any]] = env.setdefault("extracted", {}).setdefault(EXTRACTED_KEY, [])
    offset = int(env.get("line_offset", 0))
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        line = (token.map[0] if token.map else 0) + 1 + offset
        # Text split by markup (emphasis, links) is joined so "25" and "%" meet.
        joined = "".join(
            _GAPS.get(child.type, child.content if child.type == "text" else "") for child in token.children
        )
        text = unicodedata.normalize("NFKC", joined)
        for start, value, shown in _find_normalised(text):
            # Offsets are in the normalised text, where breaks are kept as "\n".
            numbers.append({"value": value, "text": shown, "line": line + text[:start].count("\n")})


def numbers_plugin(md: MarkdownIt) -> None:
    """Record the numbers each document states in ``env["extracted"]["numbers"]``."""
    md.core.ruler.push("bilingual_numbers", _extract_numbers)
