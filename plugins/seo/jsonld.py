"""Pure builders of schema.org JSON-LD: each returns a plain dict, tested without Pelican.

Every builder puts in only what the page itself shows: the article's title, summary, dates,
references and reviewer; the clinic's name, offices and phone numbers; drug facts only when
the article's text states them (``SEO_DRUG`` in settings.py). References and text come from the
article's record (``article_markup.record``), made while Markdown rendered it: nothing here
parses HTML.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from authors.authors import jsonld_author
from markupsafe import Markup

SCHEMA_CONTEXT = "https://schema.org"


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


def citation_nodes(record: Any) -> list[dict[str, str]]:
    """``CreativeWork`` citations from an article's record (``article_markup.record``): each
    reference's text as ``name``, its first web address as ``url`` (when it has one)."""
    nodes = []
    for reference in getattr(record, "references", ()):
        node = {"@type": "CreativeWork", "name": reference.name}
        if reference.url:
            node["url"] = reference.url
        nodes.append(node)
    return nodes


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
    record: Any, drug: Mapping[str, Any] | None
) -> tuple[list[dict[str, str]], dict[str, Any] | None]:
    """The citations of an article's record and the ``Drug`` node its own text supports (no
    record, as for a page another reader made: neither)."""
    if record is None:
        return [], None
    return citation_nodes(record), build_drug(drug, record.text)


def build_medical_webpage(article: Any, settings: Mapping[str, Any]) -> dict[str, Any]:
    """``MedicalWebPage`` for an article: what the page shows, with absolute URLs, ISO dates.

    ``lastReviewed``/``reviewedBy`` only from a real review (``review_properties``); citations
    and drug facts from the article's record (the reader's, not a parse of its HTML).
    ``settings`` needs ``SITEURL``, ``CLINIC`` and optionally ``SEO_DRUG``.
    """
    siteurl = settings["SITEURL"]
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
    citations, drug = cited_and_about(getattr(article, "record", None), settings.get("SEO_DRUG"))
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
