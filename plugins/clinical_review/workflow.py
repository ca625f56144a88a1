"""What ``invoke review`` and ``invoke reviews`` do: sign a page off, and list the reviews due.

Both read the content the way the writer's check does (plugins/content_check: the same files,
the same metadata, the same ``review_of``), and every state comes from ``review.review_state``,
so ``invoke check``, ``invoke publish`` and these commands agree on each page.

``sign_off`` refuses, changing nothing, with a message that names the file, the field and the
fix: an unknown or example reviewer, an empty note, a draft, a page that needs no review, a
file the check finds errors in (a reviewer signs off what readers will see).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from clinic import is_example_value
from content_check import checks
from content_check.findings import Finding
from content_check.links import build_index
from content_check.runner import check_sources, collect_sources, load_pelican_settings
from content_check.settings import check_settings
from content_check.source import SourceFile, parse_text
from dates import add_months
from site_errors import SiteError

from .review import (
    DUE_SOON,
    OVERDUE,
    UNREVIEWED,
    UP_TO_DATE,
    HistoryEntry,
    ReviewDates,
    Reviewer,
    ReviewSettings,
    ReviewState,
    parse_history_line,
    review_settings,
    review_state,
)
from .signoff import find_metadata_block, history_of, replace_fields, review_fields

# The check's findings that the review itself settles: not reviewed yet, overdue, due soon, or
# (a translation, once the writer's check knows translations) older than its original's change.
RESOLVED_BY_REVIEW = frozenset(
    {"review-missing", "review-overdue", "review-due-soon", "translation-stale"}
)
ANY_NOTE = '--note "Checked the doses against the 2026 label"'


class ReviewRefused(SiteError):
    """``invoke review`` cannot record the review; nothing was changed."""

    def __init__(self, file: str, field: str, problem: str, fix: str) -> None:
        self.file, self.field, self.problem, self.fix = file, field, problem, fix
        super().__init__(f"Refused: {file}, {field}: {problem}\nFix: {fix}\nNothing was changed.")


@dataclass(frozen=True)
class SignOff:
    """A recorded review: the entry now first in the file's history, and what changed."""

    file: str
    entry: HistoryEntry
    next_review: dt.date
    changed: bool = True
    replaced_note: str = ""  # the note of the same reviewer's entry of the same day, replaced


# --- invoke review ----------------------------------------------------------------------------


