"""What ``invoke review`` and ``invoke reviews`` do: sign a page off, and list the reviews due.

A command, not part of the clinical_review plugin: it uses the writer's check, which uses the
plugin, so the plugin never imports this. Both commands read the content the way the writer's
check does (plugins/content_check: the same files, the same metadata, the same ``review_of``),
and every state comes from ``clinical_review.review.review_state``, so ``invoke check``,
``invoke publish`` and these commands agree on each page.

``sign_off`` refuses, changing nothing, with a message that names the file, the field and the
fix: an unknown or example reviewer, an empty note, a draft, a page that needs no review, a
file the check finds errors in (a reviewer signs off what readers will see).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from clinic import is_example_value
from clinical_review import fingerprint as text_fingerprint
from clinical_review.review import (
    CHANGED,
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
from clinical_review.signoff import find_metadata_block, history_of, replace_fields, review_fields
from content_check import checks
from content_check.findings import Finding
from content_check.links import build_index
from content_check.runner import check_sources, collect_sources, load_pelican_settings
from content_check.settings import check_settings
from content_check.source import SourceFile, did_you_mean, parse_text
from dates import add_months
from site_errors import SiteError

# The check's findings that the review itself settles: not reviewed yet, overdue, due soon,
# changed since the last review, or (a translation) older than its original's change.
RESOLVED_BY_REVIEW = frozenset(
    {"review-missing", "review-overdue", "review-due-soon", "review-changed", "translation-stale"}
)
REVIEWERS_DOC = "docs/reviewers.md"
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
    tracked: bool | None = None  # whether git tracks the file (None: not in a git repository)


# --- invoke review ----------------------------------------------------------------------------


def _relative_name(root: Path, path: Path) -> str:
    """``path`` as the writer names it from the project (content/articles/x.md)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _is_example(reviewer: Reviewer) -> bool:
    """Whether a REVIEWERS entry is the example the kit ships (not a person)."""
    texts = [reviewer.name, *dict(reviewer.credentials_by_lang).values(),
             *dict(reviewer.title_by_lang).values()]  # fmt: skip
    return any(is_example_value("", text) for text in texts)


