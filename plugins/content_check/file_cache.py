"""The writer's check's findings of one file's own checks, kept by everything they read.

A file's own checks (metadata, readability, claims, structure, clarity, markup...) read its
text, the settings, the day, the glossaries its Markdown links to and the check's own code.
Their findings are kept under a hash of all of those (``result_cache``: sealed, under
``CACHE_PATH/check/``), so ``invoke check`` at 1,000 articles converts only the files changed
since its last run. The checks that read the rest of the site (links, glossary terms, reserved
slugs) and the checks across files run every time; they read the source text, not its HTML.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import importlib.metadata
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from result_cache import ResultCache

from .findings import Finding
from .source import SourceFile

PLUGINS = Path(__file__).resolve().parents[1]
# Libraries whose answers are findings (Markdown's HTML, readability's syllables, the sanitizer).
LIBRARIES = ("markdown", "textstat", "nh3", "pelican", "typogrify", "smartypants")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.cache
def code_fingerprint(project: Path) -> str:
    """The check's code and words: every module of plugins/ and commands/, tasks.py (the new
    article's skeleton), the theme's catalogues, and the libraries' versions."""
    files = [*PLUGINS.rglob("*.py"), *(project / "commands").rglob("*.py"), project / "tasks.py"]
    files += [*(project / "theme" / "translations").rglob("*.po")]
    parts = [f"{path.name}:{_digest(path.read_bytes())}" for path in sorted(files) if path.exists()]
    for library in LIBRARIES:
        try:
            parts.append(f"{library}=={importlib.metadata.version(library)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{library} absent")
    return _digest("\n".join(parts).encode("utf-8"))


def text_digest(src: SourceFile) -> str:
    """The digest of a source's text, worked out once (kept on it)."""
    digest = src.cache.get("digest")
    if digest is None:
        text = "\n".join(src.lines).encode("utf-8", "surrogatepass")
        digest = src.cache["digest"] = _digest(text)
    return digest


def _glossary_texts(settings: dict[str, Any], content_dir: Path) -> str:
    """The glossaries a file's Markdown links its words to (their text's digests)."""
    markdown = settings.get("MARKDOWN") or {}
    glossaries = (markdown.get("extension_configs", {}).get("article_markup") or {}).get(
        "glossaries", {}
    )
    parts = []
    for language, relative in sorted(glossaries.items()):
        path = content_dir / relative
        parts.append(f"{language}:{_digest(path.read_bytes()) if path.is_file() else '-'}")
    return ";".join(parts)


class FileFindings:
    """Findings of the index-free checks of each file, from the cache or worked out."""

    def __init__(
        self,
        project: Path,
        settings: dict[str, Any],
        content_dir: Path,
        today: dt.date,
        production: bool,
    ) -> None:
        folder = project / settings.get("CACHE_PATH", ".cache/pelican") / "check"
        self.store = ResultCache(folder)
        site_settings = repr(sorted(settings.items(), key=lambda item: item[0]))
        self.inputs = (
            code_fingerprint(project),
            _digest(site_settings.encode("utf-8")),
            _glossary_texts(settings, content_dir),
            today.isoformat(),
            str(production),
        )

    def findings(
        self, src: SourceFile, work_out: Callable[[], dict[str, list[Finding]]]
    ) -> dict[str, list[Finding]]:
        """Each check's findings on ``src`` (by the check's name), kept or ``work_out()``."""
        key = ResultCache.key(*self.inputs, src.name, src.kind, str(src.path), text_digest(src))
        kept = self.store.get(key)
        if kept is not None:
            stored = json.loads(kept)
            return {name: [Finding(**item) for item in items] for name, items in stored.items()}
        found = work_out()
        self.store.put(key, json.dumps(_as_data(found), sort_keys=True))
        return found


def _as_data(found: dict[str, list[Finding]]) -> dict[str, list[dict[str, Any]]]:
    return {name: [dataclasses.asdict(item) for item in items] for name, items in found.items()}
