"""The render pass: every file's HTML made from its tokens once the whole site is known.

The reader only parses: what a link to another brief points to, the URL of
the glossary page or the figure of a chart is known only once every file is
read and every generator has made its context. So the reader keeps each
file's tokens and parse environment (:class:`ParsedDocument`, in the
metadata under :data:`DOCUMENT_KEY`, and so in Pelican's content cache), and
:func:`render_documents` renders them at ``all_generators_finalized``.

Before it does, :data:`site_known` asks every plugin for what its render
rules need: each receiver returns a function of a content object giving
the values to add to that file's render environment (or ``None``). The
render rules read them from ``env`` and emit the final HTML: no HTML is
rewritten after rendering.

A file's HTML is a function of its tokens, its parse environment, those
values and the code: so the render pass keeps each file's HTML between
builds (:class:`RenderCache`, in ``CACHE_PATH``) under a digest of all four,
and renders only the files whose digest is new. A value that is a function
must come as a :class:`SiteFunction` stating what it reads, else its file is
rendered on every build.
"""

from __future__ import annotations

import gc
import hashlib
import pickle
import zlib
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from blinker import signal
from markdown_it import MarkdownIt
from markdown_it.token import Token

from strictbuild import ContentError, all_content, display_path, problem_log
from strictbuild.kept import KeptValues
from strictbuild.reuse import CannotDigest, code_digest, digest_of
from strictbuild.state import build_state, current_state

#: The metadata key holding a file's :class:`ParsedDocument`.
DOCUMENT_KEY = "parsed_markdown"

#: Sent once with the list of generators, before the render pass. A receiver
#: returns ``None`` or a function ``(content) -> Mapping | None`` giving the
#: values its render rules need for that content object.
site_known = signal("markdown_reader.site_known")

#: Keys of the parse environment that are not kept with the tokens: the
#: settings belong to the build, the problems are already logged.
_NOT_KEPT = ("settings", "problems")

EnvFor = Callable[[Any], Mapping[str, Any] | None]

#: The file, in ``CACHE_PATH``, holding the HTML of the last build's files.
RENDER_CACHE_FILE = "rendered-html"
_RENDER_FORMAT = b"markdown_reader rendered html 1\0"


@dataclass(frozen=True)
class SiteFunction:
    """A function for the render rules, with what it reads stated.

    ``reads`` is any value :func:`strictbuild.reuse.digest_of` has a rule
    for (its digest will do) that differs whenever ``function`` could answer
    differently for the file it is handed to. A :data:`site_known` receiver
    that hands its render rule a function wraps it in one of these, so that
    the file's HTML can be kept between builds (:class:`RenderCache`).
    """

    function: Callable[..., Any]
    reads: Any

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.function(*args, **kwargs)


@dataclass
class ParsedDocument:
    """A file's tokens, kept pickled, and the parse environment its render rules read.

    A brief's tokens as objects take several times the memory of their
    pickle, which zlib makes seven times smaller again, and they are needed
    only while the file is rendered: the render pass, and the side-by-side page
    that renders it again. So they are held as compressed bytes (which is
    also what Pelican's content cache stores, with no second pickling) and
    unpickled for each render, then dropped. Each render thereby gets its
    own copy, so no render rule can change what the next render reads.
    """

    packed: bytes
    env: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, tokens: list[Token], env: Mapping[str, Any]) -> ParsedDocument:
        """Keep ``tokens`` pickled, with ``env`` less what belongs to the build."""
        # zlib's fastest level: a seventh of the pickle's size, for a third
        # of the time pickling takes.
        packed = zlib.compress(pickle.dumps(tokens, protocol=pickle.HIGHEST_PROTOCOL), 1)
        return cls(packed, {key: value for key, value in env.items() if key not in _NOT_KEPT})

    @property
    def tokens(self) -> list[Token]:
        """A fresh copy of the file's tokens."""
        # The tokens form a tree (no cycles to collect), but their hundreds of
        # dicts and lists would set off the garbage collector, and its full
        # passes scan the whole site's heap: unpickling takes half as long
        # without it (0.34 s instead of 0.64 s for 1,000 briefs).
        paused = gc.isenabled()
        gc.disable()
        try:
            tokens: list[Token] = pickle.loads(zlib.decompress(self.packed))  # noqa: S301 (pickled by the reader)
        finally:
            if paused:
                gc.enable()
        return tokens


