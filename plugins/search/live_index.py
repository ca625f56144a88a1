"""Pagefind's service, fed each page while Pelican writes the others.

Pelican renders pages on one core; Pagefind's command could only start once every page was
written. Here ``pagefind --service`` starts before the writing, and each page is handed to it
as soon as it is on disk, so Pagefind reads and indexes it on the idle core; at the end only
the bundle is left to write. It is the same indexer as ``pagefind --site`` with Pagefind's
defaults: each page's URL is worked out as the command does (``/a/index.html`` -> ``/a/``),
and the same rule chooses the pages (only those marked ``data-pagefind-body`` when any is).

Two threads of ours talk to the service, so the build never waits for it: one hands it each
page (in the order the pages were written: Pagefind numbers the pages in that order), the
other collects the answers. Pagefind reads each page from the disk itself (``AddDir`` with the
page's path as the glob), as its command does. The bundle's files come back in the last answer
and are written here (see ``write_bundle``). A service that stops, answers an error or stays
silent for ``SILENCE_LIMIT`` seconds fails the build with ``SearchIndexError``. The service
stops when its stdin closes, so a build that is interrupted (Ctrl-C) or fails leaves no
Pagefind behind: ``close`` ends it, and so does the end of the Python process.
"""

from __future__ import annotations

import base64
import queue
import re
import subprocess
import tempfile
import threading
import weakref
from pathlib import Path
from typing import Any

from pelican_compat import pagefind_answers, pagefind_request, pagefind_service_command
from site_errors import SiteError

# How long Pagefind may stay silent while the build waits for it: writing the bundle of
# 5,000 pages takes seconds; minutes without an answer means the service hangs.
SILENCE_LIMIT = 300.0
INDEX_ID = 0  # the first index a new service makes
STOP = None  # the end of the requests, and of the answers
# Pagefind indexes only the pages marked so, when any is (our theme marks its pages' bodies).
SEARCHABLE_MARK = "data-pagefind-body"
SEARCHABLE_BYTES = SEARCHABLE_MARK.encode()
# A page path that, as a glob, matches only itself (no glob syntax, no hidden folder or file):
# Pagefind's ``AddDir`` reads that one file.
LITERAL_GLOB = re.compile(r"(?!\.)[\w.-]+(?:/(?!\.)[\w.-]+)*", re.ASCII)


class SearchIndexError(SiteError, RuntimeError):
    """Pagefind could not index the site, or left an incomplete bundle."""


def page_url(site: Path, page: Path) -> str:
    """The URL Pagefind's command gives ``page`` of ``site`` (without ``index.html``)."""
    relative = page.relative_to(site).as_posix()
    if relative == "index.html" or relative.endswith("/index.html"):
        relative = relative[: -len("index.html")]
    return "/" + relative


def stop_service(process: subprocess.Popen) -> None:
    """End the service at once (a build that failed or was interrupted: nothing to keep)."""
    if process.poll() is None:
        process.kill()
        process.wait()
    for pipe in (process.stdin, process.stdout):
        try:
            if pipe is not None:
                pipe.close()
        except OSError:
            pass  # unsent requests to a service that is gone


def bundle_path(bundle: Path, name: str) -> Path:
    """Where a file Pagefind made goes inside ``bundle`` (and nowhere else)."""
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts:
        raise SearchIndexError(f"search: Pagefind gave a file outside its bundle: {name}")
    return bundle / relative


