"""The glossary: one page of plain-language definitions, linked from the first use of each term.

The glossary page (``GLOSSARY_PAGES``, one per language) is Markdown in a fixed shape: a
``## Term {#id}`` heading per entry, then optionally a paragraph ``Also called: a, b`` (the
synonyms readers search for), then the definition. ``load_glossary`` reads that shape.

- On the glossary page itself, each entry becomes ``section.glossary-entry`` whose heading
  holds the term as a ``<dfn>`` (the defining instance), and the synonyms paragraph is marked.
- On every other page, the first use of each term or synonym in the text a reader reads
  (not headings, links, code or the references) links to its entry: ``a.glossary-link``
  with a ``{filename}`` address, so Pelican resolves it and a missing glossary is reported.
  The ids linked are reported as the page's ``glossary_terms`` (plugins/glossary lists, under
  each entry, the articles that use it).
"""

from __future__ import annotations

import functools
import re
import unicodedata
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translations import N_

from .tree import HEADING_TAGS, classes, text_of

# Lines of the glossary's Markdown source: "## Term {#id}", "Also called: a, b" (in Spanish
# "También llamado: a, b"), "Slug: x".
ENTRY_HEADING = re.compile(r"^##\s+(.+?)\s*\{\s*#([\w-]+)\s*\}\s*$")
SYNONYMS = re.compile(r"^(?:Also called|También llamad[oa]s?):\s*(.+?)\s*$", re.IGNORECASE)
SLUG = re.compile(r"^Slug:\s*(\S+)\s*$", re.IGNORECASE)
NOT_LINKED = {"a", "code", "pre", "sup", "dfn", "script", "style", *HEADING_TAGS}


@dataclass
class Glossary:
    """One language's glossary: its page (content path and slug) and its entries."""

    source: str  # relative to the content folder, e.g. "pages/glossary.md"
    slug: str
    terms: dict[str, str] = field(default_factory=dict)  # term or synonym (lower case) -> id
    names: dict[str, str] = field(default_factory=dict)  # id -> the term as written

    def pattern(self) -> re.Pattern[str] | None:
        """Every term and synonym as whole words; where several match, the longest."""
        if not self.terms:
            return None
        return terms_pattern(tuple(self.terms))


@functools.lru_cache(maxsize=16)
def terms_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """Whole words ``terms`` (case-insensitive), the longest first where several match.

    The terms as a trie (``dos(?:is)?``, not ``dosis|dos``): Python's ``re`` tries every
    alternative of a flat alternation at every position of the text, and a glossary of 230
    terms made this the slowest step of reading an article. The matches are the same: terms
    that match at one position are prefixes of one another, and the trie tries the longer
    first, as the flat alternation sorted longest first did.
    """
    return re.compile(r"(?<![\w-])(?:" + _trie_alternation(terms) + r")(?![\w-])", re.IGNORECASE)


def _trie_alternation(terms: tuple[str, ...]) -> str:
    """A regular expression matching exactly ``terms``, sharing their common prefixes."""
    trie: dict[str, Any] = {}
    for term in terms:
        node = trie
        for character in term:
            node = node.setdefault(character, {})
        node[""] = {}  # a term ends here
    return _trie_branch(trie)


