"""Small helpers for Python-Markdown's element tree (``xml.etree.ElementTree`` elements)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

HEADING_TAGS = {f"h{level}": level for level in range(1, 7)}


def classes(element: Any) -> list[str]:
    """The element's classes."""
    return (element.get("class") or "").split()


def text_of(element: Any) -> str:
    """The element's text, whitespace collapsed."""
    return " ".join("".join(element.itertext()).split())


def parents(root: Any) -> dict[Any, Any]:
    """Each element's parent."""
    return {child: parent for parent in root.iter() for child in parent}


def ids_in(root: Any) -> set[str]:
    """Every id in the tree."""
    return {element.get("id") for element in root.iter() if element.get("id")}


def unique_id(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted-1``, ``wanted-2`` ... when it is taken."""
    candidate, number = wanted, 0
    while candidate in taken:
        number += 1
        candidate = f"{wanted}-{number}"
    return candidate


def split_text_into_links(
    element: Any, pattern: re.Pattern[str], make_link: Any, skip: Any
) -> None:
    """Turn ``pattern`` matches in the text of ``element`` and below into link elements.

    Text is visited in document order (so "the first use" means what a reader reads first).
    ``make_link(match)`` returns ``(link element, text left after it)``, or None to keep the
    match as text; ``skip(element)`` says which elements (links, headings...) to leave alone.
    """
    if skip(element):
        return
    children = list(element)  # the links made here are not visited again
    _split(element, "text", pattern, make_link, position=0)
    for child in children:
        split_text_into_links(child, pattern, make_link, skip)
        _split_tail(element, list(element).index(child) + 1, child, pattern, make_link)


def _pieces(text: str, pattern: re.Pattern[str], make_link: Any) -> tuple[str, list[Any]]:
    """The text before the first link, and the links (each with the text after it as tail)."""
    head, links, cursor = None, [], 0
    for match in pattern.finditer(text):
        made = make_link(match)
        if made is None:
            continue
        link, rest = made
        if head is None:
            head = text[: match.start()]
        else:
            links[-1].tail = (links[-1].tail or "") + text[cursor : match.start()]
        link.tail = rest
        links.append(link)
        cursor = match.end()
    if head is None:
        return text, []
    links[-1].tail = (links[-1].tail or "") + text[cursor:]
    return head, links


def _split(element: Any, attribute: str, pattern: Any, make_link: Any, position: int) -> None:
    head, links = _pieces(getattr(element, attribute) or "", pattern, make_link)
    if links:
        setattr(element, attribute, head)
        for offset, link in enumerate(links):
            element.insert(position + offset, link)


def _split_tail(parent: Any, position: int, child: Any, pattern: Any, make_link: Any) -> None:
    head, links = _pieces(child.tail or "", pattern, make_link)
    if links:
        child.tail = head
        for offset, link in enumerate(links):
            parent.insert(position + offset, link)


def document_order_headings(root: Any) -> Iterator[tuple[Any, int]]:
    """(heading, level) of every heading, in document order."""
    for element in root.iter():
        level = HEADING_TAGS.get(element.tag)
        if level:
            yield element, level
