"""A consultation call to action and a medical disclaimer on every article and page."""

from .consult_cta import (
    build_cta_html,
    build_disclaimer_html,
    register,
    requested_variant,
)
from .settings import (
    BlockSettings,
    ConsultCtaError,
    VariantError,
    choose_variant,
    resolve_settings,
)

__all__ = [
    "BlockSettings",
    "ConsultCtaError",
    "VariantError",
    "build_cta_html",
    "build_disclaimer_html",
    "choose_variant",
    "register",
    "requested_variant",
    "resolve_settings",
]