def document_of(item: Any) -> ParsedDocument | None:
    """The parsed document of a content object, if the Markdown reader read it."""
    document = (getattr(item, "metadata", None) or {}).get(DOCUMENT_KEY)
    return document if isinstance(document, ParsedDocument) else None


def render_document(
    md: MarkdownIt, document: ParsedDocument, path: str, extra: Mapping[str, Any] | None = None
) -> str:
    """The HTML of ``document`` rendered with ``extra`` added to its environment.

    Each render reads its own copy of the tokens, so a document can be
    rendered again with other values (the side-by-side page renders each
    version with its own id prefix and address base).
    """
    env: dict[str, Any] = {**document.env, **(extra or {}), "problems": []}
    try:
        html = md.renderer.render(document.tokens, md.options, env)
    except Exception as error:
        text = " ".join(str(error).split())
        message = f"internal error while rendering this file: {type(error).__name__}: {text}"
        raise ContentError(path, 1, message) from error
    if env["problems"]:
        raise env["problems"][0]
    return str(html)


@dataclass
class RenderCache:
    """Each file's HTML from the build before, by a digest of everything it is made from.

    The digest covers the code and settings (:func:`strictbuild.reuse.code_digest`:
    the packages, the plugins' code, the theme, the content files every parse
    depends on), the file's tokens as kept (their compressed pickle), its parse
    environment and every value the plugins add for it, a function by what it
    states it reads (:class:`SiteFunction`). A value with no digest rule, or a
    function stating nothing, makes the file render. The HTML is kept
    compressed in ``CACHE_PATH/rendered-html`` (:class:`strictbuild.kept.KeptValues`).
    With ``STRICTBUILD_VERIFY_REUSE=1`` every file found there is rendered
    too, and a difference stops the build.
    """

    kept: KeptValues
    base: bytes
    memo: dict[int, tuple[Any, bytes]] = field(default_factory=dict)

    @property
    def verify(self) -> bool:
        """Whether every file found in the cache is rendered too, and compared."""
        return self.kept.verify

    @classmethod
    def open(cls, settings: MutableMapping[str, Any]) -> RenderCache | None:
        """This build's cache, or None when the build does not use the content cache."""
        kept = KeptValues.open(settings, RENDER_CACHE_FILE)
        if kept is None:
            return None
        return cls(kept, hashlib.blake2b(_RENDER_FORMAT + code_digest(settings), digest_size=20).digest())

    def key(self, document: ParsedDocument, extra: Mapping[str, Any]) -> bytes | None:
        """The digest of ``document`` rendered with ``extra``; None when something has no digest rule."""
        digest = hashlib.blake2b(self.base, digest_size=20)
        digest.update(b"%d:" % len(document.packed))
        digest.update(document.packed)
        try:
            digest.update(digest_of(document.env, self.memo))
            for name in sorted(extra):
                value = extra[name]
                digest.update(name.encode() + b"\0")
                if isinstance(value, SiteFunction):
                    digest.update(b"F" + digest_of(value.reads, self.memo))
                elif callable(value):
                    return None  # a function that does not say what it reads
                else:
                    digest.update(b"V" + digest_of(value, self.memo))
        except CannotDigest:
            return None
        return digest.digest()

    def html(self, key: bytes | None, render: Callable[[], str], path: str) -> str:
        """The HTML kept under ``key``, else ``render()``'s, kept for the next build (see
        :meth:`strictbuild.kept.KeptValues.take_back_or_make`); ``path`` names the file in a report.
        """

        def differs() -> None:
            message = (
                "internal error: this file's HTML was kept from the previous build, but rendering it "
                "again gives different HTML: the render cache's digest misses something the render reads"
            )
            problem_log(self.kept.settings).add(ContentError(path, 1, message))

        return self.kept.take_back_or_make(
            key, render, encode=_pack_html, decode=_unpack_html, differs=differs
        )

    def save(self) -> None:
        """Write this build's entries, if they changed."""
        self.kept.save()


