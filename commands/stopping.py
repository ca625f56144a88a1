"""Stopping cleanly: Ctrl-C and SIGTERM end a command the same way, and the short steps that
must finish (putting a site in place, deleting scratch files) are not cut off."""

from __future__ import annotations

import contextlib
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
SCRATCH_PREFIX = "site-publish-"


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
