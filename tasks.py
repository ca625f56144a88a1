"""The commands a writer or publisher runs: ``invoke --list`` shows them all.

Each task reads its options and calls one function of commands/; build logic lives in Pelican
and our plugins. A problem the writer can fix stops a task with one line naming the file or
setting and the fix; anything else is a bug and shows its traceback (commands/errors.py).
"""

from __future__ import annotations

import shlex

from invoke import Context, task

try:
    import pelican_compat  # plugins/, on the venv's import path (./quickstart writes it there)
except ModuleNotFoundError as missing:
    if missing.name != "pelican_compat":
        raise
    raise SystemExit(
        "plugins/ is not on Python's import path: run ./quickstart tools once in this folder "
        "(it writes .venv/lib/python3.*/site-packages/site-kit.pth), then invoke again."
    ) from None

from commands.errors import one_line_errors

# `invoke review --due` names no FILE, nor `invoke check` (all files; `invoke check FILE`: one):
# invoke has no optional positional argument.
pelican_compat.positional_not_needed_with("review", "--due")
pelican_compat.positional_optional("check")
pelican_compat.positional_optional("new")  # no title: our message with an example, not invoke's
pelican_compat.more_words_to("check", "file")  # invoke check a.md b.md: both files
pelican_compat.more_words_to("new", "title")  # invoke new Is ketamine safe: the whole title
# Each task imports its command module when it runs, so that `invoke --list` stays quick.


# --- Building ------------------------------------------------------------------------------


@task(help={"production": "use publishconf.py (SITEURL must be set)"})
@one_line_errors
def build(c: Context, production: bool = False) -> None:
    """Build the site into output/ (development settings: drafts shown, content cache on)."""
    from commands import build as building

    building.build(production)


@task(help={"port": "port on 127.0.0.1 (default 8000)"})
@one_line_errors
def serve(c: Context, port: int = 8000) -> None:
    """Serve the site on 127.0.0.1 and rebuild and refresh the browser when you save a file."""
    from commands import serve as serving

    serving.serve(port)


@task(help={"port": "port on 127.0.0.1 (default 8001)"})
@one_line_errors
def preview(c: Context, port: int = 8001) -> None:
    """Build the production site (search index included) and serve it on 127.0.0.1.

    With the headers production sends (Content-Security-Policy, HSTS...)."""
    from commands import serve as serving

    serving.preview(port)


# --- Writing -------------------------------------------------------------------------------


@task(
    positional=["title"],
    help={"title": 'the article title, in quotes: invoke new "Is ketamine safe?"'},
)
@one_line_errors
def new(c: Context, title: str | None = None) -> None:
    """Start a new article in content/articles/ with every metadata field filled in."""
    from commands import serve as serving

    if c.remainder:  # a title typed without quotes, with " -- " in it: invoke split it there
        title = f"{title or ''} -- {c.remainder}".strip()
    serving.new(title)


# --- Checking ------------------------------------------------------------------------------


@task(
    positional=["path"],
    iterable=["file"],
    help={
        "path": "check this file, or these: invoke check content/articles/*.md",
        "file": "check this file too (repeatable)",
        "production": "production rules (publishconf.py): unreviewed articles are errors",
        "full": "also build the site and check its HTML (Nu HTML Checker, axe-core)",
        "all": "print every finding (not only the files you changed); with --full also audit "
        "every page, also those that passed before unchanged",
        "format": "human (default) or json",
    },
)
@one_line_errors
def check(  # noqa: PLR0917 (invoke options)
    c: Context,
    path: str | None = None,
    file: list[str] | None = None,
    production: bool = False,
    full: bool = False,
    all: bool = False,
    format: str = "human",
) -> None:
    """Tell the writer everything wrong with the content, by file and line, and how to fix it.

    Prints in full the findings of the files named (invoke check FILE...), else of the files
    changed since the last commit, and every error; the other warnings one line per code.
    """
    files = [*([path] if path else []), *(file or []), *shlex.split(c.remainder or "")]
    from commands import check as checking

    checking.check(files, production, full, all, format)


