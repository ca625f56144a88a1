"""`invoke serve`: which browser to tell to reload, and when.

A rebuild after a content file was saved (commands/live_rebuild.py writes only the pages it
touches) tells each browser as soon as the page it shows is written. The saved article's own
page is written among the first, so the writer sees it while the lists that show its title
(home, tags, topic, archives) are still being written; a browser showing one of those lists
is told when that list is written, so no browser is told before its page is new. A browser
on a page the save did not touch is not told (nothing on it changed).

A full rebuild (a template, stylesheet, plugin or setting changed; a file added, deleted or
renamed; the last build failed) tells every browser when it ends: its stylesheets and scripts
are copied after the pages. A browser that was reloading meanwhile (its socket closed) is told
when it connects again, if the page it loaded was written after it was sent.

Every method runs in the server's loop (Tornado's; the build thread hands its news over with
``IOLoop.add_callback``).
"""

from __future__ import annotations

import contextlib
import math
import os
import time
import weakref
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from commands.live_rebuild import Rebuilt


class BrowserPages:
    """The page each connected browser shows, when each page was last sent and last written."""

    def __init__(self, output: Path, connected: set[Any]) -> None:
        self.output = output.resolve()
        self.browsers = connected  # livereload's set of open sockets, which it keeps up to date
        self.shown: weakref.WeakKeyDictionary[Any, str | None] = weakref.WeakKeyDictionary()
        self.sent: dict[str, float] = {}  # page -> when the server last sent it
        self.ready: dict[str, float] = {}  # page -> when it was last written (a full build: ended)
        self.unannounced = False  # a build ended while no browser was connected or told
        self.told_while_writing = False

    def page(self, address: str) -> str | None:
        """The output file (relative, "/"-separated) an address or request path shows; None for
        an address outside the site's files (the 404 page shows there)."""
        relative = unquote(urlsplit(address).path).lstrip("/")
        if not relative or relative.endswith("/"):
            relative += "index.html"
        path = self.output / relative
        return relative if path.resolve().is_relative_to(self.output) and path.is_file() else None

    def page_sent(self, request_path: str) -> None:
        """The server has just sent the file at ``request_path``."""
        page = self.page(request_path)
        if page is not None:
            self.sent[page] = time.monotonic()

    def connected(self, browser: Any, address: str) -> None:
        """A browser's live-reload socket said which page it shows: told at once if that page was
        written after the server sent it (the browser was reloading while it was written)."""
        page = self.shown[browser] = self.page(address)
        if page is None:
            stale, self.unannounced = self.unannounced, False
        else:
            stale = self.ready.get(page, -math.inf) > self.sent.get(page, -math.inf)
        if stale:
            tell(browser, page)

    def file_written(self, path: str) -> None:
        """A selective build has written ``path``: tell the browsers showing it."""
        page = Path(os.path.relpath(path, self.output)).as_posix()
        self.ready[page] = time.monotonic()
        for browser in list(self.browsers):
            if self.shown.get(browser) == page:
                tell(browser, page)
                self.told_while_writing = True

    def build_ended(self, rebuilt: Rebuilt) -> None:
        """Tell the browsers a rebuild has not told yet: all after a full or failed one; those
        on an address outside the site's files after a selective one."""
        everything = rebuilt.everything or not rebuilt.built
        if everything:
            now = time.monotonic()
            self.ready.update(dict.fromkeys(rebuilt.written, now))
        for browser in list(self.browsers):
            page = self.shown.get(browser)
            if everything or page is None:
                tell(browser, page)
        if not self.browsers and not self.told_while_writing:
            self.unannounced = True  # the next browser on an address outside the files is told
        self.told_while_writing = False


def tell(browser: Any, page: str | None) -> None:
    """Send one browser livereload.js's reload message (a page's path reloads the page)."""
    message = {"command": "reload", "path": page or "*", "liveCSS": True, "liveImg": True}
    with contextlib.suppress(Exception):  # a socket closed meanwhile: it reconnects and asks
        browser.write_message(message)


def noting_pages_sent(handler: type, pages: BrowserPages) -> type:
    """A subclass of the server's file handler (Tornado's) that notes each page it sends."""

    class NotingHandler(handler):
        def on_finish(self) -> None:
            """Tornado's hook, once the answer is sent (304: the browser's copy is current)."""
            if self.get_status() in {200, 304}:
                pages.page_sent(self.request.path)
            super().on_finish()

    return NotingHandler
