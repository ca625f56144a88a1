"""Results kept on disk under a hash of everything they depend on (a library, not a plugin).

Production builds start from nothing and turn Pelican's content cache off, so the slow,
pure steps (reading Markdown with typography, finding an article's citations for JSON-LD,
audit passes, printed handouts) keep their results here instead: one file per result, named
by a hash of every input, so an entry cannot go stale. Any of these folders can be deleted at
any time.

An entry cannot lie either: each one carries an HMAC-SHA256 of its name and its bytes, keyed
by a secret of this project (``cache-secret`` in the cache's parent folder, ``.cache/pelican``:
made on first use, mode 0600, never in the output, git-ignored with ``.cache/``). An entry
edited by hand (text that is not in the source, another article's PDF, a forged audit pass)
fails its check: one line on stderr, and the result is computed again.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sys
import tempfile
from pathlib import Path

SECRET_FILE = "cache-secret"
SECRET_BYTES = 32


def project_secret(folder: Path) -> bytes:
    """The secret that keys every entry under ``folder``'s parent; made (0600) on first use."""
    path = Path(folder).parent / SECRET_FILE
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (FileNotFoundError, ValueError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent)  # created 0600
    with os.fdopen(handle, "w", encoding="ascii") as file:
        file.write(secrets.token_hex(SECRET_BYTES) + "\n")
    try:  # another process may have made one meanwhile: theirs wins, ours goes
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def seal(secret: bytes, name: str, data: bytes) -> str:
    """The keyed digest of one entry: its name (its inputs) and its bytes."""
    return hmac.new(secret, name.encode("utf-8") + b"\0" + data, hashlib.sha256).hexdigest()


def warn_forged(cache: str, entry: Path) -> None:
    """The one line a forged or damaged entry earns (stderr: a production build's warnings
    are fatal, and this is no reason to stop it; the result is computed again)."""
    print(
        f"{cache} cache: {entry} failed its check (edited or damaged), so it is ignored "
        "and computed again.",
        file=sys.stderr,
    )


class ResultCache:
    """One folder of results, each named by ``key(...)`` of its inputs and sealed."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.hits = 0
        self.misses = 0
        self.forged = 0
        self._secret: bytes | None = None

    @property
    def secret(self) -> bytes:
        """This project's cache secret (read once)."""
        if self._secret is None:
            self._secret = project_secret(self.folder)
        return self._secret

    @staticmethod
    def key(*parts: str) -> str:
        """The name of the entry for these inputs."""
        return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get(self, key: str) -> str | None:
        """The stored text, or None (a miss) when there is none or it fails its check."""
        data = self.get_bytes(key)
        return None if data is None else data.decode("utf-8")

    def get_bytes(self, key: str) -> bytes | None:
        """The stored bytes, or None (a miss) when there is none or they fail their check."""
        entry = self._path(key)
        try:
            stored = entry.read_bytes()
        except FileNotFoundError:
            self.misses += 1
            return None
        digest, _, data = stored.partition(b"\n")
        expected = seal(self.secret, key, data).encode("ascii")
        if not hmac.compare_digest(digest, expected):
            self.forged += 1
            self.misses += 1
            warn_forged(self.folder.name, entry)
            entry.unlink(missing_ok=True)
            return None
        self.hits += 1
        return data

    def put(self, key: str, text: str) -> None:
        """Store ``text`` (write, then rename: a stopped build never leaves half an entry)."""
        self.put_bytes(key, text.encode("utf-8"))

    def put_bytes(self, key: str, data: bytes) -> None:
        """Store ``data``, as ``put`` stores a text."""
        entry = self._path(key)
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent)
        with os.fdopen(handle, "wb") as file:
            file.write(seal(self.secret, key, data).encode("ascii") + b"\n" + data)
        os.replace(temporary, entry)

    def take_counts(self) -> tuple[int, int]:
        """(hits, misses) since the last call: each rebuild of ``invoke serve`` counts afresh."""
        counts = (self.hits, self.misses)
        self.hits = self.misses = 0
        return counts
