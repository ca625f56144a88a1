"""The commands a writer or publisher runs: ``invoke --list`` shows them all.

Build logic lives in Pelican and our plugins; these tasks only choose settings, folders and
targets, and make sure nothing broken or unreviewed is transferred anywhere.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import errno
import logging
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path

from invoke import Exit, task

PROJECT_ROOT = Path(__file__).resolve().parent
CONTENT_DIR = PROJECT_ROOT / "content"
ARTICLES_DIR = CONTENT_DIR / "articles"
DEV_SETTINGS = PROJECT_ROOT / "pelicanconf.py"
PROD_SETTINGS = PROJECT_ROOT / "publishconf.py"
PUBLISH_TARGETS = ("folder", "rsync", "gh-pages")

# Marker files: what lets `clean` delete a folder and `publish` replace one. Neither holds
# anything private: a fixed sentence, the same on every machine and every run.
BUILD_MARKER = ".invoke-build"
BUILD_MARKER_TEXT = (
    "This folder was made by `invoke build` (or serve, or preview); `invoke clean` may delete it.\n"
)
PUBLISH_MARKER = ".invoke-publish"
PUBLISH_MARKER_TEXT = (
    "This folder holds a site published by `invoke publish`. The next publish replaces "
    "everything in it, so keep nothing else here.\n"
)


# --- Building ------------------------------------------------------------------------------


def build_site(
    settings_file: Path,
    output: Path | None = None,
    overrides: dict | None = None,
    fatal_warnings: bool = True,
    mark_output: bool = True,
) -> bool:
    """Run Pelican in this process; print a one-line reason and return False when it fails.

    In-process so that ``serve`` rebuilds in well under a second, and so that a writer sees the
    plugin's message ("CLINIC['booking_url'] is missing") rather than a traceback. After a
    successful build into ``output``, writes the build marker there (see ``mark_build_output``)
    unless ``mark_output`` is False.
    """
    from pelican import Pelican
    from pelican import log as pelican_log
    from pelican.settings import read_settings

    pelican_compat = _plugin_library("pelican_compat")
    # Our plugins and settings use paths relative to the project.
    os.chdir(PROJECT_ROOT)
    # Pelican hides a warning it has already shown in this process; every rebuild of
    # `invoke serve` must show the writer every warning again.
    pelican_compat.reset_log_limits()
    pelican_log.init(level=logging.WARNING)
    pelican_compat.set_fatal_warnings(fatal_warnings)
    override = dict(overrides or {})
    if output is not None:
        override["OUTPUT_PATH"] = str(Path(output).resolve())
    try:
        settings = read_settings(str(settings_file), override=override)
        # A production build empties its output folder first: keep the marker of earlier builds,
        # so that a build that fails half-way still leaves a folder `clean` may delete.
        settings["OUTPUT_RETENTION"] = [*settings["OUTPUT_RETENTION"], BUILD_MARKER]
        Pelican(settings).run()
    except SystemExit as error:  # publishconf.py exits with a message when SITEURL is missing
        print(error, file=sys.stderr)
        return False
    except Exception as error:
        print(f"\nBuild failed: {build_failure_message(error)}", file=sys.stderr)
        return False
    if output is not None and mark_output:
        mark_build_output(Path(output))
    return True


def build_failure_message(error: Exception) -> str:
    """One line for a problem the writer can fix; for a bug, its traceback first (file and line).

    Our plugins raise ``SiteError`` (plugins/site_errors.py) for a bad setting or source, and
    Pelican stops on a logged warning in production; anything else is a bug in a plugin or a
    theme, and a bare ``'offices'`` would hide where it happened.
    """
    site_errors = _plugin_library("site_errors")
    message = str(error)
    if isinstance(error, shutil.Error) or getattr(error, "errno", None) == errno.ENOSPC:
        return _plugin_library("publish_guard").one_line(error)  # a full disk: one line
    if message == "Warning or error encountered":
        return "a warning was logged above, and production builds treat warnings as errors"
    if isinstance(error, site_errors.SiteError):
        return message
    traceback.print_exception(error, file=sys.stderr)
    return f"{type(error).__name__}: {message} (a bug: the traceback above names its file and line)"


def mark_build_output(folder: Path) -> None:
    """Write the build marker into ``folder``: the only sign `clean` accepts that a build made it.

    Written here, after a successful build, rather than by a plugin: every build the tasks make
    (build, serve, preview) runs through ``build_site``, and only into a folder a task chose. A
    plugin would mark whatever ``OUTPUT_PATH`` names, and ``OUTPUT_PATH = "theme"`` would then
    make the theme deletable. ``publish`` builds with ``mark_output=False``: its site carries the
    publish marker instead, never this one.
    """
    (folder / BUILD_MARKER).write_text(BUILD_MARKER_TEXT, encoding="utf-8")


def refuse_unsafe_output(folder: Path) -> None:
    """Stop before building into an output folder that is a link or lies outside the project
    (a production build empties it first: issue 24)."""
    reason = _plugin_library("publish_guard").unsafe_output_folder(folder, PROJECT_ROOT)
    if reason:
        raise Exit(f"Refusing to build into {folder}: {reason}. Nothing was deleted or built.", 1)


@task(help={"production": "use publishconf.py (SITEURL must be set)"})
def build(c, production=False):
    """Build the site into output/ (development settings: drafts shown, content cache on)."""
    settings = PROD_SETTINGS if production else DEV_SETTINGS
    overrides = handout_overrides() if production else {}
    refuse_unsafe_output(PROJECT_ROOT / "output")
    if not build_site(settings, PROJECT_ROOT / "output", overrides, fatal_warnings=production):
        raise Exit(code=1)
    if production and not write_handouts_if_on(PROD_SETTINGS, PROJECT_ROOT / "output", overrides):
        raise Exit(code=1)
    print(f"Built into {PROJECT_ROOT / 'output'}")


def refuse_busy_port(port: int, task_name: str) -> None:
    """Stop, in one line, when another program already listens on ``port`` of 127.0.0.1."""
    import errno
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", int(port)))
        except OSError as error:
            if error.errno not in (errno.EADDRINUSE, errno.EACCES):
                raise
            raise Exit(
                f"Port {port} is in use (another `invoke serve` or `invoke preview`?): stop it "
                f"with Ctrl+C in its terminal, or pick another port: invoke {task_name} "
                f"--port {int(port) + 10}",
                code=1,
            ) from None


def content_mtimes() -> dict[Path, float]:
    """Each Markdown file under content/ and when it was last written."""
    return {path: path.stat().st_mtime for path in CONTENT_DIR.rglob("*.md") if path.is_file()}


def saved_since(before: dict[Path, float], now: dict[Path, float]) -> list[Path]:
    """The content files written (or created) between two ``content_mtimes`` snapshots."""
    return sorted(path for path, mtime in now.items() if before.get(path) != mtime)


@task(help={"port": "port on 127.0.0.1 (default 8000)"})
def serve(c, port=8000):
    """Serve the site on 127.0.0.1 and rebuild and refresh the browser when you save a file."""
    from livereload import Server

    refuse_busy_port(port, "serve")
    # livereload ignores any change within 3 s of its start or of the last refresh, so a
    # writer's second quick save would rebuild but never show. Refresh on every rebuild.
    _plugin_library("pelican_compat").refresh_on_every_save()

    output = PROJECT_ROOT / "output"
    refuse_unsafe_output(output)
    seen = {"mtimes": content_mtimes()}

    def rebuild() -> None:
        started = dt.datetime.now()
        if build_site(DEV_SETTINGS, output, fatal_warnings=False):
            seconds = (dt.datetime.now() - started).total_seconds()
            print(f"Rebuilt in {seconds:.1f} s")
        now = content_mtimes()
        saved, seen["mtimes"] = saved_since(seen["mtimes"], now), now
        for path in saved:
            print(f"Saved {path.relative_to(PROJECT_ROOT)}: see it at "
                  f"{preview_address(path, port)}")  # fmt: skip
        # In the background, so the browser refreshes as soon as the pages are written.
        threading.Thread(target=report_fast_check, args=(saved,), daemon=True).start()

    rebuild()
    server = Server()
    server.SFH = _plugin_library("pelican_compat").site_not_found_handler()
    for watched in ("content", "theme", "plugins", "pelicanconf.py"):
        server.watch(str(PROJECT_ROOT / watched), rebuild, delay=0)
    print(f"\nServing the site at http://127.0.0.1:{port}/  (Ctrl+C to stop)", flush=True)
    print(f"Drafts are at http://127.0.0.1:{port}/drafts/SLUG/ (pages: /drafts/pages/SLUG/)\n",
          flush=True)  # fmt: skip
    server.serve(host="127.0.0.1", port=int(port), root=str(output), open_url_delay=None)


@task(help={"port": "port on 127.0.0.1 (default 8001)"})
def preview(c, port=8001):
    """Build the production site (search index included) and serve it on 127.0.0.1, with the
    headers production sends (Content-Security-Policy, HSTS...)."""
    import http.server

    from pelican.settings import read_settings

    refuse_busy_port(port, "preview")
    output = PROJECT_ROOT / "output-preview"
    refuse_unsafe_output(output)
    os.environ["SITEURL"] = f"http://127.0.0.1:{port}"
    # A local preview may still carry the example clinic details that publishing refuses.
    overrides = {"REFUSE_EXAMPLE_CLINIC_DETAILS": False, **handout_overrides()}
    if not build_site(PROD_SETTINGS, output, overrides=overrides):
        raise Exit(code=1)
    if not write_handouts_if_on(PROD_SETTINGS, output, overrides):
        raise Exit(code=1)
    settings = read_settings(str(PROD_SETTINGS), override=overrides)
    handler = _plugin_library("assets.preview").preview_handler(output, settings)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), handler)
    print(f"\nPreviewing the production build at http://127.0.0.1:{port}/  (Ctrl+C to stop)")
    print("with the headers production sends (plugins/assets/headers.py: the same definition "
          "as _headers, nginx and Apache), and the site's 404 page.\n")  # fmt: skip
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


# --- Writing -------------------------------------------------------------------------------

NEW_ARTICLE_TEMPLATE = """\
Title: {title}
Slug: {slug}
Date: {today}
Category: {category}
Tags: {tag}
Summary: Say in 1 or 2 short sentences what this page answers (160 characters at most).
Author: editorial-team
Reviewed_by:
Last_reviewed:
Next_review:
Status: draft

