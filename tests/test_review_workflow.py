"""Clinical review as a workflow (issue 16), used the way a clinic uses it.

In a copy of the project with fixture clinicians in ``REVIEWERS`` (the shipped articles stay
unreviewed): ``invoke review`` signs a page off, ``invoke reviews`` lists what is due (text,
JSON, an iCalendar file), and the writer's check, the queue and the built pages agree on every
review state, because all of them read plugins/clinical_review. Every refusal names the file,
the field and the fix, and leaves every file as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from clinic import ClinicSettingsError, is_example_value
from clinical_review.review import ReviewSettingsError, format_history_line
from clinical_review.signoff import replace_fields, review_fields
from conftest import PROJECT_ROOT
from content_check.html_checks import axe_violations, serve_folder
from dates import add_months
from test_tasks import copy_project, invoke, snapshot

TODAY = dt.date.today()
# Clinicians for test data only: the site's own REVIEWERS holds an example entry.
FIXTURE_REVIEWERS = {
    "jane-doe": {
        "name": "Jane Doe",
        "credentials": "MD, board-certified in pain medicine",
        "role": "clinician",
        "title": "Pain medicine physician",
    },
    "sam-lee": {
        "name": "Sam Lee",
        "credentials": {"en": "PharmD", "es": "doctor en farmacia"},
        "role": "clinician",
        "title": "Clinical pharmacist",
    },
}
TWO_REVIEWS = "content/articles/is-ketamine-safe.md"
OVERDUE = "content/articles/ketamine-and-surgery.md"
DUE_SOON = "content/articles/ketamine-for-chronic-pain.md"
NEVER = "content/articles/ketamine-infusions-faq.md"
ENGLISH = "content/articles/ketamine-for-nerve-pain.md"
SPANISH = "content/articles/es/ketamine-for-nerve-pain.md"
# The project's own Spanish about page, replaced by a fixture text so that it is unreviewed
# whatever the real one says.
SPANISH_PAGE = "content/pages/es/about.md"

# A Spanish translation (same Slug, Lang: es) of the corpus article, which the check passes.
SPANISH_BODY = """\
!!! key-points "Puntos clave"
    - La ketamina puede aliviar algo de dolor de los nervios por poco tiempo.
    - No todas las personas sienten alivio.
    - Pregunte a su equipo de atención si le podría ayudar.

La ketamina es un medicamento que puede aliviar algo de dolor por poco tiempo.[^cohen] No \
ayuda a todas las personas. Esta página dice lo que sabemos y lo que no sabemos.

## ¿Qué es?

La ketamina se usa para dormir a las personas en una cirugía.[^label] En dosis bajas, puede \
calmar el dolor.[^bell]
Los médicos la usan para el dolor "fuera de etiqueta". Eso quiere decir que la FDA no la ha \
revisado para el dolor.[^asra]

## ¿Ayuda?

Unos pocos estudios pequeños vieron menos dolor por unas semanas.[^cohen] El efecto se suele \
pasar. No sabemos quién va a tener alivio.[^bell]

- Pregunte cuántas sesiones le harían falta.
- Pregunte qué efectos secundarios puede tener.

