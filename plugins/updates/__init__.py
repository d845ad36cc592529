"""Dated updates and corrections of a brief.

A Pelican plugin. Front matter may carry ``updated:`` (a date) and an
``updates:`` list of ``{date, kind, text}`` (kind ``update`` or
``correction``, text in the brief's language). Each brief gets
``updated_date`` (the newest of ``updated`` and its updates' dates) and
``update_log`` (the entries, oldest first): the brief template shows
"Updated ..." under the title and the log at the end; the feed, the
sitemap and "Cite this" carry the date. The two languages of a brief must
record the same corrections (same dates), like any other translation drift.
"""

from __future__ import annotations

from pelican import signals

from .check import attach_updates, check_corrections_agree


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.content_object_init.connect(attach_updates)
    signals.all_generators_finalized.connect(check_corrections_agree)