!!! key-points "Key points"
    - The one main message first, in one short sentence.
    - What the reader most needs to know.
    - What the reader can do.

Start with 1 or 2 sentences that tell the reader what this page covers and who it is for.
Use "you", short sentences and plain words first, then the medical term.

## What is it?

Explain it in plain words. Put a footnote after every sentence that states a fact.[^source1]

## Who might it help?

Say what the evidence shows, how strong it is, and what is still uncertain.[^source1]

## What are the risks?

List side effects people may get, and who should not have this treatment.[^source1]

!!! care-urgent "Call your doctor today if:"
    - you have a new symptom that worries you

!!! care-emergency "Call 911 if:"
    - you have chest pain or trouble breathing

## What is not known yet

Say what studies have not shown yet, and why.[^source1]

## Questions to ask your care team

- Is this treatment right for me?
- What other options do I have?

## What to do next

Tell the reader what to do now, and when to contact the care team.

[^source1]: Author A, Author B. Title of the study. *Journal*. Year;volume(issue):pages.
    doi:10.xxxx/xxxxx
"""


def preview_address(path: Path, port: int | str = 8000, settings: dict | None = None) -> str:
    """Where `invoke serve` shows a content file: drafts under /drafts/, translations under
    their language, each by the URL settings Pelican uses for it."""
    from pelican.settings import read_settings

    _content_check()  # makes plugins/ importable
    from content_check.source import parse_text

    settings = settings or read_settings(str(DEV_SETTINGS))
    source = parse_text(path, path.name, "", path.read_text(encoding="utf-8", errors="replace"))
    slug = source.meta("slug") or path.stem
    lang = source.meta("lang") or settings["DEFAULT_LANG"]
    article = path.resolve().is_relative_to(ARTICLES_DIR.resolve())
    name = "DRAFT" if source.meta("status").lower() == "draft" else "ARTICLE"
    if not article:
        name = "DRAFT_PAGE" if name == "DRAFT" else "PAGE"
    if lang != settings["DEFAULT_LANG"]:
        name += "_LANG"
    url = settings[f"{name}_URL"].format(slug=slug, lang=lang)
    return f"http://127.0.0.1:{port}/{url}"


def refuse_unusable_slug(title: str, slug: str) -> None:
    """Stop ``invoke new`` when ``title`` gives no slug that the check and the disk accept."""
    _content_check()  # makes plugins/ importable
    from content_check.checks import SLUG_RE  # the writer's check's own rules for slugs
    from content_check.settings import check_settings
    from pelican.settings import read_settings

    most = check_settings(read_settings(str(DEV_SETTINGS)))["CHECK_MAX_SLUG"]

    if not any(character.isalnum() for character in slug):
        raise Exit(
            f'The title "{title}" has no letters or numbers, so it gives no file name: '
            'nothing was created. Use words, for example: invoke new "Ketamine and sleep"',
            code=1,
        )
    if len(slug) > most:
        raise Exit(
            f"The title gives a file name (slug) of {len(slug)} characters; the most is "
            f"{most} (CHECK_MAX_SLUG): nothing was created. Use a shorter title (under 70 "
            "characters reads best in search results).",
            code=1,
        )
    if not SLUG_RE.match(slug):
        raise Exit(
            f'The title "{title}" gives the file name (slug) "{slug}", which the writer\'s check '
            'refuses (lower-case words and numbers joined by "-"): nothing was created. '
            'Leave out "_" and other symbols.',
            code=1,
        )


@task(help={"title": 'the article title, in quotes: invoke new "Is ketamine safe?"'})
def new(c, title):
    """Start a new article in content/articles/ with every metadata field filled in."""
    from pelican.settings import read_settings
    from pelican.utils import slugify

    settings = read_settings(str(DEV_SETTINGS))
    title = " ".join(title.split())
    if not title:
        raise Exit('Give the article a title: invoke new "Your title"', code=1)
    slug = slugify(title, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"])
    refuse_unusable_slug(title, slug)
    path = ARTICLES_DIR / f"{slug}.md"
    if path.exists():
        raise Exit(
            f"{path.relative_to(PROJECT_ROOT)} already exists: nothing was changed. "
            "Choose another title, or edit that file.",
            code=1,
        )
    path.write_text(
        NEW_ARTICLE_TEMPLATE.format(
            title=title.replace("\n", " "),
            slug=slug,
            today=dt.date.today().isoformat(),
            category=settings["ALLOWED_CATEGORIES"][0],
            tag=settings["ALLOWED_TAGS"][0],
        ),
        encoding="utf-8",
    )
    name = path.relative_to(PROJECT_ROOT)
    print(f"Created {name} (a draft).")
    print(f"Preview it with `invoke serve`, at {preview_address(path, settings=settings)}")
    print(f"See what to fix with `invoke check --file {name}`.")


# --- Checking ------------------------------------------------------------------------------


def _plugin_library(name: str):
    """A module of plugins/ (a plugin or one of their libraries), imported as Pelican would."""
    import importlib

    plugins = str(PROJECT_ROOT / "plugins")
    if plugins not in sys.path:
        sys.path.insert(0, plugins)
    return importlib.import_module(name)


def _content_check():
    """The writer's check (plugins/content_check)."""
    return _plugin_library("content_check.cli")


