"""The clinic's own rules (each language's ``clinic_rules`` in pelicanconf.py), checked once.

The after-treatment rule is what a patient reads before going home from an infusion. Ketamine
impairs driving for the rest of the day, so the rule must say so, in every language.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from clinic.clinic import example_settings_values, insecure_site_address, shortened
from site_config import site_config

from content_check.findings import Finding

AFTER_TREATMENT = "after_treatment"
# Words that mention driving, per language (case-insensitive); CHECK_DRIVING_WORDS overrides.
DEFAULT_DRIVING_WORDS = {
    "en": r"\bdriv(?:e|es|ing|en|er)\b",
    "es": r"\b(?:manej(?:e|ar|ando|o)|conduc(?:ir|ido|iendo)|conduzca)\b",
}
SETTINGS_FILE = "pelicanconf.py"


def check_clinic_rules(settings: dict[str, Any]) -> list[Finding]:
    """``clinic-rule-driving``: an after-treatment rule that does not mention driving."""
    words = {**DEFAULT_DRIVING_WORDS, **(settings.get("CHECK_DRIVING_WORDS") or {})}
    findings = []
    for language in site_config(settings).languages:
        rule = language.clinic_rules.get(AFTER_TREATMENT)
        if not isinstance(rule, dict):
            continue
        text = " ".join([str(rule.get("heading", "")), *map(str, rule.get("text") or [])])
        pattern = words.get(language.code, words["en"])
        if re.search(pattern, text, re.IGNORECASE):
            continue
        where = f"{language.setting('clinic_rules')}['{AFTER_TREATMENT}']"
        findings.append(
            Finding(
                SETTINGS_FILE,
                None,
                "warning",
                "clinic-rule-driving",
                f"{where} does not mention driving: after ketamine a patient must not drive for "
                "the rest of the day.",
                f"Add it to the rule's text, e.g. \"Do not drive until the next day; an adult must "
                f'take you home." (words the check looks for: {pattern}).',
            )
        )
    return findings


# The address the production rules read publishconf.py with when SITEURL is not set (it
# stops without one): publishing would stop there, so the check says so.
PLACEHOLDER_SITEURL = "https://check.invalid"


def check_example_values(settings: dict[str, Any], root: Path) -> list[Finding]:
    """``settings-example``: each example value publishing refuses (``REFUSE_EXAMPLE_CLINIC_
    DETAILS``, on in publishconf.py), one finding a value, so that `invoke check --production`
    lists everything `invoke publish` refuses, not only what is wrong in the content."""
    if not settings.get("REFUSE_EXAMPLE_CLINIC_DETAILS"):
        return []
    try:
        lines = (root / SETTINGS_FILE).read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    findings = [
        Finding(
            SETTINGS_FILE,
            # A long text may run over several lines of the file: found by its start.
            next((number for number, line in enumerate(lines, 1) if value[:30] in line), None),
            "error",
            "settings-example",
            f"{where} = {shortened(value)!r} is an example value: publishing refuses it.",
            _example_fix(where),
        )
        for where, value in example_settings_values(settings)
    ]
    if settings.get("SITEURL") == PLACEHOLDER_SITEURL:
        address = (
            "SITEURL is not set (or is not a web address): publishing stops before it builds, "
            "as it needs the address the site will live at."
        )
    else:
        address = insecure_site_address(settings)
    if address:
        fix = _example_fix("SITEURL")
        findings.append(Finding(SETTINGS_FILE, None, "error", "settings-example", address, fix))
    return findings


def _example_fix(where: str) -> str:
    """How to replace the example value of setting ``where``."""
    if where == "SITEURL":
        return "Set SITEURL to the site's own https:// address when you publish."
    fix = "Replace it with the clinic's real detail (docs/publishers.md, first publish)."
    if where.startswith(("AUTHORS[", "REVIEWERS[")):
        fix += " An example entry that no page names can be deleted instead."
    return fix
