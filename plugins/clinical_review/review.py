"""The one computation of an article's review dates, for the page, the check and the tasks.

``parse_review_dates`` reads ``Reviewed_by``, ``Last_reviewed`` and ``Next_review`` leniently
(an empty or invalid value is absent: the writer's check reports it); ``Next_review``
defaults to ``Last_reviewed`` plus ``REVIEW_INTERVAL_MONTHS``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dates import add_months, parse_iso_date

DEFAULTS: dict[str, Any] = {
    "REVIEW_INTERVAL_MONTHS": 24,  # clinical pages are reviewed at least this often
    "REVIEW_DUE_SOON_DAYS": 30,  # the check warns this many days before a review is due
}


class ReviewSettingsError(Exception):
    """A review setting has a value the site cannot use."""


def review_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The review settings merged with their defaults, checked."""
    merged = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    for key, value in merged.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ReviewSettingsError(f"clinical_review: {key} must be a whole number of 1 or more")
    return merged


@dataclass(frozen=True)
class ReviewDates:
    """A page's clinical review, as its metadata gives it (absent when empty or invalid)."""

    reviewed_by: str = ""
    last_reviewed: dt.date | None = None
    next_review: dt.date | None = None

    @property
    def is_reviewed(self) -> bool:
        """Whether a clinician has signed the page off (a name and a date)."""
        return bool(self.reviewed_by and self.last_reviewed)


def parse_review_dates(metadata: Mapping[str, Any], interval_months: int) -> ReviewDates:
    """The review fields of one article; ``next_review`` defaults to last + the interval."""
    reviewed_by = " ".join(str(metadata.get("reviewed_by") or "").split())
    last_reviewed = parse_iso_date(metadata.get("last_reviewed"))
    next_review = parse_iso_date(metadata.get("next_review"))
    if next_review is None and last_reviewed is not None:
        next_review = add_months(last_reviewed, interval_months)
    return ReviewDates(reviewed_by, last_reviewed, next_review)


def add_review_dates(content: Any) -> None:
    """``content_object_init``: give each article and page its ``review_dates``."""
    interval = review_settings(content.settings)["REVIEW_INTERVAL_MONTHS"]
    content.review_dates = parse_review_dates(content.metadata, interval)
