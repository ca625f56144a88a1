"""The check's settings: defaults here, overridable in pelicanconf.py / publishconf.py."""

from __future__ import annotations

from typing import Any

from clinical_review.review import review_settings

# Absolute and superlative phrases a health page must not use (content-brief/WRITING.md).
# name -> pattern (a regular expression, case-insensitive), why it is a problem, what to write.
DEFAULT_ABSOLUTE_CLAIMS: dict[str, dict[str, str]] = {
    "non-addictive": {
        "pattern": r"\bnon-?addictive\b|\bnot addictive\b|\bcannot be addictive\b",
        "why": "Ketamine can be misused and cause dependence; no medicine that acts on the "
        "brain can promise this.",
        "instead": 'Say what is known: "Misuse and dependence are possible, mostly with '
        'repeated use outside medical care."',
    },
    "cure": {
        "pattern": r"\bcur(?:e|es|ed|ing)\b",
        "why": "Ketamine eases some pain for a time; no study shows it cures chronic pain.",
        "instead": '"may ease", "may reduce", "can give some people relief for a time".',
    },
    "guaranteed": {
        "pattern": r"\bguarantee(?:d|s)?\b",
        "why": "No treatment works for everyone; a promise misleads and may break "
        "advertising rules.",
        "instead": '"It helps some people. It does not help everyone."',
    },
    "no side effects": {
        "pattern": r"\b(?:no|zero|without(?: any)?) side[- ]effects?\b",
        "why": "Every medicine has side effects; ketamine's are listed on its label.",
        "instead": "Name the common side effects and say how long they last.",
    },
    "completely safe": {
        "pattern": r"\b(?:completely|perfectly|totally|entirely|absolutely|100%) safe\b"
        r"|\brisk[- ]free\b|\bharmless\b",
        "why": "No medicine is free of risk; the reader needs the risks to decide.",
        "instead": '"Serious problems are rare when trained staff monitor you."',
    },
    "most powerful": {
        "pattern": r"\bmost (?:powerful|effective)\b|\bbest treatment\b",
        "why": "A superlative is a comparison that no study supports.",
        "instead": "Say what the evidence shows and how strong it is.",
    },
    "miracle": {
        "pattern": r"\bmiracle\b|\bbreakthrough\b|\bwonder drug\b|\brevolutionary\b",
        "why": "Marketing language raises false hope.",
        "instead": "Describe what the treatment does in plain words.",
    },
    "proven": {
        "pattern": r"\bproven\b|\bclinically proven\b",
        "why": "Evidence for ketamine in pain is mixed and mostly from small studies.",
        "instead": '"Studies suggest", "some small studies found", with a footnote.',
    },
    "ideal": {
        "pattern": r"\bideal(?:ly)?\b|\bperfect (?:for|solution)\b",
        "why": "Whether a treatment suits someone is for them and their care team to decide.",
        "instead": '"may be an option for", "may suit".',
    },
    "100%": {
        "pattern": r"(?<![\w.])100 ?%(?! safe)|\b100 percent\b",
        "why": "Nothing in medicine works 100% of the time.",
        "instead": 'Give the real figure with its source, as "1 in 10".',
    },
}

DEFAULTS: dict[str, Any] = {
    "CHECK_MAX_GRADE": 8.0,  # Flesch-Kincaid grade, article and section
    "CHECK_MAX_SMOG": 10.0,  # SMOG index, article and section (sections of 3+ sentences)
    "CHECK_SECTION_MIN_WORDS": 60,  # shorter sections are too small to score
    "CHECK_HARDEST_SENTENCES": 3,
    "CHECK_MIN_REFERENCES": 4,  # per clinical article (an article; pages are not clinical)
    "CHECK_MAX_TITLE": 70,
    "CHECK_MAX_SUMMARY": 160,
    # A slug is a folder name and part of every address: 80 characters hold a title's words
    # (titles have at most 70), read well when shared, and stay far below the 255 bytes a
    # file system allows (a 300-character slug stopped the build with "File name too long").
    "CHECK_MAX_SLUG": 80,
    # The review settings (REVIEW_INTERVAL_MONTHS, REVIEW_DUE_SOON_DAYS, REVIEWERS) and their
    # defaults live in plugins/clinical_review: check_settings adds them as "REVIEW".
    "REQUIRE_CLINICAL_REVIEW": False,
    "CHECK_ABSOLUTE_CLAIMS": DEFAULT_ABSOLUTE_CLAIMS,
    "ALLOWED_CATEGORIES": [],
    "ALLOWED_TAGS": [],
    "CTA_VARIANTS": {},
    "DISCLAIMER_VARIANTS": {},
}


def check_settings(pelican_settings: dict | None = None) -> dict[str, Any]:
    """Our defaults merged with the site's settings (only the keys the check reads).

    Raises ``ValueError`` naming the setting when a value has the wrong shape.
    """
    pelican_settings = pelican_settings or {}
    merged = {key: pelican_settings.get(key, default) for key, default in DEFAULTS.items()}
    for key in ("CHECK_MAX_GRADE", "CHECK_MAX_SMOG"):
        if not isinstance(merged[key], int | float):
            raise ValueError(f"content_check: {key} must be a number, not {merged[key]!r}")
    for key in (
        "CHECK_MAX_SLUG",
        "CHECK_MIN_REFERENCES",
        "CHECK_SECTION_MIN_WORDS",
        "CHECK_HARDEST_SENTENCES",
    ):
        if not isinstance(merged[key], int) or merged[key] < 0:
            raise ValueError(f"content_check: {key} must be a whole number >= 0")
    claims = merged["CHECK_ABSOLUTE_CLAIMS"]
    if not isinstance(claims, dict) or not all(
        isinstance(v, dict) and "why" in v and "instead" in v for v in claims.values()
    ):
        raise ValueError(
            "content_check: CHECK_ABSOLUTE_CLAIMS must map a phrase to "
            '{"why": ..., "instead": ..., optional "pattern": regex}'
        )
    # The one reading of the review settings, the build's own (a ValueError naming the setting).
    merged["REVIEW"] = review_settings(pelican_settings)
    return merged
