"""The article record: what the conversion learns about a document, handed on as data.

Made on Python-Markdown's tree at the very end of the conversion (after typography and
``unescape``), so the plugins after reading never parse the article's HTML to find it again:
its language, its contents, reading time and glossary terms (``article_markup``'s facts), its
references (each reference's text and first web address, for JSON-LD ``citation``) and its
own text without the references (what ``SEO_DRUG``'s facts are matched against).

The texts are what a browser (or lxml, which seo used to parse every page with) reads from
the page's HTML: each piece of the tree's text is written the way Markdown's serializer and
postprocessors write it (placeholders for smart quotes, ``&nbsp;``, entities filled), then
decoded; pieces are joined with a space, as the text of an HTML tree is.

A plain, frozen dataclass: it survives the reading cache (as JSON: ``to_dict``/``from_dict``),
the parallel reading workers and Pelican's content cache (pickled).
"""

from __future__ import annotations

import hashlib
import html as html_module
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any

from html_structure import BlockPlaces
from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import STX
from pelican_compat import markdown_written_text

from .tree import classes

# After everything that changes the text: typography (smarty 1.8, widont 1.5) and Python-
# Markdown's ``unescape`` (0), which puts backslash-escaped characters back.
RECORD_PRIORITY = -1
# A reference with no link: its first web address written out, without closing punctuation.
WRITTEN_ADDRESS = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class Citation:
    """One reference: its text (back links left out) and its first web address ("" if none)."""

    name: str
    url: str = ""


@dataclass(frozen=True)
class ArticleRecord:
    """What one Markdown document is: the facts the plugins and templates read."""

    language: str
    text: str  # the document's own text: references left out, whitespace collapsed
    references: tuple[Citation, ...] = ()
    contents: tuple[dict[str, str], ...] = ()  # the h2 sections: {"id", "text"}
    reading_time: int = 0
    glossary_terms: tuple[str, ...] = ()
    # Read by the reading worker from the body's final HTML (whose SHA-256 is ``body_digest``;
    # "" when not read), so the main process does not parse it again: the body's
    # reader-visible lines (``reviewed_text.html_lines``, what a review approves) and where the
    # call to action and the disclaimer go (``html_structure.BlockPlaces``, for consult_cta).
    reviewed_lines: tuple[str, ...] = ()
    block_places: BlockPlaces | None = None
    body_digest: str = ""
    # The key points box's lines (``reviewed_text.point_lines``), read by the worker from the
    # typeset points whose digest is ``key_points_digest``.
    key_point_lines: tuple[str, ...] = ()
    key_points_digest: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data (what the reading cache keeps)."""
        return plain_data(self)

    def with_texts(self, change: Callable[[str], str]) -> ArticleRecord:
        """The record with ``change`` applied to its text and to each reference's text."""
        references = tuple(Citation(change(item.name), item.url) for item in self.references)
        return replace(self, text=change(self.text), references=references)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleRecord:
        """A record read back from ``to_dict``'s data."""
        return cls(
            language=data["language"],
            text=data["text"],
            references=tuple(Citation(**item) for item in data.get("references", ())),
            contents=tuple(dict(item) for item in data.get("contents", ())),
            reading_time=int(data.get("reading_time", 0)),
            glossary_terms=tuple(data.get("glossary_terms", ())),
            reviewed_lines=tuple(data.get("reviewed_lines", ())),
            block_places=_block_places(data.get("block_places")),
            body_digest=str(data.get("body_digest", "")),
            key_point_lines=tuple(data.get("key_point_lines", ())),
            key_points_digest=str(data.get("key_points_digest", "")),
        )

    def with_body_html(
        self, html: str, lines: Iterable[str], places: BlockPlaces | None = None
    ) -> ArticleRecord:
        """The record with what is read from the body's final ``html``: its ``lines`` and
        its block places (``places``, or read from ``html`` now)."""
        return replace(
            self,
            reviewed_lines=tuple(lines),
            block_places=places or BlockPlaces.of(html),
            body_digest=html_digest(html),
        )

    def with_key_points(self, points: Iterable[str], lines: Iterable[str]) -> ArticleRecord:
        """The record with the key points' ``lines``, read from ``points``."""
        return replace(self, key_point_lines=tuple(lines), key_points_digest=points_digest(points))

    def key_points_read_from(self, points: Iterable[str]) -> bool:
        """Whether ``key_point_lines`` were read from these very ``points``."""
        return bool(self.key_points_digest) and self.key_points_digest == points_digest(points)

    def read_from(self, html: str) -> bool:
        """Whether the record's HTML facts were read from ``html`` (not when the body changed
        after reading, e.g. typeset by Pelican's ``TYPOGRIFY``)."""
        return bool(self.body_digest) and self.body_digest == html_digest(html)


