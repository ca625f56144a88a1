"""The one implementation of clinical review, for the page, the writer's check and the tasks.

- ``review_settings``: ``REVIEW_INTERVAL_MONTHS``, ``REVIEW_DUE_SOON_DAYS`` and the ``REVIEWERS``
  registry (a key per clinician: name, credentials, role), checked once.
- ``parse_history``: the ``Review_history`` metadata, one review a line,
  ``YYYY-MM-DD | reviewer-key | what changed``.
- ``parse_review_dates``: one article's review (``Reviewed_by``, ``Last_reviewed``,
  ``Next_review`` and the history), read leniently: what is empty or invalid is absent (the
  writer's check reports it); ``Next_review`` defaults to ``Last_reviewed`` plus the interval.
- ``review_state``: never reviewed, up to date, due soon or overdue, on a given day.

A review counts only when the history records it: the newest entry must be the review that
``Reviewed_by`` and ``Last_reviewed`` name, by a reviewer of the registry. Nothing is ever
taken from free text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dates import add_months, parse_iso_date
from site_errors import SiteError

DEFAULTS: dict[str, Any] = {
    "REVIEW_INTERVAL_MONTHS": 24,  # clinical pages are reviewed at least this often
    "REVIEW_DUE_SOON_DAYS": 30,  # the check warns this many days before a review is due
    "REVIEWERS": {},  # key -> {"name": ..., "credentials": ..., "role": ...}
}
NUMBER_SETTINGS = ("REVIEW_INTERVAL_MONTHS", "REVIEW_DUE_SOON_DAYS")
REVIEWER_FIELDS = ("name", "credentials", "role")
REVIEWER_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HISTORY_SEPARATOR = "|"
HISTORY_FORM = "YYYY-MM-DD | reviewer-key | what changed"

# The states of a review on a given day, most urgent first.
OVERDUE, UNREVIEWED, DUE_SOON, UP_TO_DATE = "overdue", "unreviewed", "due-soon", "up-to-date"
STATES = (OVERDUE, UNREVIEWED, DUE_SOON, UP_TO_DATE)


class ReviewSettingsError(SiteError, ValueError):
    """A review setting has a value the site cannot use (the message names it)."""


@dataclass(frozen=True)
class Reviewer:
    """A clinician who may sign pages off, from the ``REVIEWERS`` setting."""

    key: str
    name: str
    credentials: str
    role: str

    @property
    def signature(self) -> str:
        """Name and credentials, as the page shows them: "Jane Doe, MD"."""
        return f"{self.name}, {self.credentials}"


@dataclass(frozen=True)
class ReviewSettings:
    """The review settings of a site, checked."""

    interval_months: int = DEFAULTS["REVIEW_INTERVAL_MONTHS"]
    due_soon_days: int = DEFAULTS["REVIEW_DUE_SOON_DAYS"]
    reviewers: Mapping[str, Reviewer] = field(default_factory=dict)
    default_lang: str = "en"


def _reviewer(key: Any, entry: Any) -> Reviewer:
    """One ``REVIEWERS`` entry, checked."""
    if not isinstance(key, str) or not REVIEWER_KEY.match(key):
        raise ReviewSettingsError(
            f"clinical_review: REVIEWERS key {key!r} in pelicanconf.py must be lower-case words "
            "joined by '-', for example 'jane-doe' (writers type it in Reviewed_by)"
        )
    entry = entry if isinstance(entry, dict) else {}
    missing = [
        name
        for name in REVIEWER_FIELDS
        if not isinstance(entry.get(name), str) or not entry[name].strip()
    ]
    if missing:
        raise ReviewSettingsError(
            f"clinical_review: REVIEWERS['{key}'] in pelicanconf.py lacks {', '.join(missing)} "
            "(each reviewer is a dict with the text fields name, credentials and role, e.g. "
            "{'name': 'Jane Doe', 'credentials': 'MD, board-certified in pain medicine', "
            "'role': 'Pain medicine physician'})"
        )
    name, credentials, role = (" ".join(entry[name].split()) for name in REVIEWER_FIELDS)
    return Reviewer(key, name, credentials, role)


def reviewer_registry(value: Any) -> dict[str, Reviewer]:
    """The ``REVIEWERS`` setting as reviewers by key; raises ``ReviewSettingsError``."""
    if not isinstance(value, dict):
        raise ReviewSettingsError(
            "clinical_review: REVIEWERS in pelicanconf.py must be a dict of reviewer keys, "
            "e.g. {'jane-doe': {'name': ..., 'credentials': ..., 'role': ...}}"
        )
    return {key: _reviewer(key, entry) for key, entry in value.items()}


def review_settings(settings: Mapping[str, Any]) -> ReviewSettings:
    """The review settings merged with their defaults, checked (the message names the setting)."""
    merged = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    for key in NUMBER_SETTINGS:
        value = merged[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ReviewSettingsError(f"clinical_review: {key} must be a whole number of 1 or more")
    return ReviewSettings(
        interval_months=merged["REVIEW_INTERVAL_MONTHS"],
        due_soon_days=merged["REVIEW_DUE_SOON_DAYS"],
        reviewers=reviewer_registry(merged["REVIEWERS"]),
        default_lang=str(settings.get("DEFAULT_LANG") or "en"),
    )


def needs_review(kind: str, lang: str | None, default_lang: str) -> bool:
    """Whether a clinician must sign this text off: every article, and every translated page.

    A translation is a new text a reader relies on, so it is reviewed on its own; the pages
    in the site's own language (about, privacy, ...) are not clinical.
    """
    return kind == "article" or (kind == "page" and bool(lang) and lang != default_lang)


# --- The history ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """One review in a page's history."""

    day: dt.date
    reviewer_key: str
    note: str
    position: int = 0  # which line of the history value it is on (0: the key's own line)
    reviewer: Reviewer | None = None  # from the registry; None for a key it does not hold

    @property
    def line(self) -> str:
        """The entry as a history line: ``2026-11-25 | jane-doe | What changed``."""
        return format_history_line(self.day, self.reviewer_key, self.note)


