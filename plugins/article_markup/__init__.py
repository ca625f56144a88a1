"""The site's Python-Markdown extension (work in progress: see plugins/content_markup)."""

from __future__ import annotations

from typing import Any


def cache_inputs(markdown_settings: dict[str, Any]) -> str:
    """What the extension's output depends on besides its settings (files it reads)."""
    return ""
