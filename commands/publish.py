"""`invoke publish` and `invoke clean`: the production site built from scratch, checked, and only
then transferred (to a folder, with rsync, or onto a gh-pages branch); the build output deleted
only where a build made it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from invoke import Exit

from commands.in_use import holding
from commands.project import PROJECT_ROOT, load_settings
from commands.publish_guard import one_line, output_problems, stop_when_orphaned
from commands.safety import (
    PUBLISH_MARKER,
    PUBLISH_MARKER_TEXT,
    PUBLISH_TRAILER,
    refuse_unsafe_destination,
    refuse_untracked_sources,
    unsafe_to_delete,
)
from commands.stopping import SCRATCH_PREFIX, scratch_folder, sigterm_stops_like_ctrl_c, stops_held

PUBLISH_TARGETS = ("folder", "rsync", "gh-pages")
# Exit statuses of the child process that builds and checks the site for `publish`.
BUILD_FAILED = 3
CHECK_FAILED = 4


def left_as_it_was(target: str, destination: str) -> str:
    """What a stopped or failed publish left untouched, said the way the publisher named it."""
    if target == "gh-pages":
        return f"the {destination} branch is as it was"
    return f"{destination} is as it was"


def build_and_check(site: str, audit_all: bool = False) -> int:
    """Build the production site into ``site`` and run the full check on it (an exit status).

    Runs in the child process that ``build_and_check_in_child`` starts. The build and each
    audit show their progress on stderr; pages that passed before are not audited again
    unless ``audit_all``.
    """
    # Imported here, in the child: the publishing process itself only refuses, waits and
    # transfers, so a refusal comes before the build's and the check's imports.
    from content_check.progress import Progress, pelican_build_step

    from commands.build import load_and_build
    from commands.check import run_writer_check
    from commands.handouts import handout_overrides, write_handouts_if_on

    scratch = Path(site).parent
    stop_when_orphaned(scratch if scratch.name.startswith(SCRATCH_PREFIX) else None)
    with Progress() as progress:
        try:
            with pelican_build_step(progress, "Build"):
                settings, built = load_and_build(
                    Path(site), True, handout_overrides(), mark_output=False
                )
                if not built:
                    raise BuildFailed  # so the step does not end with "Build: done"
            with progress.step("Handouts"):
                # Before the link check, which finds any handout a page links to and lacks.
                if not write_handouts_if_on(settings, Path(site)):
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
    problems = output_problems(site)
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
    # In the project folder, Python finds this project's commands/ first (the folder of `-c`).
    code = "import sys; from commands.publish import build_and_check; "
    code += "sys.exit(build_and_check(sys.argv[1], sys.argv[2] == 'all'))"
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(site), "all" if audit_all else "changed"],
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
        reason = one_line(error)
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
        reason = one_line(error)
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
        said = f"Unknown publish target {target!r}" if target else "No publish target is set"
        raise Exit(
            f"{said}: use one of {', '.join(PUBLISH_TARGETS)}, e.g. `invoke publish --target "
            "folder --dest /srv/www/site` (or set PUBLISH_TARGET and PUBLISH_DESTINATION in "
            "publishconf.py). Nothing was published.",
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


def publish(  # noqa: PLR0917 (the task's options)
    target: str, dest: str, dry_run: bool, push: bool, audit_all: bool, allow_untracked: bool
) -> None:
    """`invoke publish`: build the production site from scratch, check it, and only then
    transfer it."""
    settings = load_settings(production=True)
    target, dest = choose_target(settings, target, dest)
    destination = refuse_unsafe_destination(target, dest, settings)
    refuse_untracked_sources(settings, allow_untracked)
    # Two publishes into one folder would swap their sites in and out under each other.
    held = holding(Path(destination), "publish") if target == "folder" else contextlib.nullcontext()
    with held, sigterm_stops_like_ctrl_c():
        try:
            publish_checked_site(target, destination, dry_run, push, audit_all)
        except KeyboardInterrupt:
            left = left_as_it_was(target, destination)
            raise Exit(f"Stopped: nothing was published; {left}.", code=130) from None
    if not dry_run:
        print(f"Published to {target}: {destination}")


def clean() -> None:
    """`invoke clean`: delete the build output, only folders a build made (with its marker)."""
    settings = load_settings()
    output = Path(settings["OUTPUT_PATH"])
    folders = (output, PROJECT_ROOT / "output-preview")
    for folder in folders:
        reason = unsafe_to_delete(folder, settings)
        if reason:
            raise Exit(f"Refusing to delete {folder}: {reason}. Nothing was deleted.", code=1)
    with holding(output, "clean"), holding(folders[1], "clean"):  # not under serve or a build
        for folder in folders:
            if folder.exists():
                shutil.rmtree(folder)
                print(f"Deleted {folder.resolve().relative_to(PROJECT_ROOT)}/")
