"""plugins/clinical_review: the one implementation of the review (settings, registry, history,
state) and the one way a review is written into a file (signoff), without Pelican."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from clinical_review import ReviewDates, parse_history, parse_review_dates, review_settings
from clinical_review.review import (
    DUE_SOON,
    OVERDUE,
    UNREVIEWED,
    UP_TO_DATE,
    ReviewSettingsError,
    history_lines,
    needs_review,
    required_role,
    review_state,
)
from clinical_review.signoff import replace_fields, review_fields

from commands.workflow import signed_text

# Clinicians for test data (the site's REVIEWERS holds only an example entry).
REVIEWERS = {
    "jane-doe": {
        "name": "Jane Doe",
        "credentials": "MD",
        "role": "clinician",
        "title": "Pain medicine physician",
    },
    "sam-lee": {
        "name": "Sam Lee",
        "credentials": "PharmD",
        "role": "clinician",
        "title": "Clinical pharmacist",
    },
}
SETTINGS = review_settings({"REVIEWERS": REVIEWERS})
TODAY = dt.date(2026, 11, 25)

REVIEWED = """Title: Reviewed guide
Date: 2025-01-01
Category: Ketamine
Tags: safety
Summary: A short summary.
Reviewed_by: jane-doe
Last_reviewed: 2026-03-03
Review_history:
    2026-03-03 | jane-doe | First review

Some text.
"""


def reviewed(last: str = "2026-03-03", next_review: str = "", **extra: Any) -> ReviewDates:
    """A page jane-doe reviewed on ``last``, as Pelican's reader hands its metadata over."""
    metadata = {
        "reviewed_by": "jane-doe",
        "last_reviewed": last,
        "next_review": next_review,
        "review_history": ["", f"{last} | jane-doe | First review"],
        **extra,
    }
    return parse_review_dates(metadata, SETTINGS, required="clinician")


# --- Dates and states -----------------------------------------------------------------------


def test_next_review_defaults_to_the_interval_and_bad_values_are_absent() -> None:
    dates = reviewed()
    assert (dates.last_reviewed, dates.next_review) == (dt.date(2026, 3, 3), dt.date(2028, 3, 3))
    assert dates.is_reviewed and dates.reviewer and dates.reviewer.signature == "Jane Doe, MD"
    empty = parse_review_dates(
        {"reviewed_by": "", "last_reviewed": "", "next_review": ""}, SETTINGS
    )
    assert not empty.is_reviewed and not empty.has_review_fields
    bad = parse_review_dates({"last_reviewed": "2026-02-30", "next_review": "soon"}, SETTINGS)
    assert bad.last_reviewed is None and bad.next_review is None
    assert reviewed(next_review="2027-01-01").next_review == dt.date(2027, 1, 1)


def test_leap_day_and_month_ends() -> None:
    assert reviewed("2028-02-29").next_review == dt.date(2030, 2, 28)
    three = review_settings({"REVIEWERS": REVIEWERS, "REVIEW_INTERVAL_MONTHS": 3})
    metadata = {"reviewed_by": "jane-doe", "last_reviewed": "2026-11-30"}
    assert parse_review_dates(metadata, three).next_review == dt.date(2027, 2, 28)


@pytest.mark.parametrize(
    ("next_review", "kind", "days"),
    [
        ("2026-11-24", OVERDUE, -1),
        ("2026-11-25", DUE_SOON, 0),  # due today: not overdue yet
        ("2026-12-25", DUE_SOON, 30),  # REVIEW_DUE_SOON_DAYS (30) is still "soon"
        ("2026-12-26", UP_TO_DATE, 31),
    ],
)
def test_review_states_at_their_edges(next_review: str, kind: str, days: int) -> None:
    state = review_state(reviewed("2026-01-01", next_review), TODAY, 30)
    assert (state.kind, state.days) == (kind, days)


def test_a_review_counts_only_when_the_history_records_it() -> None:
    assert reviewed().last_review.note == "First review"
    no_history = reviewed(review_history=None)
    assert not no_history.is_reviewed
    assert review_state(no_history, TODAY, 30).kind == UNREVIEWED
    other_day = reviewed(review_history=["2026-03-02 | jane-doe | A day earlier"])
    assert not other_day.is_reviewed
    other_reviewer = reviewed(review_history=["2026-03-03 | sam-lee | Someone else"])
    assert not other_reviewer.is_reviewed
    unknown = parse_review_dates(
        {"reviewed_by": "jo", "last_reviewed": "2026-03-03",
         "review_history": "2026-03-03 | jo | First review"},
        SETTINGS,
    )  # fmt: skip
    assert not unknown.is_reviewed and unknown.reviewer is None


