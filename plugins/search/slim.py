"""Give Pagefind each page without the parts it is told to leave out.

Pagefind disregards an element marked ``data-pagefind-ignore="all"`` and
everything inside it: its text, and the filters, metadata and anchors in it.
A brief's page is mostly such parts (its source list, "cite this", the
hover previews of its citations), so Pagefind spent half its time parsing
HTML it then threw away. Each indexed page is copied here without those
elements, and the bundle is the same, byte for byte, as Pagefind's over the
whole page (the search tests compare the two on the real site).

Only what is certainly one whole element, and one Pagefind reads nothing
of, is cut: an element whose end tag HTML never leaves implied, outside
inline SVG, whose start tag carries no other Pagefind attribute, in which
every element opened closes (kinds counted through comments, ``<script>``,
``<style>`` and quoted values), and which holds no image, heading ``h1``,
SVG, MathML or Pagefind attribute (Pagefind takes those even from a
part it disregards when they sit in an element it always leaves out of the
text, such as ``nav`` or ``footer``). A page where that cannot be told (an
element parsers read as text or not, CDATA, a bogus or abrupt comment, a
``<`` in an attribute value, a script's escaped text...) is given whole,
which Pagefind reads as before.

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
from collections import Counter

#: Elements whose end tag HTML never leaves implied: cut only these.
CUTTABLE = frozenset(
    b"article aside blockquote details dialog div dl fieldset figure footer header main nav ol section "
    b"span ul".split()
)
#: Elements without content or end tag.
VOID = frozenset(b"area base br col embed hr img input link meta param source track wbr".split())
#: What a cut part may not hold outside its comments and raw text. Pagefind
#: reads some elements even inside a part it disregards (those it always
#: leaves out of the text, such as ``nav``, ``footer`` and ``svg``, take
#: their filters, metadata, image and title with them), so a part holding
#: any of these is left in. (A ``<title>`` is raw text, hidden already.)
_KEPT_INSIDE = (b"data-pagefind", b"<img", b"<h1", b"<svg", b"<math", b"<meta", b"<picture")

#: A tag's attributes: quoted values are taken whole, so a ``>`` in one ends nothing.
_ATTRIBUTE_PART = rb"""(?:[^>"']|"[^"]*"|'[^']*')"""
_ATTRIBUTES = _ATTRIBUTE_PART + b"*"
#: What hides tags: comments and the raw-text elements (group 1 names one).
_HIDING = re.compile(
    rb"<!--.*?-->|<((?i:script|style|textarea|title))(?=[\s/>])"
    + _ATTRIBUTES
    + rb">.*?</(?i:\1)(?=[\s/>])[^>]*>",
    re.DOTALL,
)
#: What this module does not follow as an HTML parser would: a page with
#: any of it is given whole. Elements whose content parsers read as text or
#: not, MathML, CDATA, processing instructions and other bogus comments,
#: comments that end as they open (``<!-->``) or with ``--!>``.
_UNSURE = re.compile(
    rb"<(?:(?i:noscript|template|xmp|plaintext|iframe|noembed|noframes|math)(?=[\s/>])"
    rb"|!\[CDATA\[|\?|!(?!--|(?i:doctype))|!---?>|/(?![a-zA-Z]))"
)
#: An attribute value holding a ``<``, which could make a tag seem to start inside it.
_LT_IN_VALUE = re.compile(rb"""=\s*(?:"[^"<]*<|'[^'<]*<)""")
#: The mark, as Pagefind reads it (one written otherwise is left in: not cutting is always safe).
_MARK = rb"""\sdata-pagefind-ignore\s*=\s*(?:"all"|'all'|all(?=[\s/>]))"""
#: A start tag holding the mark.
_MARKED = re.compile(
    rb"<([a-zA-Z][a-zA-Z0-9-]*)(?=[\s/>])" + _ATTRIBUTE_PART + b"*?" + _MARK + _ATTRIBUTES + rb">", re.DOTALL
)
#: Inline SVG, where ``<title>`` and ``<style>`` are elements, not raw text.
_SVG = re.compile(rb"<(/?)(?i:svg)(?=[\s/>])" + _ATTRIBUTES + rb">", re.DOTALL)
BODY_MARK = b"data-pagefind-body"
IGNORE_MARK = b"data-pagefind-ignore"


class _Spans:
    """Where some parts of a page lie (sorted, not overlapping)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.starts = [start for start, _end in spans]
        self.ends = [end for _start, end in spans]

    def __contains__(self, position: int) -> bool:
        at = bisect.bisect_right(self.starts, position) - 1
        return at >= 0 and position < self.ends[at]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether any span has a part in ``start``..``end``."""
        at = bisect.bisect_left(self.ends, start + 1)
        return at < len(self.starts) and self.starts[at] < end


def _svg_spans(page: bytes) -> _Spans | None:
    """Where the page's inline SVG lies; None if its tags do not pair up."""
    spans = []
    depth = 0
    opened = 0
    for tag in _SVG.finditer(page):
        if tag.group(1):
            depth -= 1
            if depth < 0:
                return None
            if depth == 0:
                spans.append((opened, tag.end()))
        elif not tag.group(0).endswith(b"/>"):
            if depth == 0:
                opened = tag.start()
            depth += 1
    return _Spans(spans) if depth == 0 else None


def slim(page: bytes) -> bytes | None:
    """``page`` without its elements marked ``data-pagefind-ignore="all"``; None if unsure.

    The page unchanged when it marks none. Found by searching for the mark
    and reading the tag around it, not by reading every tag of the page.
    A part is cut only if it is one element of a kind in :data:`CUTTABLE`
    in which each kind of element opened closes as often (:func:`_balanced`),
    outside inline SVG, holding nothing of :data:`_KEPT_INSIDE`, its start
    tag with no other Pagefind attribute.
    """
    if IGNORE_MARK not in page:
        return page
    if b"--!>" in page or _UNSURE.search(page):
        return None
    hiding = [(found.span(), found.group(1)) for found in _HIDING.finditer(page)]
    svg = _svg_spans(page)
    if svg is None:
        return None
    for (opened, closed), raw in hiding:
        inner = page[opened:closed]
        if raw is not None and raw.lower() == b"script" and b"<!--" in inner:
            return None  # a script's escaped text: its end is not where it seems
        if opened in svg and b"<" in inner[1:].split(b">", 1)[-1].rsplit(b"<", 1)[0]:
            return None  # in SVG, an element read as raw text here
    hidden = _Spans([span for span, _raw in hiding])
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
                cut_end = _cut_end(page, found, hidden, svg)
                if cut_end is None:
                    return None
                kept.append(page[position:start])
                position = cut_end
        at = page.find(IGNORE_MARK, at + 1)
    if not kept:
        return page
    kept.append(page[position:])
    return b"".join(kept)


def _cut_end(page: bytes, found: re.Match[bytes], hidden: _Spans, svg: _Spans) -> int | None:
    """Where the marked element ``found`` opens ends, if it may be cut; None if not."""
    name = found.group(1).lower()
    start_tag = found.group(0)
    if name not in CUTTABLE or start_tag.endswith(b"/>") or start_tag.lower().count(b"data-pagefind") != 1:
        return None
    if found.start() in svg:
        return None
    closing = _end_tag(page, name, found.end(), hidden)
    if closing is None or svg.overlaps(found.start(), closing.end()):
        return None
    inside = page[found.end() : closing.start()]
    if hidden.overlaps(found.end(), closing.start()):
        inside = b"".join(page[start:end] for start, end in _outside(hidden, found.end(), closing.start()))
    inside = inside.lower()
    if any(word in inside for word in _KEPT_INSIDE) or not _balanced(inside):
        return None
    return closing.end()


def _outside(hidden: _Spans, start: int, end: int) -> list[tuple[int, int]]:
    """The stretches of ``start``..``end`` outside the hidden spans."""
    stretches = []
    for opened, closed in zip(hidden.starts, hidden.ends, strict=True):
        if closed <= start or opened >= end:
            continue
        stretches.append((start, opened))
        start = closed
    stretches.append((start, end))
    return [(a, b) for a, b in stretches if a < b]


def _end_tag(page: bytes, name: bytes, start: int, hidden: _Spans) -> re.Match[bytes] | None:
    """The end tag of the element ``name`` opened just before ``start``, counting its kind only."""
    depth = 1
    for tag in _same(name).finditer(page, start):
        if tag.start() in hidden:
            continue
        if tag.group(2).endswith(b"/"):
            return None
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag
    return None


def _balanced(inside: bytes) -> bool:
    """Whether each element opened in ``inside`` closes in it, and no other (lowercased, hidden parts out).

    Each kind's start and end tags are counted: an end tag of an element
    opened outside (which an HTML parser would take to close the cut one
    early), an element left open (an end tag HTML may imply) or written
    ``<div/>`` makes it unsure.
    """
    opened: Counter[bytes] = Counter()
    closed: Counter[bytes] = Counter()
    # No ``<`` stands in an attribute value (see :func:`slim`): each ``<`` and a name is a tag.
    found = _NAMES_SLASHES.findall(inside) if b"/>" in inside else [(n, b"") for n in _NAMES.findall(inside)]
    for (name, slash), count in Counter(found).items():
        if name.startswith(b"/"):
            closed[name[1:]] += count
        elif name in VOID:
            continue
        elif slash:
            return False
        else:
            opened[name] += count
    return opened == closed


_SAME: dict[bytes, re.Pattern[bytes]] = {}
#: Each tag's name, ``/`` before an end tag's.
_NAMES = re.compile(rb"<(/?[a-z][a-z0-9-]*)(?=[\s/>])")
#: The same, and ``/`` if the tag is written to close itself.
_NAMES_SLASHES = re.compile(
    rb"<(/?[a-z][a-z0-9-]*)(?=[\s/>])" + rb"""(?:[^>"'/]|"[^"]*"|'[^']*'|/(?!>))*""" + rb"(/?)>", re.DOTALL
)


def _same(name: bytes) -> re.Pattern[bytes]:
    """Start and end tags of the element ``name``."""
    pattern = _SAME.get(name)
    if pattern is None:
        pattern = _SAME[name] = re.compile(
            rb"<(/?)(?i:" + re.escape(name) + rb")(?=[\s/>])(" + _ATTRIBUTES + rb")>", re.DOTALL
        )
    return pattern


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
        # Temporary names a run that stopped left go too (one still running slims again).
        stale = [entry.path for entry in listing_of_kept if entry.name not in wanted]
    for path in stale:
        with contextlib.suppress(OSError):
            os.unlink(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
