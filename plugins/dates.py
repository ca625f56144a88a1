"""The site's one reading of dates and its one month arithmetic (a library, not a plugin).

Metadata dates are written ``YYYY-MM-DD``; the writer's check, the review workflow and the
page all read them here, and every "plus N months" (the next review) is ``add_months``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_iso_date(value: Any) -> dt.date | None:
    """A ``YYYY-MM-DD`` text (or a date) as a date; None for anything else, "" included."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if not ISO_DATE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; the 31st becomes the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
