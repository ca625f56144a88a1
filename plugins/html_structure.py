"""Places in an article's HTML, found by its structure (an HTML parser, no regex).

A library, not a plugin. An article's or page's HTML is a sequence of top-level elements
(paragraphs, sections, lists, asides). Plugins that add blocks after reading (the call to
action and the disclaimer, the glossary's "used in" lists) insert them between or at the end
of those elements: before the References section ("end"), before the content's second
top-level ``h2`` ("after-first-section"), before everything ("start"). A block already present
(a second build in one process, a cached rebuild) is found the same way, so each is added
once.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from text_memo import by_text_digest

VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input",
    "link", "meta", "source", "track", "wbr",
}  # fmt: skip


@dataclass(frozen=True)
class TopLevelElement:
    """One top-level element of an HTML fragment: its tag, attributes and where it starts."""

    tag: str
    attrs: dict[str, str | None]
    start: int  # offset of its start tag in the fragment
    end: int = -1  # offset of its end tag (-1 for an element without one)

    def has_class(self, name: str) -> bool:
        """Whether the element has the class ``name``."""
        return name in (self.attrs.get("class") or "").split()


class _TopLevelParser(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)  # the text itself is never looked at
        self.line_starts = [0]
        while (newline := html.find("\n", self.line_starts[-1])) >= 0:
            self.line_starts.append(newline + 1)
        self.depth = 0
        self.found: list[TopLevelElement] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            self.found.append(TopLevelElement(tag, dict(attrs), self._offset()))
        if tag not in VOID_ELEMENTS:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            self.found.append(TopLevelElement(tag, dict(attrs), self._offset()))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS:
            return
        self.depth = max(0, self.depth - 1)
        if self.depth == 0 and self.found:
            last = self.found[-1]
            self.found[-1] = TopLevelElement(last.tag, last.attrs, last.start, self._offset())


@by_text_digest()
def _parse(html: str) -> tuple[TopLevelElement, ...]:
    parser = _TopLevelParser(html)
    parser.feed(html)
    parser.close()
    return tuple(parser.found)


def top_level_elements(html: str) -> list[TopLevelElement]:
    """The top-level elements of an HTML fragment, in order (remembered by the HTML's digest:
    a plugin asks several questions of one article's HTML in a row, and `invoke serve`'s next
    rebuild asks them of the same HTML again)."""
    return list(_parse(html))


def has_block(html: str, marker: str) -> bool:
    """Whether a top-level ``<aside>`` carries the ``marker`` attribute (``data-consult-cta``)."""
    return any(
        element.tag == "aside" and marker in element.attrs for element in top_level_elements(html)
    )


def _is_references(element: TopLevelElement) -> bool:
    return (element.tag == "section" and element.has_class("references")) or (
        element.tag == "div" and element.has_class("footnote")
    )


def end_offset(html: str) -> int:
    """Where "end" is: before the References section (the references stay last), else the end."""
    return next(
        (element.start for element in top_level_elements(html) if _is_references(element)),
        len(html),
    )


def second_section_offset(html: str) -> int:
    """Before the content's second top-level ``h2``; "end" when there is none."""
    headings = [element.start for element in top_level_elements(html) if element.tag == "h2"]
    return headings[1] if len(headings) >= 2 else end_offset(html)


def insert_before_end_tags(html: str, blocks: dict[int, str]) -> str:
    """``html`` with each block put just before the end tag at its offset (``element.end``)."""
    pieces, last = [], 0
    for offset in sorted(blocks):  # one copy of the page, not one per block
        pieces += [html[last:offset], blocks[offset], "\n"]
        last = offset
    return "".join([*pieces, html[last:]])


def insert(html: str, offset: int, block: str) -> str:
    """``html`` with ``block`` on its own lines at ``offset``."""
    return f"{html[:offset].rstrip()}\n{block}\n{html[offset:].lstrip()}".strip("\n")


def place_blocks(
    html: str,
    cta: str = "",
    disclaimer: str = "",
    *,
    cta_placement: str = "end",
    disclaimer_placement: str = "end",
) -> str:
    """Return ``html`` with the blocks put where the placements say (empty blocks skipped).

    ``"end"`` is before the References if there are any, with the call to action before the
    disclaimer; ``"after-first-section"`` is before the second ``h2`` of the content (the end
    when there is none); ``"start"`` is before everything. Both places come from one reading
    of the HTML.
    """
    places: dict[int, list[str]] = {}  # offset -> the blocks that go there, in order
    if cta:
        where = second_section_offset if cta_placement == "after-first-section" else end_offset
        places.setdefault(where(html), []).append(cta)
    if disclaimer:
        offset = 0 if disclaimer_placement == "start" else end_offset(html)
        places.setdefault(offset, []).append(disclaimer)
    for offset in sorted(places, reverse=True):  # a later insertion moves no earlier offset
        html = insert(html, offset, "\n".join(places[offset]))
    return html


def split_before_blocks(html: str, markers: tuple[str, ...]) -> tuple[str, str]:
    """``html`` cut before its first top-level ``<aside>`` carrying one of ``markers``: (the
    page's own text, the blocks and what follows them). All text, and "", without a block."""
    for element in top_level_elements(html):
        if element.tag == "aside" and any(marker in element.attrs for marker in markers):
            return html[: element.start], html[element.start :]
    return html, ""
