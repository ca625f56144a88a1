"""Results kept on disk under a hash of everything they depend on (a library, not a plugin).

Production builds start from nothing and turn Pelican's content cache off, so the slow,
pure steps (reading Markdown with typography, finding an article's citations for JSON-LD)
keep their results here instead: one file per result, named by a hash of every input, so an
entry cannot go stale. Any of these folders can be deleted at any time.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class ResultCache:
    """One folder of results, each named by ``key(...)`` of its inputs."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(*parts: str) -> str:
        """The name of the entry for these inputs."""
        return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get(self, key: str) -> str | None:
        """The stored text, or None (counted as a miss) when there is none yet."""
        try:
            text = self._path(key).read_text(encoding="utf-8")
        except FileNotFoundError:
            self.misses += 1
            return None
        self.hits += 1
        return text

    def put(self, key: str, text: str) -> None:
        """Store ``text`` (write, then rename: a stopped build never leaves half an entry)."""
        entry = self._path(key)
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, entry)

    def take_counts(self) -> tuple[int, int]:
        """(hits, misses) since the last call: each rebuild of ``invoke serve`` counts afresh."""
        counts = (self.hits, self.misses)
        self.hits = self.misses = 0
        return counts
