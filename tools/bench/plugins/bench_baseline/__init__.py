"""The benchmark's baseline: a stock markdown-it-py reader for plain Pelican.

CommonMark only, YAML front matter, nothing else: no syntax extensions, no
checks, no other plugin. It stands in for an off-the-shelf markdown-it reader.
"""

from __future__ import annotations

from typing import Any

import yaml
from markdown_it import MarkdownIt
from pelican import signals
from pelican.readers import BaseReader


class CommonMarkReader(BaseReader):
    """Reads ``.md`` files: YAML front matter, then a CommonMark body."""

    enabled = True
    file_extensions = ["md"]  # noqa: RUF012 (Pelican reads this class attribute)

    def __init__(self, settings: dict[str, Any]) -> None:
        super().__init__(settings)
        self.md = MarkdownIt("commonmark")

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        """Parse one file; return its HTML and its metadata."""
        with open(source_path, encoding="utf-8") as handle:
            _, front, body = handle.read().split("---\n", 2)
        fields = yaml.safe_load(front) or {}
        metadata = {k: self.process_metadata(k, str(v)) for k, v in fields.items()}
        return self.md.render(body), metadata


def add_reader(readers: Any) -> None:
    """Make the CommonMark reader the one for ``.md``."""
    readers.reader_classes["md"] = CommonMarkReader


def forget_python_markdown(generator: Any) -> None:
    """Stop Pelican warning, per file, that Python-Markdown is missing."""
    generator.readers.disabled_readers.pop("md", None)


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.readers_init.connect(add_reader)
    signals.generator_init.connect(forget_python_markdown)