Vuelva a leer [¿Ayuda?](#ayuda) si tiene dudas.

## Lo que aún no se sabe

Los estudios no han mostrado cuánto dura el alivio.[^bell]

## Qué hacer ahora

Hable con su equipo de atención sobre su dolor y sus opciones.

"""
SPANISH_PAGE_TEXT = """\
Title: Sobre nosotros
Slug: about
Lang: es
Kind: clinical
Summary: Quiénes somos y cómo escribimos nuestras guías para pacientes.

Somos una clínica del dolor. Escribimos estas páginas para ayudarle a hablar con su equipo.
Unos pocos estudios pequeños vieron menos dolor por unas semanas.[^cohen]

[^cohen]: Cohen SP, et al. Consensus guidelines on intravenous ketamine infusions for chronic \
pain. *Reg Anesth Pain Med.* 2018;43(5):521-546. doi:10.1097/AAP.0000000000000808
"""  # a clinical page needs a source (issue 25)


def corpus() -> Any:
    """tests/broken_content/generate.py: the corpus article every check fixture starts from."""
    sys.path.insert(0, str(PROJECT_ROOT / "tests" / "broken_content"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    return generate


def unreviewed(meta: dict[str, Any] | None = None, body: str | None = None) -> str:
    """The corpus article with no review yet (and some metadata changed)."""
    generate = corpus()
    changes = {"Reviewed_by": "", "Last_reviewed": "", "Next_review": "", "Review_history": None}
    return generate.article({**changes, **(meta or {})}, body or generate.BODY)


def spanish_translation() -> str:
    """The corpus article's Spanish translation, unreviewed."""
    generate = corpus()
    references = "[^cohen]:" + generate.BODY.split("\n\n[^cohen]:", maxsplit=1)[1]
    meta = {
        "Title": "La ketamina para el dolor de los nervios",
        "Lang": "es",
        "Summary": "Lo que la ketamina puede hacer por el dolor de los nervios, y qué "
        "preguntarle a su equipo de atención.",
    }
    return unreviewed(meta, SPANISH_BODY + references)


def make_project(destination: Path) -> Path:
    """A copy of the project with the fixture clinicians, the corpus article and its Spanish
    translation, and a Spanish page: none of them reviewed."""
    project = copy_project(destination)
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write(f"\n# Test data.\nREVIEWERS = {FIXTURE_REVIEWERS!r}\n")
    for name, text in ((ENGLISH, unreviewed()), (SPANISH, spanish_translation()),
                       (SPANISH_PAGE, SPANISH_PAGE_TEXT)):  # fmt: skip
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    return project


def unreviewed_translations(project: Path) -> set[str]:
    """Every Spanish source in a project (the edition it ships and the fixture's) that needs a
    clinician and whose ``Reviewed_by`` is still empty, as content/articles/es/x.md paths."""
    return {
        path.relative_to(project).as_posix()
        for path in (project / "content").glob("*/es/*.md")
        if not re.search(r"^Reviewed_by:[ \t]*\S", metadata_and_body(path)[0], re.MULTILINE)
        # General pages need no sign-off (issue 25); articles and clinical pages do.
        and (path.parts[-3] == "articles" or "Kind: clinical" in metadata_and_body(path)[0])
    }


def unreviewed_clinical_pages(project: Path) -> set[str]:
    """The site's own (English) pages marked ``Kind: clinical`` (the tool pages, the glossary)
    whose ``Reviewed_by`` is still empty: since issue 25 they need a clinician's sign-off."""
    return {
        path.relative_to(project).as_posix()
        for path in (project / "content" / "pages").glob("*.md")
        if "Kind: clinical" in metadata_and_body(path)[0]
        and not re.search(r"^Reviewed_by:[ \t]*\S", metadata_and_body(path)[0], re.MULTILINE)
    }


def record(path: Path, reviews: list[tuple[dt.date, str, str]]) -> None:
    """Test data: reviews (newest first) written into a file as `invoke review` writes them."""
    from clinical_review.fingerprint import source_fingerprint
    from content_check.runner import load_pelican_settings

    project = next(folder for folder in path.parents if (folder / "pelicanconf.py").exists())
    approved = source_fingerprint(path, load_pelican_settings(project, production=False))
    day, key, _ = reviews[0]
    # The newest review approved the text as it is (its fingerprint, as `invoke review` records).
    lines = [format_history_line(*reviews[0], approved)]
    lines += [format_history_line(*review) for review in reviews[1:]]
    fields = review_fields(key, day, add_months(day, 24), lines)
    path.write_text(replace_fields(path.read_text(encoding="utf-8"), fields), encoding="utf-8")


def metadata_and_body(path: Path) -> tuple[str, str]:
    """A Markdown file's metadata block and its body (the text after the first blank line)."""
    head, body = path.read_text(encoding="utf-8").split("\n\n", 1)
    return head, body


# --- One project in every state -----------------------------------------------------------------

# A page in each review state (and the translations), whose check findings the tests read.
STATE_FILES = (TWO_REVIEWS, OVERDUE, DUE_SOON, NEVER, SPANISH, SPANISH_PAGE)


class States:
    """The project in every review state, and what the check, the queue and the build said."""

    def __init__(self, project: Path) -> None:
        self.project = project
        self.review_output = invoke(
            project, "review", TWO_REVIEWS, "--reviewer", "jane-doe",
            "--note", "Checked the side effects against the current label; added bladder risks",
        )  # fmt: skip
        # The check's findings of the pages the tests ask about (the whole check's findings of
        # each, tests/test_check_file.py; only those files are checked).
        check = invoke(project, "check", "--production", "--format", "json", "--", *STATE_FILES)
        self.check = json.loads(check.stdout)
        self.queue = json.loads(invoke(project, "reviews", "--format", "json").stdout)
        self.queue_text = invoke(project, "reviews").stdout
        ics = invoke(project, "reviews", "--format", "ics", "--output", "reviews.ics")
        assert ics.returncode == 0, ics.stderr
        self.calendar = (project / "reviews.ics").read_bytes()
        build = invoke(project, "build")
        assert build.returncode == 0, build.stdout + build.stderr
        self.output = project / "output"

    def soup(self, source: str) -> BeautifulSoup:
        """The built page of a content file (content/articles/[es/]x.md)."""
        parts = Path(source).with_suffix("").parts
        url = "/".join(("es", "articles", parts[-1]) if parts[-2] == "es" else parts[1:])
        return BeautifulSoup((self.output / url / "index.html").read_text("utf-8"), "html.parser")

    def codes(self, source: str) -> set[str]:
        """The check's review codes (production rules) for a content file."""
        return {
            f["code"] for f in self.check["findings"]
            if f["file"] == source and f["code"].startswith("review-")
        }  # fmt: skip

    def state(self, source: str) -> dict[str, Any]:
        """The queue's row for a content file."""
        (row,) = [row for row in self.queue["items"] if row["file"] == source]
        return row


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> States:
    """Reviews recorded at different times: up to date (two reviews), due soon, overdue,
    never reviewed (an English article and its translation, a translated page)."""
    project = make_project(tmp_path_factory.mktemp("states") / "project")
    first = (
        TODAY - dt.timedelta(days=3),
        "sam-lee",
        "First review: doses and interactions checked",
    )
    record(project / TWO_REVIEWS, [first])  # then `invoke review` adds today's on top
    due_soon = add_months(TODAY, -24) + dt.timedelta(days=10)
    record(project / DUE_SOON, [(due_soon, "jane-doe", "First review")])
    overdue = add_months(TODAY, -25)
    record(project / OVERDUE, [(overdue, "sam-lee", "First review")])
    return States(project)


@pytest.mark.slow  # the module's project: invoke review, check and build
def test_invoke_review_adds_todays_review_on_top_of_the_history(states: States) -> None:
    assert states.review_output.returncode == 0, states.review_output.stderr
    assert "Recorded the review of content/articles/is-ketamine-safe.md" in (
        states.review_output.stdout
    )
    head, _ = metadata_and_body(states.project / TWO_REVIEWS)
    lines = head.splitlines()
    assert "Reviewed_by: jane-doe" in lines and f"Last_reviewed: {TODAY}" in lines
    assert f"Next_review: {add_months(TODAY, 24)}" in lines
    history = lines[lines.index("Review_history:") + 1 :]
    assert [line.split(" | ")[:2] for line in history] == [
        ["    " + TODAY.isoformat(), "jane-doe"],
        ["    " + (TODAY - dt.timedelta(days=3)).isoformat(), "sam-lee"],
    ]


@pytest.mark.slow  # reads the module's built project
def test_the_check_the_queue_and_the_pages_agree_on_every_state(states: States) -> None:
    """One implementation: what the check reports, what `invoke reviews` says and what the page
    shows are the same state for each article."""
    expected = {
        OVERDUE: ({"review-overdue"}, "overdue", True, "Reviewed by Sam Lee, PharmD"),
        DUE_SOON: ({"review-due-soon"}, "due-soon", False, "Reviewed by Jane Doe, MD,"),
        TWO_REVIEWS: (set(), "up-to-date", False, "Reviewed by Jane Doe, MD,"),
        NEVER: ({"review-missing"}, "unreviewed", False, "This page has not yet been reviewed"),
        # A translation says it once, near its top (not again in the box at the end).
        SPANISH: ({"review-missing"}, "unreviewed", False, "Esta página es una traducción"),
    }
    for source, (codes, state, banner, box) in expected.items():
        assert states.codes(source) == codes, source
        assert states.state(source)["state"] == state, source
        soup = states.soup(source)
        assert bool(soup.select(".review-banner")) == banner, source
        said = soup.select(".review-dates, .translation-notice")
        assert len(said) == 1 and said[0].get_text().strip().startswith(box), source
    # Publishing refuses what is overdue or unreviewed, and nothing else of these.
    errors = {f["file"] for f in states.check["findings"] if f["severity"] == "error"}
    assert {OVERDUE, NEVER, SPANISH, SPANISH_PAGE} <= errors
    assert not {DUE_SOON, TWO_REVIEWS} & errors


@pytest.mark.slow  # reads the module's built project
def test_reviews_lists_the_most_urgent_first_with_the_last_reviewer(states: States) -> None:
    files = [row["file"] for row in states.queue["items"]]
    assert files[0] == OVERDUE and files[-2:] == [DUE_SOON, TWO_REVIEWS]
    # Never reviewed: two English articles, the shipped clinical pages (tool pages, glossary)
    # and every unreviewed translation, the Spanish edition's articles and pages included.
    translations = unreviewed_translations(states.project)
    assert {SPANISH, SPANISH_PAGE} <= translations
    clinical_pages = unreviewed_clinical_pages(states.project)
    assert "content/pages/pain-diary.md" in clinical_pages
    assert set(files[1:-2]) == {NEVER, ENGLISH} | translations | clinical_pages
    for path in (states.project / "content").glob("articles/es/*.md"):
        assert path.relative_to(states.project).as_posix() in files  # reviewed or not
    # General pages and their translations need no sign-off (REVIEW_GENERAL_PAGES: "none").
    assert "content/pages/about.md" not in files
    assert "content/pages/es/privacy.md" not in files
    assert "content/pages/es/accessibility.md" not in files
    row = states.state(TWO_REVIEWS)
    assert row["reviewer"] == {"key": "jane-doe", **FIXTURE_REVIEWERS["jane-doe"]}
    assert row["due"] == add_months(TODAY, 24).isoformat() and row["days_until_due"] > 700
    assert states.state(OVERDUE)["days_until_due"] < 0
    text = states.queue_text
    assert text.index("overdue") < text.index("never reviewed") < text.index("due soon")
    assert "last reviewed" in text and "by Sam Lee, PharmD (sam-lee)" in text


@pytest.mark.slow  # reads the module's built project
def test_the_calendar_has_one_event_per_upcoming_due_date(states: States) -> None:
    from icalendar import Calendar

    calendar = Calendar.from_ical(states.calendar)
    assert calendar["VERSION"] == "2.0" and "Clinical review" in str(calendar["PRODID"])
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    due = {row["title"]: row["due"] for row in states.queue["items"]
           if row["due"] and row["days_until_due"] >= 0}  # fmt: skip
    assert len(due) == 2 and set(events) == {f"Clinical review due: {t}" for t in due}
    for title, day in due.items():
        event = events[f"Clinical review due: {title}"]
        assert event.decoded("DTSTART") == dt.date.fromisoformat(day)
        assert event.decoded("DTEND") == dt.date.fromisoformat(day) + dt.timedelta(days=1)
        (alarm,) = event.walk("VALARM")
        assert alarm.decoded("TRIGGER") == dt.timedelta(days=-30)  # REVIEW_DUE_SOON_DAYS
    assert len({str(event["UID"]) for event in events.values()}) == 2


@pytest.mark.slow  # reads the module's built project
def test_the_page_history_lists_each_review_from_the_registry(states: States) -> None:
    soup = states.soup(TWO_REVIEWS)
    history = soup.select_one("article details.page-history")
    assert history.select_one("summary").get_text(strip=True) == "Page history"
    assert not history.has_attr("open")  # closed until the reader opens it
    entries = [" ".join(li.get_text().split()) for li in history.select(".page-history__entry")]
    assert (
        entries[0].startswith(f"{TODAY.day} ") and "Reviewed by Jane Doe, MD, board-" in entries[0]
    )
    assert "Reviewed by Sam Lee, PharmD First review: doses and interactions" in entries[1]
    assert [t["datetime"] for t in history.select("time")] == [
        TODAY.isoformat(), (TODAY - dt.timedelta(days=3)).isoformat()
    ]  # fmt: skip
    box = " ".join(soup.select_one(".review-dates").get_text().split())
    assert box.endswith(f"next review due {add_months(TODAY, 24).day} "
                        f"{add_months(TODAY, 24):%B %Y}.")  # fmt: skip
    assert not states.soup(NEVER).select(".page-history")  # no history, no disclosure


@pytest.mark.slow  # reads the module's built project
def test_json_ld_names_the_reviewer_only_from_a_recorded_review(states: States) -> None:
    def medical_webpage(source: str) -> dict:
        for script in states.soup(source).select('script[type="application/ld+json"]'):
            for node in json.loads(script.string).get("@graph", []):
                if node["@type"] == "MedicalWebPage":
                    return node
        raise AssertionError(source)

    reviewed = medical_webpage(TWO_REVIEWS)
    assert reviewed["lastReviewed"] == TODAY.isoformat()
    assert reviewed["reviewedBy"] == {
        "@type": "Person",
        "name": "Jane Doe",
        "honorificSuffix": "MD, board-certified in pain medicine",
        "jobTitle": "Pain medicine physician",
    }
    assert "reviewedBy" not in medical_webpage(NEVER)
    assert "lastReviewed" not in medical_webpage(SPANISH)


# Where two elements span on the page (page coordinates): [top of the first, bottom of the last].
PAGE_SPAN = """([first, last]) => {
  const a = document.querySelector(first).getBoundingClientRect();
  const b = document.querySelector(last).getBoundingClientRect();
  return [a.top + window.scrollY, b.bottom + window.scrollY];
}"""


@pytest.mark.browser
def test_page_history_and_overdue_banner_in_chromium(
    states: States, page: Any, artifacts_dir: Path
) -> None:
    """Screenshots for a person to look at; axe finds nothing in light or dark; the history
    opens from the keyboard, without JavaScript."""
    with serve_folder(states.output) as base:
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            for source in (TWO_REVIEWS, OVERDUE):
                page.goto(
                    base
                    + "/"
                    + Path(source).with_suffix("").relative_to("content").as_posix()
                    + "/"
                )
                assert axe_violations(page) == [], (scheme, source)
        page.emulate_media(color_scheme="light")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{base}/articles/is-ketamine-safe/")
        entries = page.locator(".page-history__entry")
        assert not entries.first.is_visible()
        page.locator(".page-history__summary").focus()
        page.keyboard.press("Enter")
        assert entries.first.is_visible() and entries.count() == 2
        page.evaluate("document.activeElement.blur()")
        top, bottom = page.evaluate(PAGE_SPAN, ["article .review-dates", "article .page-history"])
        page.screenshot(
            path=artifacts_dir / "review-page-history.png",
            full_page=True,
            clip={"x": 0, "y": top - 16, "width": 390, "height": bottom - top + 32},
        )
        page.screenshot(path=artifacts_dir / "review-page-history-full.png", full_page=True)
        page.goto(f"{base}/articles/ketamine-and-surgery/")
        banner = page.locator(".review-banner")
        assert banner.is_visible() and "Review overdue:" in banner.inner_text()
        page.screenshot(path=artifacts_dir / "review-overdue-banner.png")


# --- invoke review: recording, and every refusal ------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the project with the fixture clinicians."""
    return make_project(tmp_path / "project")


@pytest.fixture
def in_process() -> Iterator[None]:
    """Run the workflow in this process on a copied project.

    Reading a project's pelicanconf.py puts it in ``sys.modules``; that and the import path are
    put back afterwards, so later tests read the real project's settings.
    """
    saved_modules = {name: sys.modules.get(name) for name in ("pelicanconf", "publishconf")}
    saved_path = list(sys.path)
    yield
    sys.path[:] = saved_path
    for name, module in saved_modules.items():
        if module is None:
            sys.modules.pop(name, None)
        else:
            sys.modules[name] = module


@pytest.mark.slow  # invoke review twice and check
def test_review_twice_the_same_day_adds_nothing_and_never_rewrites_the_body(
    project: Path,
) -> None:
    path = project / NEVER
    _, body = metadata_and_body(path)
    first = invoke(project, "review", NEVER, "--reviewer", "sam-lee", "--note", "First review")
    assert first.returncode == 0, first.stderr
    once = path.read_bytes()
    again = invoke(project, "review", NEVER, "--reviewer", "sam-lee", "--note", "First review")
    assert again.returncode == 0 and "already recorded; nothing was changed" in again.stdout
    assert path.read_bytes() == once
    head, after = metadata_and_body(path)
    assert after == body, "the body is never rewritten"
    assert head.count(f"{TODAY} | sam-lee | First review") == 1
    check = json.loads(invoke(project, "check", "--format", "json", "--file", NEVER).stdout)
    assert check["files_checked"] == 1  # NEVER's findings, as the whole check gives them
    findings = check["findings"]
    assert not [f for f in findings if f["file"] == NEVER and f["code"].startswith("review-")]


def test_a_refusal_on_the_command_line_names_the_file_the_field_and_the_fix(
    project: Path,
) -> None:
    before = snapshot(project / "content")
    result = invoke(project, "review", NEVER, "--reviewer", "jane-do", "--note", "Checked")
    assert result.returncode == 1
    message = result.stderr
    assert f"Refused: {NEVER}, --reviewer:" in message
    assert 'did you mean "jane-doe"' in message and "Fix: Use a key of REVIEWERS" in message
    assert "Nothing was changed." in message and "Traceback" not in message
    assert snapshot(project / "content") == before


def _history_line(project: Path, line: str) -> None:
    """Give NEVER a recorded review whose history holds ``line`` too."""
    record(project / NEVER, [(TODAY - dt.timedelta(days=5), "sam-lee", "First review")])
    path = project / NEVER
    path.write_text(
        path.read_text("utf-8").replace("Review_history:\n", f"Review_history:\n    {line}\n"),
        "utf-8",
    )


def _keep_the_example_reviewer(project: Path) -> None:
    """Put the site's example entry back in REVIEWERS, next to the fixture clinicians."""
    example = {"name": "Example Reviewer", "credentials": "MD (example credentials)",
               "role": "clinician", "title": "Example role: pain medicine physician"}  # fmt: skip
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write(f"REVIEWERS['example-reviewer'] = {example!r}\n")


REFUSALS: dict[str, tuple[Callable[[Path], object], str, str, list[str]]] = {
    # name: (make the file bad, reviewer, note, what the message says)
    "unknown reviewer": (lambda p: None, "jane-do", "Checked", ["--reviewer", 'did you mean']),
    "example reviewer": (
        _keep_the_example_reviewer, "example-reviewer", "Checked",
        ["--reviewer", "example entry of REVIEWERS"],
    ),
    "empty note": (lambda p: None, "sam-lee", "   ", ["--note", "it is empty"]),
    "future date in history": (
        lambda p: _history_line(p, f"{TODAY + dt.timedelta(days=30)} | sam-lee | Ahead"),
        "sam-lee", "Checked", ["its content", "review-future", "after today"],
    ),
    "history entry without a reviewer": (
        lambda p: _history_line(p, f"{TODAY - dt.timedelta(days=9)} |  | Someone checked it"),
        "sam-lee", "Checked", ["its content", "review-incomplete", "names no reviewer"],
    ),
    "history that does not parse": (
        lambda p: _history_line(p, "last spring, Dr Lee checked the doses"),
        "sam-lee", "Checked", ["its content", "meta-form", "Review_history line"],
    ),
    "a draft": (
        lambda p: (p / NEVER).write_text(
            (p / NEVER).read_text("utf-8").replace("Summary:", "Status: draft\nSummary:"), "utf-8"),
        "sam-lee", "Checked", ["Status (line", "it is a draft", "remove the `Status: draft`"],
    ),
    "an article with check errors": (
        lambda p: (p / NEVER).write_text(
            (p / NEVER).read_text("utf-8").replace("\n\n", "\n\nThis cures pain.\n\n", 1),
            "utf-8"),
        "sam-lee", "Checked", ["its content", "claim-absolute", "invoke check"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(REFUSALS))
@pytest.mark.usefixtures("in_process")
def test_each_refusal_names_the_file_field_and_fix_and_changes_nothing(
    project: Path, case: str
) -> None:
    from commands.workflow import ReviewRefused, sign_off

    make_bad, reviewer, note, expected = REFUSALS[case]
    make_bad(project)
    before = snapshot(project / "content")
    with pytest.raises(ReviewRefused) as refused:
        sign_off(project, NEVER, reviewer, note)
    message = str(refused.value)
    assert message.startswith(f"Refused: {NEVER}, ") and "\nFix: " in message, message
    assert message.endswith("Nothing was changed."), message
    for words in expected:
        assert words in message, (words, message)
    assert snapshot(project / "content") == before


@pytest.mark.usefixtures("in_process")
def test_pages_in_the_sites_language_and_missing_files_are_refused(project: Path) -> None:
    from commands.workflow import ReviewRefused, sign_off

    before = snapshot(project / "content")
    with pytest.raises(ReviewRefused, match=r"content/pages/about\.md, Kind: .*needs no sign-off"):
        sign_off(project, "content/pages/about.md", "sam-lee", "Checked")
    with pytest.raises(ReviewRefused, match=r"content/articles/nope\.md, the file: there is no"):
        sign_off(project, "content/articles/nope.md", "sam-lee", "Checked")
    assert snapshot(project / "content") == before


# --- Translations are reviewed on their own (issue 18) ---------------------------------------


@pytest.mark.slow  # invoke review and check in a project copy
@pytest.mark.usefixtures("in_process")
def test_a_translation_is_reviewed_on_its_own(project: Path) -> None:
    from content_check.file_cache import FileFindings
    from content_check.runner import check_sources, collect_sources, load_pelican_settings

    from commands.workflow import review_queue, sign_off

    def states() -> dict[str, str]:
        return {item.file: item.state.kind for item in review_queue(project, TODAY)}

    def publishing_errors() -> set[tuple[str, str]]:
        settings = load_pelican_settings(project, production=False)
        sources, _, content_dir = collect_sources(project, settings)
        # As `invoke check` keeps them: the second call works out only the files signed since.
        kept = FileFindings(project, settings, content_dir, TODAY, production=True)
        found = check_sources(sources, settings, TODAY, production=True, kept=kept)
        return {(f.file, f.code) for f in found if f.is_error and f.code.startswith("review-")}

    translations = unreviewed_translations(project)  # the fixture's and the shipped edition's
    assert {SPANISH, SPANISH_PAGE} <= translations
    sign_off(project, ENGLISH, "jane-doe", "First review")
    assert states()[ENGLISH] == "up-to-date" and states()[SPANISH] == "unreviewed"
    errors = publishing_errors()
    assert {(name, "review-missing") for name in translations} <= errors
    # Of the site's own English pages only the clinical ones need a review (issue 25); the
    # general ones (about, privacy...) do not.
    clinical_pages = unreviewed_clinical_pages(project)
    assert "content/pages/glossary.md" in clinical_pages
    assert {f for f in errors if f[0].startswith("content/pages/") and
            not f[0].startswith("content/pages/es/")} == {
        (name, "review-missing") for name in clinical_pages}  # fmt: skip
    sign_off(project, SPANISH, "sam-lee", "Revisión de la traducción")
    sign_off(project, SPANISH_PAGE, "sam-lee", "Revisión de la traducción")
    assert states()[SPANISH] == states()[SPANISH_PAGE] == "up-to-date"
    errors = publishing_errors()
    assert not {f for f in errors if f[0] in (ENGLISH, SPANISH, SPANISH_PAGE)}
    # Signing two translations off leaves every other one unreviewed.
    others = translations - {SPANISH, SPANISH_PAGE}
    assert {(name, "review-missing") for name in others} <= errors
    english, spanish = (metadata_and_body(project / name)[0] for name in (ENGLISH, SPANISH))
    assert "| jane-doe | First review" in english and "jane-doe" not in spanish


def test_a_reviewed_translation_shows_its_history_in_spanish(
    build_small_site: Callable[..., Any],
) -> None:
    day = dt.date(2026, 11, 20)
    text = replace_fields(
        spanish_translation(),
        review_fields("sam-lee", day, add_months(day, 24),
                      [format_history_line(day, "sam-lee", "Revisión de la traducción")]),
    )  # fmt: skip
    built = build_small_site(
        {"articles/ketamine-for-nerve-pain.md": unreviewed(),
         "articles/es/ketamine-for-nerve-pain.md": text},
        {"REVIEWERS": FIXTURE_REVIEWERS},
    )  # fmt: skip
    soup = built.soup("es/articles/ketamine-for-nerve-pain/index.html")
    assert soup.select_one(".page-history__summary").get_text() == "Historial de la página"
    entry = " ".join(soup.select_one(".page-history__entry").get_text().split())
    # Credentials in the page's language (REVIEWERS gives them per language).
    assert entry == ("20 de noviembre de 2026 Revisada por Sam Lee, doctor en farmacia "
                     "Revisión de la traducción")  # fmt: skip
    box = " ".join(soup.select_one(".review-dates").get_text().split())
    assert box == ("Revisada por Sam Lee, doctor en farmacia el 20 de noviembre de 2026; "
                   "próxima revisión: "
                   "20 de noviembre de 2028.")  # fmt: skip
    assert not soup.select(".translation-notice")  # reviewed: the notice goes
    english = built.soup("articles/ketamine-for-nerve-pain/index.html")
    assert english.select_one(".review-dates--pending")  # the original is not reviewed by it


# --- Settings: the registry and the example values ------------------------------------------


def test_production_refuses_every_example_value_the_clinic_must_replace(
    build_small_site: Callable[..., Any],
) -> None:
    supplied_clinic = {
        "name": "Westside Pain Specialists",
        "offices": [{"name": "North Office", "street": "1 Main St", "locality": "Santa Monica",
                     "region": "CA", "postal_code": "90401", "country": "US",
                     "phone": "(310) 555-2368"}],
        "booking_url": "https://booking.clinic.test/westside",
        "contact_url": "https://forms.clinic.test/westside/contact",
    }  # fmt: skip
    with pytest.raises(ClinicSettingsError) as refused:
        build_small_site({}, {"CLINIC": supplied_clinic, "REFUSE_EXAMPLE_CLINIC_DETAILS": True})
    message = str(refused.value)
    for setting in (
        "REVIEWERS['example-reviewer']['name'] = 'Example Reviewer'",
        "AUTHORS['example-author']['name'] = 'Example Author'",
        "LANGUAGES['en']['clinic_rules']['after_treatment']['text'][0] = 'Example:",
        "LANGUAGES['es']['clinic_rules']['after_treatment']['text'][0] = 'Ejemplo:",
        "LANGUAGE_HELP['en']['text'] = 'Example:",
        "LANGUAGE_HELP['es']['text'] = 'Ejemplo:",
    ):
        assert setting in message, setting
    assert "CLINIC[" not in message  # the supplied clinic details pass


def test_for_example_in_the_clinics_own_wording_is_not_a_placeholder() -> None:
    assert not is_example_value("text", "Bring a friend, for example, to drive you home.")
    assert is_example_value("name", "Example Reviewer")
    assert is_example_value("text", "Ejemplo: pida un intérprete.")
    assert not is_example_value("text", "Traiga, por ejemplo, a alguien que le lleve a casa.")


def test_a_malformed_reviewers_setting_stops_the_build_naming_it(
    build_small_site: Callable[..., Any],
) -> None:
    with pytest.raises(ReviewSettingsError, match=r"REVIEWERS\['jane-doe'\] in pelicanconf.py"):
        build_small_site({}, {"REVIEWERS": {"jane-doe": {"name": "Jane Doe"}}})
