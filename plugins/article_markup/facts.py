"""What a document is made of, for the templates: its sections, its reading time, and where its
warning signs are."""

from __future__ import annotations

import math
from typing import Any

from .tree import classes, ids_in, text_of, unique_id

# The id of the first card that says when to get help (urgent or emergency advice): the page
# links to it from its top, so a reader who feels unwell reaches it at once.
WARNING_SIGNS_ID = "warning-signs"
WARNING_CARDS = frozenset({"care-card--urgent", "care-card--emergency"})


def toc_items(root: Any) -> list[dict[str, str]]:
    """The document's own ``h2`` sections: ``{"id", "text"}`` each (card headings excluded)."""
    return [
        {"id": heading.get("id"), "text": text_of(heading)}
        for heading in root.iter("h2")
        if heading.get("id") and not heading.get("class")
    ]


def mark_warning_signs(root: Any) -> str:
    """The id of the first urgent or emergency care card (given it here), or "" without one."""
    for element in root.iter("div"):
        if not WARNING_CARDS.isdisjoint(classes(element)):
            if not element.get("id"):
                element.set("id", unique_id(WARNING_SIGNS_ID, ids_in(root)))
            return element.get("id")
    return ""


def reading_minutes(root: Any, words_per_minute: int) -> int:
    """Minutes to read the body (words / ``words_per_minute``, rounded up, at least 1)."""
    return max(1, math.ceil(_words(root) / words_per_minute))


NOT_READ_THROUGH = frozenset({"references", "footnote"})


def _words(element: Any) -> int:
    """Words a reader reads in ``element``: the references are not read through."""
    if not NOT_READ_THROUGH.isdisjoint(classes(element)):
        return 0
    count = len((element.text or "").split())
    for child in element:
        count += _words(child) + len((child.tail or "").split())
    return count