def report_fast_check(saved: list[Path] | None = None) -> None:
    """Print the writer's fast checks (no build needed) after a rebuild: the files just saved
    and those changed since the last commit in full, the other warnings one line per code."""
    try:
        cli = _content_check()
        focus = cli.writer_focus(PROJECT_ROOT, [], show_all=False)
        just_saved = {path.relative_to(PROJECT_ROOT).as_posix() for path in saved or []}
        focus = dataclasses.replace(focus, changed=frozenset(focus.changed or ()) | just_saved)
        cli.run(PROJECT_ROOT, focus=focus)
    except Exception as error:  # a broken check must not stop `invoke serve`
        print(f"The writer's check could not run: {error}", file=sys.stderr)


def run_writer_check(
    output: Path, production: bool, progress: object = None, audit_all: bool = False
) -> bool:
    """Run the writer's full check on a built site; True when it finds no errors.

    The sources with the production (or development) rules, then the built HTML: internal
    links, the Nu HTML Checker and axe-core in Chromium (light and dark), with progress on
    ``progress`` (stderr). Pages that passed before, byte for byte, are not audited again
    unless ``audit_all``.
    """
    status = _content_check().run(PROJECT_ROOT, production=production, site_dir=Path(output),
                                  progress=progress, audit_all=audit_all)  # fmt: skip
    return status == 0


def writer_check_focus(files: list[str], show_all: bool):
    """What `invoke check` prints in full: the files named, else those changed since the last
    commit (content_check/focus.py); everything with ``show_all``."""
    cli = _content_check()
    try:
        return cli.writer_focus(PROJECT_ROOT, files, show_all)
    except _plugin_library("content_check.focus").UnknownFile as error:
        raise Exit(str(error), code=2) from None


@task(
    iterable=["file"],
    help={
        "file": "check this file (repeat --file for more; or list files after --: "
        "invoke check -- content/articles/*.md)",
        "production": "production rules (publishconf.py): unreviewed articles are errors",
        "full": "also build the site and check its HTML (Nu HTML Checker, axe-core)",
        "all": "print every finding (not only the files you changed); with --full also audit "
        "every page, also those that passed before unchanged",
        "format": "human (default) or json",
    },
)
def check(c, file=None, production=False, full=False, all=False, format="human"):  # noqa: PLR0917
    """Tell the writer everything wrong with the content, by file and line, and how to fix it.

    Prints in full the findings of the files named (--file, or after --), else of the files
    changed since the last commit, and every error; the other warnings one line per code.
    """
    if format not in ("human", "json"):
        raise Exit("--format is human or json.", code=1)
    files = [*(file or []), *shlex.split(c.remainder or "")]
    focus = writer_check_focus(files, all)
    status = _content_check().run(PROJECT_ROOT, production=production, full=full,
                                  output_format=format, audit_all=all, focus=focus)  # fmt: skip
    if status:
        raise Exit(code=status)


@task(
    help={
        "file": "only this article (repeatable): content/articles/is-ketamine-safe.md",
        "format": "human (default) or json",
    },
    iterable=["file"],
)
def clarity(c, file=None, format="human"):
    """Score each article on the CDC Clear Communication Index items the kit can judge."""
    import json

    from pelican.settings import read_settings

    if format not in ("human", "json"):
        raise Exit("--format is human or json.", code=1)
    scoring = _plugin_library("content_check.clarity")
    settings = read_settings(str(DEV_SETTINGS))
    results = scoring.run_clarity(PROJECT_ROOT, settings, tuple(file or ()))
    minimum = settings.get("CLARITY_MIN_SCORE", scoring.DEFAULT_MIN_SCORE)
    if format == "json":
        data = {"minimum": minimum, "articles": [result.to_dict() for result in results]}
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        print(scoring.format_clarity(results, minimum))


# --- Reviewing -----------------------------------------------------------------------------

REVIEW_FORMATS = ("human", "json", "ics")


@task(
    help={
        "file": "the page reviewed: content/articles/is-ketamine-safe.md (not with --due)",
        "reviewer": "the reviewer's key in REVIEWERS (pelicanconf.py), e.g. jane-doe",
        "note": 'what the review changed or confirmed, in quotes: --note "Checked the doses"',
        "packet": "instead, print the article with a sign-off box, to review on paper (PDF)",
        "diff": "instead, show the text the last review approved against the text now",
        "due": "sign off everything due that the reviewer may sign, in one run",
        "yes": "with --due: do not ask before signing",
    },
)
def review(c, file, reviewer="", note="", packet=False, diff=False, due=False, yes=False):  # noqa: PLR0917 (invoke options)
    """Record a review today: Last_reviewed, Next_review and the page history (with the
    fingerprint of the text approved); --due signs everything due in one sitting."""
    workflow = _plugin_library("clinical_review.workflow")
    if due:
        sign_everything_due(workflow, reviewer, note, yes)
        return
    if not file:
        raise Exit("Name the file reviewed (invoke review FILE ...), or use --due.", code=1)
    if packet:
        write_review_packet(file)
        return
    try:
        if diff:
            print(workflow.review_diff(PROJECT_ROOT, file))
            return
        result = workflow.sign_off(PROJECT_ROOT, file, reviewer, note)
    except workflow.ReviewRefused as refusal:
        raise Exit(str(refusal), code=1) from None
    print(workflow.describe_sign_off(result))


def _file_not_needed_with_due() -> None:
    """`invoke review --due` names no file: invoke has no optional positional argument, so
    its parser is told that the review task's FILE is not missing once --due is given."""
    from invoke.parser.context import ParserContext

    missing = ParserContext.missing_positional_args

    def missing_unless_due(context: ParserContext) -> list:
        due = context.flags.get("--due")
        if context.name == "review" and due is not None and due.value:
            return []
        return missing.fget(context)

    ParserContext.missing_positional_args = property(missing_unless_due)