def plain_data(value: Any) -> Any:
    """``value`` with each dataclass in it as a dict of its fields, as ``dataclasses.asdict``
    makes it; but the texts and numbers are shared, not deep-copied (they cannot change), which
    took a reading worker more time than the JSON itself."""
    if isinstance(value, str | int | float) or value is None:  # most values: asked first
        return value
    if is_dataclass(value) and not isinstance(value, type):
        return {item.name: plain_data(getattr(value, item.name)) for item in fields(value)}
    if isinstance(value, list | tuple):
        return type(value)(plain_data(item) for item in value)
    if isinstance(value, dict):
        return {plain_data(key): plain_data(item) for key, item in value.items()}
    return value


def _block_places(data: dict[str, Any] | None) -> BlockPlaces | None:
    if data is None:
        return None
    return BlockPlaces(
        length=int(data["length"]),
        h2_starts=tuple(data.get("h2_starts", ())),
        references_start=int(data.get("references_start", -1)),
        aside_attributes=tuple(data.get("aside_attributes", ())),
    )


def html_digest(html: str) -> str:
    """What identifies a body's HTML (its SHA-256)."""
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def points_digest(points: Iterable[str]) -> str:
    """What identifies the key points' HTML."""
    return html_digest("\0".join(points))


# --- The text as the page's HTML will read ------------------------------------------------------


def _is_back_link(element: Any) -> bool:
    """A way back from a reference to the text (never part of the reference's name)."""
    if element.tag == "span":
        return "references__back" in classes(element)  # ours: "↩ Back to text: 1, 2"
    return element.tag == "a" and (
        "footnote-backref" in classes(element)  # Python-Markdown's own
        or element.get("rev") == "footnote"
        or element.get("role") == "doc-backlink"
    )


def _is_references(element: Any) -> bool:
    """The references (our section, or Python-Markdown's footnotes): not the page's own text."""
    names = classes(element)
    return "references" in names or (element.tag == "div" and "footnote" in names)


def text_pieces(element: Any, left_out: Callable[[Any], bool]) -> list[str]:
    """The pieces of text in ``element``, in reading order, without the ``left_out`` elements.

    As when an element is removed from an HTML tree, the text after a left-out element joins
    the piece before it (no piece boundary there).
    """
    pieces = [element.text or ""]
    for child in element:
        if left_out(child):
            pieces[-1] += child.tail or ""
            continue
        pieces += text_pieces(child, left_out)
        pieces.append(child.tail or "")
    return pieces


class PageText:
    """Turns the tree's text into the text of the page's HTML (placeholders filled, decoded)."""

    def __init__(self, md: Markdown) -> None:
        self.md = md

    def decode(self, piece: str) -> str:
        """One piece of tree text as the page shows it: smart quotes' placeholders as the
        quotes, ``&nbsp;`` as a no-break space, ``&lt;`` in code as <."""
        if STX not in piece and "&" not in piece:
            return piece  # nothing written differently
        written = markdown_written_text(piece)
        for postprocessor in self.md.postprocessors:
            written = postprocessor.run(written)
        return html_module.unescape(written)

    def joined(self, pieces: list[str]) -> str:
        """The pieces joined by a space, whitespace collapsed.

        Decoded once, joined: the same as each piece decoded, since nothing decoding reads
        (a character reference, a placeholder, a bare "&") holds a space.
        """
        return " ".join(self.decode(" ".join(pieces)).split())


