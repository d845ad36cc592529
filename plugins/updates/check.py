"""Parse and check: a brief's update log, and that its languages agree on corrections."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from strictbuild import ContentError, display_path, problem_log
from strictbuild.itemdata import item_data, record_of
from strictbuild.settings import plugin_enabled

KINDS = ("update", "correction")
NAME = "updates"


@dataclass(frozen=True)
class UpdateEntry:
    """One dated entry of a brief's update log."""

    date: datetime.date
    kind: str  # "update" or "correction"
    text: str

    @property
    def is_correction(self) -> bool:
        """True for a correction (which both languages must record)."""
        return self.kind == "correction"


@dataclass
class UpdatesItem:
    """What the updates plugin adds to a brief or page (``item.plugin_data.updates``)."""

    NAME: ClassVar[str] = "updates"

    #: the newest of ``updated`` and the updates' dates; None when never updated
    updated_date: datetime.date | None = None
    #: the entries of its update log, oldest first
    update_log: list[UpdateEntry] = field(default_factory=list)


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def parse_updates(
    metadata: Mapping[str, Any], path: str
) -> tuple[datetime.date | None, list[UpdateEntry], list[ContentError]]:
    """``(updated date, entries oldest first, problems)`` from a brief's front matter."""
    lines: Mapping[str, int] = metadata.get("source_lines") or {}
    problems: list[ContentError] = []

    def problem(key: str, message: str) -> None:
        problems.append(ContentError(path, int(lines.get(key, 1)), message))

    entries: list[UpdateEntry] = []
    raw = metadata.get("updates")
    if raw is not None and not isinstance(raw, list):
        problem("updates", "'updates' must be a list of {date, kind, text}")
        raw = []
    for number, item in enumerate(raw or [], start=1):
        where = f"updates entry {number}"
        if not isinstance(item, Mapping):
            problem("updates", f"{where} must be a mapping with date, kind and text")
            continue
        unknown = sorted(set(item) - {"date", "kind", "text"})
        if unknown:
            problem("updates", f"{where} has unknown field(s) {', '.join(unknown)} (known: date, kind, text)")
        day = _date(item.get("date"))
        kind = item.get("kind")
        text = item.get("text")
        if day is None:
            problem("updates", f"{where}: 'date' must be a date (YYYY-MM-DD), not {item.get('date')!r}")
        if kind not in KINDS:
            problem("updates", f"{where}: 'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
        if not isinstance(text, str) or not text.strip():
            problem("updates", f"{where}: 'text' must say what changed")
        if day is not None and kind in KINDS and isinstance(text, str) and text.strip():
            entries.append(UpdateEntry(day, str(kind), text.strip()))
    entries.sort(key=lambda entry: (entry.date, KINDS.index(entry.kind), entry.text))
    published = _date(metadata.get("date"))
    updated = _date(metadata["updated"]) if metadata.get("updated") is not None else None
    if metadata.get("updated") is not None and updated is None:
        problem("updated", f"'updated' must be a date (YYYY-MM-DD), not {metadata.get('updated')!r}")
    newest = max((entry.date for entry in entries), default=None)
    if updated is not None and newest is not None and updated < newest:
        problem("updated", f"'updated' ({updated}) is older than the newest entry of 'updates' ({newest})")
    updated = max(d for d in (updated, newest) if d is not None) if (updated or newest) else None
    for entry in entries:
        if published is not None and entry.date < published:
            problem(
                "updates",
                f"an entry of 'updates' ({entry.date}) is older than the brief's date ({published})",
            )
    if updated is not None and published is not None and updated < published:
        problem("updated", f"'updated' ({updated}) is older than the brief's date ({published})")
    return updated, entries, problems


def attach_updates(content: Any) -> None:
    """Give a brief or page its ``updated_date`` and ``update_log`` (both empty when none)."""
    metadata = getattr(content, "metadata", {}) or {}
    settings = getattr(content, "settings", None) or {}
    record = item_data(content, UpdatesItem)
    if not plugin_enabled(settings, NAME):
        return
    path = display_path(str(getattr(content, "source_path", "") or ""), settings)
    updated, entries, problems = parse_updates(metadata, path)
    if problems and settings:
        problem_log(settings).extend(problems)
    record.updated_date = updated
    record.update_log = entries


def corrections(item: Any) -> list[datetime.date]:
    """The dates of an item's corrections, oldest first."""
    log = getattr(record_of(item, NAME), "update_log", None) or []
    return [entry.date for entry in log if entry.is_correction]


def check_corrections_agree(generators: Any) -> None:
    """Stop the build when a brief's languages record different corrections."""
    for generator in generators:
        items = list(getattr(generator, "articles", []) or []) + list(getattr(generator, "pages", []) or [])
        if not items:
            continue
        settings = generator.settings
        if not plugin_enabled(settings, NAME):
            return
        by_slug: dict[str, list[Any]] = {}
        for item in items:
            for version in [item, *getattr(item, "translations", [])]:
                by_slug.setdefault(str(version.slug), [])
                if version not in by_slug[str(version.slug)]:
                    by_slug[str(version.slug)].append(version)
        for versions in by_slug.values():
            _compare(versions, settings)


def _compare(versions: list[Any], settings: Any) -> None:
    if len(versions) < 2:
        return
    first, *others = sorted(versions, key=lambda v: str(v.lang))
    for other in others:
        mine, theirs = corrections(first), corrections(other)
        if mine == theirs:
            continue
        lines: Mapping[str, int] = other.metadata.get("source_lines") or {}
        path = display_path(str(other.source_path), settings)
        problem_log(settings).add(
            ContentError(
                path,
                int(lines.get("updates", 1)),
                f"translation drift: corrections dated {[str(d) for d in theirs]} here, "
                f"{[str(d) for d in mine]} in the {first.lang} version "
                f"({display_path(str(first.source_path), settings)}); "
                "both languages must record the same corrections",
            )
        )