_file_not_needed_with_due()


def sign_everything_due(workflow, reviewer: str, note: str, yes: bool) -> None:
    """`invoke review --due`: list what the reviewer may sign, ask once, sign each."""
    try:
        items = workflow.due_for(PROJECT_ROOT, reviewer)
        if not " ".join(note.split()):
            raise workflow.ReviewRefused("--due", "--note", "it is empty; readers see each "
                                         "review's note in the page history.",
                                         'Say what the review confirmed: --note "..."')  # fmt: skip
    except workflow.ReviewRefused as refusal:
        raise Exit(str(refusal), code=1) from None
    if not items:
        print(f"Nothing is due that {reviewer} may sign.")
        return
    print(f"Due, and {reviewer} may sign ({len(items)}):")
    for item in items:
        print(f"  {workflow.STATE_LABELS[item.state.kind]:<21} {item.file}")
    if not yes:
        answer = input(f'Sign all {len(items)} off as {reviewer}, with the note "{note}"? [y/N] ')
        if answer.strip().lower() not in ("y", "yes"):
            raise Exit("Nothing was signed.", code=1)
    run = workflow.sign_due(PROJECT_ROOT, [item.file for item in items], reviewer, note)
    print(workflow.describe_due(run))
    if run.refused:
        raise Exit(code=1)


@task(
    help={
        "format": "human (default), json, or ics (a calendar of the upcoming due dates)",
        "output": "write to this file instead of the terminal",
    }
)
def reviews(c, format="human", output=""):
    """List every article and translation by review state, most urgent first."""
    from pelican.settings import read_settings

    if format not in REVIEW_FORMATS:
        raise Exit(f"--format is one of {', '.join(REVIEW_FORMATS)}, not {format!r}.", code=1)
    workflow = _plugin_library("clinical_review.workflow")
    today = dt.date.today()
    items = workflow.review_queue(PROJECT_ROOT, today)
    count, what = len(items), "page(s)"
    if format == "ics":
        settings = read_settings(str(DEV_SETTINGS))
        remind = _plugin_library("clinical_review").review_settings(settings).due_soon_days
        siteurl = os.environ.get("SITEURL", "") or settings.get("SITEURL", "")
        data, count = workflow.queue_calendar(items, today, settings["SITENAME"], remind, siteurl)
        what = "event(s)"
    else:
        text = (workflow.queue_json if format == "json" else workflow.queue_text)(items, today)
        data = (text + "\n").encode("utf-8")
    if not output:
        sys.stdout.buffer.write(data)
        return
    destination = Path(output).resolve()
    if destination.is_relative_to(CONTENT_DIR):
        raise Exit(f"Refusing to write {output} into content/: the site would publish it.", 1)
    destination.write_bytes(data)
    print(f"Wrote {count} {what} to {output}.")


# --- Handouts ------------------------------------------------------------------------------
# plugins/handouts prints one PDF per article (and clinical page) of a built site; the build
# itself stays HTML-only. Pages link to their handout only in a build whose task writes the
# handouts right after it (HANDOUTS, off in publishconf.py), so no build links to a PDF it
# did not write.


def handout_overrides() -> dict:
    """The setting a production build of these tasks gets: HANDOUTS on, since the task writes
    the handouts after the build; ``HANDOUTS=0`` in the environment leaves them out."""
    wanted = os.environ.get("HANDOUTS", "1").strip().lower() not in ("0", "false", "no")
    return {"HANDOUTS": wanted}


HANDOUT_CACHE = PROJECT_ROOT / ".cache" / "pelican" / "handouts"
PACKET_FOLDER = PROJECT_ROOT / "output-packets"


def write_site_handouts(site: Path, settings: dict, everything: bool = False) -> bool:
    """Write the handouts of the built site in ``site`` on the paper ``settings`` name; print
    what was done; True when every article got its handout."""
    handouts = _plugin_library("handouts")
    try:
        report = handouts.write_handouts(
            site, handouts.paper_setting(settings), cache_dir=HANDOUT_CACHE,
            everything=everything, stream=sys.stdout, settings=settings,
        )  # fmt: skip
    except (handouts.HandoutError, handouts.HandoutSettingError) as error:
        print(f"Handouts: {error}", file=sys.stderr)
        return False
    for failure in report.failures:
        print(f"Handouts: {failure}", file=sys.stderr)
    print(f"{report.summary()}, beside each article page in {site}")
    return not report.failures


# The packet's build: the article as readers would see it, before its review lets it publish.
PACKET_BUILD = {
    "REFUSE_EXAMPLE_CLINIC_DETAILS": False,
    "REQUIRE_CLINICAL_REVIEW": False,
    "SEARCH_INDEX": False,
    "HANDOUTS": False,
}


def write_review_packet(file: str) -> Path:
    """Build the production site in a scratch folder and print ``file``'s article with a
    sign-off box into output-packets/; print where it is."""
    from pelican.settings import read_settings

    handouts = _plugin_library("handouts")
    if not os.environ.get("SITEURL", "").strip().startswith(("https://", "http://")):
        raise Exit(
            "The packet's QR code and address lead to the article on the web: set SITEURL, e.g. "
            f"SITEURL=https://www.westsidepain.example invoke review {file} --packet",
            code=1,
        )
    try:
        source = handouts.packet_source(PROJECT_ROOT, file)
        settings = read_settings(str(DEV_SETTINGS))
        paper, words = handouts.paper_setting(settings), handouts.WordBook.from_settings(settings)
        with scratch_folder() as scratch:
            if not build_site(PROD_SETTINGS, scratch, PACKET_BUILD, mark_output=False):
                raise Exit(f"The build failed, so no packet was printed for {file}.", code=1)
            destination = PACKET_FOLDER / f"{source.file_stem}.pdf"
            handouts.write_packet(
                scratch, source.url_path, destination, paper, words, settings=settings
            )
    except (handouts.HandoutError, handouts.HandoutSettingError) as error:
        raise Exit(f"No packet was printed: {error}", code=1) from None
    print(f"Wrote the review packet of {source.name} to {destination}: print it, review the "
          f"text, fill in the sign-off box; then record the review with invoke review {file} "
          "--reviewer KEY --note \"...\".")  # fmt: skip
    return destination


def write_handouts_if_on(settings_file: Path, site: Path, overrides: dict | None = None) -> bool:
    """After a build with ``settings_file``: its handouts when it turns HANDOUTS on (its pages
    then link to them, so a handout that cannot be written fails the build)."""
    from pelican.settings import read_settings

    settings = read_settings(str(settings_file), override=overrides)
    return not settings.get("HANDOUTS") or write_site_handouts(site, settings)


@task(
    help={
        "output": "the built site (default: output/, as `invoke build --production` makes it)",
        "all": "print every handout again instead of keeping unchanged ones",
    }
)
def handouts(c, output="output", all=False):
    """Write one handout PDF beside each article page of a production build."""
    from pelican.settings import read_settings

    site = (PROJECT_ROOT / output).resolve()
    if not write_site_handouts(site, read_settings(str(DEV_SETTINGS)), everything=all):
        raise Exit(code=1)


