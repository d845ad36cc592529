"""Files and folders a killed build left behind, removed once they are surely not in use.

A build writes into temporary names beside their final place (``.tmp-*``,
``.search-*``, a settle job) and removes them as it ends; a build that was
killed leaves them. The next build cannot tell a leftover from the working
file of a build running beside it (another build of the same site, a test
process), except by age: a leftover is removed once nothing has written
it for :data:`STALE_SECONDS`, longer than any build takes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path

#: How long a temporary file or folder must have been left untouched to be removed.
STALE_SECONDS = 3600


def remove_stale(folder: str | os.PathLike[str], pattern: str, *, age: float = STALE_SECONDS) -> list[Path]:
    """Remove what matches ``pattern`` in ``folder`` and was last modified over ``age`` seconds ago.

    Files and folders alike (a folder with as much of what is in it as can
    be removed; a link, not what it links to); one that vanishes meanwhile,
    or cannot be removed, is left. Returns what was found stale.
    """
    stale = []
    oldest = time.time() - age
    for left in Path(folder).glob(pattern):
        with contextlib.suppress(OSError):
            if left.lstat().st_mtime >= oldest:
                continue
            stale.append(left)
            if left.is_dir() and not left.is_symlink():
                shutil.rmtree(left, ignore_errors=True)
            else:
                left.unlink()
    return stale


__all__ = ["STALE_SECONDS", "remove_stale"]
