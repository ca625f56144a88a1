"""What a page is: ``clinical`` (gives clinical advice) or ``general`` (the default for pages).

Articles are always clinical. A page says ``Kind: clinical`` when it gives clinical advice:
the check then treats it like an article, and it needs a clinician's sign-off.
"""

from __future__ import annotations

KINDS = ("clinical", "general")


def content_kind(metadata: dict) -> str:
    """A page's kind from its metadata: "clinical" for ``Kind: clinical``, else "general"."""
    value = str(metadata.get("kind") or "").strip().lower()
    return "clinical" if value == "clinical" else "general"
