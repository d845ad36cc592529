"""Resolve: catch translation drift between the two versions of a brief or page.

For each pair the citation keys used, the chart ids placed and the numbers
stated must agree. Each difference is reported at the line where the value
appears, naming both files. An intended difference is acknowledged in either
file's front matter::

    drift_ack:
      - value: "25%"
        reason: The Chinese text rounds the share.

What is compared comes from every provider of the comparables protocol
(:mod:`strictbuild.comparables`): the citations plugin's source keys, the
charts plugin's chart ids, and the numbers of :mod:`bilingual.numbers`,
offered below. The check knows none of the plugins that provide them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from markdown_reader import source_line, source_path_of
from strictbuild import ContentError, all_content, problem_log
from strictbuild.comparables import Comparable, comparables_of, extracted_facts, provide_comparables
from strictbuild.kept import KeptValues
from strictbuild.reuse import code_digest, source_digest

from .numbers import EXTRACTED_KEY, find_numbers
from .pairing import group_translations

ACK_FIELD = "drift_ack"


def numbers(item: Any) -> Iterator[Comparable]:
    """The numbers a brief or page states (found by :mod:`bilingual.numbers`), as comparable facts."""
    for entry in extracted_facts(item, EXTRACTED_KEY):
        value = str(entry.get("value", ""))
        yield Comparable("number", value, int(entry.get("line", 1)), str(entry.get("text", value)))


provide_comparables("bilingual.numbers", numbers)


def stated_values(item: Any) -> dict[tuple[str, str], Comparable]:
    """What a file states, by (kind, value), at the first line it appears."""
    found: dict[tuple[str, str], Comparable] = {}
    for fact in comparables_of(item):
        if fact.value and (fact.kind, fact.value) not in found:
            found[(fact.kind, fact.value)] = fact
    return found


@dataclass(frozen=True)
class Ack:
    """One ``drift_ack`` entry: the text written, what it accepts, where."""

    text: str
    values: frozenset[str]
    path: str
    line: int


def acknowledged(item: Any, problems: list[ContentError]) -> list[Ack]:
    """The entries of a file's ``drift_ack``; malformed entries become problems."""
    raw = item.metadata.get(ACK_FIELD)
    if raw is None:
        return []
    line = source_line(item, ACK_FIELD)
    path = source_path_of(item)
    acks: list[Ack] = []
    for entry in raw if isinstance(raw, list) else [raw]:
        if not isinstance(entry, dict) or not entry.get("value") or not str(entry.get("reason", "")).strip():
            problems.append(
                ContentError(
                    path,
                    line,
                    f"each '{ACK_FIELD}' entry needs a 'value' and a 'reason', got {entry!r}",
                )
            )
            continue
        text = str(entry["value"])
        # "25 %" acknowledges the number 25%, whatever its spelling.
        values = {text} | {value for _start, value, _shown in find_numbers(text)}
        acks.append(Ack(text, frozenset(values), path, line))
    return acks


def _describe(stated: Comparable) -> str:
    if stated.kind == "number" and stated.written != stated.value:
        return f"the number {stated.written} ({stated.value})"
    return f"the {stated.kind} {stated.value}"


def compare_pair(first: Any, second: Any) -> list[ContentError]:
    """Every unacknowledged difference between two translations of one brief or page."""
    problems: list[ContentError] = []
    acks = acknowledged(first, problems) + acknowledged(second, problems)
    accepted = {value for ack in acks for value in ack.values}
    used: set[str] = set()
    first_values, second_values = stated_values(first), stated_values(second)
    for here, there, mine, theirs in (
        (first, second, first_values, second_values),
        (second, first, second_values, first_values),
    ):
        for key, stated in sorted(mine.items(), key=lambda kv: kv[1].line):
            if key in theirs:
                continue
            if stated.value in accepted:
                used.add(stated.value)
                continue
            problems.append(
                ContentError(
                    source_path_of(here),
                    stated.line,
                    f"translation drift: {_describe(stated)} is in this file "
                    f"but not in its {there.lang} translation {source_path_of(there)} "
                    f"(fix one of them, or acknowledge it under '{ACK_FIELD}' with a reason)",
                )
            )
    for ack in acks:
        if not ack.values & used:
            problems.append(
                ContentError(
                    ack.path,
                    ack.line,
                    f"'{ACK_FIELD}' accepts {ack.text!r}, but {source_path_of(first)} and "
                    f"{source_path_of(second)} do not differ in it: remove the entry",
                )
            )
    return problems


#: The pairs found in agreement by the last build, by a digest of what they were compared from.
CHECKED_FILE = "drift-checked"


def check_drift(generators: list[Any]) -> None:
    """Compare every pair of translations and log each drift as a problem.

    What a pair states comes from parsing its two files (every provider reads
    what its plugin's syntax recorded), so a pair found in agreement is not
    compared again while both files, their paths and the code and settings
    are unchanged (``CACHE_PATH/drift-checked``, a
    :class:`strictbuild.kept.KeptValues`); a pair with a drift is compared on
    every build. With ``STRICTBUILD_VERIFY_REUSE=1`` every pair is compared.
    """
    if not generators:
        return
    settings = generators[0].settings
    log = problem_log(settings)
    items = all_content(generators)
    checked = KeptValues.open(settings, CHECKED_FILE)
    base = hashlib.blake2b(b"drift 1\0" + code_digest(settings), digest_size=20).digest() if checked else b""
    for group in group_translations(items).values():
        for first, second in combinations(list(group.values()), 2):
            log.extend(_compared(first, second, checked, base))
    if checked is not None:
        checked.save()
    # The numbers (a record per number stated) serve this check alone, and
    # the content cache was saved before it: keep them no longer.
    for item in items:
        extracted = item.metadata.get("extracted")
        if isinstance(extracted, dict):
            extracted.pop(EXTRACTED_KEY, None)


def _pair_key(base: bytes, first: Any, second: Any) -> bytes | None:
    """The digest of what comparing ``first`` and ``second`` reads; None if a file cannot be read."""
    digest = hashlib.blake2b(base, digest_size=20)
    for item in (first, second):
        path = str(getattr(item, "source_path", "") or "")
        found = source_digest(path) if path else b"-"
        if found == b"-":
            return None
        encoded = path.encode("utf-8", "surrogatepass")
        digest.update(b"%d:" % len(encoded) + encoded + found)
    return digest.digest()


def _compared(first: Any, second: Any, checked: KeptValues | None, base: bytes) -> list[ContentError]:
    """:func:`compare_pair`'s problems, or none when the pair was found in agreement from the same inputs."""
    if checked is None:
        return compare_pair(first, second)
    key = _pair_key(base, first, second)
    agreed = key is not None and checked.get(key) is not None
    if agreed and not checked.verify:
        return []
    since = checked.mark()
    problems = compare_pair(first, second)
    if key is not None and not problems:
        checked.put(key, b"", since)
    if agreed and problems and key is not None:
        checked.drop(key)  # else the next build, not verifying, would skip the pair again
        problems.append(
            ContentError(
                source_path_of(first),
                1,
                "internal error: this pair of translations was found in agreement by the previous build, "
                "but comparing it again finds a drift: the check's digest misses something it reads",
            )
        )
    return problems
