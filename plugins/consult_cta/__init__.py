"""A consultation call to action and a medical disclaimer on every article and page."""

from .consult_cta import (
    build_cta_html,
    build_disclaimer_html,
    register,
    requested_variant,
)
from .settings import BlockSettings, ConsultCtaError, resolve_settings

__all__ = [
    "BlockSettings",
    "ConsultCtaError",
    "build_cta_html",
    "build_disclaimer_html",
    "register",
    "requested_variant",
    "resolve_settings",
]
