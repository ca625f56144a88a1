"""Printed handouts kept under a hash of everything they depend on.

Production builds start from an empty output folder, so a hash kept beside the PDF in the site
would be gone by the next ``invoke publish``. The PDFs live instead in
``.cache/pelican/handouts/<2 hex>/<hash>.pdf`` (named as plugins/result_cache.py names its
entries), and each one is copied into the site. An entry cannot go stale: its name is its
inputs. The folder can be deleted at any time.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import shutil
import tempfile
from pathlib import Path

from result_cache import ResultCache

from handouts.pages import ArticlePage, Fingerprints

DEFAULT_CACHE = Path(".cache") / "pelican" / "handouts"
CODE_FOLDER = Path(__file__).resolve().parent


@functools.cache
def code_fingerprint() -> str:
    """The handout code and the versions of what prints it: a change reprints every handout."""
    digest = hashlib.sha256()
    for source in sorted(CODE_FOLDER.glob("*.py")):
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

    def has(self, key: str) -> bool:
        """Whether this handout was printed before."""
        return self.path(key).is_file()

    def copy_to(self, key: str, destination: Path) -> None:
        """Put the kept handout into the site (copied under a temporary name, then renamed)."""
        handle, temporary = tempfile.mkstemp(dir=destination.parent, suffix=".part")
        os.close(handle)
        try:
            shutil.copyfile(self.path(key), temporary)
            os.chmod(temporary, 0o644)
            os.replace(temporary, destination)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
