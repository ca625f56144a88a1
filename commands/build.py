"""`invoke build`: Pelican in this process, into a folder a task chose, marked as a build's."""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pelican_compat
from invoke import Exit
from log_counter import LogCounter

from commands import handouts
from commands.errors import failure_message
from commands.in_use import holding
from commands.project import BUILD_MARKER, BUILD_MARKER_TEXT, PROJECT_ROOT, load_settings
from commands.publish_guard import unsafe_output_folder


def build_site(
    settings: dict,
    output: Path | None = None,
    fatal_warnings: bool = True,
    mark_output: bool = True,
) -> bool:
    """Run Pelican in this process; print a one-line reason and return False when it fails.

    In-process so that ``serve`` rebuilds in well under a second, and so that a writer sees the
    plugin's message ("CLINIC['booking_url'] is missing") rather than a traceback; a bug still
    shows its traceback (``commands.errors``). After a successful build into ``output``, writes
    the build marker there (see ``mark_build_output``) unless ``mark_output`` is False.
    """
    from pelican import Pelican
    from pelican import log as pelican_log
    from reading import workers_stop_with_build

    # Our plugins and settings use paths relative to the project.
    os.chdir(PROJECT_ROOT)
    # Pelican hides a warning it has already shown in this process; every rebuild of
    # `invoke serve` must show the writer every warning again.
    pelican_compat.reset_log_limits()
    pelican_log.init(level=logging.WARNING)
    pelican_compat.set_fatal_warnings(fatal_warnings)
    # A copy: Pelican and the plugins may change the settings they build with, and the task
    # hands the same settings on (to the handouts, to the preview server).
    build_settings = copy.deepcopy(settings)
    if output is not None:
        build_settings["OUTPUT_PATH"] = str(Path(output).resolve())
    # A production build empties its output folder first: keep the marker of earlier builds,
    # so that a build that fails half-way still leaves a folder `clean` may delete.
    build_settings["OUTPUT_RETENTION"] = [*build_settings["OUTPUT_RETENTION"], BUILD_MARKER]
    try:
        with workers_stop_with_build():
            Pelican(build_settings).run()
    except Exception as error:
        print(f"\nBuild failed: {failure_message(error)}", file=sys.stderr)
        return False
    if output is not None and mark_output:
        mark_build_output(Path(output))
    return True


def load_and_build(
    output: Path, production: bool = False, overrides: dict | None = None, **options: bool
) -> tuple[dict | None, bool]:
    """Read the settings and build with them, for a step that goes on after a failure (each
    rebuild of `invoke serve`, the build `invoke publish` checks): the settings (None when they
    could not be read, said in one line) and whether the site was built."""
    try:
        settings = load_settings(production, overrides)
    except Exception as error:  # pelicanconf.py just saved with a mistake in it
        print(f"\nBuild failed: {failure_message(error)}", file=sys.stderr)
        return None, False
    return settings, build_site(settings, output, **options)


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
    reason = unsafe_output_folder(folder, PROJECT_ROOT)
    if reason:
        raise Exit(f"Refusing to build into {folder}: {reason}. Nothing was deleted or built.", 1)


@contextlib.contextmanager
def stopped_by_ctrl_c_says_so(output: Path) -> Iterator[None]:
    """Ctrl-C during a build into ``output`` ends the task with one line saying what is left
    (status 130), as the check and publish say where they stopped; invoke's own ending is
    silent (status 1)."""
    try:
        yield
    except KeyboardInterrupt:
        raise Exit(
            f"Stopped by Ctrl-C: {output} may hold part of a site. Nothing else was changed; "
            "build again before you look at it.",
            code=130,
        ) from None


@contextlib.contextmanager
def errors_logged() -> Iterator[LogCounter]:
    """The errors Pelican's loggers log inside the ``with`` block, counted. (On Pelican's own
    logger: a handler on the root logger would keep Pelican's ``log.init`` from installing
    the handler that prints the log.)"""
    counter = LogCounter(logging.ERROR)  # "Could not process" a page
    logging.getLogger("pelican").addHandler(counter)
    try:
        yield counter
    finally:
        logging.getLogger("pelican").removeHandler(counter)


def build(production: bool = False) -> None:
    """`invoke build`: the site into output/ (with ``production``, publishconf.py and the
    handouts the task writes after the build).

    A development build goes on past a page it cannot read (Pelican leaves the page out and
    logs why), as `invoke serve` must; the task then ends with status 1 and says so last, so
    neither a writer nor a script takes the site for whole."""
    overrides = handouts.handout_overrides() if production else {}
    output = PROJECT_ROOT / "output"
    refuse_unsafe_output(output)
    settings = load_settings(production, overrides)
    with holding(output, "build"), stopped_by_ctrl_c_says_so(output), errors_logged() as errors:
        if not build_site(settings, output, fatal_warnings=production):
            raise Exit(code=1)
        if production and not handouts.write_handouts_if_on(settings, output):
            raise Exit(code=1)
    if errors.count:
        raise Exit(
            f"Built into {output}, but not whole: the errors above left their pages out of the "
            "site. Fix them (`invoke check` shows the line) and build again.",
            code=1,
        )
    print(f"Built into {output}")
