"""The elements and attributes a page's body may hold: what Markdown and our extensions make.

Raw HTML is off (``source_text``), but attribute lists (``{: onclick="..." }``), link and image
addresses (``javascript:``, an image on another site) and class names (``{: .review-dates }``,
the theme's review box) still come from the writer. So the built body is checked against this
allow-list by a sanitizer made for it, ``nh3`` (Ammonia, the HTML parser of browsers:
docs/architecture.md says why), and anything it would remove is reported, never silently
dropped: the build refuses the page (plugins/reading) and the check names the line.

``disallowed_markup(html)`` compares the HTML with its sanitized copy, element by element
(each with its attributes; both parsers are behind ``html_structure``, the one place HTML is
parsed): each difference is what the list refuses.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from html import entities as html_entities
from typing import Any

from html_structure import clean, element_tokens

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
ALLOWED_TAGS = HEADINGS | {
    "p", "br", "hr", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "dl", "dt", "dd", "dfn", "abbr", "sup", "sub", "span", "div", "section", "aside",
    "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption", "img",
    "nav",  # the glossary's A-Z list (article_markup.glossary.add_letter_index)
}  # fmt: skip
# Per element; "*": on every element. ``class`` is checked by block name (CLASS_BLOCKS).
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class"},
    "a": {"href", "title", "aria-label"},
    "img": {"src", "alt", "title", "width", "height", "loading", "decoding"},
    "section": {"aria-labelledby", "aria-label", "data-pagefind-ignore"},
    "aside": {"aria-labelledby", "aria-label"},
    "nav": {"aria-label"},
    "span": {"aria-hidden", "data-pagefind-ignore", "lang"},
    "sup": {"data-pagefind-ignore"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
    "abbr": {"title"},
}
# The class names our extensions give (BEM blocks: "care-card" allows "care-card__heading" and
# "care-card--urgent"). The theme's own blocks (the review box, the header...) are not here: a
# page cannot dress its text as the clinic's review or navigation.
CLASS_BLOCKS = (
    "callout",
    "care-card",
    "crisis-line",
    "glossary-entry",
    "glossary-index",
    "glossary-link",
    "references",
    "reference-mark",
    "footnote",
    "footnote-ref",
    "footnote-backref",
    "footnote-backref-label",
    "visually-hidden",
    "figure",
    "key-points",
    "toc",
)
# Links: the web (the link check refuses http:), e-mail and phone; anything else
# (``javascript:``, ``data:``, ``vbscript:``) is refused. Relative addresses are the site's own.
URL_SCHEMES = {"https", "http", "mailto", "tel", "sms"}
SCHEME_RE = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


BLOCK_NAME_END = re.compile(r"__|--")  # "care-card__heading": the block is "care-card"


def class_allowed(name: str) -> bool:
    """Whether a class name belongs to one of our extensions' blocks."""
    return BLOCK_NAME_END.split(name, maxsplit=1)[0] in CLASS_BLOCKS


def _own_address(value: str) -> bool:
    """An address on this site: relative (``/images/x.png``, ``../x``), never ``//host``."""
    return not SCHEME_RE.match(value) and not value.strip().startswith(("//", "\\"))


def _strict_filter(element: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        kept = [name for name in value.split() if class_allowed(name)]
        return " ".join(kept) or None
    if element == "img" and attribute == "src" and not _own_address(value):
        return None  # an image from elsewhere tells another site who reads the page
    return value


@dataclass(frozen=True)
class Refused:
    """One thing the allow-list refuses: what it is, and text to find it by in the source
    (the most telling first: ``ping=`` before the address it holds)."""

    what: str
    needles: tuple[str, ...]


def sanitize(html: str) -> str:
    """``html`` with only what the allow-list allows."""
    return clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_strict_filter,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )


def _tokens(html: str) -> list[tuple[Any, ...]]:
    """The elements of a fragment, in document order, each with its attributes (text aside):
    what the two copies are compared by. Comments and processing instructions are tokens too."""
    return element_tokens(html)


