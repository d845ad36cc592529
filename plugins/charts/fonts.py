"""Find the fonts chart images need (a real CJK font for Chinese text)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from typing import Any

from strictbuild import ContentError, site_of


def find_font(fontconfig_lang: str) -> str | None:
    """The family a browser draws ``sans-serif`` text of ``fontconfig_lang`` (e.g. ``zh-tw``) in, or None.

    Chromium asks fontconfig for ``sans-serif`` in the page's language; the
    chart images name that same family, so vl-convert measures and draws
    text exactly as the browser will (with a narrower stand-in, labels
    measured to fit overflow or end in an ellipsis on the page).
    """
    if shutil.which("fc-list") is None:
        return None
    chosen = subprocess.run(
        ["fc-match", "-f", "%{family[0]}", f"sans-serif:lang={fontconfig_lang}"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    listed = subprocess.run(
        ["fc-list", f":lang={fontconfig_lang}", "family"], capture_output=True, text=True, check=False
    ).stdout
    families = sorted({line.split(",")[0].strip() for line in listed.splitlines() if line.strip()})
    if not families:
        return None
    if chosen in families:
        return chosen

    # Prefer a proportional sans face for Traditional Chinese; monospaced and
    # serif faces read badly in chart labels.
    def rank(name: str) -> tuple[int, int, int, str]:
        return ("Sans" not in name, "Mono" in name, not name.endswith(" TC"), name)

    return sorted(families, key=rank)[0]


def chart_fonts(settings: Mapping[str, Any]) -> dict[str, str]:
    """The font family of each site language (its fontconfig language, ``chart_font``).

    Raises :class:`ContentError` when a language has no font installed: a
    PNG with empty boxes instead of Chinese characters must not be published.
    """
    needed = {code: language.chart_font for code, language in site_of(settings).languages.items()}
    fonts: dict[str, str] = {}
    for lang, fc_lang in needed.items():
        family = find_font(fc_lang)
        if family is None:
            msg = (
                f"no font for {lang} chart text was found (`fc-list :lang={fc_lang}` lists none); "
                "install one, e.g. Debian's fonts-noto-cjk (`make system`)"
            )
            raise ContentError("fc-list", 0, msg)
        fonts[lang] = family
    return fonts