def _pack_html(html: str) -> bytes:
    return zlib.compress(html.encode("utf-8"), 1)


def _unpack_html(packed: bytes) -> str | None:
    try:
        return zlib.decompress(packed).decode("utf-8")
    except (zlib.error, UnicodeDecodeError):
        return None  # a damaged entry: the file is rendered, and its entry replaced


def _parser(generators: list[Any]) -> MarkdownIt | None:
    for generator in generators:
        readers = getattr(getattr(generator, "readers", None), "readers", None) or {}
        reader = readers.get("md")
        if reader is not None and hasattr(reader, "md"):
            return reader.md
    return None


def site_env(generators: list[Any]) -> Callable[[Any], dict[str, Any]]:
    """Ask every plugin what its render rules need; a function of a content object."""
    makers: list[EnvFor] = [maker for _receiver, maker in site_known.send(generators) if maker is not None]

    def env_for(item: Any) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        for maker in makers:
            extra.update(maker(item) or {})
        return extra

    return env_for


@dataclass(frozen=True)
class RenderPass:
    """The parser and the site's render values, kept to render a file again."""

    md: MarkdownIt
    env_for: Callable[[Any], dict[str, Any]]

    def render(self, item: Any, **extra: Any) -> str:
        """``item``'s HTML rendered again with ``extra`` in the environment (an ``address``...).

        Pelican's own placeholders (``{filename}``...) are left for the caller.
        """
        document = document_of(item)
        if document is None:
            return str(item._content or "")
        path = display_path(str(item.source_path), getattr(item, "settings", None))
        return render_document(self.md, document, path, {**self.env_for(item), **extra})


class _Kept:
    """The build's :class:`RenderPass`, kept in the build state once files are rendered."""

    def __init__(self) -> None:
        self.rendering: RenderPass | None = None


def render_pass(settings: Mapping[str, Any] | None = None) -> RenderPass | None:
    """The build's render pass, once :func:`render_documents` has run (``settings`` is unused)."""
    state = current_state()
    kept = state.peek(_Kept) if state is not None else None
    return kept.rendering if kept is not None else None


def render_documents(generators: list[Any]) -> None:
    """Render every Markdown file of the site with what the whole site knows.

    Connected to ``all_generators_finalized``. A file that fails to render
    is a problem of the build, named by its path. The pass is kept (see
    :func:`render_pass`) for pages that show a file again elsewhere.
    """
    if not generators:
        return
    # Every plugin hears that the site is known, even if no file needs rendering.
    env_for = site_env(generators)
    md = _parser(generators)
    if md is None:
        return
    settings = generators[0].settings
    rendering = RenderPass(md, env_for)
    build_state().slot(_Kept).rendering = rendering
    cache = RenderCache.open(settings)
    for item in all_content(generators):
        document = document_of(item)
        if document is None:
            continue
        path = display_path(str(item.source_path), settings)
        extra = rendering.env_for(item)

        def render(document: ParsedDocument = document, path: str = path, extra: Any = extra) -> str:
            return render_document(md, document, path, extra)

        try:
            if cache is None:
                item._content = render()
            else:
                item._content = cache.html(cache.key(document, extra), render, path)
        except ContentError as problem:
            problem_log(settings).add(problem)
            item._content = ""
    if cache is not None:
        cache.save()


__all__ = [
    "DOCUMENT_KEY",
    "RENDER_CACHE_FILE",
    "ParsedDocument",
    "RenderCache",
    "RenderPass",
    "SiteFunction",
    "document_of",
    "render_document",
    "render_documents",
    "render_pass",
    "site_env",
    "site_known",
]