def disallowed_markup(html: str) -> list[Refused]:
    """What in ``html`` the allow-list refuses (empty: the body is only our markup).

    The sanitizer removes a refused element (keeping its text) or a refused attribute, so the
    sanitized copy's elements are the original's with some left out: they are paired by tag,
    in order, and compared attribute by attribute. When the copy is the HTML itself, spelled
    alike (``spelled_alike``: every shipped and synthetic page), nothing was removed.
    """
    sanitized = sanitize(html)
    if spelled_alike(sanitized) == spelled_alike(html):
        return []
    everything, allowed = _tokens(html), _tokens(sanitized)
    if everything == allowed:
        return []
    refused: list[Refused] = []
    tags = difflib.SequenceMatcher(
        None, [token[0] for token in everything], [token[0] for token in allowed], autojunk=False
    )
    for operation, start, end, other_start, _ in tags.get_opcodes():
        for offset, token in enumerate(everything[start:end]):
            kept = allowed[other_start + offset] if operation == "equal" else None
            refused += _describe(token, kept)
    return list(dict.fromkeys(refused))


# A character reference (``&#8220;``, ``&#x201C;``, ``&ldquo;``) and an empty attribute value
# (``=""`` after an attribute's name, before a space, "/" or ">").
REFERENCE = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,30}));")
EMPTY_VALUE = re.compile(r"""=""(?<=[^\s"'<>/=]="")(?=[\s/>])""")  # the literal first: quick


def _as_character(found: re.Match[str]) -> str:
    """A reference that every HTML parser reads as one character, as that character: from
    HTML 4's names (lxml knows no others) or a number, from U+00A0 (never markup) to U+FDCF,
    surrogates aside (what parsers replace differently); any other reference as it is."""
    decimal, hexadecimal, name = found.groups()
    if name:
        code = html_entities.name2codepoint.get(name, 0)
    else:
        code = int(decimal) if decimal else int(hexadecimal, 16)
    if 0xA0 <= code < 0xD800 or 0xE000 <= code < 0xFDD0:
        return chr(code)
    return found.group(0)


def spelled_alike(html: str) -> str:
    """``html`` with each reference to a non-ASCII character written as that character, and
    each empty attribute value as a bare attribute (``data-pagefind-ignore``).

    Why an HTML equal to its sanitized copy, both spelled alike, has nothing refused: the two
    then differ only in those spellings, and nh3's copy (html5ever's serializer) holds no
    comment, script, style or name outside the allow-list, and quotes every attribute value.
    Read from the start, both strings are in the same place (text, an attribute's value) at
    each difference, and a parser reads both spellings there the same (lxml reads a bare
    attribute's value as ""); so their elements and attributes are the same.
    """
    if "&" in html:
        html = REFERENCE.sub(_as_character, html)
    return EMPTY_VALUE.sub("", html) if '=""' in html else html


def _describe(token: tuple[Any, ...], kept: tuple[Any, ...] | None) -> list[Refused]:
    """What an element lost: the whole element, or some of its attributes."""
    tag, attributes = token
    if tag in ("!--", "?"):
        what = "an HTML comment" if tag == "!--" else "a processing instruction"
        return [Refused(what, ("<!--", "<?"))]
    if kept is None:
        needle = next((value for _, value in attributes if value), f"<{tag}")
        return [Refused(f"a <{tag}> element", (needle,))]
    left = dict(kept[1])
    refused = []
    for name, value in attributes:
        if name == "class":
            names = [c for c in value.split() if not class_allowed(c)]
            if names:
                refused.append(Refused(f'the class "{" ".join(names)}" on <{tag}>', (names[0],)))
        elif name not in left:  # a kept value may be re-encoded (a space in an address)
            shown = f'{name}="{value[:60]}"' if value else name
            # What the writer typed: "name=" in an attribute list, or the value (an address).
            needles = (f"{name}=", value) if len(value) >= 8 else (f"{name}=", name)
            refused.append(Refused(f"{shown} on <{tag}>", needles))
    return refused


def allow_list_summary() -> str:
    """The allow-list in one line, for messages."""
    return "elements: " + ", ".join(sorted(ALLOWED_TAGS))
