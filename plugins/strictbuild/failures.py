"""What went wrong in a build, as ``path:line: message`` problems.

Pelican's warnings, an exception no plugin turned into a content problem,
a settings file that cannot be read and a full disk are each reported as a
:class:`~strictbuild.problems.ContentError` naming the file being processed,
never as a traceback.
"""

from __future__ import annotations

import errno
import logging
import os
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .problems import ContentError, ProblemLog, display_path

__all__ = ["WarningCollector", "internal_error", "settings_error", "warning_problems"]

#: errno values meaning the disk (or the process's file-size limit) is full.
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class WarningCollector(logging.Handler):
    """Keeps every warning and error logged during a build."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def warning_problems(records: Sequence[logging.LogRecord], log: ProblemLog | None) -> list[ContentError]:
    """Turn logged warnings into problems, skipping those ``log`` already holds."""
    found: list[ContentError] = []
    for record in records:
        message = record.getMessage()
        # Pelican logs "Could not process <file>" or "Skipping <file>" for a
        # file our reader refused; the reader already reported why, with its line.
        if message.startswith(("Could not process", "Skipping")) and log is not None:
            named = message.split(":")[0].split(" ", 2)[-1].strip()
            if log.covers(named) or any(
                log.covers(str(a)) for a in (record.args or ()) if isinstance(a, str)
            ):
                continue
        where = getattr(record, "content_path", None) or record.name
        line = int(getattr(record, "content_line", 0) or 0)
        level = record.levelname.lower()
        found.append(ContentError(str(where), line, f"{level}: {message.splitlines()[0]}"))
    return found


def _plugin_frame(error: BaseException) -> str:
    """`` (in plugins/x/y.py:N)`` for the deepest frame of the project's plugins, else ''."""
    plugins = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    where = ""
    for frame in traceback.extract_tb(error.__traceback__):
        if os.path.abspath(frame.filename).startswith(plugins + os.sep):
            where = f" (in {os.path.relpath(frame.filename, os.path.dirname(plugins))}:{frame.lineno})"
    return where


def _file_in_process(error: BaseException, settings: Mapping[str, Any]) -> str | None:
    """The content file the build was working on when ``error`` was raised, if any.

    Found in the frames of the traceback, innermost first: a content object
    being read or written (``source_path``), or a file path in the content folder.
    """
    content = os.path.abspath(str(settings.get("PATH", "content")))
    for frame, _line in reversed(list(traceback.walk_tb(error.__traceback__))):
        for value in frame.f_locals.values():
            candidate = getattr(value, "source_path", value)
            if isinstance(candidate, (str, os.PathLike)) and not isinstance(candidate, bytes):
                path = os.path.abspath(os.fspath(candidate))
                if path.startswith(content + os.sep) and os.path.isfile(path):
                    return path
    return None


def _describe(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def internal_error(error: BaseException, settings: Mapping[str, Any], staging: Path) -> ContentError:
    """An exception no plugin turned into a content problem, as one ``path:line: message``."""
    mutable = dict(settings)
    if isinstance(error, OSError) and error.errno in _FULL:
        name = str(error.filename or "")
        shown = os.path.relpath(name, staging) if name.startswith(str(staging)) else name
        return ContentError(
            shown or "output", 0, f"could not write the site: {os.strerror(error.errno or 0)}"
        )
    path = _file_in_process(error, settings)
    shown = display_path(path, mutable) if path else str(settings.get("PATH", "content"))
    return ContentError(shown, 0, f"internal error while building: {_describe(error)}{_plugin_frame(error)}")


def settings_error(error: BaseException, settings_path: str) -> ContentError:
    """An exception raised while reading the settings file, at its line there."""
    shown = display_path(os.path.abspath(settings_path))
    line = 0
    if isinstance(error, SyntaxError) and error.lineno:
        line = int(error.lineno)
    else:
        for frame in traceback.extract_tb(error.__traceback__):
            if os.path.abspath(frame.filename) == os.path.abspath(settings_path) and frame.lineno:
                line = frame.lineno
    return ContentError(shown, line, f"the settings file could not be read: {_describe(error)}")
