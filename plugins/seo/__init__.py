"""Head metadata and structured data (JSON-LD) for every page."""

from .jsonld import (
    build_breadcrumbs,
    build_clinic,
    build_medical_webpage,
    build_website,
    references_from_html,
)
from .seo import register
from .settings import SeoSettingsError, resolve_settings

__all__ = [
    "SeoSettingsError",
    "build_breadcrumbs",
    "build_clinic",
    "build_medical_webpage",
    "build_website",
    "references_from_html",
    "register",
    "resolve_settings",
]
