"""Turn rendered Markdown into the components the theme styles (care cards, references...)."""

from .content_markup import (
    ReviewDates,
    add_months,
    build_care_cards,
    build_references,
    mark_up_content,
    parse_review_dates,
    reading_time,
    register,
    toc_items,
    transform_html,
)

__all__ = [
    "ReviewDates",
    "add_months",
    "build_care_cards",
    "build_references",
    "mark_up_content",
    "parse_review_dates",
    "reading_time",
    "register",
    "toc_items",
    "transform_html",
]
