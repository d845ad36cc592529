"""The signal through which other plugins add syntax to the Markdown reader."""

from __future__ import annotations

from blinker import signal

#: Sent once per parser with the new ``MarkdownIt`` instance as sender and the
#: build's ``settings`` as keyword. Receivers call their ``x_plugin(md, ...)``.
markdown_it_ready = signal("markdown_reader.markdown_it_ready")
