"""Validate the ``CLINIC`` setting and refuse to publish the example placeholders.

``pelicanconf.py`` holds the clinic's name, offices, booking link and contact form in one
``CLINIC`` dict. This plugin checks it once when Pelican starts, adds a ``tel`` (an E.164
number for ``tel:`` links) to each office, and, when ``REFUSE_EXAMPLE_CLINIC_DETAILS`` is on
(publishconf.py), stops the build while any placeholder value is left: in ``CLINIC`` and in
the other settings only the clinic can supply or confirm (``EXAMPLE_CHECKED_SETTINGS``: the
reviewers who sign pages off, the clinic's rules, the language-help wording).

Every ``CLINIC`` key ending in ``_url`` is a web address a reader follows, and the booking and
contact services (``FORM_URL_FIELDS``) also go into the Content-Security-Policy's
``form-action``. So each must be a plain https address: ``https_origin`` checks one and gives
the origin built from its parsed parts, and plugins/assets/headers.py uses the same function.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from pelican import signals

logger = logging.getLogger(__name__)

REQUIRED_CLINIC_FIELDS = ("name", "offices", "booking_url", "contact_url")
REQUIRED_OFFICE_FIELDS = ("name", "street", "locality", "region", "postal_code", "country", "phone")
# North American numbers: 10 digits, optionally with a leading 1 / +1 and the usual punctuation.
PHONE_PATTERN = re.compile(r"^\s*(?:\+?1[\s.-]?)?\(?(\d{3})\)?[\s.-]?(\d{3})[\s.-]?(\d{4})\s*$")
# 555-0100 to 555-0199 are reserved for fiction; example.com/.org/.net are reserved domains.
EXAMPLE_PHONE_PATTERN = re.compile(r"555\D?01\d\d\s*$")
# "Example" (in Spanish "Ejemplo") marks a placeholder ("Example Office", "Ejemplo: ..."); "for
# example" or "por ejemplo" in a sentence the clinic wrote does not.
EXAMPLE_TEXT_PATTERN = re.compile(r"(?<!\bfor )\bexample\b|(?<!\bpor )\bejemplo\b", re.IGNORECASE)
# Placeholders that hold no "example" word: the example region and an all-zero ZIP code.
EXAMPLE_FIELD_PATTERNS = {
    "region": re.compile(r"^\s*EX\s*$", re.IGNORECASE),
    "postal_code": re.compile(r"^\s*0{5}(?:-?0{4})?\s*$"),
}

# The other settings that hold what only the clinic can supply or confirm, checked like CLINIC:
# the clinicians who sign pages off, who writes them, its own rules, the language-help wording.
EXAMPLE_CHECKED_SETTINGS = (
    "REVIEWERS",
    "AUTHORS",
    "CLINIC_RULES",
    "CLINIC_RULES_BY_LANG",
    "LANGUAGE_HELP",
)

# The services a reader's forms go to: the CSP's form-action allows exactly these origins.
FORM_URL_FIELDS = ("booking_url", "contact_url")
URL_FIELD_SUFFIX = "_url"
# Characters that could end a header value or a CSP source list, or hide in one.
UNSAFE_URL_CHARACTER = re.compile(r"[\s;,'\"`\\<>\x00-\x1f\x7f-\x9f]")
HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
URL_FIX = "use the full https:// address, for example 'https://booking.your-clinic.org/book'"


class ClinicSettingsError(Exception):
    """A ``CLINIC`` setting is missing, malformed or still an example value."""


def tel_href(phone: str) -> str:
    """Return the ``tel:`` address for a North American phone number, e.g. ``tel:+15555550101``."""
    match = PHONE_PATTERN.match(phone)
    if not match:
        raise ValueError(phone)
    return "tel:+1" + "".join(match.groups())


def _host_name(host: str) -> str | None:
    """``host`` as a lower-case ASCII domain name ("booking.clinic.org"), or None if not one."""
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    labels = ascii_host.split(".")
    if len(ascii_host) > 253 or len(labels) < 2 or labels[-1].isdigit():
        return None  # a single name ("localhost") or an IP address is not a clinic's service
    return ascii_host if all(HOST_LABEL.match(label) for label in labels) else None


def _url_problem(value: str) -> str | None:
    """What makes ``value`` unfit to be a clinic's https address, or None when it is fine."""
    unsafe = UNSAFE_URL_CHARACTER.search(value)
    if unsafe:
        return f"it contains {unsafe.group()!r} (no spaces, ';', ',', quotes or control characters)"
    parts = urlsplit(value)
    if parts.scheme != "https" or not value.startswith("https://"):
        return "it must start with https://"
    if parts.username is not None or parts.password is not None:
        return "it must not carry a user name or password"
    if not parts.hostname or _host_name(parts.hostname) is None:
        return "its host is not a domain name such as booking.your-clinic.org"
    try:
        port_is_valid = parts.port != 0  # reading it checks it: a port above 65535 raises
    except ValueError:
        port_is_valid = False
    return None if port_is_valid else "its port is not a number from 1 to 65535"


