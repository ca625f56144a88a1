"""Articles signed off, then changed as a writer would change them (issue 25): the body, a care
card, the title; or only the line breaks.

The writer's check (while writing and for publishing), the page and its JSON-LD, the queue and
`invoke review --diff` all say "changed since review" for a real change and nothing for
whitespace. One project copy, signed off in one run, changed, checked and built once for the
module; in a file of its own (test_signoff.py holds the rest) so that pytest-xdist can run the
two side by side.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from test_signoff import (
    BODY,
    CARD,
    ES_CARD,
    ES_KEPT,
    SPACES,
    TITLE,
    TODAY,
    changed,
    edit,
    findings,
    project_with_reviewers,
)
from test_tasks import invoke


class Changed:
    """Every page due signed off in one `invoke review --due`, then four changed (three
    articles and a translation) and one only re-wrapped."""

    def __init__(self, project: Path) -> None:
        self.project = project
        signed = invoke(project, "review", "--due", "--reviewer", "jane-doe", "--note",
                        "First review", "--yes")  # fmt: skip
        assert signed.returncode == 0, signed.stdout + signed.stderr
        listed = signed.stdout.split("Signed ", 1)[1].splitlines()
        for file in (BODY, CARD, TITLE, SPACES, ES_CARD, ES_KEPT):
            assert f"  {file}" in listed, signed.stdout
        edit(project, ES_CARD, "llame o envíe un mensaje de texto al 988", "llame al 988")
        edit(project, BODY, "heart rate and breathing the whole time.",
             "heart rate and breathing now and then.")  # fmt: skip
        edit(project, CARD, "call or text 988", "call 988")
        edit(project, TITLE, "Title: Ketamine and surgery", "Title: Ketamine and operations")
        edit(project, SPACES, "In an infusion, a medicine goes slowly into a vein",
             "In an infusion,  a medicine goes\nslowly   into a vein")  # fmt: skip
        self.writing = findings(project)
        self.publishing = findings(project, "--production")
        self.queue = json.loads(invoke(project, "reviews", "--format", "json").stdout)
        self.queue_text = invoke(project, "reviews").stdout
        build = invoke(project, "build")
        assert build.returncode == 0, build.stdout + build.stderr

    def soup(self, file: str) -> BeautifulSoup:
        parts = Path(file).with_suffix("").parts
        url = ("es", "articles", parts[-1]) if parts[-2] == "es" else parts[1:]
        page = self.project / "output" / Path(*url)
        return BeautifulSoup((page / "index.html").read_text("utf-8"), "html.parser")

    def row(self, file: str) -> dict[str, Any]:
        (row,) = [row for row in self.queue["items"] if row["file"] == file]
        return row


@pytest.fixture(scope="module")
def after_changes(tmp_path_factory: pytest.TempPathFactory) -> Changed:
    return Changed(project_with_reviewers(tmp_path_factory.mktemp("changed") / "project"))


@pytest.mark.slow  # a project copy changed, checked and built twice
def test_a_change_after_the_review_is_a_warning_while_writing_an_error_for_publishing(
    after_changes: Changed,
) -> None:
    writing, publishing = changed(after_changes.writing), changed(after_changes.publishing)
    assert set(writing) == set(publishing) == {BODY, CARD, TITLE, ES_CARD}  # not SPACES
    for file, where in ((BODY, 'section "What can happen during a dose?"'),
                        (CARD, 'the care card "If you are in crisis"'),
                        (TITLE, "the title")):  # fmt: skip
        assert writing[file]["severity"] == "warning" and publishing[file]["severity"] == "error"
        message = writing[file]["message"]
        assert f"changed since its last review ({TODAY} by Jane Doe" in message, message
        assert re.search(r"\(lines? \d+", message), message
        assert where in message, message
    assert "--diff" in writing[BODY]["fix"]
    # The line is the file's, where the writer made the change (not the reviewed text's).
    edited = (after_changes.project / BODY).read_text("utf-8").splitlines()
    line = 1 + next(i for i, text in enumerate(edited) if "breathing now and then." in text)
    assert f'section "What can happen during a dose?" (line {line})' in writing[BODY]["message"]


@pytest.mark.slow  # reads the built project copy above
def test_the_page_no_longer_claims_the_review_of_the_old_text(after_changes: Changed) -> None:
    for file in (BODY, CARD, TITLE):
        soup = after_changes.soup(file)
        box = " ".join(soup.select_one(".review-dates").get_text().split())
        assert box.startswith("This page has changed since its last review on"), box
        assert soup.select_one(".review-dates time")["datetime"] == TODAY.isoformat()
        for script in soup.select('script[type="application/ld+json"]'):
            for node in json.loads(script.string).get("@graph", []):
                assert "reviewedBy" not in node and "lastReviewed" not in node, file
    kept = after_changes.soup(SPACES)
    box = " ".join(kept.select_one(".review-dates").get_text().split())
    assert box.startswith("Reviewed by Jane Doe, MD, board-certified in pain medicine on"), box
    # In Spanish: the wording, and the reviewer's credentials in the page's language.
    spanish = " ".join(after_changes.soup(ES_CARD).select_one(".review-dates").get_text().split())
    assert spanish.startswith("Esta página ha cambiado desde su última revisión, el "), spanish
    kept = " ".join(after_changes.soup(ES_KEPT).select_one(".review-dates").get_text().split())
    assert kept.startswith("Revisada por Jane Doe, médica, especialista en medicina"), kept


@pytest.mark.slow  # reads the built project copy above
def test_the_queue_lists_changed_since_review_with_the_date(after_changes: Changed) -> None:
    for file in (BODY, CARD, TITLE):
        row = after_changes.row(file)
        assert row["state"] == "changed" and row["last_reviewed"] == TODAY.isoformat()
        assert row["changed_since_review"]
    assert after_changes.row(SPACES)["state"] == "up-to-date"
    text = after_changes.queue_text
    assert f"changed since review {BODY}" in text
    assert f"changed since its review on {TODAY}" in text


def removed_lines(diff: str) -> str:
    return "\n".join(line for line in diff.splitlines() if line.startswith("-"))


def added_lines(diff: str) -> str:
    return "\n".join(line for line in diff.splitlines() if line.startswith("+"))


@pytest.mark.slow  # reads the built project copy above
def test_review_diff_shows_the_approved_text_against_the_text_now(after_changes: Changed) -> None:
    result = invoke(after_changes.project, "review", BODY, "--diff")
    assert result.returncode == 0, result.stderr
    assert "heart rate and breathing the whole time." in removed_lines(result.stdout)
    assert "heart rate and breathing now and then." in added_lines(result.stdout)
    assert "the approved text (found in git commit" in result.stdout
    assert f"Those line numbers are {BODY}'s." in result.stdout