def _relative_name(root: Path, path: Path) -> str:
    """``path`` as the writer names it from the project (content/articles/x.md)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _choose_reviewer(review: ReviewSettings, key: str, file: str) -> Reviewer:
    """The reviewer of the registry the key names; never an example entry."""
    keys = sorted(review.reviewers)
    reviewer = review.reviewers.get(key.strip())
    if reviewer is None:
        hint = checks.did_you_mean(key, keys) if key.strip() else ""
        named = f'"{key}" is not a reviewer in REVIEWERS{hint}' if key.strip() else "none given"
        raise ReviewRefused(
            file,
            "--reviewer",
            f"{named}; a review is signed by a clinician the clinic has listed.",
            (f"Use a key of REVIEWERS in pelicanconf.py: {', '.join(keys)}." if keys else
             "REVIEWERS in pelicanconf.py lists nobody yet.")
            + " The clinic adds each clinician there (name, credentials, role).",
        )  # fmt: skip
    placeholder = [v for v in (reviewer.name, reviewer.credentials, reviewer.role)
                   if is_example_value("", v)]  # fmt: skip
    if placeholder:
        raise ReviewRefused(
            file,
            "--reviewer",
            f'"{reviewer.key}" is an example entry of REVIEWERS ({placeholder[0]!r}), not a '
            "clinician; a review it signed would be invented.",
            "Replace the example in REVIEWERS (pelicanconf.py) with the clinic's reviewers, "
            "then sign with a real reviewer's key.",
        )
    return reviewer


def _clean_note(note: str, file: str) -> str:
    """The note on one line; refuse an empty one."""
    cleaned = " ".join((note or "").split())
    if not cleaned:
        raise ReviewRefused(
            file,
            "--note",
            "it is empty; readers see each review's note in the page history.",
            f"Say what the review changed or confirmed, in quotes: {ANY_NOTE}.",
        )
    return cleaned


def _find_source(sources: list[SourceFile], path: Path, file: str) -> SourceFile:
    """The source the check reads for ``path``; refuse a file it does not read."""
    wanted = path.resolve()
    for src in sources:
        if src.path.resolve() == wanted:
            return src
    raise ReviewRefused(
        file,
        "the file",
        "it is not an article or page the site builds (not Markdown, or outside content/).",
        "Give the path of a Markdown article, e.g. content/articles/is-ketamine-safe.md "
        "(`invoke reviews` lists every page that needs a review).",
    )


def _refuse_unreviewable(src: SourceFile, review: ReviewSettings) -> None:
    """Refuse a draft, and a page that needs no clinical review."""
    if src.meta("status") == "draft":
        raise ReviewRefused(
            src.name,
            f"Status (line {src.meta_line('status')})",
            "it is a draft; a review signs off the text readers will see.",
            "Finish the text, remove the `Status: draft` line, check it with `invoke check`, "
            "then ask for the review.",
        )
    if not checks.review_of(src, review).needs_review:
        raise ReviewRefused(
            src.name,
            "Lang",
            "it is a page in the site's own language, which is not clinical content and needs "
            "no review (articles and translated pages do).",
            "Review an article (content/articles/...) or a translation (Lang: es).",
        )


def _check_errors(
    src: SourceFile, sources: list[SourceFile], settings: dict, content_dir: Path, today: dt.date
) -> list[Finding]:
    """The check's errors in ``src`` under the production rules (what publishing refuses),
    but for the ones the review itself settles."""
    index = build_index(sources, content_dir, settings)
    findings = check_sources([src], settings, today, production=True, index=index, across=sources)
    return [f for f in findings if f.is_error and f.code not in RESOLVED_BY_REVIEW]


def _refuse_check_errors(errors: list[Finding], file: str) -> None:
    """Refuse, listing each error with its line and fix."""
    if not errors:
        return
    listed = "\n".join(
        f"  {f'line {f.line}' if f.line else 'file'}: {f.code}: {f.message}\n    fix: {f.fix}"
        for f in errors
    )
    count = f"{len(errors)} error{'s' * (len(errors) != 1)}"
    raise ReviewRefused(
        file,
        "its content",
        f"the writer's check finds {count} in it, and a reviewer signs off what readers "
        f"will see:\n{listed}",
        "Correct them (`invoke check` shows each), then run `invoke review` again.",
    )


def signed_text(text: str, entry: HistoryEntry, next_review: dt.date) -> tuple[str, bool, str]:
    """``text`` with the review recorded: (new text, whether it changed, the note replaced).

    The entry goes first in the history. The same reviewer's entry of the same day is the same
    review: an identical one changes nothing; one with another note is replaced by this one.
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = text.removeprefix("\ufeff").splitlines(keepends=True)
    history, replaced = [entry.line], ""
    for line in history_of(lines, find_metadata_block(lines)):
        parsed = parse_history_line(line)
        same = isinstance(parsed, HistoryEntry) and (parsed.day, parsed.reviewer_key) == (
            entry.day,
            entry.reviewer_key,
        )
        if not same:
            history.append(line)
        elif parsed.note == entry.note and not replaced:
            return text, False, ""
        else:
            replaced = parsed.note
    fields = review_fields(entry.reviewer_key, entry.day, next_review, history)
    return bom + replace_fields(text.removeprefix("\ufeff"), fields), True, replaced


def _verify(src: SourceFile, text: str, settings: dict, today: dt.date) -> None:
    """Refuse (a bug, never the writer's fault) if the new text's review is not whole."""
    normalised = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    new = parse_text(src.path, src.name, src.kind, normalised)
    context = checks.Context(settings=check_settings(settings), today=today, production=True)
    errors = [f for f in checks.check_review(new, context) if f.is_error]
    if errors or not checks.review_of(new, context.settings["REVIEW"]).is_reviewed:
        raise ReviewRefused(
            src.name,
            "the review fields",
            "the recorded review would not read back whole: "
            + "; ".join(f.message for f in errors),
            "Please report this with the file; record the review by hand meanwhile.",
        )


