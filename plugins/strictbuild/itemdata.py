"""What plugins add to a brief or page, in one typed place: ``item.plugin_data``.

Pelican's Article and Page objects carry one attribute from the project's
plugins, ``plugin_data`` (an :class:`ItemData`), holding one record per
plugin: a dataclass the plugin owns, named by its ``NAME``::

    @dataclass
    class UpdatesItem:
        NAME: ClassVar[str] = "updates"
        updated_date: datetime.date | None = None

    item_data(item, UpdatesItem).updated_date = day        # the owning plugin
    {{ article.plugin_data.updates.updated_date }}          # a template

A plugin's README lists the fields others may read. A record no plugin made
reads as None (in a template, as a missing value), so a site without that
plugin renders as if the field were empty.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol, TypeVar

__all__ = ["ATTRIBUTE", "ItemData", "ItemRecord", "item_data", "record_of"]

#: The one attribute the project's plugins add to a brief or page.
ATTRIBUTE = "plugin_data"


class ItemRecord(Protocol):
    """A plugin's record for one brief or page: a dataclass with a ``NAME``."""

    NAME: ClassVar[str]


R = TypeVar("R", bound=ItemRecord)


class ItemData:
    """The records plugins keep for one brief or page, by plugin name."""

    def __init__(self) -> None:
        self._records: dict[str, Any] = {}

    def record(self, kind: type[R]) -> R:
        """The ``kind`` record, made on first use."""
        found = self._records.get(kind.NAME)
        if found is None:
            found = self._records[kind.NAME] = kind()
        if not isinstance(found, kind):
            raise TypeError(
                f"plugin_data.{kind.NAME} is a {type(found).__qualname__}, not a {kind.__qualname__}"
            )
        return found

    def __getattr__(self, name: str) -> Any:
        # Templates read ``plugin_data.<name>``: None when that plugin kept nothing.
        if name.startswith("__"):
            raise AttributeError(name)
        return self.__dict__.get("_records", {}).get(name)

    def __repr__(self) -> str:
        return f"ItemData({', '.join(sorted(self._records))})"


def item_data(item: Any, kind: type[R]) -> R:
    """The ``kind`` record of ``item`` (a brief or page), made on first use."""
    data = item.__dict__.get(ATTRIBUTE)
    if not isinstance(data, ItemData):
        data = ItemData()
        setattr(item, ATTRIBUTE, data)
    return data.record(kind)


def record_of(item: Any, name: str) -> Any:
    """The record the plugin ``name`` keeps for ``item``, or None (for plugins that only read it)."""
    data = getattr(item, "__dict__", {}).get(ATTRIBUTE)
    return getattr(data, name) if isinstance(data, ItemData) else None
