"""Give Pagefind each page without the parts it is told to leave out.

Pagefind disregards an element marked ``data-pagefind-ignore="all"`` and
everything inside it: its text, and the filters, metadata and anchors in it.
A brief's page is mostly such parts (its source list, "cite this", the
hover previews of its citations), so Pagefind spent half its time parsing
HTML it then threw away. Each indexed page is copied here without those
elements, and the bundle is the same, byte for byte, as Pagefind's over the
whole page (the search tests compare the two on the real site).

Only what is certainly one whole element is cut: an element whose end tag
HTML never leaves implied, counted through comments, ``<script>``,
``<style>`` and quoted attribute values. A page where that cannot be told
(an element of another kind, no end tag, a ``/>`` inside, the indexed body
inside the cut) is given whole, which Pagefind reads as before.

Run by ``search.index`` in the process that then runs Pagefind, so that the
build goes on meanwhile, as a script (see :func:`main`; each line of its
list a page's SHA-256 in hex, a tab, and its path below the site). Each
slimmed page is kept in the search cache under its hash, so a rebuild
slims only the pages that changed and links the rest, as the bundle cache
trusts those hashes already. A page read whose bytes are not those the
build hashed when it started the index stops the script: the build then
indexes that language again, as written. The script imports nothing but
the standard library.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import os
import re
import sys

#: Elements whose end tag HTML never leaves implied: cut only these.
CUTTABLE = frozenset(
    b"article aside blockquote details dialog div dl fieldset figure footer header main nav ol section "
    b"span ul".split()
)

#: A tag's attributes: quoted values are taken whole, so a ``>`` in one ends nothing.
_ATTRIBUTE_PART = rb"""(?:[^>"']|"[^"]*"|'[^']*')"""
_ATTRIBUTES = _ATTRIBUTE_PART + b"*"
#: What hides tags: comments and the raw-text elements.
_HIDING = re.compile(
    rb"<!--.*?-->|<((?i:script|style|textarea|title))(?=[\s/>])" + _ATTRIBUTES + rb">.*?</(?i:\1)\s*>",
    re.DOTALL,
)
#: Elements whose content HTML parsers read as text or not, depending on the parser.
_UNSURE = re.compile(rb"<(?i:noscript|template|xmp|plaintext|iframe|noembed|noframes)(?=[\s/>])")
#: An attribute value holding a ``<``, which could make a tag seem to start inside it.
_LT_IN_VALUE = re.compile(rb"""=\s*(?:"[^"<]*<|'[^'<]*<)""")
#: The mark, as Pagefind reads it (one written otherwise is left in: not cutting is always safe).
_MARK = rb"""\sdata-pagefind-ignore\s*=\s*(?:"all"|'all'|all(?=[\s/>]))"""
#: A start tag holding the mark.
_MARKED = re.compile(
    rb"<([a-zA-Z][a-zA-Z0-9-]*)(?=[\s/>])" + _ATTRIBUTE_PART + b"*?" + _MARK + _ATTRIBUTES + rb">", re.DOTALL
)
_SAME: dict[bytes, re.Pattern[bytes]] = {}
BODY_MARK = b"data-pagefind-body"
IGNORE_MARK = b"data-pagefind-ignore"


def _same(name: bytes) -> re.Pattern[bytes]:
    """Start and end tags of the element ``name``."""
    pattern = _SAME.get(name)
    if pattern is None:
        pattern = _SAME[name] = re.compile(
            rb"<(/?)(?i:" + re.escape(name) + rb")(?=[\s/>])(" + _ATTRIBUTES + rb")>", re.DOTALL
        )
    return pattern


class _Hidden:
    """Where a page's comments and raw-text elements lie."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.starts = [start for start, _end in spans]
        self.ends = [end for _start, end in spans]

    def __contains__(self, position: int) -> bool:
        at = bisect.bisect_right(self.starts, position) - 1
        return at >= 0 and position < self.ends[at]


def slim(page: bytes) -> bytes | None:
    """``page`` without its elements marked ``data-pagefind-ignore="all"``; None if unsure.

    The page unchanged when it marks none. Found by searching for the mark
    and reading the tag around it, not by reading every tag: a page has
    thousands.
    """
    if IGNORE_MARK not in page:
        return page
    if _UNSURE.search(page):
        return None
    hidden = _Hidden([found.span() for found in _HIDING.finditer(page)])
    if any(found.start() not in hidden for found in _LT_IN_VALUE.finditer(page)):
        return None
    kept: list[bytes] = []
    position = 0
    at = page.find(IGNORE_MARK)
    while at != -1:
        if at >= position and at not in hidden:
            start = page.rfind(b"<", position, at)
            found = _MARKED.match(page, start) if start != -1 and start not in hidden else None
            if found is not None and found.end() > at:
                name = found.group(1).lower()
                if name not in CUTTABLE or found.group(0).endswith(b"/>"):
                    return None
                end = _end_of(page, name, found.end(), hidden)
                if end is None or BODY_MARK in page[start:end]:
                    return None
                kept.append(page[position:start])
                position = end
        at = page.find(IGNORE_MARK, at + 1)
    if not kept:
        return page
    kept.append(page[position:])
    return b"".join(kept)


def _end_of(page: bytes, name: bytes, start: int, hidden: _Hidden) -> int | None:
    """Where the element ``name`` opened just before ``start`` ends; None if unsure."""
    depth = 1
    for tag in _same(name).finditer(page, start):
        if tag.start() in hidden:
            continue
        if tag.group(2).endswith(b"/"):
            return None
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.end()
    return None


def main(argv: list[str]) -> int:
    """Put each listed page, slimmed, from SITE into DEST, by way of KEPT; 0 when all went well.

    ``[--verify] LIST SITE DEST KEPT``: a page whose slimmed copy KEPT
    holds (under its hash) is linked from there without being read; any
    other is read, checked against its hash, slimmed, and its copy kept.
    Copies of pages no longer listed are removed from KEPT. With
    ``--verify`` every page is read and slimmed, and a kept copy that
    differs stops the script.
    """
    verify = argv[:1] == ["--verify"]
    listing, site, dest, kept = argv[1:] if verify else argv
    with open(listing, encoding="utf-8") as handle:
        entries = [line.rstrip("\n").split("\t", 1) for line in handle if line.strip()]
    os.makedirs(kept, exist_ok=True)
    wanted = set()
    for expected, name in entries:
        copy = os.path.join(kept, expected + ".html")
        wanted.add(expected + ".html")
        target = os.path.join(dest, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if not verify:
            try:
                os.link(copy, target)
                continue
            except OSError:
                pass  # not kept (or removed meanwhile by another build's run): made below
        with open(os.path.join(site, name), "rb") as handle:
            page = handle.read()
        if hashlib.sha256(page).hexdigest() != expected:
            print(f"Error: {name} changed while the index was being made", file=sys.stderr)
            return 3
        slimmed = slim(page) or page
        if verify and os.path.exists(copy):
            with open(copy, "rb") as handle:
                if handle.read() != slimmed:
                    print(
                        f"Error: internal error: the kept copy of {name} for the index differs",
                        file=sys.stderr,
                    )
                    return 4
        with open(target, "wb") as handle:
            handle.write(slimmed)
        temporary = f"{copy}.{os.getpid()}"
        try:
            os.link(target, temporary)
            os.replace(temporary, copy)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    with os.scandir(kept) as listing_of_kept:
        stale = [
            entry.path
            for entry in listing_of_kept
            if entry.name.endswith(".html") and entry.name not in wanted
        ]
    for path in stale:
        with contextlib.suppress(OSError):
            os.unlink(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
