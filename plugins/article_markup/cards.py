"""Care cards and callouts from admonitions, with headings that keep the page's outline.

``!!! care-emergency "Call 911 if:"`` becomes ``div.care-card.care-card--emergency`` with the
title as a heading one level below the heading it sits under (``h2`` under the page's ``h1``
when there is none; at most ``h6``), preceded by visually hidden context ("Emergency advice:
") for screen-reader users, and the body in ``div.care-card__content``.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Any

from site_errors import SiteError
from translations import N_

from .key_points import is_key_points
from .tree import HEADING_TAGS, classes

# admonition kind -> (block classes, element prefix, visually hidden context)
CARD_KINDS: dict[str, tuple[str, str, str]] = {
    "care-non-urgent": ("care-card care-card--non-urgent", "care-card", N_("Non-urgent advice: ")),
    "care-urgent": ("care-card care-card--urgent", "care-card", N_("Urgent advice: ")),
    "care-emergency": ("care-card care-card--emergency", "care-card", N_("Emergency advice: ")),
    "info": ("callout callout--info", "callout", N_("Important: ")),
    "warning": ("callout callout--warning", "callout", N_("Warning: ")),
}
# Any other admonition kind ("note", "tip") is shown as an information callout.
DEFAULT_KIND = "info"
# ``!!! clinic-rule "after_treatment"``: the clinic's own rule, from its language's clinic_rules.
CLINIC_RULE = "clinic-rule"


class UnknownClinicRule(SiteError, ValueError):
    """An article names a clinic rule that its language's clinic_rules does not have."""


def _is_admonition(element: Any) -> bool:
    return element.tag == "div" and "admonition" in classes(element)


def _kind(element: Any) -> str:
    kinds = [name for name in classes(element) if name != "admonition"]
    return kinds[0] if kinds and kinds[0] in CARD_KINDS else DEFAULT_KIND


@dataclass(frozen=True)
class CardWords:
    """What the cards need besides the tree: the words and the clinic's rules of the language."""

    words: Any  # translates a message into the document's language
    clinic_rules: dict[str, Any]
    rules_setting: str = "LANGUAGES['en']['clinic_rules']"  # where the rules are, for messages


def build_cards(root: Any, words: CardWords) -> None:
    """Turn every admonition into a care card or callout (in place).

    The body's first top-level key points box is left for key_points.py (the template shows
    it); any other one is an ordinary callout, as the body holds no bare admonition.
    """
    key_points = next((child for child in root if is_key_points(child)), None)
    _walk(root, [1], words, key_points)


def _walk(parent: Any, last_level: list[int], words: CardWords, key_points: Any = None) -> None:
    """Visit ``parent``'s children in document order; ``last_level`` is the outline so far;
    ``key_points`` is the box left as it is."""
    for child in list(parent):
        level = HEADING_TAGS.get(child.tag)
        if level:
            last_level[0] = level
        elif child is key_points:  # shown by the template, not as a card (key_points.py)
            continue
        elif _is_admonition(child):
            card_level = min(last_level[0] + 1, 6)
            clinic_rule = CLINIC_RULE in classes(child)
            if clinic_rule:
                _fill_clinic_rule(child, words)
            _convert(child, card_level, words.words)
            if clinic_rule:  # the clinic's own rule, not a fact that needs a source
                child.set("class", child.get("class") + " callout--clinic-rule")
            _walk(child.find("div"), [card_level], words)
        else:
            _walk(child, last_level, words)


def _fill_clinic_rule(element: Any, words: CardWords) -> None:
    """Replace ``!!! clinic-rule "key"`` with the rule's heading and text from the setting."""
    title = element.find("p")
    key = (title.text or "").strip().strip("\"'\u201c\u201d") if title is not None else ""
    rule = words.clinic_rules.get(key)
    if rule is None:
        accepted = ", ".join(sorted(words.clinic_rules)) or "none are set"
        raise UnknownClinicRule(
            f'clinic-rule "{key}" is not in {words.rules_setting} in pelicanconf.py '
            f"(accepted: {accepted})"
        )
    for child in list(element):
        element.remove(child)
    heading = etree.SubElement(element, "p", {"class": "admonition-title"})
    heading.text = rule["heading"]
    for paragraph in rule["text"]:
        etree.SubElement(element, "p").text = paragraph
    element.set("class", "admonition info")


def _convert(element: Any, level: int, words: Any) -> None:
    """One admonition as a card: heading with hidden context, then its body in a content div."""
    block_classes, prefix, context = CARD_KINDS[_kind(element)]
    context = words(context)
    children = list(element)
    title = children[0] if children and "admonition-title" in classes(children[0]) else None
    body = children[1:] if title is not None else children
    for child in children:
        element.remove(child)
    element.attrib.clear()
    element.set("class", block_classes)
    element.text = "\n"
    if title is not None:
        element.append(_heading(title, level, prefix, context))
    content = etree.SubElement(element, "div", {"class": f"{prefix}__content"})
    content.text = "\n"
    content.extend(body)
    if body:
        body[-1].tail = "\n"
    content.tail = "\n"


def _heading(title: Any, level: int, prefix: str, context: str) -> Any:
    heading = etree.Element(f"h{level}", {"class": f"{prefix}__heading"})
    # Read out by screen readers, but not indexed: "Emergency advice" on every card would make
    # a search for "emergence reactions" (stemmed to "emergenc") find every article.
    hidden = etree.SubElement(
        heading, "span", {"class": "visually-hidden", "data-pagefind-ignore": ""}
    )
    hidden.text = context
    hidden.tail = (title.text or "").strip()
    heading.extend(list(title))
    heading.tail = "\n"
    return heading