@task(
    help={
        "file": "only this article (repeatable): content/articles/is-ketamine-safe.md",
        "format": "human (default) or json",
    },
    iterable=["file"],
)
@one_line_errors
def clarity(c: Context, file: list[str] | None = None, format: str = "human") -> None:
    """Score each article on the CDC Clear Communication Index items the kit can judge."""
    from commands import check as checking

    checking.clarity(tuple(file or ()), format)


# --- Reviewing -----------------------------------------------------------------------------


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
@one_line_errors
def review(  # noqa: PLR0917 (invoke options)
    c: Context,
    file: str,
    reviewer: str = "",
    note: str = "",
    packet: bool = False,
    diff: bool = False,
    due: bool = False,
    yes: bool = False,
) -> None:
    """Record a review today: Last_reviewed, Next_review and the page history.

    The history holds the fingerprint of the text approved; --due signs everything due in one
    sitting."""
    mode = "due" if due else "packet" if packet else "diff" if diff else "sign"
    from commands import review as reviewing

    reviewing.review(file, reviewer, note, mode, yes)


@task(
    help={
        "format": "human (default), json, or ics (a calendar of the upcoming due dates)",
        "output": "write to this file instead of the terminal",
    }
)
@one_line_errors
def reviews(c: Context, format: str = "human", output: str = "") -> None:
    """List every article and translation by review state, most urgent first."""
    from commands import review as reviewing

    reviewing.reviews(format, output)


# --- Handouts ------------------------------------------------------------------------------


@task(
    help={
        "output": "the built site (default: output/, as `invoke build --production` makes it)",
        "all": "print every handout again instead of keeping unchanged ones",
    }
)
@one_line_errors
def handouts(c: Context, output: str = "output", all: bool = False) -> None:
    """Write one handout PDF beside each article page of a production build."""
    from commands import handouts as handout_pdfs

    handout_pdfs.handouts(output, everything=all)


@task(
    help={
        "synced": "instead, record that this translation (content/articles/es/x.md) now says "
        "what its original says (its Synced_with field)",
        "changes": "instead, show what this translation's original changed since --synced",
    }
)
@one_line_errors
def translations(c: Context, synced: str = "", changes: str = "") -> None:
    """Update the word catalogues from the templates and plugins; list what is untranslated.

    The English message ids go to theme/translations/messages.pot; each language's
    messages.po gains the new ones (empty) and loses the ones no longer used. Fill in every
    empty msgstr: the build refuses a catalogue with an untranslated message.

    With --synced FILE: record in the translation FILE the fingerprint of its original's text
    as it is now, so that `translation-stale` reports the original's next change. With
    --changes FILE: show what the original changed since then.
    """
    from commands import review as reviewing

    reviewing.translations(c, synced, changes)


@task(help={
    "args": "extra pytest arguments, e.g. \"tests/test_check.py -q\"",
    "quick": "only the tests that start no browser and are not marked slow (the inner loop)",
})  # fmt: skip
@one_line_errors
def test(c: Context, args: str = "", quick: bool = False) -> None:
    """Run the whole test suite (builds the site, checks it in Chromium); --quick: inner loop."""
    from commands import check as checking

    checking.run_test_suite(args, quick)


# --- Cleaning and publishing -----------------------------------------------------------------


@task
@one_line_errors
def clean(c: Context) -> None:
    """Delete the build output: only folders a build made (holding its marker), nothing else."""
    from commands import publish as publishing

    publishing.clean()


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
@one_line_errors
def publish(  # noqa: PLR0917 (invoke options)
    c: Context,
    target: str = "",
    dest: str = "",
    dry_run: bool = False,
    push: bool = False,
    all: bool = False,
    allow_untracked: bool = False,
) -> None:
    """Build the production site from scratch, check it, and only then transfer it."""
    from commands import publish as publishing

    publishing.publish(target, dest, dry_run, push, all, allow_untracked)