def test_history_is_newest_first_with_reviewers_from_the_registry() -> None:
    dates = reviewed(
        "2026-03-03",
        review_history=[
            "",
            "2024-01-10 | sam-lee | First review",
            "2026-03-03 | jane-doe | Doses checked | against the 2026 label",
        ],
    )
    assert [entry.day.year for entry in dates.history] == [2026, 2024]
    assert dates.history[0].note == "Doses checked | against the 2026 label"  # bars in a note
    assert dates.history[1].reviewer.signature == "Sam Lee, PharmD"
    assert dates.is_reviewed


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("2026-03-03 jane-doe First review", "form"),
        ("3 March 2026 | jane-doe | First review", "date"),
        ("2026-02-30 | jane-doe | First review", "date"),
        ("2026-03-03 |  | First review", "reviewer"),
        ("2026-03-03 | jane-doe |  ", "note"),
    ],
)
def test_each_history_line_that_is_not_an_entry_says_why(line: str, kind: str) -> None:
    entries, problems = parse_history(history_lines(["", line]))
    assert entries == [] and [(p.kind, p.position) for p in problems] == [(kind, 1)]


def test_clinical_texts_need_a_clinician_general_pages_an_editor_or_nobody() -> None:
    """Issue 25: articles and `Kind: clinical` pages (and their translations) need a
    clinician; general pages (privacy, accessibility...) need nobody, or an editor when the
    clinic says so."""
    none, editor = review_settings({}), review_settings({"REVIEW_GENERAL_PAGES": "editor"})
    for settings in (none, editor):
        assert required_role("article", {}, settings) == "clinician"
        assert required_role("article", {"kind": "general"}, settings) == "clinician"
        assert required_role("page", {"kind": "clinical"}, settings) == "clinician"
        assert required_role("", {}, settings) == ""  # a static file
    assert required_role("page", {}, none) == "" and not needs_review("page", {}, none)
    assert required_role("page", {"kind": "general"}, editor) == "editor"
    people = review_settings({"REVIEWERS": {
        "ed": {"name": "Ed Smith", "credentials": "BA", "role": "editor"},
        "jane-doe": REVIEWERS["jane-doe"],
    }}).reviewers  # fmt: skip
    assert people["jane-doe"].may_sign("clinician") and people["jane-doe"].may_sign("editor")
    assert people["ed"].may_sign("editor") and not people["ed"].may_sign("clinician")
    with pytest.raises(ReviewSettingsError, match="role 'Pain medicine physician' is not one"):
        review_settings({"REVIEWERS": {"x": {"name": "X", "credentials": "MD",
                                             "role": "Pain medicine physician"}}})  # fmt: skip


def test_credentials_in_the_pages_language_or_a_neutral_form() -> None:
    person = review_settings({"REVIEWERS": {"jane-doe": {
        "name": "Jane Doe", "role": "clinician",
        "credentials": {"en": "MD, board-certified in pain medicine",
                        "es": "médica, especialista en medicina del dolor"},
    }}}).reviewers["jane-doe"]  # fmt: skip
    assert person.signature_in("es") == "Jane Doe, médica, especialista en medicina del dolor"
    assert person.signature_in("en") == "Jane Doe, MD, board-certified in pain medicine"
    assert person.signature_in("fr") == "Jane Doe, MD, board-certified in pain medicine"
    neutral = review_settings({"REVIEWERS": {"sam-lee": REVIEWERS["sam-lee"]}}).reviewers
    assert neutral["sam-lee"].signature_in("es") == "Sam Lee, PharmD"


# --- Settings -------------------------------------------------------------------------------


def test_bad_interval_names_the_setting() -> None:
    with pytest.raises(ReviewSettingsError, match="REVIEW_INTERVAL_MONTHS"):
        review_settings({"REVIEW_INTERVAL_MONTHS": "two years"})