@task(
    help={
        "synced": "instead, record that this translation (content/articles/es/x.md) now says "
        "what its original says (its Synced_with field)",
    }
)
def translations(c, synced=""):
    """Update the word catalogues from the templates and plugins; list what is untranslated.

    The English message ids go to theme/translations/messages.pot; each language's
    messages.po gains the new ones (empty) and loses the ones no longer used. Fill in every
    empty msgstr: the build refuses a catalogue with an untranslated message.

    With --synced FILE: record in the translation FILE the fingerprint of its original's text
    as it is now, so that `translation-stale` reports the original's next change.
    """
    from pelican.settings import read_settings

    if synced:
        workflow = _plugin_library("clinical_review.workflow")
        try:
            print(workflow.describe_synced(workflow.mark_synced(PROJECT_ROOT, synced)))
        except workflow.ReviewRefused as refusal:
            raise Exit(str(refusal), code=1) from None
        return

    settings = read_settings(str(DEV_SETTINGS))
    folder = PROJECT_ROOT / "theme" / "translations"
    pybabel = [sys.executable, "-m", "babel.messages.frontend"]
    pot = str(folder / "messages.pot")
    keywords = ["-k", "N_", "-k", "_", "-k", "ngettext:1,2"]
    c.run(
        shlex.join([*pybabel, "extract", "-F", str(folder / "babel.cfg"), *keywords,
                    "--no-location", "--omit-header", "--sort-output", "-o", pot, "."]),
        hide="both",
    )  # fmt: skip
    translations_library = _plugin_library("translations")
    for language in settings.get("LANGUAGES", {}):
        if language == settings["DEFAULT_LANG"]:
            continue
        po_file = folder / language / "LC_MESSAGES" / "messages.po"
        if po_file.exists():  # new messages come in empty, never guessed from similar ones
            action = ["update", "--no-fuzzy-matching", "--ignore-obsolete"]
        else:
            action = ["init"]
        c.run(
            shlex.join([*pybabel, *action, "-i", pot, "-d", str(folder), "-l", language,
                        "--no-wrap"]),
            hide="both",
        )  # fmt: skip
        missing = translations_library.missing_translations(folder, language)
        print(f"{po_file.relative_to(PROJECT_ROOT)}: {len(missing)} message(s) to translate")
        for message in missing:
            print(f"  {message!r}")


@task(help={
    "args": "extra pytest arguments, e.g. \"tests/test_check.py -q\"",
    "quick": "only the tests that start no browser and are not marked slow (the inner loop)",
})  # fmt: skip
def test(c, args="", quick=False):
    """Run the whole test suite (builds the site, checks it in Chromium); --quick: inner loop."""
    selection = ["-m", "not browser and not slow"] if quick else []
    # One worker per core (pytest-xdist), each test file on one worker, so a module's shared
    # site is built once. (`--dist loadgroup` groups nothing under pytest 9: xdist 3.8 renames
    # a node id pytest no longer reads.) `--args "-n 0"` runs everything in this process.
    workers = ["-n", "auto", "--dist", "loadfile"]
    command = [sys.executable, "-m", "pytest", *workers, *selection, *shlex.split(args)]
    result = subprocess.run(command, cwd=PROJECT_ROOT, check=False)
    # pytest's exit code 5 means no test ran: that is a failure, never a pass.
    raise Exit(code=result.returncode)


# --- Safety: what a task may delete or replace ----------------------------------------------


def run_git(repository: Path, *args: str) -> subprocess.CompletedProcess:
    """Run a read-only git command in ``repository``; its output as text, never raising."""
    return subprocess.run(
        ["git", *args], cwd=repository, capture_output=True, text=True, check=False
    )


