"""Settings of the ``seo`` plugin: defaults, merged with pelicanconf.py / publishconf.py.

- ``SEO_SHARE_IMAGE`` (str, default ``images/share.png``): the default link-preview image,
  relative to the site root; ``SEO_SHARE_IMAGE_SIZE`` its ``(width, height)``.
- ``SEO_OG_LOCALE`` (str, default ``en_US``): Open Graph locale.
- ``SEO_CLINIC_PAGES`` (list of page slugs, default about and book-a-consultation): pages
  that carry the clinic's ``MedicalClinic`` data (the home page always does).
- ``SEO_DRUG`` (dict): the drug the articles are about, and each fact about it with the
  pattern that the article's own text must match before the fact goes into its JSON-LD.
"""

from __future__ import annotations

import re
from typing import Any

from site_config import checked_once
from site_errors import SiteError

# "approved ... anesthetic" (or the other way round) within a couple of sentences.
APPROVED_AS_ANESTHETIC = r"\bapproved\b.{0,200}?\banesthetic\b|\banesthetic\b.{0,200}?\bapproved\b"

DEFAULT_DRUG: dict[str, Any] = {
    "name": "Ketamine",
    "nonProprietaryName": "ketamine",
    # The page must name the drug in its text before it is the page's ``about``.
    "mentioned_by": r"\bketamine\b",
    # Each fact is added only when the page's text (references and our blocks excluded)
    # matches ``stated_by`` (a pattern, or a list of patterns that must all match, searched
    # case-insensitively): JSON-LD never says more than the page does.
    "facts": [
        {
            "property": "drugClass",
            "value": {"@type": "DrugClass", "name": "Anesthetic"},
            "stated_by": APPROVED_AS_ANESTHETIC,
        },
        {
            "property": "legalStatus",
            "value": {
                "@type": "DrugLegalStatus",
                "name": "Schedule III controlled substance",
                "applicableLocation": {"@type": "Country", "name": "US"},
            },
            "stated_by": r"\bSchedule III\b",
        },
        {
            "property": "description",
            "value": "Approved by the FDA as an anesthetic; using it for pain is off-label.",
            "stated_by": [APPROVED_AS_ANESTHETIC, r"\boff-label\b"],
        },
    ],
}

DEFAULTS: dict[str, Any] = {
    "SEO_SHARE_IMAGE": "images/share.png",
    "SEO_SHARE_IMAGE_SIZE": (1200, 630),
    "SEO_OG_LOCALE": "en_US",
    "SEO_CLINIC_PAGES": ["about", "book-a-consultation"],
    "SEO_DRUG": DEFAULT_DRUG,
}


class SeoSettingsError(SiteError):
    """A setting of the seo plugin has a value it cannot use."""


@checked_once(*DEFAULTS)
def resolve_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """Return the plugin's settings (defaults merged with ``settings``), checked once.

    Raises ``SeoSettingsError`` naming the setting and the accepted values. The values are
    the settings' own objects, not copies, and every page gets the same dict: read them only.
    """
    resolved = {key: settings.get(key, value) for key, value in DEFAULTS.items()}
    if not isinstance(resolved["SEO_SHARE_IMAGE"], str) or not resolved["SEO_SHARE_IMAGE"]:
        raise SeoSettingsError("seo: SEO_SHARE_IMAGE must be a path such as 'images/share.png'")
    if not isinstance(resolved["SEO_CLINIC_PAGES"], list | tuple):
        raise SeoSettingsError("seo: SEO_CLINIC_PAGES must be a list of page slugs")
    drug = resolved["SEO_DRUG"]
    if drug is not None:
        if not isinstance(drug, dict) or not drug.get("name"):
            raise SeoSettingsError("seo: SEO_DRUG must be None or a dict with at least 'name'")
        for index, fact in enumerate(drug.get("facts", [])):
            if not isinstance(fact, dict) or not {"property", "value", "stated_by"} <= set(fact):
                raise SeoSettingsError(
                    f"seo: SEO_DRUG['facts'][{index}] needs 'property', 'value' and 'stated_by'"
                )
            patterns = fact["stated_by"]
            for pattern in [patterns] if isinstance(patterns, str) else patterns:
                try:
                    re.compile(pattern)
                except (re.error, TypeError) as error:
                    raise SeoSettingsError(
                        f"seo: SEO_DRUG['facts'][{index}]['stated_by'] is not a valid "
                        f"pattern: {error}"
                    ) from None
    return resolved
