"""Findability: structured data, head metadata, related articles, sitemap dates, search index."""

from .jsonld import (
    build_breadcrumbs,
    build_clinic,
    build_medical_webpage,
    build_website,
    references_from_html,
)
from .related import RelatedIndex, category_neighbours, related_by_tags
from .seo import register
from .settings import SeoSettingsError, resolve_settings

__all__ = [
    "RelatedIndex",
    "SeoSettingsError",
    "build_breadcrumbs",
    "build_clinic",
    "build_medical_webpage",
    "build_website",
    "category_neighbours",
    "references_from_html",
    "register",
    "related_by_tags",
    "resolve_settings",
]
