"""Small synthetic pages, good and deliberately broken, that the checks must judge right."""

from __future__ import annotations

from pathlib import Path

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'"
)


def page(body: str, *, head: str = "", csp: str | None = CSP, title: str = "A page", lang: str = "en") -> str:
    """A complete, valid HTML page around ``body``."""
    policy = f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n' if csp is not None else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n{policy}'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n{head}</head>\n<body>\n<main>\n<h1>{title}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    )


def write(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (path -> text) under ``root``; return ``root``."""
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root
