"""The clinic's details: validated once, normalised for templates and the other plugins."""

from site_config import FORM_URL_FIELDS, form_origins, https_origin, normalise_clinic, tel_href

from .clinic import (
    ClinicSettingsError,
    example_settings_values,
    example_values,
    is_example_value,
    register,
)

__all__ = [
    "FORM_URL_FIELDS",
    "ClinicSettingsError",
    "example_settings_values",
    "example_values",
    "form_origins",
    "https_origin",
    "is_example_value",
    "normalise_clinic",
    "register",
    "tel_href",
]
