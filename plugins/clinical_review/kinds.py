"""What a page is: ``clinical`` (gives clinical advice) or ``general`` (the default for pages)."""

from __future__ import annotations


def content_kind(metadata: dict) -> str:
    """A page's kind from its metadata: "clinical" for ``Kind: clinical``, else "general"."""
    value = str(metadata.get("kind") or "").strip().lower()
    return "clinical" if value == "clinical" else "general"
