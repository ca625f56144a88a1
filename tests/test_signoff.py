"""A sign-off covers exactly the text it approved (issue 25).

In a copy of the project with fixture reviewers, articles are signed off with `invoke review`,
then changed as a writer would change them: the body, a care card, the title; or only the
line breaks. The writer's check (while writing and for publishing), the page, its JSON-LD and
the queue all say "changed since review" for a real change and nothing for whitespace
(test_signoff_changes.py); signing again clears it. A translation whose original changed is
reported; `invoke review --due` signs everything due in one run and refuses (naming) the one
with errors; the calendar counts its events and gives each a UID without spaces.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_tasks import copy_project, invoke

TODAY = dt.date.today()
REVIEWERS = {
    "jane-doe": {
        "name": "Jane Doe",
        "role": "clinician",
        "credentials": {"en": "MD, board-certified in pain medicine",
                        "es": "médica, especialista en medicina del dolor"},
        "title": "Pain medicine physician",
    },
    "ed-smith": {"name": "Ed Smith", "credentials": "BA", "role": "editor"},
}  # fmt: skip
BODY = "content/articles/is-ketamine-safe.md"
CARD = "content/articles/ketamine-for-chronic-pain.md"
TITLE = "content/articles/ketamine-and-surgery.md"
SPACES = "content/articles/ketamine-infusions-faq.md"
ES_CARD = "content/articles/es/ketamine-for-chronic-pain.md"
ES_KEPT = "content/articles/es/is-ketamine-safe.md"


def project_with_reviewers(destination: Path) -> Path:
    """A copy of the project (a git repository) with the fixture reviewers."""
    project = copy_project(destination)
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write(f"\n# Test data.\nREVIEWERS = {REVIEWERS!r}\n")
    return project


def edit(project: Path, file: str, old: str, new: str) -> None:
    """Change one piece of a file's text, as a writer would."""
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text, (file, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def sign(project: Path, file: str, note: str = "First review") -> None:
    result = invoke(project, "review", file, "--reviewer", "jane-doe", "--note", note)
    assert result.returncode == 0, result.stdout + result.stderr


def findings(project: Path, *options: str) -> list[dict[str, Any]]:
    """The writer's check's findings: the whole site's, or with ``--file FILE`` that file's
    (the whole check's findings of it, tests/test_check_file.py; it reads only that file)."""
    result = invoke(project, "check", "--format", "json", *options)
    return json.loads(result.stdout)["findings"]


def changed(found: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f["file"]: f for f in found if f["code"] == "review-changed"}


@pytest.mark.slow  # invoke review, check and build in a project copy
def test_signing_again_clears_it_and_a_copy_inherits_nothing(
    tmp_path: Path,
) -> None:
    project = project_with_reviewers(tmp_path / "project")
    sign(project, BODY)
    assert list((project / "reviews" / "approved").glob("*.txt"))
    edit(project, BODY, "Ketamine has real risks.", "Ketamine has risks.")
    assert BODY in changed(findings(project, "--file", BODY))
    sign(project, BODY, "Typo fixed, meaning unchanged")
    assert BODY not in changed(findings(project, "--production", "--file", BODY))
    # A reviewed article copied to a new file with its own title, slug and text is not
    # reviewed: the review names the text it approved.
    copy = "content/articles/is-ketamine-risky.md"
    text = (project / BODY).read_text("utf-8")
    text = text.replace("Slug: is-ketamine-safe", "Slug: is-ketamine-risky").replace(
        "Title: Is ketamine safe? Side effects and risks", "Title: Is ketamine risky?"
    )
    (project / copy).write_text(text.replace("Ketamine has risks.", "Ketamine is risky."), "utf-8")
    found = findings(project, "--production", "--file", copy)
    assert changed(found)[copy]["severity"] == "error"
    queue = json.loads(invoke(project, "reviews", "--format", "json").stdout)
    assert [row["state"] for row in queue["items"] if row["file"] == copy] == ["changed"]


@pytest.mark.slow  # invoke review and check in a project copy
def test_a_translation_whose_original_changed_is_reported(tmp_path: Path) -> None:
    """Synced with its original's text; the original's text changes with no date moving."""
    project = project_with_reviewers(tmp_path / "project")
    synced = re.search(
        r"^Synced_with: ([0-9a-f]{16})$", (project / ES_CARD).read_text("utf-8"), re.M
    )
    kept = project / "reviews" / "approved" / f"{synced.group(1)}.txt"
    kept.unlink()  # a copy lost: syncing again keeps it again, though the field is right
    result = invoke(project, "translations", "--synced", ES_CARD)  # shipped synced already
    assert result.returncode == 0 and "follows" in result.stdout, result.stderr
    assert kept.is_file()
    before = {f["file"] for f in findings(project) if f["code"] == "translation-stale"}
    assert ES_CARD not in before
    edit(project, CARD, "call or text 988", "call 988")
    stale = [f for f in findings(project) if f["code"] == "translation-stale"]
    (finding,) = [f for f in stale if f["file"] == ES_CARD]
    assert CARD in finding["message"] and ES_CARD in finding["message"]
    assert "(line" in finding["message"]
    # The fix's command shows the original's change since the sync (the original's own review
    # diff would show nothing once the original is signed again).
    assert f"invoke translations --changes {ES_CARD}" in finding["fix"]
    changes = invoke(project, "translations", "--changes", ES_CARD)
    assert changes.returncode == 0, changes.stderr
    diff = changes.stdout.splitlines()
    assert any(text.startswith("-") and "call or text 988" in text for text in diff)
    assert any(text.startswith("+") and "call 988" in text for text in diff)
    card = (project / CARD).read_text("utf-8").splitlines()
    line = 1 + next(number for number, text in enumerate(card) if "call 988" in text)
    assert f"(line {line})" in changes.stdout.splitlines()[0], changes.stdout
    queue = json.loads(invoke(project, "reviews", "--format", "json").stdout)
    (row,) = [row for row in queue["items"] if row["file"] == ES_CARD]
    assert row["original"] == CARD and row["original_changed"]
    assert "translation out of step" in invoke(project, "reviews").stdout


@pytest.mark.slow  # invoke review --due over a project copy
def test_review_due_signs_everything_due_in_one_run_and_refuses_the_one_with_errors(
    tmp_path: Path,
) -> None:
    project = project_with_reviewers(tmp_path / "project")
    edit(project, TITLE, "\n\n", "\n\nThis cures pain.\n\n")  # a claim-absolute error
    before = invoke(project, "reviews", "--format", "json").stdout
    unanswered = invoke(project, "review", "--due", "--reviewer", "jane-doe", "--note", "x")
    assert unanswered.returncode == 1 and "Traceback" not in unanswered.stderr  # stdin: no one
    assert "No answer, so nothing was signed (--yes" in unanswered.stderr
    assert invoke(project, "reviews", "--format", "json").stdout == before
    result = invoke(project, "review", "--due", "--reviewer", "jane-doe", "--note",
                    "First review before launch", "--yes")  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Refused 1" in result.stdout and TITLE in result.stdout
    assert "claim-absolute" in result.stdout
    queue = json.loads(invoke(project, "reviews", "--format", "json").stdout)
    states = {row["file"]: row["state"] for row in queue["items"]}
    assert states[TITLE] == "unreviewed"
    assert states[BODY] == states[CARD] == states[ES_CARD] == "up-to-date"
    assert sum(state == "up-to-date" for state in states.values()) >= 6
    # General pages need no sign-off by default: none is in the queue.
    assert not [file for file in states if "privacy" in file or "accessibility" in file]
    # An editor may sign nothing here (no general page needs a sign-off).
    editor = invoke(project, "review", "--due", "--reviewer", "ed-smith", "--note", "x", "--yes")
    assert "Nothing is due that ed-smith may sign" in editor.stdout


def test_the_unknown_reviewer_message_says_to_add_the_clinics_reviewers_first(
    tmp_path: Path,
) -> None:
    project = copy_project(tmp_path / "project")  # only the example entry in REVIEWERS
    result = invoke(project, "review", BODY, "--reviewer", "jane-doe", "--note", "x")
    assert result.returncode == 1
    assert "example-reviewer" not in result.stderr
    assert "add them first" in result.stderr and "docs/reviewers.md" in result.stderr


@pytest.mark.slow  # invoke reviews in a project copy
def test_the_calendar_counts_its_events_and_their_uids_have_no_spaces(tmp_path: Path) -> None:
    from icalendar import Calendar

    project = project_with_reviewers(tmp_path / "project")
    sign(project, BODY)
    sign(project, CARD)
    edit(project, CARD, "call or text 988", "call 988")
    result = invoke(project, "reviews", "--format", "ics", "--output", "reviews.ics")
    assert result.returncode == 0, result.stderr
    calendar = Calendar.from_ical((project / "reviews.ics").read_bytes())
    events = calendar.walk("VEVENT")
    assert len(events) == 2 and result.stdout.strip() == "Wrote 2 event(s) to reviews.ics."
    for event in events:
        uid = str(event["UID"])
        assert " " not in uid and re.fullmatch(r"review-[a-z0-9-]+@[a-z0-9.-]+", uid), uid
    descriptions = " ".join(str(event["DESCRIPTION"]) for event in events)
    assert "by Jane Doe, MD" in descriptions  # the name keeps its capitals
    summaries = {str(event["SUMMARY"]) for event in events}
    assert any(summary.startswith("Clinical review again (changed") for summary in summaries)


def test_the_build_and_the_check_read_the_same_fingerprint_for_every_file() -> None:
    """One function: the fingerprint the build gives a page (from Pelican's reader, through
    ``read_file``, as ``content_object_init`` sees it) is the one the check and the tasks
    read from the source, for every article and page of the site."""
    from clinical_review import add_review_dates
    from clinical_review.fingerprint import fingerprint, reader_lines, source_fingerprint
    from conftest import PROJECT_ROOT
    from content_check.runner import collect_sources, load_pelican_settings
    from html_structure import BlockPlaces
    from pelican import signals
    from pelican.contents import Article, Page
    from pelican.readers import Readers
    from reading import use_site_reader
    from reviewed_text import html_lines

    settings = load_pelican_settings(PROJECT_ROOT, production=False)
    signals.readers_init.connect(use_site_reader)
    signals.content_object_init.connect(add_review_dates)
    readers = Readers(settings)
    sources, _, content_dir = collect_sources(PROJECT_ROOT, settings)
    assert len(sources) > 20
    for src in sources:
        content_class = Article if src.kind == "article" else Page
        content = readers.read_file(
            str(content_dir), str(src.path.relative_to(content_dir)), content_class=content_class
        )
        built = fingerprint(reader_lines(content._content, content.metadata))
        assert built == source_fingerprint(src.path, settings), src.name
        assert content.review_dates.current_text == built, src.name
        # The body's lines came from the reading worker's record, and read as the HTML does.
        record = content.metadata["record"]
        assert record.read_from(content._content), src.name
        assert list(record.reviewed_lines) == html_lines(content._content), src.name
        assert record.block_places == BlockPlaces.of(content._content), src.name


def test_body_lines_from_the_record_only_for_the_html_they_were_read_from() -> None:
    """A body changed after reading (Pelican's TYPOGRIFY typesets it) is read again."""
    from article_markup.record import ArticleRecord
    from clinical_review.fingerprint import reader_lines

    html = "<p>Ketamine has real risks.</p>"
    record = ArticleRecord("en", "").with_body_html(html, ["Kept from reading"])
    meta = {"title": "Safe?", "record": record}
    assert reader_lines(html, meta) == ["Title: Safe?", "Kept from reading"]
    changed = "<p>Ketamine has <span class=caps>real</span> risks!</p>"
    assert reader_lines(changed, meta) == ["Title: Safe?", "Ketamine has real risks!"]
    assert reader_lines(html, {"title": "Safe?"}) == ["Title: Safe?", "Ketamine has real risks."]


def test_the_success_message_fits_a_file_git_does_not_track_yet() -> None:
    from clinical_review.review import HistoryEntry

    from commands.workflow import SignOff, describe_sign_off

    entry = HistoryEntry(TODAY, "jane-doe", "First review", text="0123456789abcdef")
    args = ("content/articles/new.md", entry, TODAY + dt.timedelta(days=700))
    untracked = describe_sign_off(SignOff(*args, tracked=False))
    assert "git does not track yet" in untracked and "git diff" not in untracked
    assert "git add content/articles/new.md reviews/approved" in untracked
    tracked = describe_sign_off(SignOff(*args, tracked=True))
    assert "git diff content/articles/new.md" in tracked
    assert "git" not in describe_sign_off(SignOff(*args, tracked=None))


def test_whitespace_and_line_breaks_do_not_change_the_fingerprint() -> None:
    from clinical_review.fingerprint import fingerprint, reader_lines

    meta = {"title": "Is ketamine safe?", "slug": "is-ketamine-safe"}
    one = reader_lines("<p>Ketamine has real\n risks.</p>\n<ul><li>a</li></ul>", meta)
    two = reader_lines("<p>Ketamine  has real risks.</p><ul>\n<li>a </li></ul>", meta)
    assert fingerprint(one) == fingerprint(two)
    nbsp = reader_lines("<p>Ketamine has real&nbsp;risks.</p><ul><li>a</li></ul>", meta)
    assert fingerprint(nbsp) == fingerprint(one)  # NFKC: a no-break space is a space
    assert fingerprint(reader_lines("<p>Ketamine has risks.</p>", meta)) != fingerprint(one)
    renamed = reader_lines("<p>Ketamine has real risks.</p><ul><li>a</li></ul>",
                           {**meta, "slug": "is-ketamine-risky"})  # fmt: skip
    assert fingerprint(renamed) != fingerprint(one)


def test_general_pages_need_an_editors_sign_off_only_when_the_clinic_asks(
    build_small_site: Any,
) -> None:
    page = ("Title: Privacy\nSlug: privacy\nSummary: How we handle what you send us.\n\n"
            "We keep what you send us private.\n")  # fmt: skip
    clinical = page.replace("Slug: privacy", "Slug: before\nKind: clinical").replace(
        "Title: Privacy", "Title: Before your infusion"
    )
    files = {"pages/privacy.md": page, "pages/before.md": clinical}
    asked = build_small_site(files, {"REVIEW_GENERAL_PAGES": "editor", "REVIEWERS": REVIEWERS})
    box = asked.soup("privacy/index.html").select_one(".review-dates").get_text(strip=True)
    assert box == "This page has not yet been checked by an editor."
    box = asked.soup("before/index.html").select_one(".review-dates").get_text(strip=True)
    assert box == "This page has not yet been reviewed by a clinician."
    default = build_small_site(files, {"REVIEWERS": REVIEWERS})  # REVIEW_GENERAL_PAGES: none
    assert not default.soup("privacy/index.html").select(".review-dates")
    assert default.soup("before/index.html").select_one(".review-dates--pending")
