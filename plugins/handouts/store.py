"""Printed handouts kept under a hash of everything they depend on.

Production builds start from an empty output folder, so a hash kept beside the PDF in the site
would be gone by the next ``invoke publish``. The PDFs live instead in
``.cache/pelican/handouts/<2 hex>/<hash>.pdf`` (named as plugins/result_cache.py names its
entries), and each one is copied into the site. An entry cannot go stale: its name is its
inputs. The folder can be deleted at any time. Each PDF is sealed (``<hash>.pdf.seal``: an
HMAC of its key and its bytes, keyed by the project's cache secret, see result_cache.py): a PDF
swapped or edited by hand fails its check, and is printed again.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import importlib.metadata
import os
import tempfile
from pathlib import Path

from result_cache import ResultCache, project_secret, seal, warn_forged

from handouts.pages import ArticlePage, Fingerprints

DEFAULT_CACHE = Path(".cache") / "pelican" / "handouts"
CODE_FOLDER = Path(__file__).resolve().parent
PAGE_TREES = CODE_FOLDER.parent / "html_structure.py"


@functools.cache
def code_fingerprint() -> str:
    """The handout code and the versions of what prints it: a change reprints every handout."""
    digest = hashlib.sha256()
    # html_structure.py parses and writes back the pages the handouts print (compose.py).
    for source in [*sorted(CODE_FOLDER.glob("*.py")), PAGE_TREES]:
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    for package in ("segno", "playwright"):
        digest.update(f"{package}={importlib.metadata.version(package)}".encode())
    return digest.hexdigest()


def handout_key(
    article: ArticlePage, paper: str, fingerprints: Fingerprints, words: str = ""
) -> str:
    """The cache key of one handout: its page and every file the page loads, the QR code's
    address, the paper, the code and ``words`` (its wording's signature)."""
    return ResultCache.key(
        code_fingerprint(), paper, article.canonical, words, *fingerprints.of_page(article)
    )


def write_atomically(destination: Path, data: bytes) -> None:
    """Write a file whole or not at all (a stopped run never leaves half a PDF)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=destination.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class HandoutStore:
    """The folder of printed handouts, one PDF per key."""

    def __init__(self, folder: Path | str = DEFAULT_CACHE) -> None:
        self.folder = Path(folder)

    def path(self, key: str) -> Path:
        """Where the handout with this key is (or will be) kept."""
        return self.folder / key[:2] / f"{key}.pdf"

    def _seal_path(self, key: str) -> Path:
        return self.path(key).with_suffix(".pdf.seal")

    def _seal_of(self, key: str, data: bytes) -> str:
        return seal(project_secret(self.folder), key, data)

    def has(self, key: str) -> bool:
        """Whether this handout was printed before, and its PDF passes its seal's check (a
        forged one is deleted, with one line on stderr, so that it is printed again)."""
        pdf = self.path(key)
        if pdf.is_symlink():  # a link is no printed handout, wherever it points
            pdf.unlink()
        if not pdf.is_file():
            self._seal_path(key).unlink(missing_ok=True)  # a seal of nothing vouches for no PDF
            return False
        try:
            kept = self._seal_path(key).read_text(encoding="ascii").strip()
        except FileNotFoundError:
            kept = ""
        if hmac.compare_digest(kept, self._seal_of(key, pdf.read_bytes())):
            return True
        warn_forged(self.folder.name, pdf)
        pdf.unlink(missing_ok=True)
        self._seal_path(key).unlink(missing_ok=True)
        return False

    def copy_to(self, key: str, destination: Path) -> None:
        """Put the kept handout into the site (copied under a temporary name, then renamed).

        Only called for a handout ``has`` vouched for or one printed in this run, whose seal
        is written now.
        """
        data = self.path(key).read_bytes()
        sealed = self._seal_of(key, data)
        seal_path = self._seal_path(key)
        if not seal_path.exists() or seal_path.read_text(encoding="ascii").strip() != sealed:
            write_atomically(seal_path, sealed.encode("ascii"))
        handle, temporary = tempfile.mkstemp(dir=destination.parent, suffix=".part")
        os.close(handle)
        try:
            Path(temporary).write_bytes(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, destination)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