def write_in_place(path: Path, text: str) -> None:
    """Replace ``path``'s text in one step (a rename), keeping its permissions."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".review-tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        shutil.copymode(path, temporary)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def sign_off(
    root: Path, file: str, reviewer_key: str, note: str, today: dt.date | None = None
) -> SignOff:
    """Record a review of ``file`` today: Last_reviewed, Next_review and a history entry.

    Raises ``ReviewRefused`` (and changes nothing) when the review cannot be recorded.
    """
    root, today = Path(root).resolve(), today or dt.date.today()
    # The site's settings (pelicanconf.py); the check below applies the production rules.
    settings = load_pelican_settings(root, production=False)
    review = review_settings(settings)
    path = (root / file).resolve() if not Path(file).is_absolute() else Path(file).resolve()
    name = _relative_name(root, path)
    if not path.is_file():
        raise ReviewRefused(
            name,
            "the file",
            "there is no such file.",
            "Give the path from the project folder, e.g. content/articles/is-ketamine-safe.md "
            "(`invoke reviews` lists every page that needs a review).",
        )
    reviewer = _choose_reviewer(review, reviewer_key, name)
    entry = HistoryEntry(today, reviewer.key, _clean_note(note, name), reviewer=reviewer)
    sources, _, content_dir = collect_sources(root, settings)
    src = _find_source(sources, path, name)
    _refuse_unreviewable(src, review)
    _refuse_check_errors(_check_errors(src, sources, settings, content_dir, today), src.name)
    next_review = add_months(today, review.interval_months)
    text = path.read_bytes().decode("utf-8")
    new_text, changed, replaced = signed_text(text, entry, next_review)
    if changed:
        _verify(src, new_text, settings, today)
        write_in_place(path, new_text)
    return SignOff(src.name, entry, next_review, changed, replaced)


def describe_sign_off(result: SignOff) -> str:
    """What ``invoke review`` says after recording (or finding already recorded) a review."""
    reviewer = result.entry.reviewer
    who = reviewer.signature if reviewer else result.entry.reviewer_key
    if not result.changed:
        return (
            f"{result.file}: this review ({result.entry.day}, {who}) is already recorded; "
            "nothing was changed."
        )
    lines = [
        f"Recorded the review of {result.file}: reviewed by {who} on {result.entry.day}; "
        f"next review due {result.next_review}.",
        f"  history: {result.entry.line}",
    ]
    if result.replaced_note:
        lines.append(f'  (it replaces today\'s earlier note by the same reviewer: '
                     f'"{result.replaced_note}")')  # fmt: skip
    lines.append(f"See the change with `git diff {result.file}`; publish with `invoke publish`.")
    return "\n".join(lines)


# --- invoke reviews ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    """One page that needs a clinician's review, and where its review stands."""

    file: str
    title: str
    slug: str
    lang: str
    kind: str
    draft: bool
    dates: ReviewDates
    state: ReviewState


def review_queue(root: Path, today: dt.date | None = None) -> list[QueueItem]:
    """Every article and translated page with its review state, most urgent first."""
    root, today = Path(root).resolve(), today or dt.date.today()
    settings = load_pelican_settings(root, production=False)
    review = review_settings(settings)
    sources, _, _ = collect_sources(root, settings)
    items = []
    for src in sources:
        dates = checks.review_of(src, review)
        if not dates.needs_review:
            continue
        items.append(
            QueueItem(
                file=src.name,
                title=src.meta("title"),
                slug=src.meta("slug"),
                lang=src.meta("lang") or review.default_lang,
                kind=src.kind,
                draft=src.meta("status") == "draft",
                dates=dates,
                state=review_state(dates, today, review.due_soon_days),
            )
        )
    return sorted(items, key=lambda item: (item.state.urgency, item.file))


