"""Clinical review: who reviewed each article, when, and when the next review is due."""

from pelican import signals

from .review import DEFAULTS, ReviewDates, add_review_dates, parse_review_dates, review_settings


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.content_object_init.connect(add_review_dates)


__all__ = ["DEFAULTS", "ReviewDates", "parse_review_dates", "register", "review_settings"]
