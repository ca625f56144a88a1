"""The commands a writer or publisher runs: ``invoke --list`` shows them all.

Build logic lives in Pelican and our plugins; these tasks only choose settings, folders and
targets, and make sure nothing broken or unreviewed is transferred anywhere.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from invoke import Exit, task

PROJECT_ROOT = Path(__file__).resolve().parent
CONTENT_DIR = PROJECT_ROOT / "content"
ARTICLES_DIR = CONTENT_DIR / "articles"
DEV_SETTINGS = PROJECT_ROOT / "pelicanconf.py"
PROD_SETTINGS = PROJECT_ROOT / "publishconf.py"
PUBLISH_TARGETS = ("folder", "rsync", "gh-pages")


# --- Building ------------------------------------------------------------------------------


def build_site(
    settings_file: Path,
    output: Path | None = None,
    overrides: dict | None = None,
    fatal_warnings: bool = True,
) -> bool:
    """Run Pelican in this process; print a one-line reason and return False when it fails.

    In-process so that ``serve`` rebuilds in well under a second, and so that a writer sees the
    plugin's message ("CLINIC['booking_url'] is missing") rather than a traceback.
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
        Pelican(settings).run()
    except SystemExit as error:  # publishconf.py exits with a message when SITEURL is missing
        print(error, file=sys.stderr)
        return False
    except Exception as error:
        message = str(error)
        if message == "Warning or error encountered":
            message = "a warning was logged above, and production builds treat warnings as errors"
        print(f"\nBuild failed: {message}", file=sys.stderr)
        return False
    return True


@task(help={"production": "use publishconf.py (SITEURL must be set)"})
def build(c, production=False):
    """Build the site into output/ (development settings: drafts shown, content cache on)."""
    settings = PROD_SETTINGS if production else DEV_SETTINGS
    if not build_site(settings, PROJECT_ROOT / "output", fatal_warnings=production):
        raise Exit(code=1)
    print(f"Built into {PROJECT_ROOT / 'output'}")


@task(help={"port": "port on 127.0.0.1 (default 8000)"})
def serve(c, port=8000):
    """Serve the site on 127.0.0.1 and rebuild and refresh the browser when you save a file."""
    from livereload import Server

    # livereload ignores any change within 3 s of its start or of the last refresh, so a
    # writer's second quick save would rebuild but never show. Refresh on every rebuild.
    _plugin_library("pelican_compat").refresh_on_every_save()

    output = PROJECT_ROOT / "output"

    def rebuild() -> None:
        started = dt.datetime.now()
        if build_site(DEV_SETTINGS, output, fatal_warnings=False):
            seconds = (dt.datetime.now() - started).total_seconds()
            print(f"Rebuilt in {seconds:.1f} s")
        # In the background, so the browser refreshes as soon as the pages are written.
        threading.Thread(target=report_fast_check, daemon=True).start()

    rebuild()
    server = Server()
    for watched in ("content", "theme", "plugins", "pelicanconf.py"):
        server.watch(str(PROJECT_ROOT / watched), rebuild, delay=0)
    print(f"\nServing the site at http://127.0.0.1:{port}/  (Ctrl+C to stop)\n", flush=True)
    server.serve(host="127.0.0.1", port=int(port), root=str(output), open_url_delay=None)


@task(help={"port": "port on 127.0.0.1 (default 8001)"})
def preview(c, port=8001):
    """Build the production site (search index included) and serve it on 127.0.0.1."""
    import functools
    import http.server

    output = PROJECT_ROOT / "output-preview"
    os.environ["SITEURL"] = f"http://127.0.0.1:{port}"
    # A local preview may still carry the example clinic details that publishing refuses.
    if not build_site(PROD_SETTINGS, output, overrides={"REFUSE_EXAMPLE_CLINIC_DETAILS": False}):
        raise Exit(code=1)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), handler)
    print(f"\nPreviewing the production build at http://127.0.0.1:{port}/  (Ctrl+C to stop)\n")
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
Reviewed_by:
Last_reviewed:
Next_review:
Status: draft

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

## Questions to ask your care team

- Is this treatment right for me?
- What other options do I have?

[^source1]: Author A, Author B. Title of the study. *Journal*. Year;volume(issue):pages.
    doi:10.xxxx/xxxxx
"""


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
    print(f"Created {path.relative_to(PROJECT_ROOT)} (a draft).")
    print("Preview it with `invoke serve`; see what to fix with `invoke check`.")


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


def report_fast_check() -> None:
    """Print the writer's fast checks (no build needed) after a rebuild."""
    try:
        _content_check().run(PROJECT_ROOT)
    except Exception as error:  # a broken check must not stop `invoke serve`
        print(f"The writer's check could not run: {error}", file=sys.stderr)


def run_writer_check(output: Path, production: bool) -> bool:
    """Run the writer's full check on a built site; True when it finds no errors.

    The sources with the production (or development) rules, then the built HTML: internal
    links, the Nu HTML Checker and axe-core in Chromium (light and dark).
    """
    return _content_check().run(PROJECT_ROOT, production=production, site_dir=Path(output)) == 0


@task(
    help={
        "production": "production rules (publishconf.py): unreviewed articles are errors",
        "full": "also build the site and check its HTML (Nu HTML Checker, axe-core)",
        "format": "human (default) or json",
    }
)
def check(c, production=False, full=False, format="human"):
    """Tell the writer everything wrong with the content, by file and line, and how to fix it."""
    if format not in ("human", "json"):
        raise Exit("--format is human or json.", code=1)
    status = _content_check().run(PROJECT_ROOT, production=production, full=full,
                                  output_format=format)  # fmt: skip
    if status:
        raise Exit(code=status)


