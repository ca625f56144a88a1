"""Python-Markdown's searches, made only where they can find something: the same HTML, faster.

**Inline passes**, shown only the texts their patterns can change.

An inline pass (``markdown.treeprocessors.InlineProcessor``: links, emphasis and footnote
marks; smarty's quotes, dashes and ellipses) tries each of its patterns on every text of the
document, and a regular expression costs most where it finds nothing: the backtick's, the
links' and most of smarty's start with a look-behind or a group, so the search tries them at
every character. Yet every match of each pattern holds one of a few strings (a link "[",
emphasis "*" or "_", smarty's closing quote "'"): ``NEEDS``. So

- a text holding none of its pass's strings cannot change: it is taken out for the pass
  (which then has nothing to do there; a tail it would otherwise copy through its
  placeholder handling), then put back;
- in the other texts, a pattern whose strings the text does not hold answers "no match" at
  once, without searching (``pelican_compat.search_only_where_needed``).

The pass calls no pattern on a text it could not change, so every text converts as before,
placeholders numbered alike. A pattern this module does not know (another extension's) is
searched in every text, and its pass is shown every text.

**Block processors**: each block of the document is tested by each processor in turn, most
with an expression that starts at a line's start (``(?:^|\n)``), so the search tries it at
every character of the block. Every match holds a known string (an admonition "!!!", a
heading "#", a quote ">"...: ``BLOCK_NEEDS``), and a block without it answers "no match" at
once in the same way.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterable
from typing import Any

from article_markup.language_parts import LANGUAGE_PART_RE
from markdown import Markdown
from markdown import blockprocessors as blocks
from markdown import inlinepatterns as patterns
from markdown.extensions import Extension, smarty
from markdown.extensions.admonition import AdmonitionProcessor
from markdown.extensions.def_list import DefListProcessor
from markdown.extensions.footnotes import FootnoteBlockProcessor
from markdown.treeprocessors import InlineProcessor
from markdown.util import STX, AtomicString
from pelican_compat import search_only_where_needed

# Python-Markdown's inline patterns and smarty's, by their regular expression: strings one of
# which every match holds (tests/test_reading.py finds no match in texts without them).
NEEDS: dict[str, tuple[str, ...]] = {
    patterns.BACKTICK_RE: ("`",),  # code, or backslashes before a backtick
    patterns.ESCAPE_RE: ("\\",),
    patterns.LINK_RE: ("[",),  # also REFERENCE_RE
    patterns.IMAGE_LINK_RE: ("![",),  # also IMAGE_REFERENCE_RE
    patterns.AUTOLINK_RE: ("<",),
    patterns.AUTOMAIL_RE: ("<",),
    patterns.LINE_BREAK_RE: ("  \n",),
    patterns.HTML_RE: ("<",),
    patterns.ENTITY_RE: ("&",),
    r"\*|_": ("*", "_"),  # emphasis: the DelimiterProcessor's two tokens
    LANGUAGE_PART_RE: ("]{lang=",),  # article_markup's words in another language
    r"\[\^([^\]]*)\]": ("[^",),  # footnote marks (the footnotes extension's FOOTNOTE_RE)
    # smarty: dashes and ellipses (written in its methods), then its quotes.
    r"(?<!-)---(?!-)": ("---",),
    r"(?<!-)--(?!-)": ("--",),
    r"(?<!\.)\.{3}(?!\.)": ("...",),
    smarty.singleQuoteStartRe: ("'",),
    smarty.doubleQuoteStartRe: ('"',),
    smarty.doubleQuoteSetsRe: ("\"'",),
    smarty.singleQuoteSetsRe: ("'\"",),
    smarty.doubleQuoteSetsRe2: ("'\"",),
    smarty.singleQuoteSetsRe2: ("\"'",),
    smarty.decadeAbbrRe: ("'",),
    smarty.openingDoubleQuotesRegex: ('"',),
    smarty.closingDoubleQuotesRegex: ('"',),
    smarty.closingDoubleQuotesRegex2: ('"',),
    smarty.openingSingleQuotesRegex: ("'",),
    smarty.closingSingleQuotesRegex: ("'",),
    smarty.closingSingleQuotesRegex2: ("'",),
    smarty.remainingSingleQuotesRegex: ("'",),
    smarty.remainingDoubleQuotesRegex: ('"',),
}
# Python-Markdown's block processors' expressions (their ``RE`` or ``SEARCH_RE``): strings one
# of which every match holds (tests/test_reading.py checks each, as the inline ones).
BLOCK_NEEDS: dict[str, tuple[str, ...]] = {
    blocks.BlockQuoteProcessor.RE.pattern: (">",),
    blocks.HashHeaderProcessor.RE.pattern: ("#",),
    blocks.HRProcessor.SEARCH_RE.pattern: ("-", "_", "*"),
    blocks.SetextHeaderProcessor.RE.pattern: ("\n=", "\n-"),
    blocks.ReferenceProcessor.RE.pattern: ("]:",),
    AdmonitionProcessor.RE.pattern: ("!!!",),
    DefListProcessor.RE.pattern: (":",),
    FootnoteBlockProcessor.RE.pattern: ("[^",),
}
# The attributes a block processor keeps its expression in.
BLOCK_EXPRESSIONS = ("RE", "SEARCH_RE")
# A text holding a placeholder (a preprocessor's, or a pass's own) is shown to the pass as
# before, whatever its patterns need.
ALWAYS_SHOWN = (STX,)
# Where Python-Markdown registers its inline pass (markdown.treeprocessors.build_treeprocessors).
INLINE_PRIORITY = 20


def needs_of(inline_patterns: Iterable[Any]) -> tuple[str, ...] | None:
    """The strings one of which a text must hold for one of ``inline_patterns`` to match it;
    None when one of them is not known here (then every text may change)."""
    needs: list[str] = []
    for pattern in inline_patterns:
        known = NEEDS.get(pattern.getCompiledRegExp().pattern)
        if known is None:
            return None
        needs += known
    return tuple(dict.fromkeys(needs))


@functools.cache
def _finder(needs: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(needed) for needed in needs))


class InlinePassOnlyWhereNeeded(InlineProcessor):
    """An inline pass that leaves alone the texts none of its patterns can match, and searches
    each of the others only for the patterns it can match.

    ``inline_patterns``: the pass's patterns (default: the Markdown's, read at each run, so
    an extension registered later is seen).
    """

    def __init__(self, md: Markdown, inline_patterns: Iterable[Any] | None = None) -> None:
        super().__init__(md)
        self.source_patterns = inline_patterns if inline_patterns is not None else md.inlinePatterns
        self.prepared: tuple[tuple[Any, ...], tuple[str, ...] | None] = ((), None)

    def _prepared_needs(self) -> tuple[str, ...] | None:
        """``_prepare``'s answer for the pass's patterns and their expressions, worked out again
        only when one of them changed."""
        patterns_now = tuple((item, item.getCompiledRegExp()) for item in self.inlinePatterns)
        if self.prepared[0] != patterns_now:
            needs = self._prepare(self.inlinePatterns)
            patterns_now = tuple((item, item.getCompiledRegExp()) for item in self.inlinePatterns)
            self.prepared = (patterns_now, needs)
        return self.prepared[1]

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        """The inline pass over the texts that hold what one of its patterns needs."""
        # A tuple in the registry's order: the pass looks a pattern up for every text, and a
        # registry's lookup (which checks its sorting every time) costs more than the match.
        self.inlinePatterns = tuple(self.source_patterns)
        needs = self._prepared_needs()
        hidden = [] if needs is None else _hide_texts_without(tree, needs + ALWAYS_SHOWN)
        try:
            return super().run(tree, ancestors)
        finally:
            for element, side, text in hidden:  # back, as they were (the pass saw no text)
                setattr(element, side, text)

    @staticmethod
    def _prepare(inline_patterns: tuple[Any, ...]) -> tuple[str, ...] | None:
        """Have each known pattern searched only where needed; what a text must hold for one
        of them to match it (None: every text)."""
        for pattern in inline_patterns:
            known = NEEDS.get(pattern.getCompiledRegExp().pattern)
            if known is not None:
                search_only_where_needed(pattern, known)
        return needs_of(inline_patterns)


def _hide_texts_without(tree: etree.Element, needs: tuple[str, ...]) -> list[tuple[Any, str, str]]:
    """Take out each text holding none of ``needs`` (``None`` for the pass); what was where."""
    holds_one = _finder(needs).search
    hidden = []
    for element in tree.iter():
        text = element.text
        if text and not isinstance(text, AtomicString) and not holds_one(text):
            element.text = None
            hidden.append((element, "text", text))
        text = element.tail
        if text and not isinstance(text, AtomicString) and not holds_one(text):
            element.tail = None
            hidden.append((element, "tail", text))
    return hidden


def search_blocks_only_where_needed(md: Markdown) -> None:
    """Have each known block processor of ``md`` search only the blocks it can match."""
    for processor in md.parser.blockprocessors:
        for name in BLOCK_EXPRESSIONS:
            expression = getattr(processor, name, None)
            if not isinstance(expression, re.Pattern) or expression.flags & re.IGNORECASE:
                continue
            needs = BLOCK_NEEDS.get(expression.pattern)
            if needs is not None:
                search_only_where_needed(processor, needs, name)


class OnlyWhereNeededExtension(Extension):
    """Python-Markdown's inline pass in its place, shown only the texts it can change; the
    block processors (every extension's listed before this one) searching only where needed."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Put ``InlinePassOnlyWhereNeeded`` where Python-Markdown's ``inline`` pass is."""
        md.treeprocessors.register(InlinePassOnlyWhereNeeded(md), "inline", INLINE_PRIORITY)
        search_blocks_only_where_needed(md)