def _trie_branch(node: dict[str, Any]) -> str:
    branches = [
        re.escape(character) + _trie_branch(rest) for character, rest in node.items() if character
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # Greedy: a longer term first, then the one that ends here.
    return f"(?:{body})?" if "" in node else body


def is_a_page(source: str, page_paths: list[str]) -> bool:
    """Whether Pelican builds ``source`` (relative to the content folder) as a page."""
    return _is_a_page(source, tuple(page_paths))


@functools.lru_cache(maxsize=64)  # asked for every article: paths are slow to make
def _is_a_page(source: str, page_paths: tuple[str, ...]) -> bool:
    folders = [Path(folder) for folder in page_paths]
    return any(folder == Path(".") or folder in Path(source).parents for folder in folders)


def load_glossary(content_path: str | Path, source: str) -> Glossary | None:
    """Read a glossary page's entries; None when the page does not exist.

    Every article reads its language's glossary: the page's text is read each time, its
    parse kept (the same text gives the same entries). Do not change what it returns.
    """
    path = Path(content_path) / source
    if not path.is_file():
        return None
    return _parse_glossary(source, path.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=8)
def _parse_glossary(source: str, text: str) -> Glossary:
    glossary = Glossary(source=source, slug="")
    entry = None
    for line in text.splitlines():
        if not glossary.slug and (match := SLUG.match(line)):
            glossary.slug = match.group(1)
        elif match := ENTRY_HEADING.match(line):
            term, entry = match.group(1), match.group(2)
            glossary.names[entry] = term
            glossary.terms[term.lower()] = entry
        elif entry and (match := SYNONYMS.match(line)):
            for name in match.group(1).split(","):
                if name.strip():
                    glossary.terms.setdefault(name.strip().lower(), entry)
    return glossary


def mark_up_entries(root: Any) -> None:
    """On the glossary page: each entry a section, its term a ``<dfn>``, synonyms marked."""
    section = None
    for child in list(root):
        if child.tag == "h2" and child.get("id"):
            section = _entry_section(root, child)
        elif section is not None and child.tag in ("p", "ul", "ol", "div", "dl", "table"):
            if "footnote" in classes(child):
                section = None
                continue
            root.remove(child)
            section.append(child)
            if len(section) == 2 and SYNONYMS.match("".join(child.itertext())):
                child.set("class", "glossary-entry__synonyms")
        else:
            section = None


def add_letter_index(root: Any, words: Any) -> None:
    """On the glossary page: an A-Z list of plain links, before the first entry.

    Made from the entries, so a new entry's letter appears by itself: each letter links to the
    first entry that starts with it (accents set aside: "Éxito" is under E). No script needed.
    """
    entries = [child for child in root if "glossary-entry" in classes(child)]
    if not entries:
        return
    letters: dict[str, str] = {}
    for entry in entries:
        heading = entry.find("h2")
        letter = _first_letter(text_of(heading) if heading is not None else "")
        if letter and heading.get("id") and letter not in letters:
            letters[letter] = heading.get("id")
    nav = etree.Element("nav", {"class": "glossary-index"})
    nav.set("aria-label", words(N_("Glossary from A to Z")))
    nav.text = "\n"
    listing = etree.SubElement(nav, "ul", {"class": "glossary-index__letters"})
    listing.text = "\n"
    for letter, target in letters.items():
        item = etree.SubElement(listing, "li")
        link = etree.SubElement(item, "a", {"href": f"#{target}"})
        link.text = letter
        item.tail = "\n"
    listing.tail = "\n"
    nav.tail = "\n"
    root.insert(list(root).index(entries[0]), nav)


def _first_letter(term: str) -> str:
    """The letter a term is listed under: its first letter, upper case, without accents."""
    for character in unicodedata.normalize("NFD", term):
        if character.isalpha():
            return character.upper()
    return ""


def _entry_section(root: Any, heading: Any) -> Any:
    """Put an entry's heading in its own section, the term as the defining instance."""
    section = etree.Element("section", {"class": "glossary-entry"})
    section.set("aria-labelledby", heading.get("id"))
    section.text = "\n"
    root.insert(list(root).index(heading), section)
    root.remove(heading)
    term = etree.Element("dfn")
    term.text, heading.text = heading.text, None
    term.extend(list(heading))
    for child in list(heading):
        heading.remove(child)
    heading.append(term)
    heading.set("class", "glossary-entry__term")
    section.append(heading)
    section.tail = "\n"
    return section


def link_first_uses(root: Any, glossary: Glossary, split: Any) -> list[str]:
    """Link the first use of each term to its entry; return the ids linked, in order."""
    pattern = glossary.pattern()
    if pattern is None:
        return []
    linked: list[str] = []

    def make_link(match: re.Match[str]) -> tuple[Any, str] | None:
        entry = glossary.terms.get(match.group(0).lower())
        if entry is None or entry in linked:
            return None
        linked.append(entry)
        link = etree.Element("a", {"class": "glossary-link"})
        link.set("href", f"{{filename}}/{glossary.source}#{entry}")
        link.text = match.group(0)
        return link, ""

    def skip(element: Any) -> bool:
        return element.tag in NOT_LINKED or bool(
            {"references", "footnote", "admonition-title"} & set(classes(element))
        )

    split(root, pattern, make_link, skip)
    return linked