def _choose_reviewer(review: ReviewSettings, key: str, file: str) -> Reviewer:
    """The reviewer of the registry the key names; never an example entry."""
    keys = sorted(k for k, person in review.reviewers.items() if not _is_example(person))
    reviewer = review.reviewers.get(key.strip())
    if reviewer is None:
        hint = checks.did_you_mean(key, keys) if key.strip() else ""
        named = f'"{key}" is not a reviewer in REVIEWERS{hint}' if key.strip() else "none given"
        raise ReviewRefused(
            file,
            "--reviewer",
            f"{named}; a review is signed by a person the clinic has listed.",
            (f"Use a key of REVIEWERS in pelicanconf.py: {', '.join(keys)}." if keys else
             "REVIEWERS in pelicanconf.py lists none of the clinic's reviewers yet: add them "
             f"first (name, credentials, role: 'clinician' or 'editor'; see {REVIEWERS_DOC}), "
             "then sign with one of their keys."),
        )  # fmt: skip
    placeholder = [v for v in (reviewer.name, reviewer.credentials, reviewer.title)
                   if v and is_example_value("", v)]  # fmt: skip
    if placeholder:
        raise ReviewRefused(
            file,
            "--reviewer",
            f'"{reviewer.key}" is an example entry of REVIEWERS ({placeholder[0]!r}), not a '
            "clinician; a review it signed would be invented.",
            "Replace the example in REVIEWERS (pelicanconf.py) with the clinic's reviewers "
            f"({REVIEWERS_DOC}), then sign with a real reviewer's key.",
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
    """The source the check reads for ``path``; refuse a file it does not read, or that does
    not exist (naming the content file it most looks like: a typo in the path)."""
    wanted = path.resolve()
    for src in sources:
        if src.path.resolve() == wanted:
            return src
    if not path.is_file():
        raise ReviewRefused(
            file,
            "the file",
            "there is no such file.",
            did_you_mean(file, [src.name for src in sources])
            + "Give the path from the project folder, e.g. content/articles/is-ketamine-safe.md "
            "(`invoke reviews` lists every page that needs a review).",
        )
    raise ReviewRefused(
        file,
        "the file",
        "it is not an article or page the site builds (not Markdown, or outside content/).",
        "Give the path of a Markdown article, e.g. content/articles/is-ketamine-safe.md "
        "(`invoke reviews` lists every page that needs a review).",
    )


def _refuse_unreviewable(src: SourceFile, review: ReviewSettings, reviewer: Reviewer) -> None:
    """Refuse a draft, a page that needs no sign-off, and a reviewer who may not sign it."""
    if src.meta("status") == "draft":
        raise ReviewRefused(
            src.name,
            f"Status (line {src.meta_line('status')})",
            "it is a draft; a review signs off the text readers will see.",
            "Finish the text, remove the `Status: draft` line, check it with `invoke check`, "
            "then ask for the review.",
        )
    required = checks.review_of(src, review).required
    if not required:
        raise ReviewRefused(
            src.name,
            "Kind",
            "it is a general page (no `Kind: clinical`), and REVIEW_GENERAL_PAGES is 'none': "
            "it needs no sign-off.",
            "Review an article, a `Kind: clinical` page or its translation; or set "
            "REVIEW_GENERAL_PAGES = 'editor' in pelicanconf.py to have an editor sign general "
            "pages off.",
        )
    if not reviewer.may_sign(required):
        raise ReviewRefused(
            src.name,
            "--reviewer",
            f"{reviewer.name} ({reviewer.key}) is an {reviewer.role} in REVIEWERS, and this "
            f"{src.kind} gives clinical advice: it needs a {required}'s sign-off.",
            "Ask a reviewer whose role is 'clinician' to review it.",
        )


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

    The entry goes first in the history. The same reviewer's entry of the same day for the same
    text is the same review: an identical one changes nothing; one with another note is replaced
    by this one. An entry of the same day for another text (signed, changed, signed again) is
    another approval, and stays.
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = text.removeprefix("\ufeff").splitlines(keepends=True)
    history, replaced = [entry.line], ""
    for line in history_of(lines, find_metadata_block(lines)):
        parsed = parse_history_line(line)
        same = isinstance(parsed, HistoryEntry) and (
            parsed.day,
            parsed.reviewer_key,
            parsed.text,
        ) == (entry.day, entry.reviewer_key, entry.text)
        if not same:
            history.append(line)
        elif (parsed.note, parsed.text) == (entry.note, entry.text) and not replaced:
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


@dataclass
class Site:
    """A project as ``invoke review`` reads it once: its settings and every source."""

    root: Path
    settings: dict
    review: ReviewSettings
    sources: list[SourceFile]
    content_dir: Path
    index: object = None
    errors: dict[str, list[Finding]] = field(default_factory=dict)

    @classmethod
    def read(cls, root: Path) -> Site:
        """The project in ``root`` (pelicanconf.py; the check applies the production rules)."""
        root = Path(root).resolve()
        settings = load_pelican_settings(root, production=False)
        sources, _, content_dir = collect_sources(root, settings)
        return cls(root, settings, review_settings(settings), sources, content_dir)

    def check_errors(self, src: SourceFile, today: dt.date) -> list[Finding]:
        """The check's errors in ``src`` under the production rules (what publishing refuses),
        but for the ones the review itself settles."""
        if self.index is None:
            self.index = build_index(self.sources, self.content_dir, self.settings)
        findings = check_sources([src], self.settings, today, production=True,
                                 index=self.index, across=self.sources)  # fmt: skip
        return [f for f in findings if f.is_error and f.code not in RESOLVED_BY_REVIEW]


def _git_tracks(root: Path, path: Path) -> bool | None:
    """Whether git tracks ``path`` (None when ``root`` is not in a git repository)."""
    try:
        result = subprocess.run(
            ["git", "ls-files", "--error-unmatch", str(path)],
            cwd=root, capture_output=True, text=True, check=False,
        )  # fmt: skip
    except OSError:
        return None
    if result.returncode == 0:
        return True
    return None if "not a git repository" in result.stderr else False


def sign_off(
    root: Path,
    file: str,
    reviewer_key: str,
    note: str,
    today: dt.date | None = None,
    *,
    site: Site | None = None,
) -> SignOff:
    """Record a review of ``file`` today: Last_reviewed, Next_review and a history entry that
    holds the fingerprint of the text approved; keep a copy of that text (reviews/approved/).

    Raises ``ReviewRefused`` (and changes nothing) when the review cannot be recorded.
    """
    today = today or dt.date.today()
    site = site or Site.read(root)
    path = (site.root / file).resolve() if not Path(file).is_absolute() else Path(file).resolve()
    name = _relative_name(site.root, path)
    src = _find_source(site.sources, path, name)
    reviewer = _choose_reviewer(site.review, reviewer_key, name)
    _refuse_unreviewable(src, site.review, reviewer)
    _refuse_check_errors(site.check_errors(src, today), src.name)
    lines = text_fingerprint.source_lines(path, site.settings)
    if lines is None:
        raise ReviewRefused(
            src.name, "its content", "the site's reader cannot read it, so there is no text "
            "to approve.", "Run `invoke build` to see why, correct it, then sign again.",
        )  # fmt: skip
    approved = text_fingerprint.fingerprint(lines)
    entry = HistoryEntry(today, reviewer.key, _clean_note(note, name), reviewer=reviewer,
                         text=approved)  # fmt: skip
    next_review = add_months(today, site.review.interval_months)
    text = path.read_bytes().decode("utf-8")
    new_text, changed, replaced = signed_text(text, entry, next_review)
    if changed:
        _verify(src, new_text, site.settings, today)
        text_fingerprint.keep_approved(text_fingerprint.approved_folder(site.settings), lines)
        write_in_place(path, new_text)
    return SignOff(src.name, entry, next_review, changed, replaced, _git_tracks(site.root, path))


# --- invoke review --due: everything one reviewer may sign, in one sitting -------------------


@dataclass
class DueRun:
    """What ``invoke review --due`` signed, and what it refused (with why)."""

    signed: list[SignOff] = field(default_factory=list)
    refused: list[ReviewRefused] = field(default_factory=list)


SIGNABLE_STATES = (OVERDUE, CHANGED, UNREVIEWED, DUE_SOON)


def due_for(root: Path, reviewer_key: str, today: dt.date | None = None) -> list[QueueItem]:
    """Every page due (never reviewed, changed, overdue or due soon; not a draft) that the
    reviewer's role may sign, most urgent first. Raises ``ReviewRefused`` for an unknown or
    example reviewer."""
    items = review_queue(root, today)
    settings = review_settings(load_pelican_settings(Path(root).resolve(), production=False))
    reviewer = _choose_reviewer(settings, reviewer_key, "--due")
    return [
        item for item in items
        if item.state.kind in SIGNABLE_STATES and not item.draft
        and reviewer.may_sign(item.dates.required)
    ]  # fmt: skip


def sign_due(
    root: Path, files: list[str], reviewer_key: str, note: str, today: dt.date | None = None
) -> DueRun:
    """Sign each of ``files`` off; a file the check finds errors in (or that cannot be signed)
    is refused and named, and the others are signed all the same."""
    site, run = Site.read(root), DueRun()
    _clean_note(note, "--due")
    for file in files:
        try:
            run.signed.append(sign_off(site.root, file, reviewer_key, note, today, site=site))
        except ReviewRefused as refusal:
            run.refused.append(refusal)
    return run


def describe_due(run: DueRun) -> str:
    """What ``invoke review --due`` says after signing."""
    lines = [f"Signed {len(run.signed)} page(s) off:"]
    lines += [f"  {result.file}" for result in run.signed]
    if run.refused:
        lines.append(f"Refused {len(run.refused)} (nothing was changed in them):")
        for refusal in run.refused:
            first, *rest = refusal.problem.splitlines()
            lines.append(f"  {refusal.file}: {first}")
            lines += [f"  {line}" for line in rest]
            lines.append(f"    fix: {refusal.fix}")
    lines.append("See the changes with `git status` and `git diff`; commit them together with "
                 "reviews/approved/ (the approved texts); then `invoke publish`.")  # fmt: skip
    return "\n".join(lines)


# --- invoke review FILE --diff: the approved text against the text now ----------------------


def _approved_from_git(
    root: Path, path: Path, approved: str, settings: dict
) -> tuple[list[str], str] | None:
    """The text with fingerprint ``approved`` from the file's git history (newest first), and
    the commit it was found in."""
    try:
        log = subprocess.run(
            ["git", "log", "--format=%H", "-n", "200", "--", str(path)],
            cwd=root, capture_output=True, text=True, check=False,
        )  # fmt: skip
    except OSError:
        return None
    relative = _relative_name(root, path)
    with tempfile.TemporaryDirectory(prefix="review-diff-") as scratch:
        for commit in log.stdout.split():
            shown = subprocess.run(["git", "show", f"{commit}:{relative}"], cwd=root,
                                   capture_output=True, check=False)  # fmt: skip
            if shown.returncode:
                continue
            old = Path(scratch) / f"{commit}{path.suffix}"
            old.write_bytes(shown.stdout)
            lines = text_fingerprint.source_lines(old, settings)
            if lines is not None and text_fingerprint.fingerprint(lines) == approved:
                return lines, f"git commit {commit[:10]}"
    return None


def review_diff(root: Path, file: str) -> str:
    """The text the last review approved against the text now (from git history, else from the
    copy the review kept), as a unified diff with a short summary first."""
    site = Site.read(root)
    path = (site.root / file).resolve()
    name = _relative_name(site.root, path)
    src = _find_source(site.sources, path, name)
    dates = checks.review_of(src, site.review, site.settings)
    signed = dates.signed_review or next((entry for entry in dates.history if entry.text), None)
    now = text_fingerprint.source_lines(path, site.settings) or []
    if signed is None or not signed.text:
        return (f"{name}: no review records the text it approved (`invoke review` records it); "
                "nothing to compare.")  # fmt: skip
    found = _approved_from_git(site.root, path, signed.text, site.settings)
    if found is None:
        folder = text_fingerprint.approved_folder(site.settings)
        kept = text_fingerprint.approved_lines(folder, signed.text)
        found = (kept, _relative_name(site.root, folder / f"{signed.text}.txt")) if kept else None
    if found is None:
        return (f"{name}: the text approved on {signed.day} (fingerprint {signed.text}) is "
                "neither in git history nor in reviews/approved/; it cannot be shown.")  # fmt: skip
    before, where = found
    if text_fingerprint.fingerprint(now) == signed.text:
        return f"{name}: the text is as approved on {signed.day} by {signed.reviewer_key}."
    changed = f"{name}: changed since the review of {signed.day} by {signed.reviewer_key}"
    then = f"the approved text (found in {where})"
    return _diff_report(changed, src, before, now, then=then, label=f"approved {signed.day}")


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
    if result.tracked is False:
        lines.append(f"{result.file} is a new file git does not track yet: commit it with its "
                     f"review (`git add {result.file} reviews/approved`); publish with "
                     "`invoke publish`.")  # fmt: skip
    elif result.tracked:
        lines.append(f"See the change with `git diff {result.file}`; commit it with "
                     "reviews/approved/; publish with `invoke publish`.")  # fmt: skip
    else:
        lines.append("Publish with `invoke publish`.")
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
    changed: str = ""  # what changed since the review (when the state is "changed")
    original: str = ""  # a translation's original (its file)
    original_changed: str = ""  # what changed in the original since the translation was synced


def review_queue(
    root: Path, today: dt.date | None = None, settings: dict | None = None
) -> list[QueueItem]:
    """Every page that needs a sign-off with its review state, most urgent first; a
    translation out of step with its original says so. ``settings``: the project's
    pelicanconf.py when the caller has read it already."""
    from content_check import translation_check

    root, today = Path(root).resolve(), today or dt.date.today()
    settings = settings or load_pelican_settings(root, production=False)
    review = review_settings(settings)
    sources, _, _ = collect_sources(root, settings)
    originals = translation_check.originals_of(sources, review.default_lang)
    items = []
    for src in sources:
        dates = checks.review_of(src, review, settings)
        if not dates.needs_review:
            continue
        state = review_state(dates, today, review.due_soon_days)
        changed = ""
        if state.kind == CHANGED and dates.signed_review is not None:
            changed = checks.changed_summary(src, settings, dates.signed_review.text)
        original = originals.get((src.kind, src.meta("slug"))) if src.meta("lang") else None
        original_changed = ""
        if original is not None and original is not src:
            original_changed = translation_check.original_change(original, src, settings) or ""
        items.append(
            QueueItem(
                file=src.name,
                title=src.meta("title"),
                slug=src.meta("slug"),
                lang=src.meta("lang") or review.default_lang,
                kind=src.kind,
                draft=src.meta("status") == "draft",
                dates=dates,
                state=state,
                changed=changed,
                original=original.name if original is not None and original is not src else "",
                original_changed=original_changed,
            )
        )
    return sorted(items, key=lambda item: (item.state.urgency, item.file))


STATE_LABELS = {
    OVERDUE: "overdue",
    CHANGED: "changed since review",
    UNREVIEWED: "never reviewed",
    DUE_SOON: "due soon",
    UP_TO_DATE: "up to date",
}


def _when(item: QueueItem) -> str:
    """When the review is due, in words."""
    state = item.state
    if state.kind == CHANGED:
        return f"changed since its review on {state.due}: {item.changed}"
    if state.kind == UNREVIEWED:
        if item.dates.has_review_fields:
            return "its review fields do not make a whole review: run `invoke check`"
        return "no clinician has reviewed it yet"
    if state.kind == OVERDUE:
        return f"was due {state.due} ({-(state.days or 0)} days ago)"
    return f"due {state.due} (in {state.days} days)"


def _last(item: QueueItem) -> str:
    """Who signed the last review off, and when."""
    last = item.dates.signed_review
    if last is None or last.reviewer is None:
        return ""
    return f"last reviewed {last.day} by {last.reviewer.signature} ({last.reviewer_key})"


def _out_of_step(item: QueueItem) -> str:
    """A translation whose original changed since it was synced, in words."""
    if not item.original_changed:
        return ""
    return f"translation out of step: {item.original} changed since it was synced: " + (
        item.original_changed
    )


def queue_text(items: list[QueueItem], today: dt.date) -> str:
    """The queue for people: a count by state, then each page, most urgent first."""
    counts = ", ".join(
        f"{sum(item.state.kind == kind for item in items)} {label}"
        for kind, label in STATE_LABELS.items()
    )
    out = [f"Reviews on {today}: {counts}.", ""]
    for item in items:
        draft = " (draft)" if item.draft else ""
        out.append(f"{STATE_LABELS[item.state.kind]:<15} {item.file}{draft}")
        out.append(f"{'':<15} {item.title} [{item.lang}]")
        out.append(f"{'':<15} {_when(item)}")
        for extra in (_last(item), _out_of_step(item)):
            if extra:
                out.append(f"{'':<15} {extra}")
        out.append("")
    stale = sum(bool(item.original_changed) for item in items)
    if stale:
        out.append(f"{stale} translation(s) out of step with their original: bring each in "
                   "line, then `invoke translations --synced FILE`.")  # fmt: skip
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
        "title": reviewer.title,
    }


