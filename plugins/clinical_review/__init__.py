"""Clinical review: who reviewed each page, when, what changed, and when the next review is due.

``review`` is the one implementation (settings, the reviewer registry, the history, the
state of a review); ``signoff`` writes a review into a file's metadata. What ``invoke review``
and ``invoke reviews`` do is a command (commands/workflow.py), not part of this plugin.
"""

from pelican import signals

from .review import (
    DEFAULTS,
    ReviewDates,
    Reviewer,
    ReviewSettings,
    ReviewState,
    add_review_dates,
    check_review_settings,
    parse_history,
    parse_review_dates,
    review_settings,
    review_state,
)


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.initialized.connect(check_review_settings)
    signals.content_object_init.connect(add_review_dates)


__all__ = [
    "DEFAULTS",
    "ReviewDates",
    "ReviewSettings",
    "ReviewState",
    "Reviewer",
    "parse_history",
    "parse_review_dates",
    "register",
    "review_settings",
    "review_state",
]
