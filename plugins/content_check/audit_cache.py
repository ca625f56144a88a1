"""Which pages already passed an audit, kept by content hash so that a pass cannot go stale.

A pass is stored under a key made of everything the audit's result depends on: the audit (Nu,
axe or the search), the tool's version, the rules (axe's tags, the colour scheme, the response
headers the page is served with, the viewport, the browser, the word searched for), the page's
address and the SHA-256 of its HTML. A browser audit's entry also lists every file the browser
fetched for the page (stylesheet, scripts, images, fonts) with its SHA-256: the pass counts only
while each of those files is byte-identical. Only passes are kept, so a page with a finding is
audited again on every run and its finding is shown every time.

Entries live in ``CACHE_PATH``/audit (``.cache/pelican/audit``), one file each, written then
renamed (``result_cache.ResultCache``); the folder can be deleted at any time.
``--all`` audits every page (and keeps the passes for the next run); ``AUDIT_CACHE = False``
in the settings keeps nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from result_cache import ResultCache

CACHE_FOLDER = "audit"
MISSING = "missing"


class SiteFiles:
    """The built site's files by URL path, as the audit serves them, hashed once each.

    ``added`` holds pages served beside the site that are not in it (the audit's specimen,
    ``content_check.specimen_site``): URL path -> file.
    """

    def __init__(self, site_dir: Path, added: Mapping[str, Path] | None = None) -> None:
        self.site_dir = Path(site_dir).resolve()
        self.added = dict(added or {})
        self._digests: dict[str, str] = {}

    def add(self, pages: Mapping[str, Path]) -> None:
        """Serve these pages (URL path -> file) too, at their own addresses."""
        self.added.update(pages)
        for url_path in pages:
            self._digests.pop(url_path, None)

    def file_for(self, url_path: str) -> Path | None:
        """The file a host serves for a site-relative URL path ("/a/" is a/index.html)."""
        path = unquote(url_path.split("?", 1)[0].split("#", 1)[0])
        if path in self.added:
            return self.added[path]
        relative = path.lstrip("/")
        file = (self.site_dir / relative).resolve()
        if file.is_dir():
            file = file / "index.html"
        if not file.is_file() or not file.is_relative_to(self.site_dir):
            return None
        return file

    def read(self, url_path: str) -> bytes | None:
        """The bytes served for a URL path, or None when the site has no such file."""
        file = self.file_for(url_path)
        if file is None:
            return None
        data = file.read_bytes()
        self._digests[url_path] = hashlib.sha256(data).hexdigest()
        return data

    def digest(self, url_path: str) -> str:
        """SHA-256 of what is served for a URL path ("missing" when nothing is)."""
        if url_path not in self._digests:
            file = self.file_for(url_path)
            self._digests[url_path] = (
                hashlib.sha256(file.read_bytes()).hexdigest() if file else MISSING
            )
        return self._digests[url_path]


class AuditCache:
    """Audit passes by content hash; with no folder it remembers nothing (audit everything)."""

    def __init__(self, folder: Path | None, files: SiteFiles, reuse: bool = True) -> None:
        self.store = ResultCache(folder) if folder is not None else None
        self.files = files
        self.reuse = reuse  # False (``--all``): audit every page, still keep the new passes

    def key(self, audit: str, rules: Mapping[str, Any], url_path: str) -> str:
        """The entry for one audit of one page under these rules, as its HTML is now."""
        rules_text = json.dumps(rules, sort_keys=True)
        return ResultCache.key(audit, rules_text, url_path, self.files.digest(url_path))

    def passed(self, key: str) -> bool:
        """True when this page passed before and every file it loaded is byte-identical."""
        text = self.store.get(key) if self.store and self.reuse else None
        if text is None:
            return False
        try:
            loads = json.loads(text)["loads"]
        except (ValueError, KeyError, TypeError):
            return False
        return all(self.files.digest(path) == digest for path, digest in loads.items())

    def record_pass(self, key: str, loads: Mapping[str, str] | None = None) -> None:
        """Keep a pass with the digests of the files the page loaded (never a failure)."""
        if self.store is not None:
            self.store.put(key, json.dumps({"loads": dict(loads or {})}, sort_keys=True))


def cache_folder(settings: Mapping[str, Any], root: Path) -> Path | None:
    """``CACHE_PATH``/audit, or None when ``AUDIT_CACHE`` is False."""
    enabled = settings.get("AUDIT_CACHE", True)
    if not isinstance(enabled, bool):
        raise ValueError(
            f"AUDIT_CACHE must be True or False, not {enabled!r} (pelicanconf.py): False "
            "audits every page on every run."
        )
    if not enabled:
        return None
    cache_path = Path(settings.get("CACHE_PATH") or ".cache/pelican")
    return (cache_path if cache_path.is_absolute() else root / cache_path) / CACHE_FOLDER