def tracked_files() -> list[Path]:
    """Files git tracks in this project (empty when this is not a git checkout)."""
    result = subprocess.run(
        ["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, check=False
    )
    if result.returncode != 0:
        return []
    return [PROJECT_ROOT / name for name in result.stdout.decode().split("\0") if name]


def source_folders() -> dict[Path, str]:
    """The folders that hold the site's sources, from the settings Pelican reads, with a label."""
    from pelican.settings import read_settings

    settings = read_settings(str(DEV_SETTINGS))
    folders = {Path(settings["PATH"]).resolve(): "the site's content"}
    folders[Path(settings["THEME"]).resolve()] = "the theme"
    for plugins in settings["PLUGIN_PATHS"]:
        folders[(PROJECT_ROOT / plugins).resolve()] = "the plugins"
    return folders


def endangers_the_project(folder: Path) -> str | None:
    """Why replacing or deleting ``folder`` would take the project, the home folder or / with it."""
    folder = folder.resolve()
    home = Path.home().resolve()
    if folder == Path(folder.anchor):
        return "it is the root folder of this machine"
    if folder == PROJECT_ROOT:
        return "it is the project folder"
    if folder in PROJECT_ROOT.parents:
        return f"it holds the project folder ({PROJECT_ROOT})"
    if folder == home:
        return "it is your home folder"
    if folder in home.parents:
        return f"it holds your home folder ({home})"
    return None


def protected_inside_project(folder: Path) -> str | None:
    """Why ``folder``, inside the project, is not ours to delete: sources, hidden or tracked."""
    folder = folder.resolve()
    for source, label in source_folders().items():
        name = source.relative_to(PROJECT_ROOT) if PROJECT_ROOT in source.parents else source
        if folder == source or source in folder.parents:
            return f"it is in {name}/, {label}"
        if folder in source.parents:
            return f"it holds {name}/, {label}"
    hidden = [part for part in folder.relative_to(PROJECT_ROOT).parts if part.startswith(".")]
    if hidden:
        return f"it is a hidden folder ({hidden[0]}), kept by git and other tools, not by a build"
    tracked = [path for path in tracked_files() if folder in path.parents]
    if tracked:
        return f"it holds files tracked by git, such as {tracked[0].relative_to(PROJECT_ROOT)}"
    return None


def unsafe_to_delete(folder: Path) -> str | None:
    """Say why ``clean`` must not delete ``folder``, or None when a build made it."""
    folder = folder.resolve()
    reason = endangers_the_project(folder)
    if reason:
        return reason
    if PROJECT_ROOT not in folder.parents:
        return f"it lies outside the project folder {PROJECT_ROOT}"
    reason = protected_inside_project(folder)
    if reason:
        return reason
    if folder.exists() and not (folder / BUILD_MARKER).is_file():
        return (
            f"it holds no build marker ({BUILD_MARKER}), so no build of ours made it. Run "
            "`invoke build` once to mark output/, or delete it yourself if nothing in it is yours"
        )
    return None


# --- Cleaning ------------------------------------------------------------------------------


@task
def clean(c):
    """Delete the build output: only folders a build made (holding its marker), nothing else."""
    from pelican.settings import read_settings

    output = Path(read_settings(str(DEV_SETTINGS))["OUTPUT_PATH"])
    folders = (output, PROJECT_ROOT / "output-preview")
    for folder in folders:
        reason = unsafe_to_delete(folder)
        if reason:
            raise Exit(f"Refusing to delete {folder}: {reason}. Nothing was deleted.", code=1)
    for folder in folders:
        if folder.exists():
            shutil.rmtree(folder)
            print(f"Deleted {folder.resolve().relative_to(PROJECT_ROOT)}/")


# --- Publishing: where the site may go -----------------------------------------------------

# Each publish commit carries this trailer; a branch may be replaced only if all of its commits
# do. Commits made before the trailer existed carry only the subject below (same task).
PUBLISH_TRAILER = "Published-by: invoke publish"
PUBLISHED_COMMIT_PATTERNS = (
    f"^{PUBLISH_TRAILER}$",
    r"^Publish site \([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} UTC\)$",
)
# Any of these at the top of a branch's tree means it holds the project, not a built site.
PROJECT_SOURCES_ON_A_BRANCH = ("pelicanconf.py", "publishconf.py", "tasks.py", "content")


def unmarked_folder_reason(destination: Path) -> str | None:
    """Why publishing would delete files in ``destination`` that may not be the site's, or None.

    A folder the publish makes (it does not exist yet), an empty one, or one holding the marker
    of an earlier publish is fine; anything else may hold a person's files.
    """
    if not destination.exists():
        return None
    if not destination.is_dir():
        return "it is a file, not a folder"
    if (destination / PUBLISH_MARKER).is_file() or not any(destination.iterdir()):
        return None
    return (
        f"it holds files but no {PUBLISH_MARKER} marker of an earlier publish, and publishing "
        "replaces everything in it. If it holds only this site, confirm that once with "
        f"`touch {destination / PUBLISH_MARKER}`"
    )


def unsafe_local_destination(destination: Path) -> str | None:
    """Why publishing into the folder ``destination`` on this machine could delete something."""
    reason = endangers_the_project(destination)
    if reason is None and PROJECT_ROOT in destination.parents:
        reason = protected_inside_project(destination)
    return reason or unmarked_folder_reason(destination)


def is_remote(destination: str) -> bool:
    """True for an rsync destination on another machine (``host:path``, ``rsync://``).

    rsync's own rule: a colon before the first slash names a host.
    """
    return destination.startswith("rsync://") or ":" in destination.split("/", 1)[0]


def remote_folder_entries(destination: str) -> list[str] | None:
    """The names in a remote folder, or None when it does not exist yet.

    Asked with ``rsync --list-only``: the same program, login and SSH settings as the transfer
    itself, so it needs nothing more on the server and sees exactly the folder rsync will write.
    """
    print(f"Looking into {destination} before building (rsync --list-only)...", flush=True)
    listing = subprocess.run(
        ["rsync", "--list-only", destination.rstrip("/") + "/"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if listing.returncode == 23 and "No such file or directory" in listing.stderr:
        return None
    if listing.returncode != 0:
        raise Exit(
            f"Could not look into {destination} with rsync ({listing.stderr.strip()}), "
            "so nothing was built or published.",
            code=1,
        )
    # Each line: permissions, size, date, time, name (names may hold spaces).
    names = [line.split(maxsplit=4)[-1] for line in listing.stdout.splitlines() if line.strip()]
    return [name for name in names if name != "."]


def unsafe_remote_destination(destination: str) -> str | None:
    """Why rsync with ``--delete`` into a remote folder could delete files not ours, or None."""
    host, _, path = destination.partition(":")
    if path.startswith("/") and not path.strip("/"):
        return "it is the root folder of that machine"
    if path.rstrip("/") in ("", ".", "~"):
        return "it is the home folder of that account"
    entries = remote_folder_entries(destination)
    if not entries or PUBLISH_MARKER in entries:
        return None
    return (
        f"it holds files but no {PUBLISH_MARKER} marker of an earlier publish, and rsync "
        "--delete removes every file that is not the site's. If it holds only this site, "
        f"confirm that once with `ssh {host} touch {path.rstrip('/')}/{PUBLISH_MARKER}`"
    )


def foreign_branch_history(ref: str, repository: Path) -> str | None:
    """Why ``ref`` (an existing branch) holds work that a publish commit on top would bury."""
    name = ref.removeprefix("refs/heads/").removeprefix("refs/remotes/")
    if run_git(repository, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode:
        return None
    top = set(run_git(repository, "ls-tree", "--name-only", ref).stdout.split())
    sources = [source for source in PROJECT_SOURCES_ON_A_BRANCH if source in top]
    if sources:
        return f"{name} holds the project's sources ({', '.join(sources)})"
    greps = [f"--grep={pattern}" for pattern in PUBLISHED_COMMIT_PATTERNS]
    foreign = run_git(
        repository, "log", "--max-count=1", "--format=%h %s", "--invert-grep", "-E", *greps, ref
    ).stdout.strip()
    if foreign:
        return f"{name} has commits that `invoke publish` did not make, such as {foreign}"
    return None


def unsafe_branch(branch: str, repository: Path = PROJECT_ROOT) -> str | None:
    """Why committing the site onto ``branch`` could replace the writer's work, or None.

    Refused: a branch checked out anywhere (the current one first), a branch whose tree holds
    the project's sources, and one with any commit that `invoke publish` did not make. The
    remote's copy is checked too: ghp-import builds on ``origin/<branch>`` when there is one.
    """
    if run_git(repository, "rev-parse", "--git-dir").returncode:
        return "this project is not a git repository, so it has no branches"
    if run_git(repository, "check-ref-format", "--branch", branch).returncode:
        return "it is not a valid branch name"
    worktree = run_git(
        repository, "for-each-ref", "--format=%(worktreepath)", f"refs/heads/{branch}"
    ).stdout.strip()
    if worktree:
        return f"it is checked out in {worktree}: a branch you work on"
    for ref in (f"refs/heads/{branch}", f"refs/remotes/origin/{branch}"):
        reason = foreign_branch_history(ref, repository)
        if reason:
            return reason
    return None


def refuse_unsafe_destination(target: str, dest: str) -> str:
    """Stop, before anything is built, a publish that could delete something that is not the site.

    Returns the destination to use: a local path made absolute now, so that the folder the
    transfer writes is the folder checked here, whichever folder a later step runs in.
    """
    if target == "gh-pages":
        destination, reason = _plugin_library("publish_guard").branch_name(dest)
        reason = reason or unsafe_branch(destination)
    elif target == "rsync" and shutil.which("rsync") is None:
        destination, reason = dest, "rsync is not installed on this machine"
    elif target == "rsync" and is_remote(dest):
        destination, reason = dest, unsafe_remote_destination(dest)
    else:
        path = Path(dest).expanduser().resolve()
        destination = f"{path}/" if target == "rsync" else str(path)
        reason = unsafe_local_destination(path)
    if reason:
        raise Exit(
            f"Refusing to publish to {dest}: {reason}. Nothing was built or published.", code=1
        )
    return destination


def refuse_untracked_sources(settings: dict, allow: bool) -> None:
    """Stop, before anything is built, a publish of sources git does not track (a stray
    ``patients.csv`` in content/images/, a file dropped into the theme): what is not committed
    was never reviewed. ``--allow-untracked`` or ``PUBLISH_UNTRACKED = True`` let them through.
    """
    guard = _plugin_library("publish_guard")
    content, theme = Path(settings["PATH"]), Path(settings["THEME"])
    found = guard.untracked_published_sources(
        PROJECT_ROOT, content, theme, settings.get("STATIC_PATHS") or []
    )
    if not found:
        return
    names = [os.path.relpath(path, PROJECT_ROOT) for path in found]
    listing = "".join(f"\n  {name}" for name in names[:20])
    listing += f"\n  ... and {len(names) - 20} more" if len(names) > 20 else ""
    if allow or settings.get("PUBLISH_UNTRACKED") is True:
        print(f"Publishing {len(names)} file(s) git does not track (allowed):{listing}")
        return
    raise Exit(
        f"Refusing to publish: {len(names)} file(s) would go live that git does not track, so "
        f"no one reviewed them:{listing}\nCommit them (git add), move them out, or publish "
        "them anyway with --allow-untracked (or PUBLISH_UNTRACKED = True in publishconf.py). "
        "Nothing was built or published.",
        code=1,
    )


def left_as_it_was(target: str, destination: str) -> str:
    """What a stopped or failed publish left untouched, said the way the publisher named it."""
    if target == "gh-pages":
        return f"the {destination} branch is as it was"
    return f"{destination} is as it was"


# --- Publishing: stopping cleanly ------------------------------------------------------------

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
SCRATCH_PREFIX = "site-publish-"
# Exit statuses of the child process that builds and checks the site for `publish`.
BUILD_FAILED = 3
CHECK_FAILED = 4


def stop_like_ctrl_c(signum: int, frame: object) -> None:
    """SIGTERM handler: stop the way Ctrl-C does, so that the same clean-up runs."""
    raise KeyboardInterrupt


@contextlib.contextmanager
def sigterm_stops_like_ctrl_c() -> Iterator[None]:
    """While the block runs, SIGTERM (a CI service cancelling a job) raises KeyboardInterrupt."""
    previous = signal.signal(signal.SIGTERM, stop_like_ctrl_c)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def stops_held() -> Iterator[None]:
    """Ignore Ctrl-C and SIGTERM while the block runs: a step that, once started, must finish.

    For short steps only: putting a checked site into place, and deleting our temporary files.
    """
    previous = {number: signal.signal(number, signal.SIG_IGN) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextlib.contextmanager
def scratch_folder() -> Iterator[Path]:
    """A temporary folder for the production build, deleted on every way out of the block."""
    folder = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX))
    try:
        yield folder
    finally:
        with stops_held():
            shutil.rmtree(folder, ignore_errors=True)


def build_and_check(site: str, audit_all: bool = False) -> int:
    """Build the production site into ``site`` and run the full check on it (an exit status).

    Runs in the child process that ``build_and_check_in_child`` starts. The build and each
    audit show their progress on stderr; pages that passed before are not audited again
    unless ``audit_all``.
    """
    scratch = Path(site).parent
    _plugin_library("publish_guard").stop_when_orphaned(
        scratch if scratch.name.startswith(SCRATCH_PREFIX) else None
    )
    progress_library = _plugin_library("content_check.progress")
    with progress_library.Progress() as progress:
        try:
            with progress_library.pelican_build_step(progress, "Build"):
                overrides = handout_overrides()
                if not build_site(PROD_SETTINGS, Path(site), overrides, mark_output=False):
                    raise BuildFailed  # so the step does not end with "Build: done"
            with progress.step("Handouts"):
                # Before the link check, which finds any handout a page links to and lacks.
                if not write_handouts_if_on(PROD_SETTINGS, Path(site), overrides):
                    raise BuildFailed
            refuse_unsafe_output_files(Path(site))
        except BuildFailed:
            return BUILD_FAILED
        if not run_writer_check(Path(site), True, progress=progress, audit_all=audit_all):
            return CHECK_FAILED
    return 0


def refuse_unsafe_output_files(site: Path) -> None:
    """Fail the build when the built site holds a link, a special or a hidden file (issue 24):
    every path into the output (theme, content, handouts) ends in plain files of its own."""
    problems = _plugin_library("publish_guard").output_problems(site)
    for problem in problems[:20]:
        print(f"Refusing to publish: {problem}", file=sys.stderr)
    if problems:
        raise BuildFailed


class BuildFailed(Exception):
    """The production build failed; ``build_site`` has already printed why."""


def build_and_check_in_child(site: Path, audit_all: bool = False) -> int:
    """Run ``build_and_check`` in a child process in its own session; return its exit status.

    Its own session, so that Ctrl-C in the terminal reaches only this process. This process
    then stops the child's whole group (Pelican's worker processes, Pagefind, Chromium, the
    HTML checker) with one SIGTERM, which ends them without a traceback, waits for them, and
    only then deletes the build they were writing.
    """
    code = "import sys; sys.path.insert(0, sys.argv[1]); import tasks; "
    code += "sys.exit(tasks.build_and_check(sys.argv[2], sys.argv[3] == 'all'))"
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(PROJECT_ROOT), str(site),
         "all" if audit_all else "changed"],
        cwd=PROJECT_ROOT, start_new_session=True,
    )  # fmt: skip
    try:
        return child.wait()
    except KeyboardInterrupt:
        with stops_held():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)
            child.wait()
        show_cursor_after_progress()
        raise


