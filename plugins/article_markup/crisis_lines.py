"""911 and 988 as numbers to tap, wherever the page's text gives them.

A reader in crisis, on a phone, taps the number the page tells them to call: care cards and
callouts, lists such as "When to get help", running text. Not in headings, links, code,
reference marks or the references. 988 in a sentence that says only to text it ("envíe AYUDA
por mensaje de texto al 988") opens a text message instead. The text a review approves leaves
these links out (``CRISIS_LINE_HREFS``): the writer wrote only the number.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from typing import Any

from .tree import HEADING_TAGS, classes

# The emergency and crisis lines the page tells a reader to call: each a number to tap on a phone.
# Not the 988 in the line's own name ("the 988 Suicide and Crisis Lifeline", "la Línea 988 de
# Prevención"): the number to tap is given beside it, and three links in a row read as noise.
# The tests of what comes before the number follow it (``\d\d\d`` is the number): a pattern
# that starts with the number lets Python's ``re`` skip at once to each "9" of the text, where
# one that starts with a look-behind is tried at every character (eight times as long).
CRISIS_LINES = re.compile(
    r"(911|988)(?<![\w./-]\d\d\d)(?<!Línea \d\d\d)(?![\w/-]|\.\d|\s+Suicide|\s+de\s+Prevención)"
)
# The class of those links: the site adds them, so the text a review approves leaves them out.
CRISIS_LINE_CLASS = "crisis-line"
# 988 after "text it to" ("envíe AYUDA por mensaje de texto al 988"), in a sentence that does not
# also say to call: tapping it opens a text message, not a call.
TEXTING = re.compile(r"\b(?:mensaje de texto al?|text(?: message)? to)\s*$", re.IGNORECASE)
CALLING = re.compile(r"\b(?:call|llame|llamar)\b", re.IGNORECASE)
# The word that reaches 988's Spanish line by text message: where the sentence gives it, the
# message opens with it already written ("sms:" with a body; "?&" is read by iOS and Android).
SPANISH_TEXT_WORD = "AYUDA"
SPANISH_TEXT_LINK = f"sms:988?&body={SPANISH_TEXT_WORD}"
# Every address these links have: the text a review approves leaves such a link out.
CRISIS_LINE_HREFS = frozenset({"tel:911", "tel:988", "sms:988", SPANISH_TEXT_LINK})
SENTENCE_END = re.compile(r"[.!?:]\s")


def crisis_lines_linked(html_text: str) -> str:
    """``html_text`` (escaped text, no markup: the site's own sentences, such as the
    disclaimer's "In an emergency, call 911.") with 911 and 988 as ``tel:`` links."""
    return CRISIS_LINES.sub(rf'<a class="{CRISIS_LINE_CLASS}" href="tel:\1">\1</a>', html_text)


def link_crisis_lines(root: Any, split_text_into_links: Callable[..., None]) -> None:
    """In the page's text (care cards and callouts, lists such as "When to get help"), 911 and
    988 as ``tel:`` links (not in headings, links, code, reference marks or the references): a
    reader in crisis on a phone taps the number to call. 988 where the sentence says only to
    text it is an ``sms:`` link."""

    def make_link(match: re.Match[str]) -> tuple[Any, str]:
        number = match.group(1)
        sentence = SENTENCE_END.split(match.string[: match.start()])[-1]
        texting = number == "988" and TEXTING.search(sentence) and not CALLING.search(sentence)
        href = f"{'sms' if texting else 'tel'}:{number}"
        if texting and SPANISH_TEXT_WORD in sentence:
            href = SPANISH_TEXT_LINK
        link = etree.Element("a", {"href": href, "class": CRISIS_LINE_CLASS})
        link.text = number
        return link, ""

    def skip(element: Any) -> bool:
        return (
            element.tag in ("a", "sup", "code", "pre")
            or element.tag in HEADING_TAGS
            or "footnote" in classes(element)
        )

    split_text_into_links(root, CRISIS_LINES, make_link, skip)