def queue_json(items: list[QueueItem], today: dt.date) -> str:
    """The queue for scripts: ``{"today": ..., "items": [...]}``, most urgent first."""
    rows = []
    for item in items:
        last = item.dates.signed_review
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
                "needs": item.dates.required,
                "changed_since_review": item.changed or None,
                "original": item.original or None,
                "original_changed": item.original_changed or None,
            }
        )
    return json.dumps({"today": today.isoformat(), "items": rows}, indent=2, ensure_ascii=False)


def calendar_items(items: list[QueueItem], today: dt.date) -> list[tuple[QueueItem, dt.date]]:
    """The events of the calendar: each upcoming due date, and today for a page changed since
    its review (it needs signing again now)."""
    events = []
    for item in items:
        due = today if item.state.kind == CHANGED else item.state.due
        if due is not None and due >= today:
            events.append((item, due))
    return events


def _uid_part(text: str) -> str:
    """Lower-case letters, digits and '-' only (an RFC 5545 UID has no spaces)."""
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-.")


def _calendar_host(siteurl: str, site_name: str) -> str:
    """The host part of the events' UIDs: the site's host name, else its name as a slug."""
    return urlsplit(siteurl or "").hostname or _uid_part(site_name) or "site"


def queue_calendar(
    items: list[QueueItem], today: dt.date, site_name: str, remind_days: int, siteurl: str = ""
) -> tuple[bytes, int]:
    """An RFC 5545 calendar: one all-day event on each upcoming review's due date (a page
    changed since its review: today), with a reminder ``remind_days`` before (when the check
    starts to warn); and how many events it holds."""
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", f"-//{site_name}//Clinical review queue//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{site_name}: reviews due")
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    host = _calendar_host(siteurl, site_name)
    events = calendar_items(items, today)
    for item, due in events:
        changed = item.state.kind == CHANGED
        slug = _uid_part(f"{item.slug}-{item.lang}") or "page"
        event = Event()
        event.add("uid", f"review-{item.kind}-{slug}-{due.isoformat()}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", due)
        event.add("dtend", due + dt.timedelta(days=1))
        what = "Clinical review" if item.dates.required == "clinician" else "Review"
        summary = f"{what} again (changed since review): " if changed else f"{what} due: "
        summary += item.title
        event.add("summary", summary)
        last = _last(item)
        event.add("description", "\n".join(filter(None, [
            f"File: {item.file}", last[:1].upper() + last[1:],
            f"Changed since its review on {item.state.due}: {item.changed}" if changed else "",
            f'Record it: invoke review {item.file} --reviewer KEY --note "what changed"',
        ])))  # fmt: skip
        event.add("transp", "TRANSPARENT")
        if not changed:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Review due on {due}: {item.title}")
            alarm.add("trigger", dt.timedelta(days=-remind_days))
            event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical(), len(events)


