"""Pure builders of schema.org JSON-LD: each returns a plain dict, tested without Pelican.

Every builder puts in only what the page itself shows: the article's title, summary, dates,
references and reviewer; the clinic's name, offices and phone numbers; drug facts only when
the article's text states them (``SEO_DRUG`` in settings.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from authors.authors import jsonld_author
from lxml import etree
from lxml import html as lxml_html
from markupsafe import Markup

SCHEMA_CONTEXT = "https://schema.org"
# Where the rendered content keeps its references: Python-Markdown's footnotes, or a
# "References" section (``section.references``, ``ol.references``) a plugin rewrote them into
# (as CSS; REFERENCE_XPATH below is what runs).
REFERENCE_ITEMS = "div.footnote li, ol.references > li, .references ol > li"
# Parts of the content that are not the article's own statements (NOT_THE_TEXT_XPATH below).
NOT_THE_TEXT = "div.footnote, .references, aside[data-consult-cta], aside[data-disclaimer]"


def absolute_url(siteurl: str, url: str) -> str:
    """Join the site's address and a site-relative URL ("articles/x/" -> "https://…/articles/x/")."""
    if url.startswith(("http://", "https://")):
        return url
    return f"{siteurl.rstrip('/')}/{url.lstrip('/')}"


def plain_text(html: str) -> str:
    """The text of an HTML fragment (tags removed, whitespace collapsed)."""
    return " ".join(Markup(html or "").striptags().split())


def iso_date(value: Any) -> str | None:
    """ISO 8601 for a date, datetime or ``YYYY-MM-DD`` string; None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    return dt.date.fromisoformat(text[:10]).isoformat()


def clinic_id(settings: Mapping[str, Any]) -> str:
    """The ``@id`` of the clinic's node, so other nodes can refer to it."""
    return absolute_url(settings["SITEURL"], "") + "#clinic"


def build_clinic(settings: Mapping[str, Any]) -> dict[str, Any]:
    """``MedicalClinic`` with each office's postal address and telephone (``CLINIC`` setting)."""
    clinic = settings["CLINIC"]
    addresses = [
        {
            "@type": "PostalAddress",
            "name": office["name"],
            "streetAddress": office["street"],
            "addressLocality": office["locality"],
            "addressRegion": office["region"],
            "postalCode": office["postal_code"],
            "addressCountry": office["country"],
            "telephone": office["phone"],
        }
        for office in clinic["offices"]
    ]
    return {
        "@type": "MedicalClinic",
        "@id": clinic_id(settings),
        "name": clinic["name"],
        "url": absolute_url(settings["SITEURL"], ""),
        "telephone": [office["phone"] for office in clinic["offices"]],
        "address": addresses,
    }


def clinic_reference(settings: Mapping[str, Any]) -> dict[str, Any]:
    """A short ``MedicalClinic`` node (name, address of the site) for ``publisher``."""
    return {
        "@type": "MedicalClinic",
        "@id": clinic_id(settings),
        "name": settings["CLINIC"]["name"],
        "url": absolute_url(settings["SITEURL"], ""),
    }


def build_website(settings: Mapping[str, Any]) -> dict[str, Any]:
    """``WebSite`` for the home page, with the site search as a ``SearchAction``."""
    siteurl = settings["SITEURL"]
    website: dict[str, Any] = {
        "@type": "WebSite",
        "@id": absolute_url(siteurl, "") + "#website",
        "name": settings.get("SITENAME") or settings["CLINIC"]["name"],
        "url": absolute_url(siteurl, ""),
        "inLanguage": settings.get("DEFAULT_LANG", "en"),
        "publisher": {"@id": clinic_id(settings)},
    }
    if settings.get("SEARCH_URL"):
        website["potentialAction"] = {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": absolute_url(siteurl, settings["SEARCH_URL"])
                + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        }
    return website


def build_breadcrumbs(trail: Iterable[tuple[str, str]], siteurl: str) -> dict[str, Any]:
    """``BreadcrumbList`` from ``(name, site-relative URL)`` pairs, home first."""
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": absolute_url(siteurl, url),
            }
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# The same selections as XPath for lxml, which parses and selects several times faster than
# Beautiful Soup (same tree, same text).
REFERENCE_XPATH = (
    f"//div[{_has_class('footnote')}]//li | //ol[{_has_class('references')}]/li"
    f" | //*[{_has_class('references')}]//ol/li"
)
# The ways back to the text (our "↩ Back to text: 1, 2" group, or a bare back link).
BACKREF_XPATH = (
    f".//span[{_has_class('references__back')}] | .//a[{_has_class('footnote-backref')}]"
    " | .//a[@rev='footnote'] | .//a[@role='doc-backlink']"
)
NOT_THE_TEXT_XPATH = (
    f"//div[{_has_class('footnote')}] | //*[{_has_class('references')}]"
    " | //aside[@data-consult-cta] | //aside[@data-disclaimer]"
)
# Not text a reader reads (Beautiful Soup's get_text() leaves them out too).
NOT_TEXT_XPATH = "//script | //style | //template"


def _parse(html: str) -> Any:
    """The HTML's tree (lxml), or None when there is nothing to parse."""
    if not (html or "").strip():
        return None
    try:
        root = lxml_html.document_fromstring(html)
    except etree.ParserError:  # only comments or whitespace
        return None
    for node in root.xpath(NOT_TEXT_XPATH):
        node.drop_tree()  # keeps the text that follows it
    return root


def _text(element: Any) -> str:
    return " ".join(" ".join(element.itertext()).split())