STATE_LABELS = {
    OVERDUE: "overdue",
    UNREVIEWED: "never reviewed",
    DUE_SOON: "due soon",
    UP_TO_DATE: "up to date",
}


def _when(item: QueueItem) -> str:
    """When the review is due, in words."""
    state = item.state
    if state.kind == UNREVIEWED:
        if item.dates.has_review_fields:
            return "its review fields do not make a whole review: run `invoke check`"
        return "no clinician has reviewed it yet"
    if state.kind == OVERDUE:
        return f"was due {state.due} ({-(state.days or 0)} days ago)"
    return f"due {state.due} (in {state.days} days)"


def _last(item: QueueItem) -> str:
    """Who signed the last review off, and when."""
    last = item.dates.last_review
    if last is None or last.reviewer is None:
        return ""
    return f"last reviewed {last.day} by {last.reviewer.signature} ({last.reviewer_key})"


def queue_text(items: list[QueueItem], today: dt.date) -> str:
    """The queue for people: a count by state, then each page, most urgent first."""
    counts = ", ".join(
        f"{sum(item.state.kind == kind for item in items)} {label}"
        for kind, label in STATE_LABELS.items()
    )
    out = [f"Clinical reviews on {today}: {counts}.", ""]
    for item in items:
        draft = " (draft)" if item.draft else ""
        out.append(f"{STATE_LABELS[item.state.kind]:<15} {item.file}{draft}")
        out.append(f"{'':<15} {item.title} [{item.lang}]")
        out.append(f"{'':<15} {_when(item)}")
        if _last(item):
            out.append(f"{'':<15} {_last(item)}")
        out.append("")
    out.append('Record a review: invoke review FILE --reviewer KEY --note "what changed"')
    return "\n".join(out)


def _reviewer_data(reviewer: Reviewer | None) -> dict[str, str] | None:
    if reviewer is None:
        return None
    return {
        "key": reviewer.key,
        "name": reviewer.name,
        "credentials": reviewer.credentials,
        "role": reviewer.role,
    }


def queue_json(items: list[QueueItem], today: dt.date) -> str:
    """The queue for scripts: ``{"today": ..., "items": [...]}``, most urgent first."""
    rows = []
    for item in items:
        last = item.dates.last_review
        rows.append(
            {
                "file": item.file,
                "title": item.title,
                "slug": item.slug,
                "lang": item.lang,
                "kind": item.kind,
                "draft": item.draft,
                "state": item.state.kind,
                "due": item.state.due.isoformat() if item.state.due else None,
                "days_until_due": item.state.days,
                "last_reviewed": last.day.isoformat() if last else None,
                "reviewer": _reviewer_data(last.reviewer if last else None),
                "note": last.note if last else None,
            }
        )
    return json.dumps({"today": today.isoformat(), "items": rows}, indent=2, ensure_ascii=False)


def queue_calendar(
    items: list[QueueItem], today: dt.date, site_name: str, remind_days: int
) -> bytes:
    """An RFC 5545 calendar: one all-day event on each upcoming review's due date, with a
    reminder ``remind_days`` before (when the check starts to warn)."""
    from icalendar import Alarm, Calendar, Event
    from pelican.utils import slugify

    calendar = Calendar()
    calendar.add("prodid", f"-//{site_name}//Clinical review queue//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{site_name}: clinical reviews due")
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    site = slugify(site_name) or "site"
    for item in items:
        due = item.state.due
        if due is None or due < today:
            continue
        event = Event()
        event.add("uid", f"review-{item.kind}-{item.lang}-{item.slug}-{due.isoformat()}@{site}")
        event.add("dtstamp", stamp)
        event.add("dtstart", due)
        event.add("dtend", due + dt.timedelta(days=1))
        event.add("summary", f"Clinical review due: {item.title}")
        event.add("description", "\n".join(filter(None, [
            f"File: {item.file}", _last(item).capitalize(),
            f'Record it: invoke review {item.file} --reviewer KEY --note "what changed"',
        ])))  # fmt: skip
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Clinical review due on {due}: {item.title}")
        alarm.add("trigger", dt.timedelta(days=-remind_days))
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()
