"""`invoke review`, `invoke reviews` and `invoke translations`: sign-offs, the review queue,
and the word catalogues (with ``--synced``, a translation's sync with its original)."""

from __future__ import annotations

import datetime as dt
import os
import shlex
import sys
from pathlib import Path

import clinical_review
import translations as catalogues
from invoke import Context, Exit

from commands import workflow
from commands.project import CONTENT_DIR, PROJECT_ROOT, load_settings
from commands.stopping import scratch_folder

REVIEW_FORMATS = ("human", "json", "ics")
PACKET_FOLDER = PROJECT_ROOT / "output-packets"
# The packet's build: the article as readers would see it, before its review lets it publish.
PACKET_BUILD = {
    "REFUSE_EXAMPLE_CLINIC_DETAILS": False,
    "REQUIRE_CLINICAL_REVIEW": False,
    "SEARCH_INDEX": False,
    "HANDOUTS": False,
}


def review(file: str, reviewer: str, note: str, mode: str = "sign", yes: bool = False) -> None:
    """`invoke review`: record a review of ``file`` today; or (``mode``) print its paper
    packet, show what changed since the last review, or sign everything due."""
    if mode == "due":
        sign_everything_due(reviewer, note, yes)
        return
    if not file:
        raise Exit("Name the file reviewed (invoke review FILE ...), or use --due.", code=1)
    if mode == "packet":
        write_review_packet(file)
    elif mode == "diff":
        print(workflow.review_diff(PROJECT_ROOT, file))
    else:
        print(workflow.describe_sign_off(workflow.sign_off(PROJECT_ROOT, file, reviewer, note)))


def sign_everything_due(reviewer: str, note: str, yes: bool) -> None:
    """`invoke review --due`: list what the reviewer may sign, ask once, sign each."""
    items = workflow.due_for(PROJECT_ROOT, reviewer)
    if not " ".join(note.split()):
        raise workflow.ReviewRefused("--due", "--note", "it is empty; readers see each "
                                     "review's note in the page history.",
                                     'Say what the review confirmed: --note "..."')  # fmt: skip
    if not items:
        print(f"Nothing is due that {reviewer} may sign.")
        return
    print(f"Due, and {reviewer} may sign ({len(items)}):")
    for item in items:
        print(f"  {workflow.STATE_LABELS[item.state.kind]:<21} {item.file}")
    if not yes:
        try:
            answer = input(
                f'Sign all {len(items)} off as {reviewer}, with the note "{note}"? [y/N] '
            )
        except EOFError:  # no one to answer (a script, input from /dev/null)
            raise Exit(
                "\nNo answer, so nothing was signed (--yes signs without asking).", code=1
            ) from None
        if answer.strip().lower() not in ("y", "yes"):
            raise Exit("Nothing was signed.", code=1)
    run = workflow.sign_due(PROJECT_ROOT, [item.file for item in items], reviewer, note)
    print(workflow.describe_due(run))
    if run.refused:
        raise Exit(code=1)


def write_review_packet(file: str) -> Path:
    """Build the production site in a scratch folder and print ``file``'s article with a
    sign-off box into output-packets/; print where it is."""
    if not os.environ.get("SITEURL", "").strip().startswith(("https://", "http://")):
        raise Exit(
            "The packet's QR code and address lead to the article on the web: set SITEURL, e.g. "
            f"SITEURL=https://www.your-clinic.org invoke review {file} --packet",
            code=1,
        )
    # Only the packet prints (Chromium, lxml) or builds: the other reviewing commands start
    # without them.
    import handouts as handout_printing  # the plugins' library (plugins/handouts)

    from commands.build import build_site

    try:
        source = handout_printing.packet_source(PROJECT_ROOT, file)
        # The paper and the words are the site's (pelicanconf.py); the build is production's.
        settings = load_settings()
        paper = handout_printing.paper_setting(settings)
        words = handout_printing.WordBook.from_settings(settings)
        with scratch_folder() as scratch:
            built = build_site(load_settings(True, PACKET_BUILD), scratch, mark_output=False)
            if not built:
                raise Exit(f"The build failed, so no packet was printed for {file}.", code=1)
            destination = PACKET_FOLDER / f"{source.file_stem}.pdf"
            handout_printing.write_packet(
                scratch, source.url_path, destination, paper, words, settings=settings
            )
    except (handout_printing.HandoutError, handout_printing.HandoutSettingError) as error:
        raise Exit(f"No packet was printed: {error}", code=1) from None
    print(f"Wrote the review packet of {source.name} to {destination}: print it, review the "
          f"text, fill in the sign-off box; then record the review with invoke review {file} "
          "--reviewer KEY --note \"...\".")  # fmt: skip
    return destination


