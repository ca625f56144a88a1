"""The one implementation of clinical review, for the page, the writer's check and the tasks.

- ``review_settings``: ``REVIEW_INTERVAL_MONTHS``, ``REVIEW_DUE_SOON_DAYS``,
  ``REVIEW_GENERAL_PAGES`` and the ``REVIEWERS`` registry (a key per reviewer: name,
  credentials, role, title), checked once.
- ``required_role``: who must sign a text off: a clinician (articles, ``Kind: clinical`` pages
  and their translations), an editor (general pages, when the clinic asks for it) or nobody.
- ``parse_history``: the ``Review_history`` metadata, one review a line,
  ``YYYY-MM-DD | reviewer-key | what changed | text FINGERPRINT`` (the fingerprint of the text
  it approved, plugins/clinical_review/fingerprint.py).
- ``parse_review_dates``: one article's review (``Reviewed_by``, ``Last_reviewed``,
  ``Next_review`` and the history), read leniently: what is empty or invalid is absent (the
  writer's check reports it); ``Next_review`` defaults to ``Last_reviewed`` plus the interval.
- ``review_state``: never reviewed, changed since its review, up to date, due soon or overdue.

A review counts only when the history records it: the newest entry must be the review that
``Reviewed_by`` and ``Last_reviewed`` name, by a reviewer of the registry whose role may sign
the text, and (when the text's fingerprint is known) it approved the text as it is now.
Nothing is ever taken from free text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dates import add_months, parse_iso_date
from site_config import checked_once, site_config
from site_errors import SiteError

from .kinds import CLINICAL, content_kind

DEFAULTS: dict[str, Any] = {
    "REVIEW_INTERVAL_MONTHS": 24,  # clinical pages are reviewed at least this often
    "REVIEW_DUE_SOON_DAYS": 30,  # the check warns this many days before a review is due
    "REVIEWERS": {},  # key -> {"name": ..., "credentials": ..., "role": ..., "title": ...}
    "REVIEW_GENERAL_PAGES": "none",  # or "editor": general pages need an editor's sign-off
}
NUMBER_SETTINGS = ("REVIEW_INTERVAL_MONTHS", "REVIEW_DUE_SOON_DAYS")
REVIEWER_FIELDS = ("name", "credentials", "role")
# Who may sign what: a role -> the sign-offs it may give (a clinician may also sign as editor).
CLINICIAN, EDITOR = "clinician", "editor"
ROLES = {CLINICIAN: (CLINICIAN, EDITOR), EDITOR: (EDITOR,)}
GENERAL_PAGE_REVIEWS = ("none", EDITOR)
REVIEWER_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HISTORY_SEPARATOR = "|"
HISTORY_FORM = "YYYY-MM-DD | reviewer-key | what changed"
TEXT_MARK = re.compile(r"\s*\|\s*text\s+(?P<print>[0-9a-f]{16})\s*$")

# The states of a review on a given day, most urgent first.
OVERDUE, CHANGED, UNREVIEWED = "overdue", "changed", "unreviewed"
DUE_SOON, UP_TO_DATE = "due-soon", "up-to-date"
STATES = (OVERDUE, CHANGED, UNREVIEWED, DUE_SOON, UP_TO_DATE)


class ReviewSettingsError(SiteError, ValueError):
    """A review setting has a value the site cannot use (the message names it)."""


Texts = tuple[tuple[str, str], ...]  # (language, text) pairs; "" is the text for any language


def _in_language(texts: Texts, language: str | None) -> str:
    """The text for ``language``, else the neutral one, else the first given."""
    found = dict(texts)
    return found.get(language or "", found.get("", texts[0][1] if texts else ""))


@dataclass(frozen=True)
class Reviewer:
    """A person who may sign pages off, from the ``REVIEWERS`` setting.

    ``role`` says what they may sign (``ROLES``); ``credentials`` and ``title`` (the job title
    for structured data) are one text, or one per language.
    """

    key: str
    name: str
    credentials_by_lang: Texts
    role: str
    title_by_lang: Texts = ()

    @property
    def credentials(self) -> str:
        """The credentials in the neutral form (or the first language given)."""
        return _in_language(self.credentials_by_lang, "")

    @property
    def title(self) -> str:
        """The job title in the neutral form (or the first language given)."""
        return _in_language(self.title_by_lang, "")

    def credentials_in(self, language: str | None) -> str:
        """The credentials in a page's language."""
        return _in_language(self.credentials_by_lang, language)

    def title_in(self, language: str | None) -> str:
        """The job title in a page's language."""
        return _in_language(self.title_by_lang, language)

    def signature_in(self, language: str | None) -> str:
        """Name and credentials in a page's language: "Jane Doe, MD"."""
        return f"{self.name}, {self.credentials_in(language)}"

    @property
    def signature(self) -> str:
        """Name and credentials, neutral form: "Jane Doe, MD"."""
        return self.signature_in("")

    def may_sign(self, required: str) -> bool:
        """Whether this reviewer's role may give the sign-off ``required`` (a role)."""
        return required in ROLES.get(self.role, ())