@pytest.mark.parametrize(
    ("reviewers", "named"),
    [
        (["jane-doe"], "REVIEWERS in pelicanconf.py must be a dict"),
        ({"Jane Doe": REVIEWERS["jane-doe"]}, "REVIEWERS key 'Jane Doe'"),
        (
            {"jane-doe": {"name": "Jane Doe", "role": "x"}},
            "REVIEWERS['jane-doe'] in pelicanconf.py lacks credentials",
        ),
        (
            {"jane-doe": "Jane Doe, MD"},
            "REVIEWERS['jane-doe'] in pelicanconf.py lacks name, credentials, role",
        ),
    ],
)
def test_a_malformed_registry_names_the_entry_and_the_fix(reviewers: Any, named: str) -> None:
    with pytest.raises(ReviewSettingsError, match=re.escape(named)):
        review_settings({"REVIEWERS": reviewers})


# --- Writing a review into a file -------------------------------------------------------------


def test_recording_a_review_rewrites_only_the_review_lines() -> None:
    text = REVIEWED.replace("\n", "\r\n")  # a file saved with Windows line endings
    history = ["2026-11-25 | sam-lee | Checked the doses", "2026-03-03 | jane-doe | First review"]
    fields = review_fields("sam-lee", TODAY, dt.date(2028, 11, 25), history)
    new = replace_fields(text, fields)
    before, after = text.split("\r\n\r\n", 1), new.split("\r\n\r\n", 1)
    assert after[1] == before[1], "the body is never rewritten"
    assert after[0].splitlines()[:5] == before[0].splitlines()[:5]
    assert after[0].split("\r\n")[5:] == [
        "Reviewed_by: sam-lee",
        "Last_reviewed: 2026-11-25",
        "Review_history:",
        "    2026-11-25 | sam-lee | Checked the doses",
        "    2026-03-03 | jane-doe | First review",
        "Next_review: 2028-11-25",  # absent before: added at the end of the block
    ]


def test_a_file_of_metadata_only_and_a_byte_order_mark_survive() -> None:
    fields = review_fields("jane-doe", TODAY, dt.date(2028, 11, 25), ["x"])
    assert replace_fields("Title: A", fields).splitlines()[:2] == [
        "Title: A",
        "Reviewed_by: jane-doe",
    ]
    entry = parse_history(["2026-11-25 | jane-doe | Checked"])[0][0]
    new, changed, _ = signed_text("\ufeff" + REVIEWED, entry, dt.date(2028, 11, 25))
    assert changed and new.startswith("\ufeffTitle: Reviewed guide\n")


def test_the_same_review_twice_adds_no_entry_and_a_new_note_replaces_the_old() -> None:
    entry = parse_history(["2026-11-25 | jane-doe | Checked the doses"])[0][0]
    once, changed, _ = signed_text(REVIEWED, entry, dt.date(2028, 11, 25))
    assert changed and once.count("2026-11-25 | jane-doe") == 1
    twice, changed, _ = signed_text(once, entry, dt.date(2028, 11, 25))
    assert not changed and twice == once
    amended = parse_history(["2026-11-25 | jane-doe | Checked the doses and the risks"])[0][0]
    third, changed, replaced = signed_text(once, amended, dt.date(2028, 11, 25))
    assert changed and replaced == "Checked the doses"
    assert third.count("2026-11-25 | jane-doe") == 1 and "and the risks" in third
    assert "2026-03-03 | jane-doe | First review" in third
    # Signed, changed, signed again the same day: two approvals of two texts, both kept.
    (first,) = parse_history(["2026-11-25 | jane-doe | Checked the doses | text 1a2b3c4d5e6f7a8b"])[
        0
    ]
    (second,) = parse_history(["2026-11-25 | jane-doe | Typo fixed | text 9f8e7d6c5b4a3f2e"])[0]
    signed_first, _, _ = signed_text(REVIEWED, first, dt.date(2028, 11, 25))
    both, changed, replaced = signed_text(signed_first, second, dt.date(2028, 11, 25))
    assert changed and not replaced
    assert both.index("Typo fixed | text 9f8e") < both.index("Checked the doses | text 1a2b")