def _references(root: Any) -> list[dict[str, str]]:
    citations: list[dict[str, str]] = []
    if root is None:
        return citations
    for item in root.xpath(REFERENCE_XPATH):
        for backref in item.xpath(BACKREF_XPATH):
            if backref.getparent() is not None:  # not inside a group dropped already
                backref.drop_tree()
        name = _text(item)
        if not name:
            continue
        citation = {"@type": "CreativeWork", "name": name}
        for link in item.iter("a"):
            href = link.get("href")
            if href is not None and href.startswith(("https://", "http://")):
                citation["url"] = href
                break
        else:
            found = re.search(r"https?://\S+", name)
            if found:
                citation["url"] = found.group(0).rstrip(".,;)")
        citations.append(citation)
    return citations


def _statement_text(root: Any) -> str:
    if root is None:
        return ""
    for node in root.xpath(NOT_THE_TEXT_XPATH):
        node.drop_tree()
    return _text(root)


def references_and_text(html: str) -> tuple[list[dict[str, str]], str]:
    """``references_from_html`` and ``statement_text`` of ``html`` from one parse."""
    root = _parse(html)
    citations = _references(root)  # removes only back links, inside what the text leaves out
    return citations, _statement_text(root)


def references_from_html(html: str) -> list[dict[str, str]]:
    """``CreativeWork`` citations from the rendered references (footnotes or ``ol.references``).

    Each has the reference's text as ``name`` and its first web link as ``url``.
    """
    return _references(_parse(html))


def statement_text(html: str) -> str:
    """The page's own text: references and the injected call to action/disclaimer removed."""
    return _statement_text(_parse(html))


def _stated(patterns: str | list[str], text: str) -> bool:
    if isinstance(patterns, str):
        patterns = [patterns]
    return all(re.search(pattern, text, re.IGNORECASE | re.DOTALL) for pattern in patterns)


def build_drug(drug: Mapping[str, Any] | None, text: str) -> dict[str, Any] | None:
    """``Drug`` with only the facts ``text`` states; None when the text does not name the drug."""
    if not drug:
        return None
    if not _stated(drug.get("mentioned_by") or re.escape(drug["name"]), text):
        return None
    node: dict[str, Any] = {"@type": "Drug", "name": drug["name"]}
    if drug.get("nonProprietaryName"):
        node["nonProprietaryName"] = drug["nonProprietaryName"]
    for fact in drug.get("facts", []):
        if _stated(fact["stated_by"], text):
            node[fact["property"]] = fact["value"]
    return node


def cited_and_about(
    html: str, drug: Mapping[str, Any] | None
) -> tuple[list[dict[str, str]], dict[str, Any] | None]:
    """The citations in ``html`` and the ``Drug`` node its own text supports (one parse)."""
    citations, text = references_and_text(html)
    return citations, build_drug(drug, text)


Extractor = Callable[[str, Mapping[str, Any] | None], tuple[list[dict[str, str]], Any]]


def build_medical_webpage(
    article: Any, settings: Mapping[str, Any], extract: Extractor = cited_and_about
) -> dict[str, Any]:
    """``MedicalWebPage`` for an article: what the page shows, with absolute URLs, ISO dates.

    ``lastReviewed``/``reviewedBy`` only from a real review (``review_properties``).
    ``settings`` needs ``SITEURL``, ``CLINIC`` and optionally ``SEO_DRUG``. ``extract`` is
    ``cited_and_about`` or a cache in front of it.
    """
    siteurl = settings["SITEURL"]
    content = str(getattr(article, "content", "") or "")
    published = iso_date(getattr(article, "date", None))
    node: dict[str, Any] = {
        "@type": "MedicalWebPage",
        "@id": absolute_url(siteurl, article.url),
        "name": plain_text(article.title),
        "headline": plain_text(article.title),
        "description": plain_text(getattr(article, "summary", "")),
        "url": absolute_url(siteurl, article.url),
        "inLanguage": getattr(article, "lang", None) or settings.get("DEFAULT_LANG", "en"),
        "datePublished": published,
        "dateModified": iso_date(getattr(article, "modified", None)) or published,
        "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "publisher": clinic_reference(settings),
    }
    citations, drug = extract(content, settings.get("SEO_DRUG"))
    if drug:
        node["about"] = drug
    if citations:
        node["citation"] = citations
    writer = getattr(article, "writer", None)
    if writer is not None:  # the byline's writer, from AUTHORS (plugins/authors)
        node["author"] = jsonld_author(writer, node["inLanguage"])
    node.update(review_properties(article))
    return node


def review_properties(content: Any) -> dict[str, Any]:
    """``reviewedBy`` and ``lastReviewed`` from the review the page history records (the
    newest entry, by a reviewer of ``REVIEWERS``: plugins/clinical_review) of the text as it is
    now, else nothing (a page changed since its review claims none).

    Name, credentials and job title come from the registry (in the page's language), never
    from the article's text.
    """
    review = getattr(content, "review_dates", None)
    signed = getattr(review, "last_review", None)
    if signed is None or signed.reviewer is None:
        return {}
    reviewer, language = signed.reviewer, getattr(content, "lang", None)
    person = {
        "@type": "Person",
        "name": reviewer.name,
        "honorificSuffix": reviewer.credentials_in(language),
    }
    if reviewer.title_in(language):
        person["jobTitle"] = reviewer.title_in(language)
    return {"reviewedBy": person, "lastReviewed": signed.day.isoformat()}


def graph(*nodes: dict[str, Any] | None) -> dict[str, Any] | None:
    """One JSON-LD document holding the given nodes (None when there are none)."""
    present = [node for node in nodes if node]
    if not present:
        return None
    return {"@context": SCHEMA_CONTEXT, "@graph": present}