def https_origin(value: Any, setting: str) -> str:
    """The origin ("https://host[:port]") of the https address ``value``, from its parsed parts.

    Raises ``ClinicSettingsError`` naming ``setting`` (e.g. ``CLINIC['booking_url']``), the
    value and the fix. Only the scheme, the checked host name and the port reach the result, so
    nothing else in the value can reach a header.
    """
    problem = _url_problem(value) if isinstance(value, str) else "it is not text"
    if problem:
        raise ClinicSettingsError(
            f"clinic: {setting} = {value!r} in pelicanconf.py is not a safe web address: "
            f"{problem}; {URL_FIX}"
        )
    parts = urlsplit(value)
    port = f":{parts.port}" if parts.port not in (None, 443) else ""
    return f"https://{_host_name(parts.hostname or '')}{port}"


def form_origins(clinic: dict) -> list[str]:
    """The sorted origins of the clinic's booking and contact services (the CSP's form-action)."""
    if not isinstance(clinic, dict):
        raise ClinicSettingsError(f"clinic: CLINIC in pelicanconf.py must be a dict: {clinic!r}")
    origins = {
        https_origin(clinic[key], f"CLINIC['{key}']") for key in FORM_URL_FIELDS if clinic.get(key)
    }
    return sorted(origins)


def _check_required(clinic: Any) -> None:
    """Refuse a ``CLINIC`` that is not a dict or lacks a required field."""
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
    if not isinstance(clinic["offices"], list):
        raise ClinicSettingsError("clinic: CLINIC['offices'] must be a list of offices")


def _normalise_office(office: Any, where: str) -> None:
    """Check one office and add its ``tel`` link (in place)."""
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


def normalise_clinic(clinic: Any) -> dict:
    """Check ``CLINIC`` and return a copy with a ``tel`` link on each office.

    Every key ending in ``_url`` must be a safe https address (``https_origin``). Raises
    ``ClinicSettingsError`` naming the setting and what is accepted.
    """
    _check_required(clinic)
    for key, value in clinic.items():
        if key.endswith(URL_FIELD_SUFFIX):
            https_origin(value, f"CLINIC['{key}']")
    normalised = copy.deepcopy(clinic)
    for index, office in enumerate(normalised["offices"]):
        _normalise_office(office, f"CLINIC['offices'][{index}]")
    return normalised


def _text_values(value: Any, where: str, key: str = "") -> Iterator[tuple[str, str, str]]:
    """Every text value inside ``value`` as (setting, key, text); the derived ``tel`` skipped."""
    if isinstance(value, dict):
        for child_key, item in value.items():
            if child_key != "tel":
                yield from _text_values(item, f"{where}['{child_key}']", str(child_key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _text_values(item, f"{where}[{index}]", key)
    elif isinstance(value, str):
        yield where, key, value


def is_example_value(key: str, value: str) -> bool:
    """Whether ``value`` (of the ``CLINIC`` field ``key``) is one of the example placeholders."""
    field_pattern = EXAMPLE_FIELD_PATTERNS.get(key)
    return bool(
        EXAMPLE_TEXT_PATTERN.search(value)
        or EXAMPLE_PHONE_PATTERN.search(value)
        or (field_pattern and field_pattern.match(value))
    )


def example_values(clinic: dict) -> list[tuple[str, str]]:
    """List ``(setting, value)`` for every placeholder left in ``CLINIC``."""
    return [
        (where, value)
        for where, key, value in _text_values(clinic, "CLINIC")
        if is_example_value(key, value)
    ]


def example_settings_values(settings: dict) -> list[tuple[str, str]]:
    """List ``(setting, value)`` for every placeholder left in ``CLINIC`` and in the other
    settings only the clinic can fill in (``EXAMPLE_CHECKED_SETTINGS``)."""
    found = example_values(settings.get("CLINIC") or {})
    for name in EXAMPLE_CHECKED_SETTINGS:
        found += [
            (where, value)
            for where, key, value in _text_values(settings.get(name), name)
            if is_example_value(key, value)
        ]
    return found


def check_clinic_settings(pelican: Any) -> None:
    """Validate and normalise ``CLINIC`` when Pelican starts (the ``initialized`` signal), and
    refuse example values in production (``REFUSE_EXAMPLE_CLINIC_DETAILS``)."""
    settings = pelican.settings
    settings["CLINIC"] = normalise_clinic(settings.get("CLINIC"))
    placeholders = example_settings_values(settings)
    if not placeholders:
        return
    listing = "; ".join(f"{where} = {value!r}" for where, value in placeholders)
    if settings.get("REFUSE_EXAMPLE_CLINIC_DETAILS"):
        raise ClinicSettingsError(
            "clinic: refusing to publish with example values still in pelicanconf.py: "
            f"{listing}. Replace them with the clinic's real details, the clinicians who "
            "review its pages (REVIEWERS) and the wording it has confirmed."
        )
    logger.debug("clinic: example values in use (fine for local builds): %s", listing)


def register() -> None:
    """Connect the plugin to Pelican."""
    signals.initialized.connect(check_clinic_settings)
