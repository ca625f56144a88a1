"""The References section: Python-Markdown's footnotes as a titled, linked list.

The footnotes (``div.footnote``) become ``section.references`` with an ``h2`` ("References",
id ``references`` unless the page already uses it) and ``ol.references__list``; DOIs
(``doi:10.…``) and web addresses in the references become links; each back link gets its
title as a spoken name (``aria-label``). Search skips the section and the reference marks.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from .tree import classes, ids_in, split_text_into_links, unique_id

# Python-Markdown keeps entities such as the footnotes' "&#160;" behind a placeholder that
# starts with \x02 (util.AMP_SUBSTITUTE): an address ends there.
URL_TEXT = re.compile(r"\bhttps?://[^\s<>\"\x02\x03]+")
DOI_TEXT = re.compile(r"\bdoi:\s?(10\.[^\s<>\"\x02\x03]+)")
LINKS = re.compile(f"{DOI_TEXT.pattern}|{URL_TEXT.pattern}")
TRAILING = ".,;)"
SEARCH_SKIPS = "data-pagefind-ignore"  # set to None: Python-Markdown writes the bare name


def _footnotes(root: Any) -> Any | None:
    return next(
        (div for div in root.iter("div") if "footnote" in classes(div)),
        None,
    )


def build_references(root: Any) -> None:
    """Turn the footnotes into the References section (in place)."""
    footnotes = _footnotes(root)
    if footnotes is None:
        return
    listing = footnotes.find("ol")
    taken = ids_in(root)
    footnotes.attrib.clear()
    footnotes.tag = "section"
    footnotes.set("class", "references")
    footnotes.set(SEARCH_SKIPS, None)
    for child in list(footnotes):
        footnotes.remove(child)
    heading = etree.SubElement(footnotes, "h2", {"id": unique_id("references", taken)})
    heading.set("class", "references__heading")
    heading.text = "References"
    heading.tail = "\n"
    footnotes.text = "\n"
    if listing is not None:
        listing.set("class", "references__list")
        footnotes.append(listing)
        listing.tail = "\n"
        _name_back_links(listing)
        split_text_into_links(listing, LINKS, _link, skip_tags={"a"})


def _name_back_links(listing: Any) -> None:
    for link in listing.iter("a"):
        if "footnote-backref" in classes(link) and link.get("title"):
            link.set("aria-label", link.attrib.pop("title"))


def _link(match: re.Match[str]) -> tuple[Any, str] | None:
    """A link for a DOI or web address found in a reference, and the text that follows it."""
    text = match.group(0).rstrip(TRAILING)
    rest = match.group(0)[len(text) :]
    if match.group(1):
        href = "https://doi.org/" + match.group(1)[: len(match.group(1)) - len(rest)]
    else:
        href = text
    link = etree.Element("a", {"href": href})
    link.text = text
    return link, rest


def quiet_reference_marks(root: Any) -> None:
    """Keep the reference numbers in the text out of search excerpts."""
    for sup in root.iter("sup"):
        if (sup.get("id") or "").startswith("fnref"):
            sup.set(SEARCH_SKIPS, None)


__all__ = ["build_references", "quiet_reference_marks"]
