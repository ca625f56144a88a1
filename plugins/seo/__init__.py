"""Head metadata and structured data (JSON-LD) for every page."""

from .jsonld import (
    build_breadcrumbs,
    build_clinic,
    build_medical_webpage,
    build_website,
    citation_nodes,
)
from .seo import register
from .settings import SeoSettingsError, resolve_settings

__all__ = [
    "SeoSettingsError",
    "build_breadcrumbs",
    "build_clinic",
    "build_medical_webpage",
    "build_website",
    "citation_nodes",
    "register",
    "resolve_settings",
]
