"""The reader-visible text of an article's HTML, one block a line (a library, not a plugin).

What a review approves of the body (``clinical_review.fingerprint``, which says what is in
the lines and what is left out). The reading workers read it here from the body's HTML once,
when they convert the file, and keep it in the article's record (``article_markup.record``),
so the main process does not parse the body again; a page's metadata fields are read here too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from article_markup.crisis_lines import CRISIS_LINE_HREFS
from html_structure import HtmlEvent, html_events
from text_memo import by_text_digest

BLOCKS = {
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "tr", "figcaption",
    "blockquote", "pre", "div", "section", "ul", "ol", "table", "figure", "details", "summary",
    "aside", "dl", "thead", "tbody",
}  # fmt: skip
PREFIX = {"h1": "# ", "h2": "## ", "h3": "### ", "h4": "#### ", "h5": "##### ", "h6": "###### ",
          "li": "- ", "dt": ": ", "dd": ":: "}  # fmt: skip
# Elements (by class) whose text the site adds itself, not the writer.
SITE_WORDS = frozenset({"visually-hidden", "footnote-backref", "references__back",
                        "references__heading", "reference-mark__separator"})  # fmt: skip
# Links the site adds to the writer's text: the glossary's (by class), and the crisis lines' (by
# class and address, CRISIS_LINE_HREFS: the number the writer wrote, as a tel: or sms: link; a
# writer's own link with that class still shows its address).
SITE_LINKS = frozenset({"glossary-link"})
VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "col", "area", "base"}


# Reference marks side by side, "[^b][^a]": their order on the page follows the references'
# numbers, which an edit elsewhere can change, so the lines list them by name. Which sources a
# sentence cites is what a review approves, not the order a later edit shows them in.
MARKS_SIDE_BY_SIDE = re.compile(r"(?:\[\^[^\]\s]+\]){2,}")
MARK = re.compile(r"\[\^[^\]\s]+\]")


def _marks_by_name(found: re.Match[str]) -> str:
    return "".join(sorted(MARK.findall(found.group(0))))


def normalise(text: str) -> str:
    """NFKC, whitespace collapsed, stripped."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


class _TextLines:
    """The reader-visible text of rendered HTML, one block a line (fed by ``html_lines``)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []
        self.prefix = ""
        # (tag, skipped: the site's own words, the card's kind when it opens a card or callout)
        self.stack: list[tuple[str, bool, str]] = []
        self.skipped = 0  # how many elements of the stack are skipped (asked at every text)

    def _skipping(self) -> bool:
        return self.skipped > 0

    def _push(self, entry: tuple[str, bool, str]) -> None:
        self.stack.append(entry)
        self.skipped += entry[1]

    def _pop(self) -> tuple[str, bool, str]:
        entry = self.stack.pop()
        self.skipped -= entry[1]
        return entry

    def flush(self) -> None:
        text = normalise("".join(self.current))
        if "[^" in text:
            text = MARKS_SIDE_BY_SIDE.sub(_marks_by_name, text)
        if text:
            self.lines.append(self.prefix + text)
        self.current, self.prefix = [], ""

    def handle_starttag(self, tag: str, attrs: Iterable[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        skipped = not SITE_WORDS.isdisjoint(classes) or values.get("aria-hidden") == "true"
        if tag in VOID:
            if tag == "img" and not self._skipping():
                self.current.append(f" [image: {values.get('alt') or ''}] ")
            return
        marker = ""
        if tag in ("div", "section", "aside"):
            marker = " ".join(sorted(name for name in classes if "--" in name))
        self._push((tag, skipped, marker))
        if self._skipping():
            return
        if tag in BLOCKS:
            self.flush()
            if marker:  # a care card or callout: its kind, so a reader's box is named
                self.lines.append(f"[{marker}]")
            self.prefix = PREFIX.get(tag, "")
        if tag in ("td", "th") and self.current:
            self.current.append(" | ")
        if tag == "a":
            self._link(values, classes)

    def _link(self, values: Mapping[str, str | None], classes: list[str]) -> None:
        href = values.get("href") or ""
        if "footnote-ref" in classes and href.startswith("#fn:"):
            self.current.append(f"[^{href.removeprefix('#fn:')}]")
            self._pop()  # the number is the order of citation only
            self._push(("a", True, ""))
        elif href and not self._added_by_the_site(href, classes):
            self.current.append(f"<{href}> ")

    @staticmethod
    def _added_by_the_site(href: str, classes: list[str]) -> bool:
        """A link the site put in the writer's text (its address is no part of the text)."""
        if SITE_LINKS.intersection(classes):
            return True
        return "crisis-line" in classes and href in CRISIS_LINE_HREFS

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        marker = ""
        while self.stack:
            name, _, marker = self._pop()
            if name == tag:
                break
        if tag in BLOCKS and not self._skipping():
            self.flush()
            if marker:
                self.lines.append(f"[/{marker}]")


def point_lines(points: Iterable[str]) -> list[str]:
    """The key points' lines (each point's HTML a list item, as the page shows them)."""
    return html_lines("<ul>" + "".join(f"<li>{point}</li>" for point in points) + "</ul>")


def html_lines(html: str, events: Iterable[HtmlEvent] | None = None) -> list[str]:
    """The reader-visible text of an HTML fragment, one block a line; from its ``events``
    (``html_events(html)``) when they were read already, so it is not parsed again."""
    if events is not None:
        return list(_lines(events))
    return list(_html_lines(html or ""))


@by_text_digest()  # `invoke serve` rebuilds in one process: the same HTML, the same lines
def _html_lines(html: str) -> tuple[str, ...]:
    return _lines(html_events(html))


def _lines(events: Iterable[HtmlEvent]) -> tuple[str, ...]:
    text = _TextLines()
    for kind, tag, attrs, data, *_ in events:
        if kind == "data":
            if not text.skipped:
                text.current.append(data)
        elif kind == "end":
            text.handle_endtag(tag)
        else:  # a start tag; <x/> is its start and its end
            text.handle_starttag(tag, attrs)
            if kind == "startend":
                text.handle_endtag(tag)
    text.flush()
    return tuple(text.lines)
