"""The page a handout prints: the built page itself, with the handout's blocks added.

Made here from the site's own HTML, never by a script in the browser (which prints with
JavaScript off): the handout, the packet and the page carry the same words by construction.
Pure functions of the page's bytes, tested without a browser.
"""

from __future__ import annotations

from typing import Any

from html_structure import document_bytes, document_tree, fragment_trees

# lxml's elements (made in html_structure, the one place that parses HTML).
HtmlElement = Any

# The boxes a reader needs first, moved to the first sheet in this order (theme/templates,
# plugins/article_markup/cards.py): the key points, then the care cards.
FIRST_SHEET = ("key-points", "care-card")


def _has_class(name: str) -> str:
    return f".//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"


def _detach(element: HtmlElement) -> HtmlElement:
    """Take ``element`` out of the tree, leaving the text after it where it was."""
    parent, tail = element.getparent(), element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    element.tail = None
    parent.remove(element)
    return element


def _outermost(elements: list[HtmlElement]) -> list[HtmlElement]:
    """The elements that are not inside another of them."""
    chosen = set(elements)
    return [e for e in elements if not any(a in chosen for a in e.iterancestors())]


HEADING_LEVELS = {f"h{level}": level for level in range(1, 7)}


def _heading_above(element: HtmlElement) -> HtmlElement | None:
    """The heading that ``element``'s section starts with (a sibling before it), or None."""
    for before in element.itersiblings(preceding=True):
        if before.tag in HEADING_LEVELS:
            return before
    return None


def _is_empty_section(heading: HtmlElement) -> bool:
    """Whether nothing follows ``heading`` before the next heading of its level or higher."""
    following = heading.getnext()
    return following is None or (
        following.tag in HEADING_LEVELS
        and HEADING_LEVELS[following.tag] <= HEADING_LEVELS[heading.tag]
    )


def _move_to_first_sheet(main: HtmlElement, anchor: HtmlElement) -> None:
    """The key points and every care card, after ``anchor``, in ``FIRST_SHEET``'s order."""
    left: list[HtmlElement] = []  # the headings of the sections the boxes left
    for name in FIRST_SHEET:
        for box in _outermost(main.xpath(_has_class(name))):
            if box is anchor or anchor in box.iterancestors():
                continue
            left.append(_heading_above(box))
            anchor.addnext(_detach(box))
            anchor = box
    # A section that held only boxes ("When to get help": its cards) would print as a lone
    # heading; its boxes are on the first sheet, under their own headings.
    for heading in dict.fromkeys(h for h in left if h is not None):
        if _is_empty_section(heading):
            _detach(heading)


def handout_page(page_html: bytes, after_title: str, at_end: str = "") -> bytes:
    """The built page ``page_html`` as its handout prints it.

    ``after_title`` (HTML) goes after the page's header (or its ``h1``), followed by the key
    points and every care card, so they are on the first sheet; ``at_end`` goes at the end of
    the body. Images load eagerly: a lazy image is never fetched for a page that is not
    scrolled, and printing waits for every image.
    """
    tree = document_tree(page_html)
    for element in tree.xpath("//img[@loading] | //iframe[@loading]"):
        del element.attrib["loading"]
    body = tree.body
    main = next(iter(tree.xpath("//main")), body)
    title = next(iter(main.xpath(".//h1")), None)
    header = next(iter(title.xpath("ancestor::header[1]")), title) if title is not None else None
    anchor = header
    for block in fragment_trees(after_title):
        if anchor is None:
            main.insert(0, block)
        else:
            anchor.addnext(block)
        anchor = block
    if anchor is not None:
        _move_to_first_sheet(main, anchor)
    # Each sheet's own footer gives the clinic and its phone numbers (handouts.blocks), and the
    # call to action the offices: the site's footer would print them a third time, on a sheet
    # of its own when the text ends near a sheet's foot.
    for footer in tree.xpath("//footer[contains(concat(' ', @class, ' '), ' site-footer ')]"):
        _detach(footer)
    for block in fragment_trees(at_end) if at_end else []:
        body.append(block)
    return document_bytes(tree)
