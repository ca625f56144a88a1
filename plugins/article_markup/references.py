"""The References section: Python-Markdown's footnotes as a titled, linked list.

The footnotes (``div.footnote``) become ``section.references`` with an ``h2`` ("References",
id ``references`` unless the page already uses it) and ``ol.references__list``; DOIs
(``doi:10.…``) and web addresses in the references become links. Search skips the section and
the reference marks.

For readers: each mark in the text is named "Reference 3" for screen readers, two or more marks
side by side are separated by a comma (not "12"), and each reference ends with one labelled way
back ("↩ Back to text", or "↩ Back to text: 1, 2, 3" when it is cited several times), each link
named for the citation it returns to ("Back to citation 2 of 3 of reference 4").
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from translations import N_

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


def build_references(root: Any, words: Any) -> None:
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
    heading.text = words(N_("References"))
    heading.tail = "\n"
    footnotes.text = "\n"
    if listing is not None:
        listing.set("class", "references__list")
        footnotes.append(listing)
        listing.tail = "\n"
        _name_back_links(listing, words)
        split_text_into_links(listing, LINKS, _link, skip=lambda element: element.tag == "a")


def _name_back_links(listing: Any, words: Any) -> None:
    """One labelled way back per reference, in words, not a row of bare arrows.

    Cited once: "↩ Back to text". Cited several times: "↩ Back to text: 1, 2, 3", one link per
    citation. Each link's spoken name says which reference (and which citation) it returns to,
    and holds the words it shows.
    """
    for number, item in enumerate(listing.iter("li"), start=1):
        links = [link for link in item.iter("a") if "footnote-backref" in classes(link)]
        if not links:
            continue
        holder = next(parent for parent in item.iter() if links[0] in list(parent))
        position = list(holder).index(links[0])
        for link in links:
            holder.remove(link)
            link.attrib.pop("title", None)
            link.tail = None
        back = etree.Element("span", {"class": "references__back"})
        arrow = etree.SubElement(back, "span", {"aria-hidden": "true"})
        arrow.text = "\u21a9\ufe0e "
        if len(links) == 1:
            link = links[0]
            link.text = words(N_("Back to text"))
            link.set(
                "aria-label", words(N_("Back to text for reference %(number)s"), number=number)
            )
            back.append(link)
        else:
            arrow.tail = words(N_("Back to text:")) + " "
            for citation, link in enumerate(links, start=1):
                link.text = str(citation)
                link.set("aria-label", words(
                    N_("Back to citation %(citation)s of %(count)s of reference %(number)s"),
                    citation=citation, count=len(links), number=number,
                ))  # fmt: skip
                # Each number with its comma: a line never starts with the comma.
                kept = etree.SubElement(back, "span", {"class": "references__back-item"})
                kept.append(link)
                link.tail = "," if citation < len(links) else None
                kept.tail = " " if citation < len(links) else None
        holder.insert(position, back)


def _is_mark(element: Any) -> bool:
    return element.tag == "sup" and (element.get("id") or "").startswith("fnref")


def _mark_number(mark: Any) -> int:
    link = mark.find("a")
    text = (link.text or "").strip() if link is not None else ""
    return int(text) if text.isdigit() else 0


def _in_number_order(parent: Any) -> None:
    """Marks side by side read in number order ("5, 17", not "17, 5"), as references are
    numbered by first citation; each keeps its own link and id, the text after them stays."""
    children = list(parent)
    start = 0
    while start < len(children):
        end = start + 1
        while (
            _is_mark(children[start])
            and end < len(children)
            and _is_mark(children[end])
            and not (children[end - 1].tail or "").strip()
        ):
            end += 1
        run = children[start:end]
        ordered = sorted(run, key=_mark_number)
        if ordered != run:
            tails = [mark.tail for mark in run]
            for position, (mark, tail) in enumerate(zip(ordered, tails, strict=True), start):
                parent.remove(mark)
                parent.insert(position, mark)
                mark.tail = tail
        start = end


def mark_references(root: Any, words: Any) -> None:
    """Name each reference mark, and put a comma between marks side by side, in number order."""
    for parent in root.iter():
        _in_number_order(parent)
        previous = None
        for child in list(parent):
            if not _is_mark(child):
                previous = None
                continue
            link = child.find("a")
            if link is not None:
                number = (link.text or "").strip()
                link.set("aria-label", words(N_("Reference %(number)s"), number=number))
            if previous is not None and not (previous.tail or "").strip():
                separator = etree.Element("span", {"class": "reference-mark__separator"})
                separator.set("aria-hidden", "true")
                separator.text = ","
                child.insert(0, separator)
                separator.tail = ""
            previous = child


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
        if _is_mark(sup):
            sup.set(SEARCH_SKIPS, None)
