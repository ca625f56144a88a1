"""The one place page-building code parses HTML: places in an article's HTML, a page's tags.

A library, not a plugin. What the reader learns about an article's body is in its record
(``article_markup.record``); what is left to read from HTML is read here, by a parser made in
this module only (``tests/test_architecture_parsing.py`` fails on a parser made anywhere else
in plugins/, the writer's check's audits and the handouts' printing aside):

- ``html_events``: a page's or fragment's tags and text in order, with where each tag stands
  (Python's ``html.parser``): the review fingerprint's text (clinical_review.fingerprint),
  where a page's head starts (assets), inline code the CSP refuses (assets.inline_code);
- ``element_tokens``: a fragment's elements with their attributes (lxml), to compare two
  versions of one fragment (the allow-list's message, a catalogue translation's markup);
- ``clean``: a fragment with only an allow-list's elements and attributes (nh3, Ammonia);
- the top-level elements of an article's HTML, below.

An article's or page's HTML is a sequence of top-level elements
(paragraphs, sections, lists, asides). Plugins that add blocks after reading (the call to
action and the disclaimer, the glossary's "used in" lists) insert them between or at the end
of those elements: before the References section ("end"), before the content's second
top-level ``h2`` ("after-first-section"), before everything ("start"). A block already present
(a second build in one process, a cached rebuild) is found the same way, so each is added
once. Those places (``BlockPlaces``) are read from an article's final HTML by the reading
worker and kept in its record, so the main process reads them again only from a body that
changed after reading.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from typing import Any, NamedTuple

from ctrl_c import ctrl_c_held, raise_held
from text_memo import by_text_digest

VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input",
    "link", "meta", "source", "track", "wbr",
}  # fmt: skip


class TopLevelElement(NamedTuple):
    """One top-level element of an HTML fragment: its tag, attributes and where it starts (a
    named tuple: an article has dozens, read from its HTML in every reading worker)."""

    tag: str
    attrs: dict[str, str | None]
    start: int  # offset of its start tag in the fragment
    end: int = -1  # offset of its end tag (-1 for an element without one)

    def has_class(self, name: str) -> bool:
        """Whether the element has the class ``name``."""
        return name in (self.attrs.get("class") or "").split()


class HtmlEvent(NamedTuple):
    """One step of reading HTML: a start tag (``start``, or ``startend`` for ``<x/>``), an end
    tag (``end``) or text (``data``).

    ``line`` counts from 1; ``start`` is the offset of the tag's ``<`` in the HTML and
    ``tag_end`` the offset just after its start tag's ``>`` (both 0 for text). A named tuple:
    a body's reading makes hundreds, and a frozen dataclass took longer to make than to read.
    """

    kind: str
    tag: str = ""
    attrs: tuple[tuple[str, str | None], ...] = ()
    text: str = ""
    line: int = 0
    start: int = 0
    tag_end: int = 0

    def attributes(self) -> dict[str, str | None]:
        """The tag's attributes as a dict (a repeated one: its last value)."""
        return dict(self.attrs)


class _Stop(Exception):
    """Raised by ``_EventReader`` when it reaches the start tag it was told to stop at."""


