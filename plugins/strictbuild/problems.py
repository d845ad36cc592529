"""Content problems: one small exception type and the log that collects them.

Every plugin reports what is wrong with the content as a :class:`ContentError`
carrying the file, the line and a message. The build collects all of them and
stops once, listing every problem, instead of stopping at the first or
warning and carrying on.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from .state import build_state

#: The metadata key under which a reader stores the problems of one file.
METADATA_KEY = "content_problems"


@dataclass(frozen=True, order=True)
class ContentError(Exception):
    """A problem in the content, reported as ``path:line: message``.

    ``column`` (1-based) is given where the position within the line is known
    (a character in a text file, a cell of a CSV row); it is then reported as
    ``path:line:column: message``.
    """

    path: str
    line: int
    message: str
    column: int = 0

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.column else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"

    def __reduce__(self) -> tuple[type[ContentError], tuple[str, int, str, int]]:
        # Exceptions pickle through their args, which a dataclass leaves empty;
        # cached content and worker processes need the fields back.
        return (ContentError, (self.path, self.line, self.message, self.column))


@dataclass
class ProblemLog:
    """Every problem found during one build, in the order found."""

    problems: list[ContentError] = field(default_factory=list)

    def add(self, problem: ContentError) -> None:
        """Record one problem (a repeated identical problem is kept once)."""
        if problem not in self.problems:
            self.problems.append(problem)

    def extend(self, problems: Iterable[ContentError]) -> None:
        """Record several problems."""
        for problem in problems:
            self.add(problem)

    def covers(self, path: str) -> bool:
        """Tell whether a problem was already reported for ``path``."""
        norm = path.replace(os.sep, "/")
        return any(
            p.path == norm or p.path.endswith("/" + norm) or norm.endswith("/" + p.path)
            for p in self.problems
        )

    def sorted(self) -> list[ContentError]:
        """The problems sorted by file, then line, then message."""
        return sorted(self.problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def __len__(self) -> int:
        return len(self.problems)


class ContentProblems(Exception):
    """Raised to stop a build that found problems; lists every one."""

    exitcode = 1

    def __init__(self, problems: Iterable[ContentError]) -> None:
        self.problems = sorted(problems)
        super().__init__(self.render())

    def render(self) -> str:
        """All problems, one per line, with a count."""
        lines = [str(p) for p in self.problems]
        count = len(self.problems)
        lines.append(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.")
        return "\n".join(lines)


def problem_log(settings: MutableMapping[str, Any] | None = None) -> ProblemLog:
    """The running build's problem log (a slot of its :class:`~strictbuild.state.BuildState`).

    ``settings`` is accepted from callers that have them at hand; the log
    belongs to the build, not to its settings.
    """
    return build_state().slot(ProblemLog)


def display_path(path: str, settings: MutableMapping[str, Any] | None = None) -> str:
    """A path as a reader of the error wants it: relative to the project."""
    base = os.getcwd()
    if settings is not None:
        # The project root is the folder holding the content folder.
        base = os.path.dirname(os.path.abspath(str(settings.get("PATH", base))))
    try:
        rel = os.path.relpath(path, base)
    except ValueError:
        rel = path
    if rel.startswith(".."):
        rel = path
    return rel.replace(os.sep, "/")


def report(env: MutableMapping[str, Any], line: int | None, message: str) -> None:
    """Record a problem found while rendering Markdown.

    ``env`` is the markdown-it environment of one document; ``line`` is the
    0-based line in the Markdown body (``token.map[0]``), or None when the
    position is not known. The reader adds the front matter's length so the
    reported line is the line in the file.
    """
    offset = int(env.get("line_offset", 0))
    number = (line if line is not None else 0) + 1 + offset
    problem = ContentError(str(env.get("source_path", "<string>")), number, message)
    problems = env.setdefault("problems", [])
    if problem not in problems:
        problems.append(problem)


def content_problems(content: Any) -> list[ContentError]:
    """The problems a reader stored on one content object."""
    metadata = getattr(content, "metadata", {}) or {}
    found = metadata.get(METADATA_KEY) or []
    return [p for p in found if isinstance(p, ContentError)]
