"""Known errors in one line, bugs with their traceback: the one place the tasks handle errors.

A problem the writer or publisher can fix (a ``SiteError`` from a plugin or a command, a full
disk, a warning in a production build) is said in one line that names the file or setting and
the fix. Anything else is a bug, and its traceback shows its file and line.
"""

from __future__ import annotations

import errno
import functools
import shutil
import subprocess
import sys
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from invoke import Exit
from site_errors import SiteError

from commands.publish_guard import one_line

Body = TypeVar("Body", bound=Callable[..., Any])

# What Pelican raises when a warning is logged in a build whose warnings are fatal.
PELICAN_FATAL_WARNING = "Warning or error encountered"


def known_error_message(error: BaseException) -> str | None:
    """One line for an error the writer or publisher can fix; None for a bug."""
    if isinstance(error, SiteError):
        return str(error)
    if isinstance(error, shutil.Error) or getattr(error, "errno", None) == errno.ENOSPC:
        return one_line(error)  # a full disk: one line, not one entry per file
    if str(error) == PELICAN_FATAL_WARNING:
        return "a warning was logged above, and production builds treat warnings as errors"
    return None


def failure_message(error: BaseException) -> str:
    """One line for a known error; for a bug, its traceback first (file and line), then one line.

    For a step that goes on after a failure (a rebuild of `invoke serve`) or that reports it in
    its own words ("Build failed: ...").
    """
    known = known_error_message(error)
    if known is not None:
        return known
    traceback.print_exception(error, file=sys.stderr)
    return f"{type(error).__name__}: {error} (a bug: the traceback above names its file and line)"


# invoke hands "--help" after a task that takes a positional argument (`invoke review --help`)
# to that argument, not to its own help: the task prints its help itself.
HELP_FLAGS = ("--help", "-h")


def print_task_help(name: str) -> None:
    """invoke's own help for the task ``name`` (``invoke --help NAME``); exits with its status."""
    shown = subprocess.run([sys.executable, "-m", "invoke", "--help", name], check=False)
    raise Exit(code=shown.returncode)


def one_line_errors(body: Body) -> Body:
    """Run a task's ``body``; a known error stops it with its one line (exit status 1).

    Any other exception goes on to invoke, which prints its traceback. A positional argument
    given as ``--help`` prints the task's help instead.
    """

    @functools.wraps(body)
    def run(*args: Any, **kwargs: Any) -> Any:
        if any(
            value in HELP_FLAGS for value in [*args[1:], *kwargs.values()] if isinstance(value, str)
        ):
            print_task_help(body.__name__.replace("_", "-"))
        try:
            return body(*args, **kwargs)
        except Exit:
            raise
        except Exception as error:
            message = known_error_message(error)
            if message is None:
                raise
            raise Exit(message, code=1) from None

    return run  # type: ignore[return-value]