class _EventReader(HTMLParser):
    """Python's HTML parser, noting each tag and text as an ``HtmlEvent``."""

    def __init__(self, html: str, convert_charrefs: bool, stop_at: str | None) -> None:
        super().__init__(convert_charrefs=convert_charrefs)
        self.line_starts = [0]  # where each line starts (getpos counts "\n" only)
        while (newline := html.find("\n", self.line_starts[-1])) >= 0:
            self.line_starts.append(newline + 1)
        self.stop_at = stop_at
        self.events: list[HtmlEvent] = []

    def _tag(self, kind: str, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        start = self.line_starts[line - 1] + column
        if kind == "end":
            self.events.append(HtmlEvent(kind, tag, line=line, start=start))
            return
        end = start + len(self.get_starttag_text() or "")
        self.events.append(HtmlEvent(kind, tag, tuple(attrs), "", line, start, end))
        if tag == self.stop_at:
            raise _Stop

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag("start", tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag("startend", tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self._tag("end", tag, [])

    def handle_data(self, data: str) -> None:
        self.events.append(HtmlEvent("data", text=data, line=self.getpos()[0]))


def html_events(
    html: str, *, convert_charrefs: bool = True, stop_at: str | None = None
) -> list[HtmlEvent]:
    """The tags and text of ``html`` in order (Python's ``html.parser``: lenient, as a
    browser's tokenizer; no tree is built and nothing is repaired).

    ``convert_charrefs``: text with its character references decoded (``&amp;`` as &), else
    the references are left out of the text. ``stop_at``: stop after the first start tag of
    that name (``"body"``: only the head is wanted).

    HTML as Markdown's serializer writes it (``_serialized_events``) is read with one regular
    expression, to the same events; any other goes to ``html.parser``.
    """
    if convert_charrefs:
        events = _serialized_events(html, stop_at)
        if events is not None:
            return events
    return _parser_events(html, convert_charrefs, stop_at)


def _parser_events(html: str, convert_charrefs: bool, stop_at: str | None) -> list[HtmlEvent]:
    """``html_events`` as Python's ``html.parser`` reads them."""
    reader = _EventReader(html, convert_charrefs, stop_at)
    try:
        reader.feed(html)
        reader.close()
    except _Stop:
        pass
    return reader.events


# A tag as Markdown's serializer writes one: a name of letters and digits, each attribute as
# ` name` or ` name="value"` (its <, >, " and & escaped), then ">" (" />" or "/>" for an empty
# element's); an end tag without attributes. html.parser reads such a tag in one way only.
SERIALIZED_TAG = re.compile(
    r'<(/?)([a-zA-Z][a-zA-Z0-9]*)((?: [a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"<>]*")?)*)( ?/)?>'
)
SERIALIZED_ATTRIBUTE = re.compile(r' ([^ =]+)(?:="([^"]*)")?')
# Elements whose content html.parser reads as raw text in one Python version or another.
RAW_TEXT_ELEMENTS = frozenset(
    {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
     "plaintext"}
)  # fmt: skip


def _attribute(found: re.Match[str]) -> tuple[str, str | None]:
    """An attribute as html.parser reads it: its name in lower case, its value decoded (None
    without one)."""
    value = found.group(2)
    return found.group(1).lower(), unescape(value) if value else value


def _serialized_events(html: str, stop_at: str | None) -> list[HtmlEvent] | None:
    """``html_events(html)`` (references decoded) when every "<" in ``html`` opens a tag
    written as ``SERIALIZED_TAG`` says, outside the raw-text elements; else None.

    Then html.parser's events are these: each text between two tags, decoded
    (``html.unescape``, as html.parser decodes it), the tags' names and attributes' names in
    lower case and their values decoded, a tag's line from the "\n"s before it
    (tests/test_reading.py compares the two on every shipped and synthetic page).
    """
    events: list[HtmlEvent] = []
    append = events.append
    event = functools.partial(tuple.__new__, HtmlEvent)  # no keywords: a tuple at C speed
    position, line = 0, 1
    for found in SERIALIZED_TAG.finditer(html):
        start = found.start()
        if start > position:
            text = html[position:start]
            if "<" in text:
                return None
            append(event(("data", "", (), unescape(text), line, 0, 0)))
            line += text.count("\n")
        closing, name, attributes, empty = found.groups()
        tag = name.lower()
        position = found.end()
        if closing:
            if attributes or empty:
                return None
            append(event(("end", tag, (), "", line, start, 0)))
        else:
            if tag in RAW_TEXT_ELEMENTS:
                return None
            attrs = (
                tuple(map(_attribute, SERIALIZED_ATTRIBUTE.finditer(attributes)))
                if attributes
                else ()
            )
            append(event(("startend" if empty else "start", tag, attrs, "", line, start, position)))
            if tag == stop_at:
                return events
        line += html.count("\n", start, position)  # an attribute's value may hold one
    if position < len(html):
        text = html[position:]
        if "<" in text:
            return None
        append(event(("data", "", (), unescape(text), line, 0, 0)))
    return events


def element_tokens(html: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """The elements of an HTML fragment in document order, each ``(tag, sorted attributes)``,
    inside the ``div`` made to hold them (lxml); a comment is ``("!--", ())``, a processing
    instruction ``("?", ())``. Empty for a fragment of only whitespace."""
    from lxml import etree
    from lxml import html as lxml_html

    if not html.strip():
        return []
    tokens: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    for element in lxml_html.fragment_fromstring(html, create_parent="div").iter():
        if element.tag is etree.Comment:
            tokens.append(("!--", ()))
        elif not isinstance(element.tag, str):
            tokens.append(("?", ()))
        else:
            attributes = tuple(sorted((str(k), str(v)) for k, v in element.attrib.items()))
            tokens.append((element.tag.lower(), attributes))
    return tokens


def clean(
    html: str,
    *,
    tags: set[str],
    attributes: dict[str, set[str]],
    attribute_filter: Callable[[str, str, str], str | None],
    url_schemes: set[str],
    **options: Any,
) -> str:
    """``html`` with only the given elements and attributes (nh3, Ammonia: html5ever, the
    HTML parser of browsers); the other ``options`` are nh3.clean's."""
    import nh3

    # The filter is Python called from Rust: a Ctrl-C in it would be printed and dropped.
    with ctrl_c_held() as pressed:
        cleaned = nh3.clean(
            html,
            tags=tags,
            attributes=attributes,
            attribute_filter=attribute_filter,
            url_schemes=url_schemes,
            **options,
        )
    raise_held(pressed)
    return cleaned


@by_text_digest()
def _parse(html: str) -> tuple[TopLevelElement, ...]:
    return _top_level(html_events(html, convert_charrefs=False))  # the text is never looked at


def _top_level(events: Iterable[HtmlEvent]) -> tuple[TopLevelElement, ...]:
    found: list[TopLevelElement] = []
    depth = 0
    for event in events:
        if event.kind == "startend" and depth == 0:
            found.append(TopLevelElement(event.tag, event.attributes(), event.start))
        elif event.kind == "start":
            if depth == 0:
                found.append(TopLevelElement(event.tag, event.attributes(), event.start))
            if event.tag not in VOID_ELEMENTS:
                depth += 1
        elif event.kind == "end" and event.tag not in VOID_ELEMENTS:
            depth = max(0, depth - 1)
            if depth == 0 and found:
                last = found[-1]
                found[-1] = TopLevelElement(last.tag, last.attrs, last.start, event.start)
    return tuple(found)


def top_level_elements(html: str) -> list[TopLevelElement]:
    """The top-level elements of an HTML fragment, in order (remembered by the HTML's digest:
    a plugin asks several questions of one article's HTML in a row, and `invoke serve`'s next
    rebuild asks them of the same HTML again)."""
    return list(_parse(html))


@dataclass(frozen=True)
class BlockPlaces:
    """Where blocks go in an article's HTML, from one reading of its top-level elements: what
    ``place_blocks`` needs. Plain data, so the reading worker can read it once and the
    article's record keep it (``article_markup.record``)."""

    length: int  # of the HTML
    h2_starts: tuple[int, ...] = ()  # offsets of the top-level h2 elements
    references_start: int = -1  # offset of the References section (-1: none)
    aside_attributes: tuple[str, ...] = ()  # the attribute names of the top-level asides

    @classmethod
    def of(cls, html: str, events: Iterable[HtmlEvent] | None = None) -> BlockPlaces:
        """The places in ``html``; from its ``events`` (``html_events(html)``) when they were
        read already, so it is not parsed again (a tag's offset is the same whether or not
        the text's character references were decoded)."""
        elements = top_level_elements(html) if events is None else _top_level(events)
        references = (element.start for element in elements if _is_references(element))
        asides = {name for element in elements if element.tag == "aside" for name in element.attrs}
        return cls(
            length=len(html),
            h2_starts=tuple(element.start for element in elements if element.tag == "h2"),
            references_start=next(references, -1),
            aside_attributes=tuple(sorted(asides)),
        )

    def has_block(self, marker: str) -> bool:
        """Whether a top-level ``<aside>`` carries the ``marker`` attribute."""
        return marker in self.aside_attributes

    def end_offset(self) -> int:
        """Where "end" is: before the References section (kept last), else the end."""
        return self.references_start if self.references_start >= 0 else self.length

    def second_section_offset(self) -> int:
        """Before the content's second top-level ``h2``; "end" when there is none."""
        return self.h2_starts[1] if len(self.h2_starts) >= 2 else self.end_offset()


def _is_references(element: TopLevelElement) -> bool:
    return (element.tag == "section" and element.has_class("references")) or (
        element.tag == "div" and element.has_class("footnote")
    )


def insert_before_end_tags(html: str, blocks: dict[int, str]) -> str:
    """``html`` with each block put just before the end tag at its offset: the ``end`` of one
    of its top-level elements (``top_level_elements(html)``).

    Each block must be balanced HTML (it closes every element it opens, and nothing else):
    inside a top-level element, it leaves the top-level elements as they were, moved. They are
    remembered for the new HTML, so a plugin asking where its blocks go does not parse the
    whole page again (the glossary's "used in" lines: 400 KB at 1,000 articles).
    """
    pieces, last = [], 0
    moves: list[tuple[int, int]] = []  # (offset, how far what starts after it moves)
    for offset in sorted(blocks):  # one copy of the page, not one per block
        pieces += [html[last:offset], blocks[offset], "\n"]
        last = offset
        moves.append((offset, (moves[-1][1] if moves else 0) + len(blocks[offset]) + 1))
    result = "".join([*pieces, html[last:]])
    _parse.remember(result, _moved(_parse(html), moves))
    return result


def _moved(
    elements: tuple[TopLevelElement, ...], moves: list[tuple[int, int]]
) -> tuple[TopLevelElement, ...]:
    """The top-level elements after the insertions ``moves``: what starts at or after an
    insertion's offset (an end tag there too: the block goes before it) moves with it."""
    offsets = [offset for offset, _ in moves]

    def moved(position: int) -> int:
        before = bisect.bisect_right(offsets, position)
        return position + moves[before - 1][1] if before and position >= 0 else position

    return tuple(
        TopLevelElement(element.tag, element.attrs, moved(element.start), moved(element.end))
        for element in elements
    )


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
    places: BlockPlaces | None = None,
) -> str:
    """Return ``html`` with the blocks put where the placements say (empty blocks skipped).

    ``"end"`` is before the References if there are any, with the call to action before the
    disclaimer; ``"after-first-section"`` is before the second ``h2`` of the content (the end
    when there is none); ``"start"`` is before everything. Both places come from one reading
    of the HTML, or from ``places`` (read from this very HTML before, e.g. by a reading worker).
    """
    places = places or BlockPlaces.of(html)
    blocks: dict[int, list[str]] = {}  # offset -> the blocks that go there, in order
    if cta:
        after_first = cta_placement == "after-first-section"
        offset = places.second_section_offset() if after_first else places.end_offset()
        blocks.setdefault(offset, []).append(cta)
    if disclaimer:
        offset = 0 if disclaimer_placement == "start" else places.end_offset()
        blocks.setdefault(offset, []).append(disclaimer)
    for offset in sorted(blocks, reverse=True):  # a later insertion moves no earlier offset
        html = insert(html, offset, "\n".join(blocks[offset]))
    return html


def split_before_blocks(html: str, markers: tuple[str, ...]) -> tuple[str, str]:
    """``html`` cut before its first top-level ``<aside>`` carrying one of ``markers``: (the
    page's own text, the blocks and what follows them). All text, and "", without a block."""
    for element in top_level_elements(html):
        if element.tag == "aside" and any(marker in element.attrs for marker in markers):
            return html[: element.start], html[element.start :]
    return html, ""


# --- Element trees (lxml), for code that scores or rearranges a whole page ------------------
# The clarity scores read an article's body as a tree, and the handouts rearrange a built page
# for print: they parse here, so this module stays the one place page-building code makes an
# HTML parser (tests/test_architecture_parsing.py).


def page_tree(html: str | bytes) -> Any:
    """A built page as lxml's element tree: its root (``lxml.html.fromstring``)."""
    import lxml.html

    return lxml.html.fromstring(html)


def document_tree(html: str | bytes) -> Any:
    """A whole HTML document as lxml's tree (``lxml.html.document_fromstring``)."""
    import lxml.html

    return lxml.html.document_fromstring(html)


def fragment_trees(html: str) -> list[Any]:
    """The top-level elements of an HTML fragment as lxml's trees (``fragments_fromstring``)."""
    import lxml.html

    return lxml.html.fragments_fromstring(html)


def fragment_in_div(html: str) -> Any:
    """An HTML fragment as lxml's tree, inside a ``div`` made to hold it."""
    import lxml.html

    return lxml.html.fragment_fromstring(html, create_parent="div")


def svg_root(data: bytes) -> Any:
    """An SVG file's root element (Python's XML parser, ``xml.etree.ElementTree``), for the
    check of what an SVG in content may hold; ``ValueError`` when it is not well-formed XML."""
    from xml.etree import ElementTree

    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise ValueError(str(error)) from error


def document_bytes(tree: Any) -> bytes:
    """A document's tree written back as HTML (UTF-8, with its doctype)."""
    import lxml.html

    return lxml.html.tostring(tree, doctype="<!DOCTYPE html>", encoding="utf-8")
