"""Render: one Atom feed per language, with absolute links from ``PUBLIC_URL``."""

from __future__ import annotations

import datetime
import html
import io
from collections.abc import Mapping, Sequence
from typing import Any

from feedgenerator import Atom1Feed

from strictbuild import site_of
from strictbuild.itemdata import record_of


class _StableAtom1Feed(Atom1Feed):
    """An Atom feed whose ``updated`` never comes from the clock (reproducible builds)."""

    def latest_post_date(self) -> datetime.datetime:
        """The newest entry's date; the epoch for a feed without entries."""
        dates = [item["updateddate"] or item["pubdate"] for item in self.items]
        return max(dates, default=datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC))


def _aware(value: datetime.datetime | datetime.date) -> datetime.datetime:
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime(value.year, value.month, value.day)
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


def render_feed(
    briefs: Sequence[Any], *, lang: str, title: str, description: str, settings: Mapping[str, Any]
) -> str:
    """The Atom feed of a language's briefs, newest first (slug breaks ties)."""
    public = str(settings.get("PUBLIC_URL", "")).rstrip("/")
    language = site_of(settings).language(lang)
    path = language.path
    home = f"{public}/{path}/"
    feed = _StableAtom1Feed(
        title=title,
        link=home,
        description=description,
        language=language.html,
        feed_url=f"{home}feed.xml",
        feed_guid=home,
    )
    for brief in sorted(briefs, key=lambda b: (-_aware(b.date).timestamp(), b.slug)):
        link = f"{public}/{brief.url}"
        # The date of the brief's latest update or correction, when it has one.
        updated = getattr(record_of(brief, "updates"), "updated_date", None)
        updated = updated or getattr(brief, "modified", None) or brief.date
        feed.add_item(
            title=brief.title,
            link=link,
            unique_id=link,
            description=html.unescape(str(getattr(brief, "summary", "") or "")),
            pubdate=_aware(brief.date),
            updateddate=_aware(updated),
        )
    out = io.StringIO()
    feed.write(out, "utf-8")
    return out.getvalue()
