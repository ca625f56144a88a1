"""plugins/clinical_review: one computation of the review dates, from the site's settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from clinical_review import ReviewDates, parse_review_dates, review_settings
from clinical_review.review import ReviewSettingsError

REVIEWED = """Title: Reviewed guide
Date: 2025-01-01
Category: Ketamine
Summary: A short summary.
Reviewed_by: Jane Doe, MD
Last_reviewed: 2026-03-03

Some text.
"""


def test_review_dates_default_and_lenient() -> None:
    dates = parse_review_dates({"reviewed_by": "Jane Doe, MD", "last_reviewed": "2026-03-03"}, 24)
    assert dates == ReviewDates("Jane Doe, MD", dt.date(2026, 3, 3), dt.date(2028, 3, 3))
    assert dates.is_reviewed
    empty = parse_review_dates({"reviewed_by": "", "last_reviewed": "", "next_review": ""}, 24)
    assert empty == ReviewDates() and not empty.is_reviewed
    bad = parse_review_dates({"last_reviewed": "2026-02-30", "next_review": "soon"}, 24)
    assert bad.last_reviewed is None and bad.next_review is None
    given = parse_review_dates({"last_reviewed": "2026-03-03", "next_review": "2027-01-01"}, 24)
    assert given.next_review == dt.date(2027, 1, 1)


def test_leap_day_and_month_ends() -> None:
    assert parse_review_dates({"last_reviewed": "2028-02-29"}, 24).next_review == dt.date(
        2030, 2, 28
    )
    assert parse_review_dates({"last_reviewed": "2026-11-30"}, 3).next_review == dt.date(
        2027, 2, 28
    )


def test_bad_interval_names_the_setting() -> None:
    with pytest.raises(ReviewSettingsError, match="REVIEW_INTERVAL_MONTHS"):
        review_settings({"REVIEW_INTERVAL_MONTHS": "two years"})


@pytest.mark.parametrize(("months", "due"), [(24, "3 March 2028"), (12, "3 March 2027")])
def test_the_page_uses_the_review_interval_setting(
    build_small_site: Callable[..., Any], months: int, due: str
) -> None:
    built = build_small_site({"articles/reviewed.md": REVIEWED}, {"REVIEW_INTERVAL_MONTHS": months})
    box = built.soup("articles/reviewed/index.html").select_one(".review-dates")
    assert "Next review due: " + due in " ".join(box.get_text().split())
