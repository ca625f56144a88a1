"""Validate the ``CLINIC`` setting and refuse to publish the example placeholders.

``pelicanconf.py`` holds the clinic's name, offices, booking link and contact form in one
``CLINIC`` dict. This plugin checks it once when Pelican starts, adds a ``tel`` (an E.164
number for ``tel:`` links) to each office, and, when ``REFUSE_EXAMPLE_CLINIC_DETAILS`` is on
(publishconf.py), stops the build while any placeholder value is left.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

from pelican import signals

logger = logging.getLogger(__name__)

REQUIRED_CLINIC_FIELDS = ("name", "offices", "booking_url", "contact_url")
REQUIRED_OFFICE_FIELDS = ("name", "street", "locality", "region", "postal_code", "country", "phone")
# North American numbers: 10 digits, optionally with a leading 1 / +1 and the usual punctuation.
PHONE_PATTERN = re.compile(r"^\s*(?:\+?1[\s.-]?)?\(?(\d{3})\)?[\s.-]?(\d{3})[\s.-]?(\d{4})\s*$")
# 555-0100 to 555-0199 are reserved for fiction; example.com/.org/.net are reserved domains.
EXAMPLE_PHONE_PATTERN = re.compile(r"555\D?01\d\d\s*$")
EXAMPLE_TEXT_PATTERN = re.compile(r"\bexample\b", re.IGNORECASE)


class ClinicSettingsError(Exception):
    """A ``CLINIC`` setting is missing, malformed or still an example value."""


def tel_href(phone: str) -> str:
    """Return the ``tel:`` address for a North American phone number, e.g. ``tel:+15555550101``."""
    match = PHONE_PATTERN.match(phone)
    if not match:
        raise ValueError(phone)
    return "tel:+1" + "".join(match.groups())


def normalise_clinic(clinic: Any) -> dict:
    """Check ``CLINIC`` and return a copy with a ``tel`` link on each office.

    Raises ``ClinicSettingsError`` naming the setting and what is accepted.
    """
    if not isinstance(clinic, dict):
        raise ClinicSettingsError(
            "clinic: CLINIC in pelicanconf.py must be a dict with the keys "
            + ", ".join(REQUIRED_CLINIC_FIELDS)
        )
    for field in REQUIRED_CLINIC_FIELDS:
        if not clinic.get(field):
            raise ClinicSettingsError(
                f"clinic: CLINIC['{field}'] is missing or empty in pelicanconf.py "
                f"(required: {', '.join(REQUIRED_CLINIC_FIELDS)})"
            )
    offices = clinic["offices"]
    if not isinstance(offices, list):
        raise ClinicSettingsError("clinic: CLINIC['offices'] must be a list of offices")
    for key in ("booking_url", "contact_url"):
        if not str(clinic[key]).startswith("https://"):
            raise ClinicSettingsError(
                f"clinic: CLINIC['{key}'] must be an https:// address, not {clinic[key]!r}"
            )
    normalised = copy.deepcopy(clinic)
    for index, office in enumerate(normalised["offices"]):
        where = f"CLINIC['offices'][{index}]"
        if not isinstance(office, dict):
            raise ClinicSettingsError(f"clinic: {where} must be a dict")
        for field in REQUIRED_OFFICE_FIELDS:
            if not office.get(field):
                raise ClinicSettingsError(
                    f"clinic: {where}['{field}'] is missing or empty in pelicanconf.py "
                    f"(each office needs: {', '.join(REQUIRED_OFFICE_FIELDS)})"
                )
        try:
            office["tel"] = tel_href(str(office["phone"]))
        except ValueError:
            raise ClinicSettingsError(
                f"clinic: {where}['phone'] is not a phone number we can dial: "
                f"{office['phone']!r} (use 10 digits, for example '(555) 555-0101')"
            ) from None
    return normalised


def example_values(clinic: dict) -> list[tuple[str, str]]:
    """List ``(setting, value)`` for every placeholder left in ``CLINIC``."""
    found = []

    def visit(value: Any, where: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key != "tel":
                    visit(item, f"{where}['{key}']")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                visit(item, f"{where}[{index}]")
        elif isinstance(value, str) and (
            EXAMPLE_TEXT_PATTERN.search(value) or EXAMPLE_PHONE_PATTERN.search(value)
        ):
            found.append((where, value))

    visit(clinic, "CLINIC")
    return found


def check_clinic_settings(pelican: Any) -> None:
    """Validate and normalise ``CLINIC`` when Pelican starts (the ``initialized`` signal)."""
    settings = pelican.settings
    settings["CLINIC"] = normalise_clinic(settings.get("CLINIC"))
    placeholders = example_values(settings["CLINIC"])
    if not placeholders:
        return
    listing = "; ".join(f"{where} = {value!r}" for where, value in placeholders)
    if settings.get("REFUSE_EXAMPLE_CLINIC_DETAILS"):
        raise ClinicSettingsError(
            "clinic: refusing to publish with example clinic details still in pelicanconf.py: "
            f"{listing}. Replace them with the clinic's real details."
        )
    logger.debug("clinic: example details in use (fine for local builds): %s", listing)


def register() -> None:
    """Connect the plugin to Pelican."""
    signals.initialized.connect(check_clinic_settings)
