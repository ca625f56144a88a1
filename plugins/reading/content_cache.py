"""Pelican's content cache in development builds knows only each file's date.

After the code, the settings or the glossary a conversion depends on change (a kit update, a
glossary entry), it would hand back every unchanged file's old page in `invoke build` and
`invoke serve`. So each build compares what conversions depend on (``settings_inputs``) with
what the cache was saved under, and reads every file afresh (``LOAD_CONTENT_CACHE`` off for
that build; this plugin's own cache is keyed on the same inputs) when they differ. The stamp is
written only when a build ends well, so a build that fails half-way leaves it stale.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from .reading import settings_inputs

STAMP = "reading-inputs"


def _stamp(settings: dict[str, Any]) -> Path:
    return Path(settings["CACHE_PATH"]) / STAMP


def _digest(settings: dict[str, Any]) -> str:
    return hashlib.sha256(settings_inputs(settings).encode("utf-8")).hexdigest()


def forget_stale_content_cache(pelican: Any) -> None:
    """Pelican's ``initialized``: no cached page from other code, settings or glossary."""
    settings = pelican.settings
    if not (settings.get("LOAD_CONTENT_CACHE") or settings.get("CACHE_CONTENT")):
        return
    try:
        saved = _stamp(settings).read_text(encoding="utf-8").strip()
    except OSError:
        saved = ""
    if saved != _digest(settings):
        settings["LOAD_CONTENT_CACHE"] = False


def remember_inputs(pelican: Any) -> None:
    """Pelican's ``finalized``: the cache Pelican saved was made with these inputs."""
    settings = pelican.settings
    if not settings.get("CACHE_CONTENT"):
        return
    stamp = _stamp(settings)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(_digest(settings) + "\n", encoding="utf-8")