# --- invoke translations --synced FILE ---------------------------------------------------------


@dataclass(frozen=True)
class Synced:
    """A translation marked as following its original's text as it is now."""

    file: str
    original: str
    text: str  # the fingerprint of the original's text
    changed: bool


def mark_synced(root: Path, file: str) -> Synced:
    """Write ``Synced_with: FINGERPRINT`` (the original's text now) into the translation
    ``file``, and keep a copy of that text (reviews/approved/) to say later what changed."""
    site = Site.read(root)
    path, name, _, original, lines = _translation_and_original(site, file)
    print_ = text_fingerprint.fingerprint(lines)
    text = path.read_bytes().decode("utf-8")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    new_text = bom + replace_fields(text.removeprefix("\ufeff"), {"Synced_with": print_})
    changed = new_text != text
    # Kept even when the field is already right: a copy lost (deleted, never committed) would
    # leave translation-stale unable to say what changed.
    text_fingerprint.keep_approved(text_fingerprint.approved_folder(site.settings), lines)
    if changed:
        write_in_place(path, new_text)
    return Synced(name, original.name, print_, changed)


def original_changes(root: Path, file: str) -> str:
    """What the original of the translation ``file`` changed since the translation was synced
    with it (``Synced_with``): a short summary, then the original's text then against now."""
    from content_check import translation_check

    site = Site.read(root)
    _, name, src, original, _ = _translation_and_original(site, file)
    synced = src.meta("synced_with")
    if not synced:
        return (f"{name} records no sync with {original.name} (no Synced_with): compare the "
                f"two files, then run `invoke translations --synced {name}`.")  # fmt: skip
    texts = translation_check.out_of_step(original, src, site.settings)
    if texts is None:
        return f"{name} follows {original.name} as it is now: nothing to bring in line."
    before, now = texts
    if before is None:
        return (f"{original.name}'s text at the sync (fingerprint {synced}) is not kept in "
                "reviews/approved/; compare the two files whole.")  # fmt: skip
    changed = f"{original.name} changed since {name} was brought in line with it"
    return _diff_report(changed, original, before, now, then="its text then", label="at the sync")