def show_cursor_after_progress() -> None:
    """After the child's progress bar was cut off: the terminal's cursor back, on a new line."""
    from rich.console import Console

    console = Console(stderr=True)
    if console.is_terminal:
        console.show_cursor(True)
        console.line()


# --- Publishing: the transfers ---------------------------------------------------------------


def mark_as_published(site: Path) -> None:
    """Write the publish marker into the checked site: the next publish may replace its folder."""
    (site / PUBLISH_MARKER).write_text(PUBLISH_MARKER_TEXT, encoding="utf-8")


def copy_beside(site: Path, destination: Path) -> Path:
    """Copy the site into a new ``.incoming-*`` folder next to ``destination``; return it.

    Next to it, so that putting it in place is a rename on the same file system. If the copy
    fails (a full disk) or is stopped, the partial copy is deleted before the error goes on.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(prefix=".incoming-", dir=destination.parent))
    try:
        shutil.copytree(site, incoming, dirs_exist_ok=True)
        incoming.chmod(0o755)
    except BaseException:  # an error, Ctrl-C or SIGTERM
        with stops_held():
            shutil.rmtree(incoming, ignore_errors=True)
        raise
    return incoming


def swap_into_place(incoming: Path, destination: Path) -> None:
    """Rename ``incoming`` to ``destination``; the old site is set aside first, deleted last.

    If a rename fails, the old site goes back and the new copy is deleted before the error goes on.
    """
    # A new name of our own: a fixed one (".retired-www") was deleted first when it existed,
    # and a folder of the publisher's by that name went with it (issue 24).
    retired = Path(tempfile.mkdtemp(prefix=f".retired-{destination.name}-", dir=destination.parent))
    retired.rmdir()
    try:
        if destination.exists():
            destination.rename(retired)
        incoming.rename(destination)
    except OSError:
        if retired.exists() and not destination.exists():
            retired.rename(destination)
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    shutil.rmtree(retired, ignore_errors=True)
    if retired.exists():
        print(f"Published, but the old copy at {retired} could not be deleted: delete it yourself.")
    for left in destination.parent.glob(f".retired-{destination.name}-*"):
        if (left / PUBLISH_MARKER).is_file():  # an old site a killed publish set aside: ours
            shutil.rmtree(left, ignore_errors=True)


def transfer_to_folder(site: Path, destination: Path, dry_run: bool) -> None:
    """Replace ``destination`` with the built site by renames; the old copy goes last."""
    if dry_run:
        print(f"Dry run: would replace {destination} with the built site.")
        return
    try:
        incoming = copy_beside(site, destination)
        with stops_held():  # readers see the old site or the new one, never none
            swap_into_place(incoming, destination)
    except OSError as error:  # shutil.Error too: one entry per file, 25 KB on a full disk
        reason = _plugin_library("publish_guard").one_line(error)
        raise Exit(
            f"Publishing into {destination} failed ({reason}), so nothing was published; "
            f"{destination} is as it was.",
            code=1,
        ) from None


def transfer_with_rsync(site: Path, destination: str, dry_run: bool) -> None:
    """rsync the site; ``--delay-updates --delete-after`` so readers never see half a site."""
    command = ["rsync", "-rlptz", "--checksum", "--delay-updates", "--delete-after"]
    if dry_run:
        command += ["--dry-run", "--itemize-changes"]
    command += [f"{site}/", destination]
    print(" ".join(command), flush=True)
    # In this process's group, so that ssh can still ask for a passphrase at the terminal.
    rsync = subprocess.Popen(command)
    try:
        status = rsync.wait()
    except KeyboardInterrupt:
        rsync.terminate()
        rsync.wait()
        raise Exit(
            f"Stopped during rsync: {destination} may hold part of the new site. "
            "Publish again to finish.",
            code=130,
        ) from None
    if status != 0:
        raise Exit("rsync failed: see its message above. The target may be unchanged.", code=1)


def transfer_to_branch(site: Path, branch: str, dry_run: bool, push: bool) -> None:
    """Commit the site as one new commit on ``branch`` of this repository (ghp-import)."""
    from ghp_import import ghp_import

    if dry_run:
        print(f"Dry run: would commit the built site to the {branch} branch.")
        return
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    message = f"Publish site ({stamp})\n\n{PUBLISH_TRAILER}"
    # One commit, written whole (git fast-import) or not at all; in this project's repository.
    from ghp_import import GhpError

    try:
        with stops_held(), contextlib.chdir(PROJECT_ROOT):
            ghp_import(str(site), mesg=message, branch=branch, nojekyll=True)
    except (OSError, GhpError) as error:  # a full disk: one line, not git's whole output
        reason = _plugin_library("publish_guard").one_line(error)
        raise Exit(f"Committing the site to {branch} failed ({reason}): nothing was "
                   f"published; the {branch} branch is as it was.", code=1) from None  # fmt: skip
    print(f"Committed the site to the {branch} branch.")
    if push:
        push_branch(branch)


def push_branch(branch: str) -> None:
    """``git push origin <branch>``; a push that fails or is stopped says the commit is kept."""
    kept = f"the site is committed on the {branch} branch; push it with `git push origin {branch}`"
    try:
        pushed = subprocess.run(["git", "push", "origin", branch], cwd=PROJECT_ROOT, check=False)
    except KeyboardInterrupt:
        raise Exit(f"Stopped during git push: {kept}.", code=130) from None
    if pushed.returncode != 0:
        raise Exit(f"git push failed (see above): {kept}.", code=1)
    print(f"Pushed the {branch} branch to origin.")


def transfer(target: str, site: Path, destination: str, dry_run: bool, push: bool) -> None:
    """Send the checked site to ``destination`` with the ``target``'s transfer."""
    if target == "folder":
        transfer_to_folder(site, Path(destination), dry_run)
    elif target == "rsync":
        transfer_with_rsync(site, destination, dry_run)
    else:
        transfer_to_branch(site, destination, dry_run, push)