def test_what_changed_names_the_section_after_a_picture_and_the_references() -> None:
    from clinical_review.fingerprint import what_changed

    before = ["Title: A", "## When is it given?", "[image: A timeline, in 4 steps]",
              "Most people go home the same day.", "## What to do next", "Ask your team.",
              "Hospira. Label. <https://example.org/a> https://example.org/a"]  # fmt: skip
    after = [*before[:3], "Most people go home that day.", *before[4:6],
             "Hospira. Label, 2024. <https://example.org/a> https://example.org/a"]  # fmt: skip
    source = ["Title: A", "", "## When is it given?", "", "![A timeline, in 4 steps](t.svg)",
              "", "Most people go home that day.", "", "## What to do next", "",
              "Ask your team.", "",
              "[^label]: Hospira. Label, 2024. https://example.org/a"]  # fmt: skip
    assert what_changed(before, after, source=source) == (
        'section "When is it given?" (line 7); the references (line 13)'
    )


# --- The page reads the same computation ------------------------------------------------------


@pytest.mark.parametrize(("months", "due"), [(24, "3 March 2028"), (12, "3 March 2027")])
def test_the_page_uses_the_review_interval_setting(
    build_small_site: Callable[..., Any], months: int, due: str
) -> None:
    overrides = {"REVIEW_INTERVAL_MONTHS": months, "REVIEWERS": REVIEWERS}
    built = build_small_site({"articles/reviewed.md": REVIEWED}, overrides)
    box = built.soup("articles/reviewed/index.html").select_one(".review-dates")
    assert f"next review due {due}." in " ".join(box.get_text().split())


# --- What a review approves --------------------------------------------------------------------


def test_a_review_approves_the_key_points_box_and_a_change_there_names_it(tmp_path: Any) -> None:
    """The key points leave the body when the file is read (the page shows them above it): the
    text a review approves holds them, so a changed key point reopens the review, and the
    change is named as the box's."""
    from pathlib import Path

    from clinical_review.fingerprint import source_fingerprint, source_lines, what_changed

    from commands.project import PROJECT_ROOT, load_settings

    settings = {**load_settings(), "PATH": str(tmp_path)}
    source = (PROJECT_ROOT / "content/articles/is-ketamine-safe.md").read_text(encoding="utf-8")
    point = "Do not drive for 24 hours after ketamine."
    assert point in source.split("\n\n")[1]  # the key points box, first in the body
    (tmp_path / "a.md").write_text(source, encoding="utf-8")
    (tmp_path / "b.md").write_text(
        source.replace(point, "Do not drive for 2 hours after ketamine."), encoding="utf-8"
    )
    (tmp_path / "c.md").write_text(
        source.replace(point, point.replace(" ", "  ")), encoding="utf-8"
    )
    before, after = (
        source_lines(Path(tmp_path / "a.md"), settings),
        source_lines(Path(tmp_path / "b.md"), settings),
    )
    assert before and after and "[key-points]" in before
    assert f"- {point} An adult must take you home.[^ketalarold][^mayo]" in before
    fingerprints = {
        name: source_fingerprint(tmp_path / name, settings) for name in ("a.md", "b.md", "c.md")
    }
    assert fingerprints["a.md"] != fingerprints["b.md"]  # a changed key point
    assert fingerprints["a.md"] == fingerprints["c.md"]  # whitespace is no change
    assert what_changed(before, after).startswith('the box "Key points" (line ')
    # Numbered as the Markdown file's lines when it is given: where the writer edits.
    edited = (tmp_path / "b.md").read_text(encoding="utf-8").splitlines()
    line = 1 + next(i for i, text in enumerate(edited) if "for 2 hours after" in text)
    assert what_changed(before, after, source=edited) == f'the box "Key points" (line {line})'
    # Read once, in the reading (worker) with the body's lines: the build's main process finds
    # them in the record, for these very points, and reads them itself for any other points.
    from clinical_review.fingerprint import key_point_lines
    from reading import SiteMarkdownReader

    _, metadata = SiteMarkdownReader(settings).read(str(tmp_path / "a.md"))
    record, points = metadata["record"], metadata["key_points"]["points"]
    assert record.key_points_read_from(points) and record.key_point_lines
    assert key_point_lines(metadata)[2:-1] == list(record.key_point_lines)
    changed = {**metadata, "key_points": {**metadata["key_points"], "points": points[1:]}}
    assert not record.key_points_read_from(points[1:])
    assert key_point_lines(changed)[2:-1] == list(record.key_point_lines)[1:]
