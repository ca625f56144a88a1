"""Typography on Markdown's tree: smart quotes, dashes and ellipses, and no lone last word.

Typogrify did this on the serialized HTML, tokenizing every page again with regular expressions
(about a third of the reading time). Here the same two filters the site uses run on the
document tree, once, inside the conversion:

- Python-Markdown's own ``smarty`` extension for quotes, dashes and ellipses, moved to run
  after the site's components (so the clinic's rule boxes and glossary links are typeset too),
  writing the same numeric entities smartypants writes, and shown only the texts with a quote,
  a dash or an ellipsis (``where_needed``);
- ``WidontProcessor``: typogrify's ``widont`` (a non-breaking space between the last two words
  of a paragraph, list item or definition), with typogrify's rules: the last word may sit
  inside closing ``a, em, span, strong, i, b`` elements, nothing else. Unlike typogrify, not in
  headings (see ``WIDONT_BLOCKS``).

The title, which Markdown never sees, is still typeset by typogrify, without widont for the
same reason (see ``reading.typeset``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.smarty import SmartyExtension
from markdown.treeprocessors import Treeprocessor

from .where_needed import InlinePassOnlyWhereNeeded

# The characters smartypants writes (as numeric entities), so the pages' bytes stay the same.
SMARTYPANTS_ENTITIES = {
    "left-single-quote": "&#8216;",
    "right-single-quote": "&#8217;",
    "left-double-quote": "&#8220;",
    "right-double-quote": "&#8221;",
    "ellipsis": "&#8230;",
    "mdash": "&#8212;",
}
# smartypants' dash styles (Pelican's TYPOGRIFY_DASHES): what "--" and "---" become.
DASHES = {
    "default": {"ndash": "&#8212;", "mdash": "&#8212;"},
    "oldschool": {"ndash": "&#8211;", "mdash": "&#8212;"},
    "oldschool_inverted": {"ndash": "&#8212;", "mdash": "&#8211;"},
}
# After the site's components (article_markup, 2), before escaped characters return (0).
SMARTY_PRIORITY = 1.8
WIDONT_PRIORITY = 1.5
# Not headings: large words at a phone's width cannot hold two words on one line, and the
# browser then breaks inside a word ("answere|d"). typogrify joins them; we do not, on purpose.
WIDONT_BLOCKS = frozenset({"p", "li", "dt", "dd"})
WIDONT_INLINE = frozenset({"a", "em", "span", "strong", "i", "b"})
# typogrify lets a space follow any tag whose name starts like these (its pattern's quirk).
WIDONT_BEFORE_SPACE = tuple(WIDONT_INLINE)
LAST_WORD = re.compile(r"(?<=\S)(\s+)(\S+\s*)$")
LEADING_LAST_WORD = re.compile(r"^(\s+)(\S+\s*)$")


def last_text_holder(element: etree.Element) -> tuple[etree.Element, str, bool] | None:
    """Where the block's last word is: (element, "text" or "tail", whether a space may open it).

    The flag says whether the tag just before that text lets a leading space be joined (an
    inline tag, by typogrify's rule). None when the block ends in something typogrify's widont
    does not look through (a footnote mark, code, an image) or has no text at its end.
    """
    children = list(element)
    if not children:
        if not element.text:
            return None
        return element, "text", element.tag.startswith(WIDONT_BEFORE_SPACE)
    last = children[-1]
    if last.tail and last.tail.strip():
        return last, "tail", last.tag.startswith(WIDONT_BEFORE_SPACE)
    if last.tag not in WIDONT_INLINE:
        return None
    return last_text_holder(last)


class WidontProcessor(Treeprocessor):
    """A non-breaking space before the last word of each block, as typogrify's ``widont``."""

    def run(self, root: etree.Element) -> None:
        """Join the last two words of every paragraph, heading, list item and definition."""
        nbsp = self.md.htmlStash.store("&nbsp;")
        for block in root.iter():
            if block.tag not in WIDONT_BLOCKS:
                continue
            found = last_text_holder(block)
            if found is None:
                continue
            holder, side, after_inline_tag = found
            text = getattr(holder, side)
            joined = LAST_WORD.sub(lambda match: nbsp + match.group(2), text, count=1)
            if joined == text and after_inline_tag:
                # " word" right after an opening or closing inline tag: typogrify joins it too.
                joined = LEADING_LAST_WORD.sub(lambda match: nbsp + match.group(2), text)
            setattr(holder, side, joined)


class TypographyExtension(Extension):
    """Smart punctuation and widont on the tree (``TYPOGRIFY_DASHES`` picks the dashes)."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {"dashes": ["default", "Pelican's TYPOGRIFY_DASHES"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        """Register smarty (moved after the site's components) and widont."""
        dashes = DASHES.get(self.getConfig("dashes"), DASHES["default"])
        SmartyExtension(substitutions={**SMARTYPANTS_ENTITIES, **dashes}).extendMarkdown(md)
        # Shown only the texts with a quote, a dash or an ellipsis (most have none).
        smarty = InlinePassOnlyWhereNeeded(md, md.treeprocessors["smarty"].inlinePatterns)
        md.treeprocessors.deregister("smarty")
        md.treeprocessors.register(smarty, "smarty", SMARTY_PRIORITY)
        md.treeprocessors.register(WidontProcessor(md), "widont", WIDONT_PRIORITY)