def publish_checked_site(
    target: str, destination: str, dry_run: bool, push: bool, audit_all: bool = False
) -> None:
    """Build the production site in a temporary folder, check it, and only then transfer it."""
    left = left_as_it_was(target, destination)
    with scratch_folder() as scratch:
        site = scratch / "site"
        print("Building the production site from scratch...", flush=True)
        status = build_and_check_in_child(site, audit_all)
        if status == BUILD_FAILED:
            raise Exit(f"The build failed, so nothing was published; {left}.", code=1)
        if status == CHECK_FAILED:
            raise Exit(f"The check found errors (above), so nothing was published; {left}.", 1)
        if status != 0:
            raise Exit(f"The build stopped (status {status}): nothing was published; {left}.", 1)
        mark_as_published(site)
        transfer(target, site, destination, dry_run, push)


def choose_target(settings: dict, target: str, dest: str) -> tuple[str, str]:
    """The target and destination from the command line, else from publishconf.py."""
    target = target or settings.get("PUBLISH_TARGET", "")
    dest = dest or settings.get("PUBLISH_DESTINATION", "")
    if target not in PUBLISH_TARGETS:
        raise Exit(
            f"Unknown publish target {target!r}: use one of {', '.join(PUBLISH_TARGETS)} "
            "(--target, or PUBLISH_TARGET in publishconf.py). Nothing was published.",
            code=1,
        )
    if target == "gh-pages":
        dest = dest or "gh-pages"
    if not dest:
        raise Exit(
            f"No destination for the {target} target: pass --dest, or set PUBLISH_DESTINATION "
            "in publishconf.py. Nothing was published.",
            code=1,
        )
    return target, dest


@task(
    help={
        "target": "folder, rsync or gh-pages (default: PUBLISH_TARGET in publishconf.py)",
        "dest": "folder path, rsync destination (user@host:/path/) or branch name",
        "dry_run": "build and check, then show what would be transferred",
        "push": "gh-pages only: push the branch to origin afterwards",
        "all": "audit every page, also those that passed before unchanged",
        "allow_untracked": "publish sources git does not track (listed) instead of refusing",
    }
)
def publish(c, target="", dest="", dry_run=False, push=False, all=False, allow_untracked=False):  # noqa: PLR0917 (invoke options)
    """Build the production site from scratch, check it, and only then transfer it."""
    from pelican.settings import read_settings

    settings = read_settings(str(PROD_SETTINGS))
    target, dest = choose_target(settings, target, dest)
    destination = refuse_unsafe_destination(target, dest)
    refuse_untracked_sources(settings, allow_untracked)
    with sigterm_stops_like_ctrl_c():
        try:
            publish_checked_site(target, destination, dry_run, push, all)
        except KeyboardInterrupt:
            left = left_as_it_was(target, destination)
            raise Exit(f"Stopped: nothing was published; {left}.", code=130) from None
    if not dry_run:
        print(f"Published to {target}: {destination}")
