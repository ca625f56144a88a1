"""Words in another language than the page's: ``[Ketamine for pain management]{lang=en}``.

A Spanish guide cites its sources by their English titles, and a screen reader reads every word
of a page in the page's language unless a part says its own (WCAG 2.2, 3.1.2 Language of
Parts). The writer marks such words; they become ``<span lang="en">`` with the words inside
converted as usual. The mark is shown as text when its language is not a plain code ("en",
"en-US"), so a typo shows on the page and the writer's check reports it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown.inlinepatterns import InlineProcessor

# The words (no bracket or line break inside) and a language code.
LANGUAGE_PART_RE = r"\[([^\[\]\n]+)\]\{lang=([a-z]{2,3}(?:-[A-Z]{2})?)\}"
# Before footnote marks and links (175, 170, 160), which would read the brackets otherwise.
PRIORITY = 180
# Anything that looks like a mark ("]{lang", "] {lang=", "]{ lang : en }"...): the writer's check
# reports each one that is not LANGUAGE_PART_RE, which readers would see as typed.
MARK_LIKE = re.compile(r"\[[^\[\]\n]*\]\s*\{\s*lang\b[^}\n]*\}?")


class LanguagePartProcessor(InlineProcessor):
    """``[words]{lang=xx}`` -> ``<span lang="xx">words</span>``."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Any, int, int]:
        span = etree.Element("span", {"lang": m.group(2)})
        span.text = m.group(1)
        return span, m.start(0), m.end(0)


def mark_language_parts(md: Any) -> None:
    """Register the inline pattern on ``md``."""
    md.inlinePatterns.register(
        LanguagePartProcessor(LANGUAGE_PART_RE, md), "language_part", PRIORITY
    )