def _diff_report(
    changed: str, src: SourceFile, before: list[str], now: list[str], *, then: str, label: str
) -> str:
    """``changed``: what changed, at ``src``'s file lines; then ``then`` (the text ``before``,
    labelled ``label``) against the text ``now`` as a unified diff, one block a line."""
    from content_check.translation_check import file_lines

    summary = text_fingerprint.what_changed(before, now, source=file_lines(src))
    header = (
        f"{changed}: {summary}.\nThose line numbers are {src.name}'s. Below, {then} against "
        "the text now, one block of the page a line (the @@ numbers count blocks):\n"
    )
    return header + text_fingerprint.unified_diff(before, now, label, "now")


def _translation_and_original(
    site: Site, file: str
) -> tuple[Path, str, SourceFile, SourceFile, list[str]]:
    """The translation ``file`` (path, name, source), its original, and the original's text
    now as a translation follows it; refused when ``file`` is not a translation."""
    from content_check import translation_check

    path = (site.root / file).resolve()
    name = _relative_name(site.root, path)
    src = _find_source(site.sources, path, name)
    if not src.meta("lang") or src.meta("lang") == site.review.default_lang:
        translations = [
            other.name for other in site.sources
            if other.kind == src.kind and other.meta("slug") == src.meta("slug")
            and other.meta("lang") not in ("", site.review.default_lang)
        ]  # fmt: skip
        raise ReviewRefused(
            name, "Lang", f"it is not a translation (its language is {site.review.default_lang}).",
            (f"Did you mean its translation {' or '.join(translations)}? " if translations else "")
            + "Give a translation's path: a file with Lang: es and its original's Slug.",
        )  # fmt: skip
    originals = translation_check.originals_of(site.sources, site.review.default_lang)
    original = originals.get((src.kind, src.meta("slug")))
    if original is None:
        raise ReviewRefused(
            name, "Slug", f"no original in {site.review.default_lang} has its Slug.",
            "Give the translation its original's Slug (`invoke check` reports it).",
        )  # fmt: skip
    lines = text_fingerprint.source_lines(original.path, site.settings)
    if lines is None:
        raise ReviewRefused(original.name, "its content", "the site's reader cannot read it.",
                            "Run `invoke build` to see why; correct it.")  # fmt: skip
    return path, name, src, original, text_fingerprint.translation_lines(lines)


def describe_synced(result: Synced) -> str:
    """What ``invoke translations --synced`` says."""
    if not result.changed:
        return f"{result.file} already follows {result.original} as it is now; nothing changed."
    return (
        f"Recorded that {result.file} follows {result.original} as it is now "
        f"(Synced_with: {result.text}). The check reports the original's next change "
        "(translation-stale). Have the translation reviewed: `invoke review "
        f'{result.file} --reviewer KEY --note "..."`.'
    )
