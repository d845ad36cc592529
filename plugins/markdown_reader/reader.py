"""A Pelican reader for Markdown built on markdown-it-py.

It replaces Pelican's Python-Markdown reader for ``.md`` files. Front matter
is YAML; every problem found in a file is stored on the content with its line
(see :mod:`strictbuild`), so the build can list them all at the end.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import escape
from pelican.readers import BaseReader
from pelican.utils import get_date

from strictbuild import ContentError, display_path, problem_log, site_of
from strictbuild.problems import METADATA_KEY
from strictbuild.text import read_text

from .frontmatter import FrontMatter, split_front_matter
from .hooks import markdown_it_ready
from .render import DOCUMENT_KEY, ParsedDocument
from .syntax import make_markdown

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: Front-matter fields every file may carry, with what each must be.
BASE_FIELDS: dict[str, str] = {
    "title": "text",
    "slug": "slug",
    "lang": "lang",
    "date": "date",
    "modified": "date",
    "summary": "text",
    "status": "status",
    "template": "text",
    "order": "integer",
    "related": "slugs",
    "draft": "boolean",
}
REQUIRED_FIELDS = ("title", "slug", "lang")


def site_languages(settings: Mapping[str, Any]) -> list[str]:
    """The language codes the site publishes, as written in front matter."""
    return site_of(settings).codes


def normalise_lang(value: str, settings: Mapping[str, Any]) -> str | None:
    """The site's spelling of a language code, or None if it is not a site language."""
    wanted = value.strip().lower().replace("_", "-")
    for code in site_languages(settings):
        if code.lower() == wanted:
            return code
    return None


class MarkdownItReader(BaseReader):
    """Reads ``.md`` files with YAML front matter through markdown-it-py."""

    enabled = True
    file_extensions = ["md"]  # noqa: RUF012 (Pelican reads this class attribute)

    def __init__(self, settings: dict[str, Any]) -> None:
        super().__init__(settings)
        self._md: MarkdownIt | None = None

    @property
    def md(self) -> MarkdownIt:
        """The parser, made once per reader, with every plugin's syntax."""
        if self._md is None:
            md = make_markdown()
            markdown_it_ready.send(md, settings=self.settings)
            self._md = md
        return self._md

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        """Parse one file; return its metadata, with its tokens to render once the site is known.

        The HTML is empty until :func:`.render.render_documents` renders it.
        """
        path = display_path(source_path, self.settings)
        try:
            front = split_front_matter(read_text(source_path, path), path)
        except ContentError as error:
            problem_log(self.settings).add(error)
            raise
        problems: list[ContentError] = []
        metadata = self._metadata(front, path, problems)
        env: dict[str, Any] = {
            "source_path": path,
            "line_offset": front.body_offset,
            "lang": metadata.get("lang"),
            "slug": metadata.get("slug"),
            "settings": self.settings,
            "extracted": {},
            "problems": problems,
        }
        try:
            tokens = self.md.parse(front.body, env)
        except Exception as error:
            # A syntax plugin failed on this file: name the file, not a traceback.
            text = " ".join(str(error).split())
            problem = ContentError(
                path, 1, f"internal error while reading this file: {type(error).__name__}: {text}"
            )
            problem_log(self.settings).add(problem)
            raise problem from error
        metadata["extracted"] = env["extracted"]
        # Rendered once the whole site is known (see .render).
        metadata[DOCUMENT_KEY] = ParsedDocument.of(tokens, env)
        metadata["source_lines"] = dict(front.lines)
        metadata[METADATA_KEY] = list(env["problems"])
        # Also log them now: Pelican drops a file that lacks a required field
        # before any later step could read the problems stored on it.
        problem_log(self.settings).extend(env["problems"])
        return "", metadata

    def _metadata(self, front: FrontMatter, path: str, problems: list[ContentError]) -> dict[str, Any]:
        fields = {**BASE_FIELDS, **self.settings.get("MARKDOWN_EXTRA_FIELDS", {})}
        metadata: dict[str, Any] = {}

        def problem(key: str, message: str) -> None:
            problems.append(ContentError(path, front.lines.get(key, 2), message))

        for key in REQUIRED_FIELDS:
            if front.fields.get(key) in (None, ""):
                problems.append(ContentError(path, 1, f"front matter is missing '{key}'"))
        for key, value in front.fields.items():
            kind = fields.get(key)
            if kind is None:
                known = ", ".join(sorted(fields))
                problem(key, f"unknown front-matter field '{key}' (known: {known})")
                continue
            if value is None:
                continue
            checked = self._check(kind, key, value, problem)
            if checked is not None:
                metadata[key] = checked
        languages = site_of(self.settings).languages
        lang = metadata.get("lang")
        # The URL segment of the language; a placeholder keeps URL formatting
        # working for a file whose language was refused (and reported).
        metadata["lang_path"] = languages[lang].path if lang in languages else (lang or "unknown-lang")
        if metadata.get("draft") is True:
            metadata["status"] = "draft"
        return metadata

    def _check(self, kind: str, key: str, value: Any, problem: Any) -> Any:
        if kind == "text":
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                problem(key, f"'{key}' must be text")
                return None
            text = " ".join(str(value).split())
            # Summaries are used as HTML by Pelican and in feeds: escape them.
            return str(escape(text)) if key == "summary" else text
        if kind == "slug":
            if not isinstance(value, str) or not _SLUG.match(value):
                problem(key, f"'{key}' must be lowercase letters, digits and hyphens, got {value!r}")
                return None
            return value
        if kind == "slugs":
            items = value if isinstance(value, list) else [value]
            bad = [v for v in items if not isinstance(v, str) or not _SLUG.match(v)]
            if bad:
                problem(key, f"'{key}' must be a list of slugs, got {bad[0]!r}")
                return None
            return list(items)
        if kind == "lang":
            code = normalise_lang(str(value), self.settings)
            if code is None:
                known = ", ".join(site_languages(self.settings))
                problem(key, f"unknown language {value!r}; the site's languages are {known}")
                return None
            return code
        if kind == "date":
            if isinstance(value, (datetime.date, datetime.datetime)):
                value = value.isoformat()
            try:
                return get_date(str(value))
            except (ValueError, OverflowError):
                problem(key, f"'{key}' is not a date: {value!r}")
                return None
        if kind == "integer":
            if not isinstance(value, int) or isinstance(value, bool):
                problem(key, f"'{key}' must be a whole number, got {value!r}")
                return None
            return value
        if kind == "boolean":
            if not isinstance(value, bool):
                problem(key, f"'{key}' must be true or false, got {value!r}")
                return None
            return value
        if kind == "status":
            if value not in ("published", "draft", "hidden"):
                problem(key, f"'{key}' must be published, draft or hidden, got {value!r}")
                return None
            return value
        return value


def source_line(content: Any, key: str) -> int:
    """The line of a front-matter key in a content object's file (1 if unknown)."""
    lines = getattr(content, "metadata", {}).get("source_lines") or {}
    return int(lines.get(key, 1))


def source_path_of(content: Any) -> str:
    """A content object's file, relative to the project, for error messages."""
    return display_path(str(getattr(content, "source_path", "")), getattr(content, "settings", None))


__all__ = ["BASE_FIELDS", "MarkdownItReader", "normalise_lang", "source_line", "source_path_of"]
