"""Build the site once and serve it as GitHub Pages serves a project site.

The site is served under a sub-path (``/<repo>/``) on 127.0.0.1 by a small
threaded server: requests outside the sub-path get a bare 404, misses inside
it get the site's own ``404.html``, as on GitHub Pages. A second server, on
another port and so another origin, plays a foreign site that embeds charts.
"""

from __future__ import annotations

import html
import mimetypes
import re
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

Answer = Callable[[str], tuple[int, Mapping[str, str], bytes]]
PROJECT = Path(__file__).resolve().parents[2]
SUB_PATH = "/chips-and-controls"

# Types the site serves; set here so the answer does not depend on the
# machine's /etc/mime.types.
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".csv": "text/csv; charset=utf-8",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".woff2": "font/woff2",
}


def content_type(path: Path) -> str:
    """The Content-Type a static host would send for ``path``."""
    return _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that stops reading a response (a page left while loading) is no error."""
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from a function that maps a path to a response."""

    answer: Answer

    def do_GET(self) -> None:
        self._respond(body=True)

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def _respond(self, *, body: bool) -> None:
        status, headers, data = type(self).answer(self.path)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: the tests report what matters."""


@dataclass
class Server:
    """A running local HTTP server."""

    host: str
    port: int
    _server: ThreadingHTTPServer = field(repr=False)

    @property
    def origin(self) -> str:
        """``http://host:port``, without a trailing slash."""
        return f"http://{self.host}:{self.port}"

    def close(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()


def serve(answer: Answer, host: str = "127.0.0.1") -> Server:
    """Serve ``answer(path)`` on a free port of ``host`` in a background thread."""
    handler = type("Handler", (_Handler,), {"answer": staticmethod(answer)})
    server = _QuietServer((host, 0), handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return Server(host, server.server_address[1], server)


def sub_path_answer(root: Path, prefix: str = SUB_PATH) -> Answer:
    """A GitHub Pages-like answer for the files under ``root`` at ``prefix``."""

    def answer(raw: str) -> tuple[int, Mapping[str, str], bytes]:
        path = unquote(urlsplit(raw).path)
        if path == prefix:
            return HTTPStatus.MOVED_PERMANENTLY, {"Location": prefix + "/"}, b""
        if not path.startswith(prefix + "/"):
            return HTTPStatus.NOT_FOUND, {"Content-Type": "text/plain"}, b"outside the site\n"
        rest = path[len(prefix) + 1 :]
        target = (root / rest).resolve()
        if root.resolve() not in (target, *target.parents):
            return HTTPStatus.NOT_FOUND, {"Content-Type": "text/plain"}, b"outside the site\n"
        if target.is_dir():
            if not path.endswith("/"):
                return HTTPStatus.MOVED_PERMANENTLY, {"Location": path + "/"}, b""
            target = target / "index.html"
        if target.is_file():
            return HTTPStatus.OK, {"Content-Type": content_type(target)}, target.read_bytes()
        missing = root / "404.html"
        data = missing.read_bytes() if missing.is_file() else b"not found\n"
        return HTTPStatus.NOT_FOUND, {"Content-Type": "text/html; charset=utf-8"}, data

    return answer


def files_answer(files: Mapping[str, tuple[str, bytes]]) -> Answer:
    """Serve a fixed set of ``path -> (content type, body)`` (the foreign site)."""

    def answer(raw: str) -> tuple[int, Mapping[str, str], bytes]:
        path = urlsplit(raw).path
        if path in files:
            kind, data = files[path]
            return HTTPStatus.OK, {"Content-Type": kind}, data
        return HTTPStatus.NOT_FOUND, {"Content-Type": "text/plain"}, b"not found\n"

    return answer


_HTML_LANG = re.compile(r"<html\b[^>]*?\blang=\"([^\"]*)\"", re.IGNORECASE)


@dataclass(frozen=True)
class SitePage:
    """One HTML page of the built site."""

    file: str  # below the output folder, e.g. "en/about/index.html"
    lang: str  # the page's <html lang>

    @property
    def path(self) -> str:
        """The page's URL path below the site root, directory-style."""
        return self.file[: -len("index.html")] if self.file.endswith("index.html") else self.file

    @property
    def is_embed(self) -> bool:
        """True for the bare chart pages that an iframe loads."""
        return bool(re.fullmatch(r"[^/]+/charts/[^/]+/embed/", self.path))

    @property
    def is_chart(self) -> bool:
        """True for a chart's own page."""
        return bool(re.fullmatch(r"[^/]+/charts/[^/]+/", self.path))

    def __str__(self) -> str:
        return self.path or "/"


@dataclass
class Site:
    """A built site and where it is served."""

    output: Path
    base_url: str  # ends with "/"
    pages: list[SitePage]

    def url(self, page: SitePage | str) -> str:
        """The served address of a page, or of a path below the site root."""
        return self.base_url + (page.path if isinstance(page, SitePage) else page)

    def text(self, page: SitePage) -> str:
        """The page's HTML."""
        return (self.output / page.file).read_text(encoding="utf-8")


def discover(output: Path) -> list[SitePage]:
    """Every HTML page under ``output``, in a stable order."""
    pages = []
    for file in sorted(output.rglob("*.html")):
        text = file.read_text(encoding="utf-8")
        found = _HTML_LANG.search(text)
        lang = html.unescape(found.group(1)) if found else ""
        pages.append(SitePage(file.relative_to(output).as_posix(), lang))
    return pages


def html_files(output: Path) -> Iterator[Path]:
    """Every HTML file under ``output``."""
    yield from sorted(output.rglob("*.html"))