@dataclass(frozen=True)
class HistoryProblem:
    """A history line that is not a whole entry: ``kind`` is form, date, reviewer or note."""

    position: int
    text: str
    kind: str


def format_history_line(day: dt.date, reviewer_key: str, note: str) -> str:
    """A history line as ``invoke review`` writes it (and a writer may type it)."""
    return f"{day.isoformat()} {HISTORY_SEPARATOR} {reviewer_key} {HISTORY_SEPARATOR} {note}"


def history_lines(value: Any) -> list[str]:
    """The ``Review_history`` value as its lines, stripped.

    Pelican keeps a multi-line value as a list (the key's own line first, often empty) and a
    one-line value as a string; the writer's check hands over the lines it read.
    """
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else str(value).split("\n")
    return [str(item).strip() for item in items]


def parse_history_line(text: str, position: int = 0) -> HistoryEntry | HistoryProblem:
    """One non-empty history line as an entry, or the problem that stops it being one."""
    parts = [part.strip() for part in text.split(HISTORY_SEPARATOR, 2)]
    if len(parts) < 3:
        return HistoryProblem(position, text, "form")
    day_text, reviewer_key, note = parts
    day = parse_iso_date(day_text)
    if day is None:
        return HistoryProblem(position, text, "date")
    if not reviewer_key:
        return HistoryProblem(position, text, "reviewer")
    if not note:
        return HistoryProblem(position, text, "note")
    return HistoryEntry(day, reviewer_key, " ".join(note.split()), position)


def parse_history(lines: Sequence[str]) -> tuple[list[HistoryEntry], list[HistoryProblem]]:
    """The entries of a history (in the order written) and the lines that are not entries."""
    entries: list[HistoryEntry] = []
    problems: list[HistoryProblem] = []
    for position, text in enumerate(lines):
        if not text.strip():
            continue
        parsed = parse_history_line(text.strip(), position)
        (entries if isinstance(parsed, HistoryEntry) else problems).append(parsed)
    return entries, problems


