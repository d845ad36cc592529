"""Dated updates and corrections of a brief.

A Pelican plugin. Front matter may carry ``updated:`` (a date) and an
``updates:`` list of ``{date, kind, text}`` (kind ``update`` or
``correction``, text in the brief's language). Each brief gets a record,
``item.plugin_data.updates`` (:class:`~.check.UpdatesItem`), whose public
fields other plugins and templates may read: ``updated_date`` (the newest of
``updated`` and its updates' dates, or None) and ``update_log`` (the
entries, oldest first, each with ``date``, ``kind``, ``text`` and
``is_correction``): the brief template shows
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
