"""The key points box: ``!!! key-points "Key points"`` taken out of the body, kept as data.

The writer puts the box first in the body; the template shows it right under the title and
summary, before the contents list (so on a phone it starts within the first screen), and the
handouts and the clarity score read the same data. Only the first box counts; a second one is
left in the body as an ordinary callout (and the clarity score says so).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markdown.serializers import to_html_string

from .tree import classes, text_of

KIND = "key-points"


def is_key_points(element: Any) -> bool:
    """Whether ``element`` is a key points admonition (before the cards are made)."""
    return element.tag == "div" and {"admonition", KIND} <= set(classes(element))


def take_key_points(root: Any, inner_html: Callable[[Any], str]) -> dict[str, Any] | None:
    """Remove the first top-level key points box from ``root`` and return it as data.

    ``{"title", "points", "first", "lists"}``: the heading text, each bullet as HTML (``inner_html``
    serializes what is inside an element as the page will have it), whether the box
    was the body's first block, and how many lists it holds (one is expected). None when the
    body has no box.
    """
    children = list(root)
    box = next((child for child in children if is_key_points(child)), None)
    if box is None:
        return None
    title = box.find("p")
    heading = text_of(title) if title is not None and "admonition-title" in classes(title) else ""
    lists = [block for block in box if block.tag in {"ul", "ol"}]
    items = [inner_html(item) for block in lists for item in block.findall("li")]
    first = children.index(box) == 0
    tail = box.tail
    root.remove(box)
    if tail and tail.strip():
        root.text = (root.text or "") + tail
    return {"title": heading, "points": items, "first": first, "lists": len(lists)}


def inner_html(element: Any) -> str:
    """The HTML inside ``element`` (its text and children, not its own tag)."""
    html = to_html_string(element)
    start, end = html.index(">") + 1, html.rindex("<")
    return html[start:end].strip()
