"""`invoke check`, `invoke clarity`, `invoke test` and ``python -m commands.check``.

The writer's check itself is a library of plugins/content_check; this module runs it: from
the command line (``python -m commands.check [--full] [FILE...]``, from the project root), from
the tasks, and after each rebuild of `invoke serve`.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from content_check.findings import Finding
from content_check.focus import (
    Focus,
    UnknownFile,
    changed_since_last_commit,
    focused_report,
    project_name,
)
from content_check.progress import Progress, pelican_build_step
from content_check.report import format_human, format_json
from content_check.runner import run_fast_check, run_named_check, sort_findings
from invoke import Exit

from commands.project import PROJECT_ROOT, load_settings

INTERRUPTED = 130  # the exit status of a run stopped by Ctrl-C (128 + SIGINT)


def full_checks(
    site_dir: Path,
    settings: dict,
    root: Path,
    progress: Progress,
    audit_all: bool = False,
) -> list[Finding]:
    """The built-site checks: links, the Nu HTML Checker, axe (light and dark), one search.

    Pages that passed before, unchanged, are not audited again unless ``audit_all``.
    """
    from content_check.audit import AuditOptions, run_full_audit

    return run_full_audit(site_dir, settings, root, progress, AuditOptions(audit_all=audit_all))


def run(  # noqa: PLR0917
    root: Path,
    production: bool = False,
    full: bool = False,
    output_format: str = "human",
    site_dir: Path | None = None,
    today: dt.date | None = None,
    stream=None,
    audit_all: bool = False,
    progress: Progress | None = None,
    focus: Focus | None = None,
) -> int:
    """Run the check, print the report; return the exit status (1 on any error).

    With a ``focus`` the human report shows its files in full and summarizes the rest (see
    content_check/focus.py); files named in it decide the exit status alone.

    With ``full`` (or a built ``site_dir``) long steps show their progress on stderr, and
    Ctrl-C prints one line saying what was left as it was and returns :data:`INTERRUPTED`
    (unless the caller passed its own ``progress``, as ``invoke publish`` may: then the
    KeyboardInterrupt is the caller's to handle).
    """
    stream = stream or sys.stdout
    started = time.perf_counter()
    whole_site = True
    if full or site_dir is not None:
        outcome = _run_full(root, production, site_dir, today, audit_all, progress)
        if outcome is None:
            return INTERRUPTED
        findings, checked = outcome
    else:
        outcome = _named_check(root, production, today, focus)
        whole_site = outcome is None
        findings, checked = outcome or run_fast_check(root, production=production, today=today)
    findings = sort_findings(findings)
    seconds = time.perf_counter() - started
    if output_format == "json":  # every finding (of the files named, when some are)
        named = focus.named if focus is not None else frozenset()
        shown = [f for f in findings if f.file in named] if named else findings
        print(format_json(shown, checked, seconds), file=stream)
    elif focus is not None:
        print(focused_report(findings, checked, seconds, focus, whole_site), file=stream)
    else:
        print(format_human(findings, checked, seconds), file=stream)
    if focus is not None and focus.named:
        findings = [f for f in findings if f.file in focus.named]
    return 1 if any(f.is_error for f in findings) else 0


def _named_check(
    root: Path, production: bool, today: dt.date | None, focus: Focus | None
) -> tuple[list[Finding], int] | None:
    """The files the writer named, checked alone (None: no files named, ``--all``, or a file
    only the whole check knows the findings of)."""
    if focus is None or not focus.named or focus.show_all:
        return None
    return run_named_check(root, focus.named, production=production, today=today)


def writer_focus(root: Path, files: list[str], show_all: bool) -> Focus:
    """The files a writer asked about (as the findings name them), or those changed in git.

    Raises UnknownFile for a name that is no file of the project.
    """
    named = frozenset(project_name(name, root) for name in files)
    changed = None if named or show_all else changed_since_last_commit(root)
    return Focus(named=named, changed=changed, show_all=show_all)


def _run_full(  # noqa: PLR0917
    root: Path,
    production: bool,
    site_dir: Path | None,
    today: dt.date | None,
    audit_all: bool,
    progress: Progress | None,
) -> tuple[list[Finding], int] | None:
    """The sources, then the build and its audits, with progress; None when Ctrl-C stopped it.

    A caller that passes its own ``progress`` handles Ctrl-C itself (KeyboardInterrupt goes on).
    """
    owned = progress is None
    progress = progress or Progress()
    try:
        with progress if owned else contextlib.nullcontext():
            with progress.step("Sources (the writer's check)"):
                findings, checked = run_fast_check(root, production=production, today=today)
            findings += _full(root, production, site_dir, progress, audit_all)
    except KeyboardInterrupt:
        if not owned:
            raise
        print(progress.stopped_message(_left_as_it_was(site_dir)), file=sys.stderr)
        return None
    return findings, checked


def _left_as_it_was(site_dir: Path | None) -> str:
    """What a stopped check leaves: nothing changed, and what it already knows."""
    build = "" if site_dir is not None else "the temporary build was removed; "
    return (
        f"nothing was changed ({build}audits that passed before the stop are kept, so "
        "the next run goes on from there)."
    )


def _full(
    root: Path, production: bool, site_dir: Path | None, progress: Progress, audit_all: bool
) -> list[Finding]:
    """Build the site into a temporary folder (unless given one) and check the HTML."""
    from content_check.runner import load_pelican_settings

    settings = load_pelican_settings(root, production)
    if site_dir is not None:
        return full_checks(site_dir, settings, root, progress, audit_all)
    with tempfile.TemporaryDirectory(prefix="content-check-") as scratch:
        output = Path(scratch) / "site"
        build_settings = _build(root, production, output, progress)
        if isinstance(build_settings, Finding):
            return [build_settings]
        return full_checks(output, build_settings, root, progress, audit_all)


def _build(root: Path, production: bool, output: Path, progress: Progress) -> dict | Finding:
    """Build the site into ``output`` as Pelican would; its settings, or why it failed."""
    from content_check.runner import PLACEHOLDER_SITEURL
    from pelican import Pelican
    from pelican.settings import read_settings
    from reading import workers_stop_with_build

    name = "publishconf.py" if production else "pelicanconf.py"
    override = {
        "OUTPUT_PATH": str(output),
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
        "REFUSE_EXAMPLE_CLINIC_DETAILS": False,
        # This build writes no handouts (invoke publish does), so no page links to one.
        "HANDOUTS": False,
    }
    previous = Path.cwd()
    os.chdir(root)
    try:
        if production and not os.environ.get("SITEURL"):
            os.environ.setdefault("SITEURL", PLACEHOLDER_SITEURL)
        build_settings = read_settings(str(root / name), override=override)
        with pelican_build_step(progress, "Build"), workers_stop_with_build():
            Pelican(build_settings).run()
    except Exception as error:
        return Finding(
            name,
            None,
            "error",
            "build-failed",
            f"The site could not be built for the full check: {error}",
            "Run `invoke build` to see Pelican's message.",
        )
    finally:
        os.chdir(previous)
    return build_settings


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and run the check from the current folder (the project root)."""
    parser = argparse.ArgumentParser(
        prog="python -m commands.check",
        description="The writer's check: what is wrong with the content.",
    )
    parser.add_argument(
        "--production",
        action="store_true",
        help="production rules (publishconf.py): unreviewed articles are errors",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="also build the site and run the Nu HTML Checker and axe-core",
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="print every finding; with --full also audit every page, also those that passed "
        "before unchanged",
    )
    parser.add_argument(
        "files", nargs="*", help="check these files (plus the whole-site rules that involve them)"
    )
    parser.add_argument("--site", type=Path, help="check this built site instead of building")
    parser.add_argument("--format", choices=("human", "json"), default="human")
    parser.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    parser.add_argument(
        "--schema",
        action="store_true",
        help="print the metadata reference table (Markdown) and exit",
    )
    args = parser.parse_args(argv)
    if args.schema:
        from content_check.schema import markdown_table

        print(markdown_table())
        return 0
    try:
        focus = writer_focus(Path.cwd(), args.files, args.all)
    except UnknownFile as error:
        print(error, file=sys.stderr)
        return 2
    return run(Path.cwd(), args.production, args.full, args.format, args.site, args.today,
               audit_all=args.all, focus=focus)  # fmt: skip


# --- The tasks ---------------------------------------------------------------------------------

OUTPUT_FORMATS = ("human", "json")


def refuse_unknown_format(output_format: str) -> None:
    """Stop, in one line, at a --format the check does not print."""
    if output_format not in OUTPUT_FORMATS:
        raise Exit("--format is human or json.", code=1)


def report_fast_check(saved: list[Path] | None = None) -> None:
    """Print the writer's fast checks (no build needed) after a rebuild: the files just saved
    and those changed since the last commit in full, the other warnings one line per code."""
    try:
        focus = writer_focus(PROJECT_ROOT, [], show_all=False)
        just_saved = {path.relative_to(PROJECT_ROOT).as_posix() for path in saved or []}
        focus = dataclasses.replace(focus, changed=frozenset(focus.changed or ()) | just_saved)
        run(PROJECT_ROOT, focus=focus)
    except Exception as error:  # a broken check must not stop `invoke serve`
        print(f"The writer's check could not run: {error}", file=sys.stderr)


def run_writer_check(
    output: Path, production: bool, progress: Progress | None = None, audit_all: bool = False
) -> bool:
    """Run the writer's full check on a built site; True when it finds no errors.

    The sources with the production (or development) rules, then the built HTML: internal
    links, the Nu HTML Checker and axe-core in Chromium (light and dark), with progress on
    ``progress`` (stderr). Pages that passed before, byte for byte, are not audited again
    unless ``audit_all``.
    """
    status = run(PROJECT_ROOT, production=production, site_dir=Path(output),
                 progress=progress, audit_all=audit_all)  # fmt: skip
    return status == 0


def writer_check_focus(files: list[str], show_all: bool) -> Focus:
    """What `invoke check` prints in full: the files named, else those changed since the last
    commit (content_check/focus.py); everything with ``show_all``."""
    try:
        return writer_focus(PROJECT_ROOT, files, show_all)
    except UnknownFile as error:
        raise Exit(str(error), code=2) from None


def check(
    files: list[str], production: bool, full: bool, show_all: bool, output_format: str
) -> None:
    """`invoke check`: the findings of ``files`` (else of the files changed since the last
    commit) in full, and every error; the other warnings one line per code."""
    refuse_unknown_format(output_format)
    focus = writer_check_focus(files, show_all)
    status = run(PROJECT_ROOT, production=production, full=full,
                 output_format=output_format, audit_all=show_all, focus=focus)  # fmt: skip
    if status:
        raise Exit(code=status)


def clarity(files: tuple[str, ...], output_format: str) -> None:
    """`invoke clarity`: each article's score on the CDC Clear Communication Index items."""
    from content_check import clarity as clarity_scoring

    refuse_unknown_format(output_format)
    settings = load_settings()
    results = clarity_scoring.run_clarity(PROJECT_ROOT, settings, files)
    minimum = settings.get("CLARITY_MIN_SCORE", clarity_scoring.DEFAULT_MIN_SCORE)
    if output_format == "json":
        data = {"minimum": minimum, "articles": [result.to_dict() for result in results]}
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        print(clarity_scoring.format_clarity(results, minimum))


def run_test_suite(args: str, quick: bool) -> None:
    """`invoke test`: pytest with ``args``; ``quick`` leaves out the browser and slow tests."""
    selection = ["-m", "not browser and not slow"] if quick else []
    # pytest-xdist workers, each test file on one worker, so a module's shared site is built
    # once. (`--dist loadgroup` groups nothing under pytest 9: xdist 3.8 renames a node id
    # pytest no longer reads.) Files go out in collection order, the longest first
    # (tests/conftest.py), not xdist's most-tests-first. `--args "-n 0"` runs in this process.
    # One worker per core: the whole suite keeps 2 cores 92-95 % busy (684 s of CPU in a run
    # of 371 s, half of it Chromium's), so a third worker would only make tests wait on each
    # other.
    workers = ["-n", "auto", "--dist", "loadfile", "--no-loadscope-reorder"]
    command = [sys.executable, "-m", "pytest", *workers, *selection, *shlex.split(args)]
    result = subprocess.run(command, cwd=PROJECT_ROOT, check=False)
    # pytest's exit code 5 means no test ran: that is a failure, never a pass.
    raise Exit(code=result.returncode)


if __name__ == "__main__":
    sys.exit(main())
