"""Read text files strictly: UTF-8, no control characters, positions in errors.

Every file the build reads as text (Markdown, YAML, CSV, chart modules) goes
through :func:`decode_text`, so a stray byte or an invisible control
character is refused with its line and column instead of reaching readers.
A byte-order mark and CRLF line ends are accepted: editors on some systems
write them, and neither changes what the file says.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence

from .problems import ContentError

# C0 controls except tab (\t) and line feed (\n), DEL, and the C1 controls.
# A carriage return is allowed only as part of CRLF; a lone one is refused.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
_BOM = "\ufeff"


def _position(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of character ``index`` in ``text``."""
    line = text.count("\n", 0, index) + 1
    start = text.rfind("\n", 0, index) + 1
    return line, index - start + 1


def _describe(char: str) -> str:
    name = unicodedata.name(char, "") or {"\r": "CARRIAGE RETURN"}.get(char, "control character")
    return f"U+{ord(char):04X} {name}".rstrip()


def decode_text(raw: bytes, path: str, *, what: str = "file") -> str:
    """Decode ``raw`` as clean UTF-8 text, with LF line ends and no byte-order mark.

    Raises :class:`ContentError` at the line and column of the first byte
    that is not UTF-8, or of the first control character other than tab and
    newline.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        good = raw[: error.start].decode("utf-8")
        line, column = _position(good, len(good))
        msg = f"the {what} is not UTF-8 (byte {raw[error.start]:#04x})"
        raise ContentError(path, line, msg, column) from None
    if text.startswith(_BOM):
        text = text[1:]
    found = _CONTROL.search(text)
    if found is not None:
        line, column = _position(text, found.start())
        msg = f"the {what} contains a control character ({_describe(found.group()[0])})"
        raise ContentError(path, line, msg, column)
    return text.replace("\r\n", "\n")


def read_text(path: str, shown: str, *, what: str = "file") -> str:
    """Read the file at ``path`` with :func:`decode_text`; ``shown`` names it in errors."""
    with open(path, "rb") as handle:
        raw = handle.read()
    return decode_text(raw, shown, what=what)


__all__ = ["decode_text", "nearest", "read_text"]


def nearest(key: str, known: Sequence[str]) -> str:
    """A hint naming the known keys nearest to ``key``, or an empty string."""
    close = difflib.get_close_matches(key, list(known), n=3, cutoff=0.75)
    if not close:
        return ""
    return " (did you mean " + ", ".join(f"'{c}'" for c in close) + "?)"