class LiveIndex:
    """A Pagefind index of ``site``'s pages, built while they are written."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self._given: set[Path] = set()
        self._bundle_requested = False
        self._requests: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._answers: queue.SimpleQueue[dict[str, Any] | None] = queue.SimpleQueue()
        self._sent_pages: dict[int, str] = {}  # message id -> the page's URL, for messages
        self._marked: set[Path] = set()  # the pages sent that carry SEARCHABLE_MARK
        self._unreadable: list[str] = []
        self._failure: Exception | None = None  # what stopped the sending thread, if anything
        # What the service prints, for the message if it stops; kept as long as the index.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed with this object
        try:
            self._process = subprocess.Popen(
                pagefind_service_command(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
            )
        except OSError as error:
            raise SearchIndexError(f"search: Pagefind could not start: {error}") from error
        # Whatever happens to the build, the service ends with this object or with Python.
        self._finalizer = weakref.finalize(self, stop_service, self._process)
        self._requests.put({"type": "NewIndex", "config": None})
        for target in (self._send_requests, self._collect_answers):
            threading.Thread(target=target, daemon=True, name=f"pagefind-{target.__name__}").start()

    def add_page(self, page: Path) -> None:
        """Index ``page`` (written, complete) of the site, once; returns at once."""
        if self._bundle_requested:
            raise RuntimeError(f"{page} was given after the bundle was asked for")
        if page not in self._given:
            self._given.add(page)
            self._requests.put(page)

    def write_bundle(self, bundle: Path, silence_limit: float = SILENCE_LIMIT) -> None:
        """Write the index into ``bundle`` once every page is indexed, then end the service.

        The files are asked for and written here, each complete before this returns (the
        service's own ``WriteFiles`` answers before its last files are on disk).
        """
        self.request_bundle()
        try:
            files = self._await_files(silence_limit)
        finally:
            self.close()
        folders: set[Path] = set()
        for file in files:
            path = bundle_path(bundle, file["path"])
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            path.write_bytes(base64.b64decode(file["content"]))

    def searchable_pages(self, pages: list[Path]) -> int:
        """How many of ``pages`` (given, and sent: after ``write_bundle``) Pagefind indexes by
        its own rule, as ``search.searchable_pages`` counts them, from the text it was sent
        (the build does not read every page again)."""
        marked = sum(page in self._marked for page in pages)
        return marked or len(pages)

    def request_bundle(self) -> None:
        """No more pages: Pagefind builds the bundle from now on (``write_bundle`` writes it)."""
        if not self._bundle_requested:
            self._bundle_requested = True
            self._requests.put({"type": "GetFiles", "index_id": INDEX_ID})
            self._requests.put(STOP)

    def close(self) -> None:
        """End the service now (what it has not written is lost)."""
        self._requests.put(STOP)
        self._finalizer()

    def _await_files(self, silence_limit: float) -> list[dict[str, str]]:
        while True:
            try:
                answer = self._answers.get(timeout=silence_limit)
            except queue.Empty:
                raise SearchIndexError(
                    f"search: Pagefind's service answered nothing for {silence_limit:.0f} s "
                    "and was stopped; build again, and report it if it keeps happening"
                ) from None
            if answer is STOP and self._failure is not None:
                raise self._failure
            if answer is STOP:
                raise SearchIndexError(f"search: Pagefind's service stopped: {self._last_words()}")
            payload = answer.get("payload") or {}
            if payload.get("type") == "Error":
                page = self._sent_pages.get(answer.get("message_id") or 0, "the site")
                raise SearchIndexError(
                    f"search: Pagefind could not index {page}: {payload.get('message')}"
                )
            if payload.get("type") == "NewIndex" and payload.get("index_id") != INDEX_ID:
                raise SearchIndexError(f"search: Pagefind's service made index {payload}")
            if payload.get("type") == "GetFiles":
                if self._unreadable:
                    raise SearchIndexError(f"search: could not read {self._unreadable[0]}")
                return payload["files"]

    def _last_words(self) -> str:
        """How the service ended: its exit status and the end of what it printed."""
        try:
            status = self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            status = None
        self._stderr.seek(0)
        printed = self._stderr.read().decode("utf-8", "replace").strip()[-800:]
        return f"exit {status}" + (f": {printed}" if printed else "")

    def _send_requests(self) -> None:
        """The sending thread: each request in order, read and encoded here, not in the build."""
        try:
            self._send_each_request()
        except Exception as error:  # a bug: the build raises it, rather than wait for answers
            self._failure = error
            self._answers.put(STOP)

    def _send_each_request(self) -> None:
        stdin = self._process.stdin
        message_id = 0
        while (request := self._requests.get()) is not STOP:
            message_id += 1
            if isinstance(request, Path):
                request = self._page_request(message_id, request)
            try:
                stdin.write(pagefind_request(message_id, request))
                stdin.flush()
            except (BrokenPipeError, ValueError):
                return  # the service stopped (or was closed): the answers' end reports it

    def _page_request(self, message_id: int, page: Path) -> dict[str, Any]:
        """Pagefind reads the page itself (``AddDir``, the page's own path as the glob): its
        text is not encoded as JSON and base64 here, in the process whose GIL the writing of
        the pages needs. It is read here only to check and count it. A path that a glob would
        read otherwise (``*``, ``[``...) is sent as text (``AddFile``)."""
        url = page_url(self.site, page)
        self._sent_pages[message_id] = url
        try:
            content = page.read_bytes()
            content.decode("utf-8")  # Pagefind's reading of a page that is not UTF-8 is lossy
        except (OSError, UnicodeDecodeError) as error:
            self._unreadable.append(f"{page}: {error}")
            content = b""
        if SEARCHABLE_BYTES in content:
            self._marked.add(page)
        relative = page.relative_to(self.site).as_posix()
        if LITERAL_GLOB.fullmatch(relative):
            site = str(self.site)
            return {"type": "AddDir", "index_id": INDEX_ID, "path": site, "glob": relative}
        return {
            "type": "AddFile",
            "index_id": INDEX_ID,
            "file_path": None,
            "url": url,
            "file_contents": content.decode("utf-8"),
        }

    def _collect_answers(self) -> None:
        """The reading thread: every answer, then ``STOP`` when the service's output ends."""
        try:
            for answer in pagefind_answers(self._process.stdout):
                self._answers.put(answer)
        except ValueError as error:  # an answer that is not the protocol's
            self._answers.put({"payload": {"type": "Error", "message": f"{error}"}})
        finally:
            self._answers.put(STOP)
