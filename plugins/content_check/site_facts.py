"""What the checks across files know of every source, kept between runs (issue 26).

A file's findings read the rest of the site: the addresses and anchors its links may point at
(``links.build_index``), the slugs and titles other files use (``checks.check_duplicates``),
its translations or original (``translation_check``). Those facts are each file's name, its
metadata block and its anchors. They are kept in one sealed table (``result_cache``, under
``CACHE_PATH/check/``) beside each file's identity (device, inode, modification time, size)
and the digest of its text, so ``invoke check FILE`` reads only the files changed since the
table was written, and the whole check works out the anchors of changed files only.

An entry is trusted on its identity alone only when the file was last changed well before the
entry was written (git's "racy" rule: a save within the file system's clock step of the
recording would keep the same time); otherwise the file is read and its digest compared.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from content_guard import ContentFile
from result_cache import ResultCache

from content_check.file_cache import code_fingerprint, text_digest
from content_check.findings import Finding
from content_check.links import anchors_of, content_path
from content_check.source import MetaValue, SourceFile, read_source

# Coarser than any file system's clock step we meet (FAT: 2 s); a file changed less than this
# before its entry was written is read again.
RACY_NS = 3_000_000_000


def _identity(stat: os.stat_result) -> list[int]:
    return [stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_size]


def _record(src: SourceFile, stat: os.stat_result | None) -> dict[str, Any]:
    """A readable source's entry: what the checks across files read of it."""
    return {
        "identity": _identity(stat) if stat is not None else None,
        "recorded": time.time_ns(),
        "digest": text_digest(src),
        "name": src.name,
        "content_path": src.cache["content_path"],
        "metadata": {key: [item.value, item.line] for key, item in src.metadata.items()},
        "anchors": sorted(anchors_of(src)),
    }


def _stand_in(entry: dict[str, Any], file: ContentFile) -> SourceFile:
    """A source known from its entry: name, kind, metadata and anchors, but no text. The checks
    across files read no more of another file (a translation's fingerprint reads the file)."""
    metadata = {key: MetaValue(value, line) for key, (value, line) in entry["metadata"].items()}
    src = SourceFile(path=file.path, name=entry["name"], kind=file.kind, lines=[])
    src.metadata = metadata
    src.cache.update(content_path=entry["content_path"], anchors=set(entry["anchors"]))
    return src


class SiteFacts:
    """The table of every source's facts for one project, content folder and check code."""

    def __init__(self, root: Path, settings: dict[str, Any], content_dir: Path) -> None:
        folder = root / settings.get("CACHE_PATH", ".cache/pelican") / "check"
        self.store = ResultCache(folder)
        self.content_dir = content_dir
        self.key = ResultCache.key(
            "site-facts", code_fingerprint(root), str(root), str(content_dir)
        )
        kept = self.store.get(self.key)
        self.entries: dict[str, dict[str, Any]] = json.loads(kept) if kept else {}
        self.changed = False

    def _where(self, path: Path) -> str:
        return path.relative_to(self.content_dir).as_posix()

    def sources(
        self, files: Iterable[ContentFile], root: Path, fresh: dict[Path, SourceFile | Finding]
    ) -> list[SourceFile]:
        """Every readable source in order: those in ``fresh`` as given, the others stand-ins
        from their entries, or read (and recorded) when changed since."""
        found: list[SourceFile] = []
        for file in files:
            read = fresh[file.path] if file.path in fresh else self._known(file, root)
            if isinstance(read, SourceFile):
                found.append(read)
        return found

    def _known(self, file: ContentFile, root: Path) -> SourceFile | None:
        """The file as a stand-in, or read; None when it cannot be read (not a source)."""
        where = self._where(file.path)
        entry, stat = self.entries.get(where), _stat(file.path)
        if entry is not None and stat is not None and _trusted(entry, stat):
            return _stand_in(entry, file) if entry["digest"] else None
        read = read_source(file.path, root, file.kind)
        if isinstance(read, SourceFile):
            self.reuse_anchors([read])
            self.remember([read], {file.path: stat})
        else:  # read again each time it is named; until it changes, not a source
            self.entries[where] = {"identity": stat and _identity(stat), "digest": "",
                                   "recorded": time.time_ns()}  # fmt: skip
            self.changed = True
            return None
        return read

    def reuse_anchors(self, sources: Iterable[SourceFile]) -> None:
        """Give each source whose very text its entry has seen the anchors kept for it."""
        for src in sources:
            entry = self.entries.get(self._where(src.path))
            if entry and entry["digest"] == text_digest(src) and "anchors" not in src.cache:
                src.cache["anchors"] = set(entry["anchors"])

    def remember(
        self, sources: Iterable[SourceFile], stats: dict[Path, os.stat_result | None] | None = None
    ) -> None:
        """Record these sources, read from disk (anchors are worked out if not known)."""
        for src in sources:
            where = self._where(src.path)
            entry = self.entries.get(where)
            stat = stats[src.path] if stats and src.path in stats else _stat(src.path)
            if "content_path" not in src.cache:  # the index gave it to every source it read
                src.cache["content_path"] = content_path(src.path, self.content_dir.resolve())
            same = entry is not None and entry["digest"] == text_digest(src)
            if same and stat is not None and _trusted(entry, stat):
                continue
            self.entries[where] = _record(src, stat)
            self.changed = True

    def keep_only(self, paths: Iterable[Path]) -> None:
        """Drop the entries of every other file (deleted, or no longer a source)."""
        present = {self._where(path) for path in paths}
        gone = [where for where in self.entries if where not in present]
        for where in gone:
            del self.entries[where]
        self.changed |= bool(gone)

    def save(self) -> None:
        """Write the table if anything changed (the whole table: one file, one state)."""
        if self.changed:
            self.store.put(self.key, json.dumps(self.entries, sort_keys=True))
            self.changed = False


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _trusted(entry: dict[str, Any], stat: os.stat_result) -> bool:
    """The file is the one recorded, and was not changed within a clock step of the record."""
    return entry["identity"] == _identity(stat) and stat.st_mtime_ns + RACY_NS < entry["recorded"]