# --- One page's review ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewDates:
    """A page's clinical review, as its metadata gives it (absent when empty or invalid)."""

    reviewed_by: str = ""  # a key of REVIEWERS
    last_reviewed: dt.date | None = None
    next_review: dt.date | None = None
    reviewer: Reviewer | None = None  # ``reviewed_by`` from the registry
    history: tuple[HistoryEntry, ...] = ()  # newest first, reviewers from the registry
    needs_review: bool = False  # an article or a translated page
    due_soon_days: int = DEFAULTS["REVIEW_DUE_SOON_DAYS"]

    @property
    def last_review(self) -> HistoryEntry | None:
        """The review the page may claim: the newest history entry, when it is the one that
        ``Reviewed_by`` and ``Last_reviewed`` name and its reviewer is in the registry."""
        if not self.history:
            return None
        newest = self.history[0]
        if newest.reviewer is None:
            return None
        if (newest.reviewer_key, newest.day) != (self.reviewed_by, self.last_reviewed):
            return None
        return newest

    @property
    def is_reviewed(self) -> bool:
        """Whether a clinician of the registry has signed the page off, as its history records."""
        return self.last_review is not None

    @property
    def has_review_fields(self) -> bool:
        """Whether the page says anything about a review (a reviewer, a date or a history)."""
        return bool(self.reviewed_by or self.last_reviewed or self.history)

    @property
    def state(self) -> ReviewState:
        """The review's state today (when the page is built)."""
        return review_state(self, dt.date.today(), self.due_soon_days)


def parse_review_dates(
    metadata: Mapping[str, Any], settings: ReviewSettings, needs_review: bool = False
) -> ReviewDates:
    """The review of one page; ``next_review`` defaults to the last review plus the interval."""
    reviewed_by = " ".join(str(metadata.get("reviewed_by") or "").split())
    last_reviewed = parse_iso_date(metadata.get("last_reviewed"))
    next_review = parse_iso_date(metadata.get("next_review"))
    if next_review is None and last_reviewed is not None:
        next_review = add_months(last_reviewed, settings.interval_months)
    entries, _ = parse_history(history_lines(metadata.get("review_history")))
    resolved = [
        dataclasses.replace(entry, reviewer=settings.reviewers.get(entry.reviewer_key))
        for entry in entries
    ]
    # Newest first; entries of one day keep the order written (invoke review writes on top).
    history = tuple(sorted(resolved, key=lambda entry: entry.day, reverse=True))
    return ReviewDates(
        reviewed_by=reviewed_by,
        last_reviewed=last_reviewed,
        next_review=next_review,
        reviewer=settings.reviewers.get(reviewed_by),
        history=history,
        needs_review=needs_review,
        due_soon_days=settings.due_soon_days,
    )


@dataclass(frozen=True)
class ReviewState:
    """Where a page's review stands on a day: ``kind`` is one of ``STATES``."""

    kind: str
    due: dt.date | None = None
    days: int | None = None  # days until the review is due; negative when overdue

    @property
    def urgency(self) -> tuple[int, int]:
        """A sort key: most urgent first (overdue longest, never reviewed, due soonest)."""
        return STATES.index(self.kind), self.days if self.days is not None else 0


def review_state(dates: ReviewDates, today: dt.date, due_soon_days: int) -> ReviewState:
    """Never reviewed, overdue, due soon (within ``due_soon_days``) or up to date."""
    if not dates.is_reviewed or dates.next_review is None:
        return ReviewState(UNREVIEWED)
    days = (dates.next_review - today).days
    if days < 0:
        return ReviewState(OVERDUE, dates.next_review, days)
    if days <= due_soon_days:
        return ReviewState(DUE_SOON, dates.next_review, days)
    return ReviewState(UP_TO_DATE, dates.next_review, days)


# --- The plugin's receivers -------------------------------------------------------------------


def check_review_settings(pelican: Any) -> None:
    """``initialized``: refuse unusable review settings before anything is read."""
    review_settings(pelican.settings)


def content_kind(content: Any) -> str:
    """ "article", "page" or "" (a static file) for a Pelican content object."""
    from pelican.contents import Article, Page

    if isinstance(content, Article):
        return "article"
    return "page" if isinstance(content, Page) else ""


def add_review_dates(content: Any) -> None:
    """``content_object_init``: give each article and page its ``review_dates``."""
    settings = review_settings(content.settings)
    kind, lang = content_kind(content), getattr(content, "lang", None)
    required = needs_review(kind, lang, settings.default_lang)
    content.review_dates = parse_review_dates(content.metadata, settings, required)
