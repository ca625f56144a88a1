"""Validate the ``CLINIC`` setting and refuse to publish the example placeholders.

``pelicanconf.py`` holds the clinic's name, offices, booking link and contact form in one
``CLINIC`` dict. ``site_config`` checks it once and adds a ``tel`` (an E.164 number for
``tel:`` links) to each office; this plugin gives the templates that checked copy when Pelican
starts and, when ``REFUSE_EXAMPLE_CLINIC_DETAILS`` is on
(publishconf.py), stops the build while any placeholder value is left: in ``CLINIC`` and in
the other settings only the clinic can supply or confirm (``EXAMPLE_CHECKED_SETTINGS``: the
reviewers who sign pages off, the clinic's rules, the language-help wording).

Every ``CLINIC`` key ending in ``_url`` is a web address a reader follows, and the booking and
contact services (``FORM_URL_FIELDS``) also go into the Content-Security-Policy's
``form-action``. So each must be a plain https address: ``site_config.https_origin`` checks one
and gives the origin built from its parsed parts, and plugins/assets/headers.py uses it too.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

from pelican import signals
from site_config import (
    SettingsError,
    normalise_clinic,
    site_config,
)

logger = logging.getLogger(__name__)

# 555-0100 to 555-0199 are reserved for fiction; example.com/.org/.net are reserved domains.
EXAMPLE_PHONE_PATTERN = re.compile(r"555\D?01\d\d\s*$")
# "Example" (in Spanish "Ejemplo") marks a placeholder ("Example Office", "Ejemplo: ..."); "for
# example" or "por ejemplo" in a sentence the clinic wrote does not.
EXAMPLE_TEXT_PATTERN = re.compile(r"(?<!\bfor )\bexample\b|(?<!\bpor )\bejemplo\b", re.IGNORECASE)
# The site's address in the docs' and messages' examples (www.your-clinic.org), copied as is.
EXAMPLE_SITE_ADDRESS = re.compile(r"\byour-clinic\b", re.IGNORECASE)
# Placeholders that hold no "example" word: the example region and an all-zero ZIP code.
EXAMPLE_FIELD_PATTERNS = {
    "region": re.compile(r"^\s*EX\s*$", re.IGNORECASE),
    "postal_code": re.compile(r"^\s*0{5}(?:-?0{4})?\s*$"),
}

# The other settings that hold what only the clinic can supply or confirm, checked like CLINIC:
# the clinicians who sign pages off, who writes them, the language-help wording; and each
# language's clinic rules (LANGUAGES[<language>]["clinic_rules"]).
EXAMPLE_CHECKED_SETTINGS = (
    "REVIEWERS",
    "AUTHORS",
    "LANGUAGE_HELP",
)

# One error class for every setting (site_config); the clinic's name is kept for its callers.
ClinicSettingsError = SettingsError


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
    checked = [(name, settings.get(name)) for name in EXAMPLE_CHECKED_SETTINGS]
    checked[2:2] = [
        (language.setting("clinic_rules"), language.clinic_rules)
        for language in site_config(settings).languages
        if language.clinic_rules
    ]
    for name, value in checked:
        found += [
            (where, text)
            for where, key, text in _text_values(value, name)
            if is_example_value(key, text)
        ]
    siteurl = str(settings.get("SITEURL") or "")
    if EXAMPLE_TEXT_PATTERN.search(siteurl) or EXAMPLE_SITE_ADDRESS.search(siteurl):
        found.append(("SITEURL", siteurl))
    return found


def insecure_site_address(settings: dict) -> str | None:
    """Why the published site's address (``SITEURL``) cannot be its public one, or None."""
    siteurl = str(settings.get("SITEURL") or "")
    if siteurl.startswith("http://"):
        return (
            f"clinic: refusing to publish at {siteurl}, an http:// address: browsers mark its "
            "pages 'Not secure', and its security headers (HSTS) need https. Set SITEURL to "
            "the https:// address the site will live at."
        )
    return None


def check_clinic_settings(pelican: Any) -> None:
    """Validate and normalise ``CLINIC`` when Pelican starts (the ``initialized`` signal), and
    refuse example values in production (``REFUSE_EXAMPLE_CLINIC_DETAILS``)."""
    settings = pelican.settings
    # The templates read the checked copy, with each office's tel: link (site_config's).
    settings["CLINIC"] = site_config(settings).clinic or normalise_clinic(settings.get("CLINIC"))
    placeholders = example_settings_values(settings)
    insecure = insecure_site_address(settings)
    if insecure and settings.get("REFUSE_EXAMPLE_CLINIC_DETAILS"):
        raise ClinicSettingsError(insecure)
    if not placeholders:
        return
    if settings.get("REFUSE_EXAMPLE_CLINIC_DETAILS"):
        # One value a line: a publisher reads down the list and fixes each in turn.
        listing = "\n".join(f"  {where} = {shortened(value)!r}" for where, value in placeholders)
        raise ClinicSettingsError(
            "clinic: refusing to publish with example values still in pelicanconf.py:\n"
            f"{listing}\nReplace them with the clinic's real details, the clinicians who "
            "review its pages (REVIEWERS), the wording it has confirmed and (SITEURL) the "
            "address the site will live at.\n`invoke check "
            "--production` lists these with everything else publishing refuses (pages due a "
            "review)."
        )
    listing = "; ".join(f"{where} = {value!r}" for where, value in placeholders)
    logger.debug("clinic: example values in use (fine for local builds): %s", listing)


def shortened(value: str, most: int = 70) -> str:
    """A long example text cut to fit one line of a refusal (the setting names where it is)."""
    return value if len(value) <= most else value[: most - 1] + "\u2026"


def register() -> None:
    """Connect the plugin to Pelican."""
    signals.initialized.connect(check_clinic_settings)