def reference_items(root: Any) -> Iterator[Any]:
    """Each reference (``li``) in reading order: every ``li`` of Python-Markdown's footnotes,
    and the items of each list inside a References section."""

    def walk(element: Any, in_footnotes: bool, in_references: bool) -> Iterator[Any]:
        names = classes(element)
        in_footnotes = in_footnotes or (element.tag == "div" and "footnote" in names)
        in_references = in_references or "references" in names
        for child in element:
            listed = element.tag == "ol" and in_references
            if child.tag == "li" and (in_footnotes or listed):
                yield child
            yield from walk(child, in_footnotes, in_references)

    yield from walk(root, False, False)


def citation(item: Any, page_text: PageText) -> Citation | None:
    """The reference ``item`` as a citation (None when it holds no text)."""
    name = page_text.joined(text_pieces(item, _is_back_link))
    if not name:
        return None
    for link in _links_outside_back_links(item):
        href = page_text.decode(link.get("href") or "")
        if href.startswith(("https://", "http://")):
            return Citation(name, href)
    found = WRITTEN_ADDRESS.search(name)
    return Citation(name, found.group(0).rstrip(".,;)") if found else "")


def _links_outside_back_links(element: Any) -> Iterator[Any]:
    for child in element:
        if _is_back_link(child):
            continue
        if child.tag == "a":
            yield child
        yield from _links_outside_back_links(child)


def own_text(root: Any, page_text: PageText) -> str:
    """The document's own text: the references left out."""
    return page_text.joined(text_pieces(root, _is_references))


# --- The Markdown extension ---------------------------------------------------------------------


class RecordProcessor(Treeprocessor):
    """Records the finished document (it changes nothing)."""

    def __init__(self, md: Markdown, extension: RecordExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: Any) -> None:
        """Make the document's record from the finished tree."""
        page_text = PageText(self.md)
        meta = getattr(self.md, "Meta", {})
        language = str((meta.get("lang") or [""])[0]).strip()
        facts = self._facts()
        references = (citation(item, page_text) for item in reference_items(root))
        self.extension.record = ArticleRecord(
            language=language or self.extension.getConfig("default_lang"),
            text=own_text(root, page_text),
            references=tuple(item for item in references if item is not None),
            contents=tuple(facts.get("toc_items", ())),
            reading_time=int(facts.get("reading_time", 0)),
            glossary_terms=tuple(facts.get("glossary_terms", ())),
        )

    def _facts(self) -> dict[str, Any]:
        """What the site's components (``article_markup``) found, when they ran."""
        for extension in self.md.registeredExtensions:
            report = getattr(extension, "document_facts", None)
            if callable(report):
                return report()
        return {}


class RecordExtension(Extension):
    """Adds the record of each converted document (``document_record()``)."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {"default_lang": ["en", "the language of a page that sets no Lang"]}
        self.record: ArticleRecord | None = None
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the processor, last of all (and this extension, so ``reset`` clears it)."""
        md.registerExtension(self)
        md.treeprocessors.register(RecordProcessor(md, self), "article_record", RECORD_PRIORITY)

    def reset(self) -> None:
        """Forget the last document's record."""
        self.record = None

    def document_record(self) -> ArticleRecord | None:
        """The record of the document just converted."""
        return self.record


def document_record(md: Markdown) -> ArticleRecord | None:
    """The record a Markdown made of the document it just converted (None without one)."""
    for extension in md.registeredExtensions:
        if isinstance(extension, RecordExtension):
            return extension.document_record()
    return None
