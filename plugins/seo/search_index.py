"""The Pagefind search index, built while Pelican writes the pages.

Running the ``pagefind`` command after the build took 1.5 s at 1,000 articles, after
everything else. Pagefind also runs as a service (``pagefind --service``, the protocol its own
Python and Node.js APIs speak): this module starts it when the first page is written and hands
it each page (``AddFile``) as Pelican writes it, so the indexing runs on the core Pelican
leaves idle. After the build, ``WriteFiles`` writes the same bundle the command writes.

Pagefind's Python API speaks the same protocol, but reads one answer every 0.1 s (100 s for
1,000 pages), so this module talks to the service directly: one request after another on its
input, one thread reading the answers.
"""

from __future__ import annotations

import base64
import contextlib
import json
import subprocess
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

# Answers are written in this many seconds, or the build fails (nothing near it at 5,000 pages).
ANSWER_TIMEOUT_SECONDS = 600


class SearchIndexError(RuntimeError):
    """Pagefind could not index a page or write the index."""


def pagefind_executable() -> Path:
    """The Pagefind binary that the ``pagefind[bin]`` package installs."""
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        raise SearchIndexError(
            "seo: Pagefind is not installed (pip install -r requirements.lock), so the search "
            "index cannot be built"
        )
    return Path(executable)


def page_url(output: Path, path: Path) -> str:
    """The address Pagefind's command gives a page: ``articles/a/index.html``: ``/articles/a/``."""
    relative = path.relative_to(output).as_posix()
    if relative == "index.html" or relative.endswith("/index.html"):
        relative = relative[: -len("index.html")]
    return "/" + relative


class StreamingIndex:
    """One Pagefind service process and one index in it."""

    def __init__(self, executable: Path | None = None) -> None:
        self._process = subprocess.Popen(
            [str(executable or pagefind_executable()), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self._answers: dict[int, Future[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self._stopped: SearchIndexError | None = None  # set when the service has gone
        self._next_id = 0
        self._reader = threading.Thread(target=self._read_answers, daemon=True)
        self._reader.start()
        self._pages: list[tuple[str, Future[dict[str, Any]]]] = []
        self._index_id = self._wait(self._send({"type": "NewIndex", "config": None}))["index_id"]

    def _send(self, payload: dict[str, Any]) -> Future[dict[str, Any]]:
        """Send one request; its answer arrives in the returned future."""
        answer: Future[dict[str, Any]] = Future()
        with self._lock:
            if self._stopped is not None:
                answer.set_exception(self._stopped)
                return answer
            self._next_id += 1
            message_id = self._next_id
            self._answers[message_id] = answer
            message = json.dumps({"message_id": message_id, "payload": payload})
            assert self._process.stdin is not None
            try:
                self._process.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
                self._process.stdin.flush()
            except OSError as error:
                answer.set_exception(SearchIndexError(f"seo: Pagefind stopped: {error}"))
        return answer

    def _read_answers(self) -> None:
        """In a thread: settle each request's future with Pagefind's answer."""
        assert self._process.stdout is not None
        buffer = b""
        while chunk := self._process.stdout.read1(1 << 16):
            buffer += chunk
            *messages, buffer = buffer.split(b",")
            for message in messages:
                self._settle(message)
        error = SearchIndexError(
            f"seo: Pagefind stopped (exit {self._process.wait()}){': ' if buffer else ''}"
            f"{buffer[:500].decode('utf-8', 'replace')}"
        )
        with self._lock:
            self._stopped = error
            for answer in self._answers.values():
                if not answer.done():
                    answer.set_exception(error)

    def _settle(self, message: bytes) -> None:
        try:
            answer = json.loads(base64.b64decode(message))
        except ValueError:
            return  # not an answer (Pagefind prints nothing else in service mode)
        if not answer:
            return
        payload = answer.get("payload", {})
        message_id = answer.get("message_id")
        if message_id is None and payload.get("original_message"):
            message_id = json.loads(payload["original_message"]).get("message_id")
        with self._lock:
            future = self._answers.pop(message_id, None)
        if future is None:
            return
        if payload.get("type") == "Error":
            future.set_exception(SearchIndexError(f"seo: Pagefind: {payload.get('message')}"))
        else:
            future.set_result(payload)

    @staticmethod
    def _wait(answer: Future[dict[str, Any]]) -> dict[str, Any]:
        try:
            return answer.result(timeout=ANSWER_TIMEOUT_SECONDS)
        except TimeoutError as error:
            raise SearchIndexError("seo: Pagefind did not answer in time") from error

    def add_page(self, url: str, html: str) -> None:
        """Index one page (Pagefind works on it while the build goes on)."""
        request = {
            "type": "AddFile",
            "index_id": self._index_id,
            "url": url,
            "file_path": None,
            "file_contents": html,
        }
        self._pages.append((url, self._send(request)))

    def write(self, output_path: Path) -> int:
        """Wait for every page, write the bundle into ``output_path``; return the pages indexed."""
        try:
            for url, answer in self._pages:
                try:
                    self._wait(answer)
                except SearchIndexError as error:
                    raise SearchIndexError(f"{error} (page {url})") from error
            request = {
                "type": "WriteFiles",
                "index_id": self._index_id,
                "output_path": str(output_path),
            }
            self._wait(self._send(request))
        finally:
            self.close()
        return len(self._pages)

    def close(self) -> None:
        """Stop the service (it exits when its input closes)."""
        if self._process.stdin and not self._process.stdin.closed:
            with contextlib.suppress(OSError):  # it has already stopped
                self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
