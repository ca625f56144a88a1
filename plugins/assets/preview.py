"""``invoke preview``'s web server: the built site with the headers production sends.

Every response carries the headers ``headers.header_rules`` defines for its path (the one
definition the ``_headers``, nginx and Apache files are rendered from), and a missing path
gets the site's own 404 page with status 404, in the language of its address (the nearest
``404.html``, as Cloudflare Pages and the deploy/ nginx and Apache files serve it). So a
Content-Security-Policy problem shows in the preview, not first in production.
"""

from __future__ import annotations

import functools
import http.server
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .headers import HeaderRule, header_rules, headers_for_path


def nearest_not_found_page(root: Path, url_path: str) -> Path | None:
    """The ``404.html`` nearest a missing address, looking up its folders to the site's own:
    ``/es/no-such-page/`` gets ``es/404.html``, the Spanish page (None when there is none)."""
    folders = [part for part in unquote(urlsplit(url_path).path).split("/")[:-1] if part]
    if any(part in (".", "..") or "\\" in part for part in folders):
        folders = []
    for depth in range(len(folders), -1, -1):
        page = root.joinpath(*folders[:depth], "404.html")
        if page.is_file():
            return page
    return None


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Serves ``directory`` with each path's production headers; 404s get the site's 404 page."""

    rules: tuple[HeaderRule, ...] = ()

    def end_headers(self) -> None:
        """Add the production headers of the requested path before the blank line."""
        path = unquote(urlsplit(self.path).path) or "/"
        for name, value in headers_for_path(self.rules, path).items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        """A missing page: the site's 404.html (when built), as the hosts send it."""
        page = nearest_not_found_page(Path(self.directory), self.path)
        if code != 404 or page is None:
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def preview_handler(site: Path, settings: Mapping) -> functools.partial:
    """The request handler for ``http.server`` serving ``site`` with ``settings``' headers
    (none when ``SECURITY_HEADERS`` is off: the build then writes no header files either)."""
    rules = tuple(header_rules(settings)) if settings.get("SECURITY_HEADERS") else ()
    handler = type("SitePreviewHandler", (PreviewHandler,), {"rules": rules})
    return functools.partial(handler, directory=str(site))