@dataclass(frozen=True)
class ReviewSettings:
    """The review settings of a site, checked."""

    interval_months: int = DEFAULTS["REVIEW_INTERVAL_MONTHS"]
    due_soon_days: int = DEFAULTS["REVIEW_DUE_SOON_DAYS"]
    reviewers: Mapping[str, Reviewer] = field(default_factory=dict)
    default_lang: str = "en"
    general_pages: str = DEFAULTS["REVIEW_GENERAL_PAGES"]  # "none" or "editor"


REVIEWER_EXAMPLE = (
    "{'name': 'Jane Doe', 'role': 'clinician', 'credentials': {'en': 'MD, board-certified in "
    "pain medicine', 'es': 'médica, especialista en medicina del dolor'}, 'title': "
    "'Pain medicine physician'}"
)


def _texts(value: Any) -> Texts | None:
    """A text, or a dict of texts by language, as (language, text) pairs; None if neither."""
    if isinstance(value, str) and value.strip():
        return (("", " ".join(value.split())),)
    if (
        isinstance(value, dict)
        and value
        and all(
            isinstance(text, str) and text.strip() and isinstance(lang, str)
            for lang, text in value.items()
        )
    ):
        return tuple((lang, " ".join(text.split())) for lang, text in value.items())
    return None


def _reviewer(key: Any, entry: Any) -> Reviewer:
    """One ``REVIEWERS`` entry, checked."""
    where = f"clinical_review: REVIEWERS['{key}'] in pelicanconf.py"
    if not isinstance(key, str) or not REVIEWER_KEY.match(key):
        raise ReviewSettingsError(
            f"clinical_review: REVIEWERS key {key!r} in pelicanconf.py must be lower-case words "
            "joined by '-', for example 'jane-doe' (writers type it in Reviewed_by)"
        )
    entry = entry if isinstance(entry, dict) else {}
    texts = {name: _texts(entry.get(name)) for name in ("name", "credentials", "title")}
    missing = [name for name in REVIEWER_FIELDS if name != "role" and texts[name] is None]
    missing += [] if isinstance(entry.get("role"), str) and entry["role"].strip() else ["role"]
    if missing:
        raise ReviewSettingsError(
            f"{where} lacks {', '.join(missing)} (each reviewer is a dict with a name, "
            "credentials (one text, or one per language), a role saying what they may sign "
            f"and, optionally, a job title, e.g. {REVIEWER_EXAMPLE})"
        )
    role = entry["role"].strip().lower()
    if role not in ROLES:
        raise ReviewSettingsError(
            f"{where}: role {entry['role']!r} is not one of {', '.join(map(repr, ROLES))} "
            "(a clinician signs clinical pages off, an editor only general ones; the job title "
            f"shown in structured data goes in 'title'), e.g. {REVIEWER_EXAMPLE}"
        )
    if "title" in entry and texts["title"] is None:
        raise ReviewSettingsError(f"{where}: title must be a text, or a dict of texts by language")
    name = dict(texts["name"] or ()).get("", "")
    if not name:
        raise ReviewSettingsError(f"{where}: name must be one text (a person's name)")
    return Reviewer(key, name, texts["credentials"] or (), role, texts["title"] or ())


