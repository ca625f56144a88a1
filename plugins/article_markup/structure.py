"""Blocks that render as nothing: found on the document tree, for the writer's check.

Markdown fails quietly here. A care card whose list is not indented becomes an empty box with
the list after it; a heading with no text before the next heading is a section with nothing in
it; a clinic rule with indented lines under it loses those lines (the rule's own text from
its language's clinic_rules replaces them). :func:`hollow_blocks` finds each on the tree
Python-Markdown builds, before ``article_markup`` turns admonitions into cards, so it sees
what the writer wrote. :class:`StructureExtension` records them while a document converts
(the check, plugins/content_check/structure_check.py, converts each file with it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .tree import HEADING_TAGS, classes, parents, text_of

CLINIC_RULE = "clinic-rule"
# Just before article_markup (2), after footnotes, attribute lists and heading ids.
PRIORITY = 3


@dataclass(frozen=True)
class Hollow:
    """One block that shows nothing (or drops what the writer put in it)."""

    problem: str  # "empty-box", "clinic-rule-text" or "empty-section"
    kind: str  # the admonition's kind ("care-emergency"), or "h2".."h6"
    title: str  # the box's title or the heading's text, as the reader sees it
    occurrence: int  # 0 for the first box (or heading) with this kind and title, 1 for the next


def hollow_blocks(root: Any) -> list[Hollow]:
    """Every empty box, clinic rule with text under it and empty section, in document order."""
    found: list[Hollow] = []
    parent_of = parents(root)
    seen: dict[tuple[str, str], int] = {}

    def record(problem: str, kind: str, title: str) -> None:
        occurrence = seen.get((kind, title), 0)
        found.append(Hollow(problem, kind, title, occurrence))

    for element in root.iter():
        if _is_admonition(element):
            kind, title, body = _admonition_parts(element)
            has_body = any(_shows_something(child) for child in body)
            if kind == CLINIC_RULE and has_body:
                record("clinic-rule-text", kind, title)
            elif kind != CLINIC_RULE and not has_body:
                record("empty-box", kind, title)
            seen[(kind, title)] = seen.get((kind, title), 0) + 1
        elif element.tag in HEADING_TAGS:
            title = text_of(element)
            if element.tag != "h1" and _section_is_empty(parent_of.get(element), element):
                record("empty-section", element.tag, title)
            seen[(element.tag, title)] = seen.get((element.tag, title), 0) + 1
    return found


def _is_admonition(element: Any) -> bool:
    return element.tag == "div" and "admonition" in classes(element)


def _admonition_parts(element: Any) -> tuple[str, str, list[Any]]:
    """(kind, title, body elements) of an admonition as Python-Markdown builds it."""
    kinds = [name for name in classes(element) if name != "admonition"]
    children = list(element)
    if children and "admonition-title" in classes(children[0]):
        return (kinds[0] if kinds else "note"), text_of(children[0]), children[1:]
    return (kinds[0] if kinds else "note"), "", children


def _shows_something(element: Any) -> bool:
    """Whether an element shows the reader anything: text, a picture, a table..."""
    return bool(text_of(element)) or any(child.tag in ("img", "hr") for child in element.iter())


def _section_is_empty(parent: Any, heading: Any) -> bool:
    """Nothing between ``heading`` and the next heading of its level or higher (or the end).

    A deeper heading right after it is fine: the section is made of subsections. The notes
    (footnotes) Python-Markdown puts at the end of the document are not the section's content.
    """
    if parent is None:
        return False
    siblings = list(parent)
    level = HEADING_TAGS[heading.tag]
    for following in siblings[siblings.index(heading) + 1 :]:
        next_level = HEADING_TAGS.get(following.tag)
        if next_level:
            return next_level <= level
        if "footnote" in classes(following):
            continue
        if _shows_something(following) or _is_admonition(following):
            return False
    return True


class StructureProcessor(Treeprocessor):
    """Records the document's hollow blocks on its extension."""

    def __init__(self, md: Markdown, extension: StructureExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: Any) -> None:
        """Record, change nothing."""
        self.extension.hollow = hollow_blocks(root)


class StructureExtension(Extension):
    """``Markdown(extensions=[StructureExtension(), ...])``: ``.hollow`` after ``convert``."""

    def __init__(self, **kwargs: Any) -> None:
        self.hollow: list[Hollow] = []
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the recorder (and this extension, so ``reset`` forgets the last document)."""
        md.registerExtension(self)
        md.treeprocessors.register(StructureProcessor(md, self), "article_structure", PRIORITY)

    def reset(self) -> None:
        """Forget the last document."""
        self.hollow = []
