"""The clinic's details: validated once, normalised for templates and the other plugins."""

from .clinic import (
    ClinicSettingsError,
    example_values,
    normalise_clinic,
    register,
    tel_href,
)

__all__ = ["ClinicSettingsError", "example_values", "normalise_clinic", "register", "tel_href"]
