"""The clinic's details: validated once, normalised for templates and the other plugins."""

from .clinic import (
    FORM_URL_FIELDS,
    ClinicSettingsError,
    example_settings_values,
    example_values,
    form_origins,
    https_origin,
    is_example_value,
    normalise_clinic,
    register,
    tel_href,
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