@task(help={"args": "extra arguments for pytest, in quotes"})
def test(c, args=""):
    """Run the whole test suite (builds the site, checks it in Chromium)."""
    command = [sys.executable, "-m", "pytest", *shlex.split(args)]
    result = subprocess.run(command, cwd=PROJECT_ROOT, check=False)
    # pytest's exit code 5 means no test ran: that is a failure, never a pass.
    raise Exit(code=result.returncode)


# --- Cleaning ------------------------------------------------------------------------------


def tracked_files() -> list[Path]:
    """Files git tracks in this project (empty when this is not a git checkout)."""
    result = subprocess.run(
        ["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, check=False
    )
    if result.returncode != 0:
        return []
    return [PROJECT_ROOT / name for name in result.stdout.decode().split("\0") if name]


def unsafe_to_delete(folder: Path) -> str | None:
    """Say why deleting ``folder`` as build output would be dangerous, or None when it is safe."""
    folder = folder.resolve()
    root = PROJECT_ROOT
    if folder == root or folder in root.parents:
        return f"{folder} is the project folder (or holds it)"
    if root not in folder.parents:
        return f"{folder} lies outside the project folder {root}"
    if folder == CONTENT_DIR or CONTENT_DIR in folder.parents:
        return f"{folder} is inside content/"
    if (folder / "content").exists() or folder in CONTENT_DIR.parents:
        return f"{folder} contains a content/ folder"
    tracked = [path for path in tracked_files() if folder in path.parents]
    if tracked:
        return f"{folder} holds files tracked by git, such as {tracked[0].relative_to(root)}"
    return None


@task
def clean(c):
    """Delete the build output (only output folders; never content or tracked files)."""
    from pelican.settings import read_settings

    output = Path(read_settings(str(DEV_SETTINGS))["OUTPUT_PATH"])
    for folder in (output, PROJECT_ROOT / "output-preview"):
        reason = unsafe_to_delete(folder)
        if reason:
            raise Exit(f"Refusing to delete the output folder: {reason}. Nothing was deleted.", 1)
    for folder in (output, PROJECT_ROOT / "output-preview"):
        if folder.exists():
            shutil.rmtree(folder)
            print(f"Deleted {folder.relative_to(PROJECT_ROOT)}/")


# --- Publishing ----------------------------------------------------------------------------


def transfer_to_folder(site: Path, destination: Path, dry_run: bool) -> None:
    """Replace ``destination`` with the built site by renames; the old copy goes last."""
    destination = destination.resolve()
    if destination == PROJECT_ROOT or PROJECT_ROOT in destination.parents:
        reason = unsafe_to_delete(destination)
        if reason:
            raise Exit(f"Refusing to publish into {destination}: {reason}.", code=1)
    if dry_run:
        print(f"Dry run: would replace {destination} with the built site.")
        return
    destination.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(prefix=".incoming-", dir=destination.parent))
    shutil.copytree(site, incoming, dirs_exist_ok=True)
    incoming.chmod(0o755)
    retired = destination.with_name(f".retired-{destination.name}")
    if destination.exists():
        if retired.exists():
            shutil.rmtree(retired)
        destination.rename(retired)
    incoming.rename(destination)
    if retired.exists():
        shutil.rmtree(retired)


def transfer_with_rsync(site: Path, destination: str, dry_run: bool) -> None:
    """rsync the site; ``--delay-updates --delete-after`` so readers never see half a site."""
    command = ["rsync", "-rlptz", "--checksum", "--delay-updates", "--delete-after"]
    if dry_run:
        command += ["--dry-run", "--itemize-changes"]
    command += [f"{site}/", destination]
    print(" ".join(command))
    if subprocess.run(command, check=False).returncode != 0:
        raise Exit("rsync failed: see its message above. The target may be unchanged.", code=1)


def transfer_to_branch(site: Path, branch: str, dry_run: bool, push: bool) -> None:
    """Commit the site as one new commit on ``branch`` of this repository (ghp-import)."""
    from ghp_import import ghp_import

    if dry_run:
        print(f"Dry run: would commit the built site to the {branch} branch.")
        return
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    ghp_import(str(site), mesg=f"Publish site ({stamp})", branch=branch, nojekyll=True, push=push)
    print(f"Committed the site to the {branch} branch" + (" and pushed it." if push else "."))


@task(
    help={
        "target": "folder, rsync or gh-pages (default: PUBLISH_TARGET in publishconf.py)",
        "dest": "folder path, rsync destination (user@host:/path/) or branch name",
        "dry_run": "build and check, then show what would be transferred",
        "push": "gh-pages only: push the branch to origin afterwards",
    }
)
def publish(c, target="", dest="", dry_run=False, push=False):
    """Build the production site from scratch, check it, and only then transfer it."""
    from pelican.settings import read_settings

    settings = read_settings(str(PROD_SETTINGS))
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
    with tempfile.TemporaryDirectory(prefix="site-publish-") as scratch:
        site = Path(scratch) / "site"
        print("Building the production site from scratch...")
        if not build_site(PROD_SETTINGS, site):
            raise Exit("The build failed, so nothing was published.", code=1)
        if not run_writer_check(site, production=True):
            raise Exit("The check found errors (above), so nothing was published.", code=1)
        if target == "folder":
            transfer_to_folder(site, Path(dest), dry_run)
        elif target == "rsync":
            transfer_with_rsync(site, dest, dry_run)
        else:
            transfer_to_branch(site, dest, dry_run, push)
    if not dry_run:
        print(f"Published to {target}: {dest}")