def reviewer_registry(value: Any) -> dict[str, Reviewer]:
    """The ``REVIEWERS`` setting as reviewers by key; raises ``ReviewSettingsError``."""
    if not isinstance(value, dict):
        raise ReviewSettingsError(
            "clinical_review: REVIEWERS in pelicanconf.py must be a dict of reviewer keys, "
            "e.g. {'jane-doe': {'name': ..., 'credentials': ..., 'role': 'clinician'}}"
        )
    return {key: _reviewer(key, entry) for key, entry in value.items()}


@checked_once(*DEFAULTS, with_site=True)
def review_settings(settings: Mapping[str, Any]) -> ReviewSettings:
    """The review settings merged with their defaults, checked once (a message names the
    setting): every page's review reads the same result."""
    merged = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    for key in NUMBER_SETTINGS:
        value = merged[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ReviewSettingsError(f"clinical_review: {key} must be a whole number of 1 or more")
    general = str(merged["REVIEW_GENERAL_PAGES"] or "none").strip().lower()
    if general not in GENERAL_PAGE_REVIEWS:
        raise ReviewSettingsError(
            "clinical_review: REVIEW_GENERAL_PAGES must be 'none' (general pages such as privacy "
            "or accessibility need no sign-off) or 'editor' (an editor signs them off), not "
            f"{merged['REVIEW_GENERAL_PAGES']!r}"
        )
    return ReviewSettings(
        interval_months=merged["REVIEW_INTERVAL_MONTHS"],
        due_soon_days=merged["REVIEW_DUE_SOON_DAYS"],
        reviewers=reviewer_registry(merged["REVIEWERS"]),
        default_lang=site_config(settings).default_lang,
        general_pages=general,
    )


def required_role(kind: str, metadata: Mapping[str, Any], settings: ReviewSettings) -> str:
    """Who must sign a text off: ``clinician``, ``editor`` or "" (nobody).

    ``kind`` is "article" or "page". Articles and ``Kind: clinical`` pages (and their
    translations: a translation is a new text a reader relies on) need a clinician; general
    pages (privacy, accessibility, about...) need an editor when ``REVIEW_GENERAL_PAGES`` is
    ``editor``, else nobody.
    """
    if kind == "article" or (kind == "page" and content_kind(dict(metadata)) == CLINICAL):
        return CLINICIAN
    if kind == "page" and settings.general_pages == EDITOR:
        return EDITOR
    return ""


def needs_review(kind: str, metadata: Mapping[str, Any], settings: ReviewSettings) -> bool:
    """Whether someone must sign this text off (``required_role`` names who)."""
    return bool(required_role(kind, metadata, settings))


# --- The history ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """One review in a page's history."""

    day: dt.date
    reviewer_key: str
    note: str
    position: int = 0  # which line of the history value it is on (0: the key's own line)
    reviewer: Reviewer | None = None  # from the registry; None for a key it does not hold
    text: str = ""  # the fingerprint of the text it approved ("" in a line typed without one)

    @property
    def line(self) -> str:
        """The entry as a history line: ``2026-11-25 | jane-doe | What changed | text 1a2b...``."""
        return format_history_line(self.day, self.reviewer_key, self.note, self.text)


@dataclass(frozen=True)
class HistoryProblem:
    """A history line that is not a whole entry: ``kind`` is form, date, reviewer or note."""

    position: int
    text: str
    kind: str


def format_history_line(day: dt.date, reviewer_key: str, note: str, text: str = "") -> str:
    """A history line as ``invoke review`` writes it, with the fingerprint of the text it
    approved (a writer may type one without it; that review then proves nothing about the text)."""
    line = f"{day.isoformat()} {HISTORY_SEPARATOR} {reviewer_key} {HISTORY_SEPARATOR} {note}"
    return f"{line} {HISTORY_SEPARATOR} text {text}" if text else line


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
    mark = TEXT_MARK.search(note)
    approved = mark.group("print") if mark else ""
    note = note[: mark.start()].strip() if mark else note
    if not note:
        return HistoryProblem(position, text, "note")
    return HistoryEntry(day, reviewer_key, " ".join(note.split()), position, text=approved)


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
    required: str = ""  # who must sign it off: "clinician", "editor" or "" (nobody)
    due_soon_days: int = DEFAULTS["REVIEW_DUE_SOON_DAYS"]
    current_text: str = ""  # the fingerprint of the text now ("" when not computed)

    @property
    def needs_review(self) -> bool:
        """Whether someone must sign this text off."""
        return bool(self.required)

    @property
    def signed_review(self) -> HistoryEntry | None:
        """The recorded review: the newest history entry, when it is the one that
        ``Reviewed_by`` and ``Last_reviewed`` name, by a reviewer of the registry whose role
        may sign this text (whatever the text has become since)."""
        if not self.history:
            return None
        newest = self.history[0]
        if newest.reviewer is None:
            return None
        if (newest.reviewer_key, newest.day) != (self.reviewed_by, self.last_reviewed):
            return None
        if self.required and not newest.reviewer.may_sign(self.required):
            return None
        return newest

    @property
    def text_changed(self) -> bool:
        """Whether the text readers see differs from the text the recorded review approved."""
        signed = self.signed_review
        return bool(signed and signed.text and self.current_text and
                    signed.text != self.current_text)  # fmt: skip

    @property
    def text_unrecorded(self) -> bool:
        """Whether the recorded review names no text (a history line typed by hand)."""
        signed = self.signed_review
        return bool(signed and not signed.text)

    @property
    def last_review(self) -> HistoryEntry | None:
        """The review the page may claim: the recorded review, unless the text has changed
        since it (then no review covers what readers see)."""
        return None if self.text_changed else self.signed_review

    @property
    def is_reviewed(self) -> bool:
        """Whether a reviewer of the registry has signed this very text off."""
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
    metadata: Mapping[str, Any],
    settings: ReviewSettings,
    required: str = "",
    current_text: str = "",
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
        required=required,
        due_soon_days=settings.due_soon_days,
        current_text=current_text,
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
    """Never reviewed, changed since its review, overdue, due soon (within ``due_soon_days``)
    or up to date."""
    if dates.text_changed and dates.signed_review is not None:
        return ReviewState(CHANGED, dates.signed_review.day)
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


def content_type(content: Any) -> str:
    """ "article", "page" or "" (a static file) for a Pelican content object."""
    from pelican.contents import Article, Page

    if isinstance(content, Article):
        return "article"
    return "page" if isinstance(content, Page) else ""


_checked: list[Any] = [None, None]  # the last build's settings and what they gave


def _build_review_settings(settings: Mapping[str, Any]) -> ReviewSettings:
    """``review_settings`` once per build: every content of a build shares one settings dict."""
    if _checked[0] is not settings:
        _checked[:] = [settings, review_settings(settings)]
    return _checked[1]


def add_review_dates(content: Any) -> None:
    """``content_object_init``: give each article and page its ``review_dates``, with the
    fingerprint of the text it shows (the reader's HTML and metadata, as the check reads them)."""
    from .fingerprint import fingerprint, reader_lines

    settings = _build_review_settings(content.settings)
    kind = content_type(content)
    required = required_role(kind, content.metadata, settings)
    text = fingerprint(reader_lines(getattr(content, "_content", "") or "", content.metadata))
    content.review_dates = parse_review_dates(content.metadata, settings, required, text)