def reviews(output_format: str = "human", output: str = "") -> None:
    """`invoke reviews`: every article and translation by review state, most urgent first."""
    if output_format not in REVIEW_FORMATS:
        raise Exit(
            f"--format is one of {', '.join(REVIEW_FORMATS)}, not {output_format!r}.", code=1
        )
    today, settings = dt.date.today(), load_settings()
    items = workflow.review_queue(PROJECT_ROOT, today, settings)
    count, what = len(items), "page(s)"
    if output_format == "ics":
        remind = clinical_review.review_settings(settings).due_soon_days
        siteurl = os.environ.get("SITEURL", "") or settings.get("SITEURL", "")
        data, count = workflow.queue_calendar(items, today, settings["SITENAME"], remind, siteurl)
        what = "event(s)"
    else:
        queue = workflow.queue_json if output_format == "json" else workflow.queue_text
        data = (queue(items, today) + "\n").encode("utf-8")
    if not output:
        sys.stdout.buffer.write(data)
        return
    destination = Path(output).resolve()
    if destination.is_relative_to(CONTENT_DIR):
        raise Exit(f"Refusing to write {output} into content/: the site would publish it.", 1)
    destination.write_bytes(data)
    print(f"Wrote {count} {what} to {output}.")


def _dated_only(before: str, after: str) -> bool:
    """Whether a catalogue changed only in the date pybabel stamps on each update."""

    def undated(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.startswith('"POT-Creation-Date:')]

    return undated(before) == undated(after)


def translations(c: Context, synced: str = "", changes: str = "") -> None:
    """`invoke translations`: the word catalogues updated from the templates and plugins, and
    what is left to translate; with ``synced``, record that translation's sync instead; with
    ``changes``, show what its original changed since the sync."""
    if synced:
        print(workflow.describe_synced(workflow.mark_synced(PROJECT_ROOT, synced)))
        return
    if changes:
        print(workflow.original_changes(PROJECT_ROOT, changes))
        return
    settings = load_settings()
    folder = PROJECT_ROOT / "theme" / "translations"
    pybabel = [sys.executable, "-m", "babel.messages.frontend"]
    pot = str(folder / "messages.pot")
    keywords = ["-k", "N_", "-k", "_", "-k", "ngettext:1,2"]
    c.run(
        shlex.join([*pybabel, "extract", "-F", str(folder / "babel.cfg"), *keywords,
                    "--no-location", "--omit-header", "--sort-output", "-o", pot, "."]),
        hide="both",
    )  # fmt: skip
    for language in settings.get("LANGUAGES", {}):
        if language == settings["DEFAULT_LANG"]:
            continue
        po_file = folder / language / "LC_MESSAGES" / "messages.po"
        before = po_file.read_text(encoding="utf-8") if po_file.exists() else None
        if po_file.exists():  # new messages come in empty, never guessed from similar ones
            action = ["update", "--no-fuzzy-matching", "--ignore-obsolete"]
        else:
            action = ["init"]
        c.run(
            shlex.join([*pybabel, *action, "-i", pot, "-d", str(folder), "-l", language,
                        "--no-wrap"]),
            hide="both",
        )  # fmt: skip
        if before is not None and _dated_only(before, po_file.read_text(encoding="utf-8")):
            po_file.write_text(before, encoding="utf-8")  # no change to commit for a new date
        missing = catalogues.missing_translations(folder, language)
        print(f"{po_file.relative_to(PROJECT_ROOT)}: {len(missing)} message(s) to translate")
        for message in missing:
            print(f"  {message!r}")
