"""Ctrl-C held through a block that must not be broken off, then raised after it.

- Waiting for the reading workers' pool (``reading.workers``): a Ctrl-C that breaks off its
  ``Thread.join`` (often a second one, pressed while the first stops the build) leaves the
  pool's thread running into Python's exit, where it raced the exit hook (a traceback) or hung
  the process.
- nh3's cleaning (``html_structure.clean``): its attribute filter is Python called from Rust; a
  Ctrl-C that lands in it is printed as "Exception ignored" and dropped, and the build went on
  to its end.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def ctrl_c_held() -> Iterator[list[Any]]:
    """Ctrl-C during the block is noted, not raised: the list then holds the handler it would
    have run (``raise_held`` runs it after the block), and stays empty when nothing was pressed.

    Only the main thread runs signal handlers; elsewhere (``invoke serve``'s rebuild thread)
    nothing can break the block. A process that ignores Ctrl-C (a reading worker) keeps
    ignoring it. (Not ``commands.stopping.stops_held``: that one drops the signal, right for a
    publish's last step, but a Ctrl-C held here must still stop the build after the block.)
    """
    pressed: list[Any] = []
    if threading.current_thread() is not threading.main_thread():
        yield pressed
        return
    previous = signal.getsignal(signal.SIGINT)
    if not callable(previous):  # ignored (SIG_IGN), or not Python's: left as it is
        yield pressed
        return

    def note(*_: Any) -> None:
        if not pressed:
            pressed.append(previous)

    signal.signal(signal.SIGINT, note)
    try:
        yield pressed
    finally:
        signal.signal(signal.SIGINT, previous)


def raise_held(pressed: list[Any]) -> None:
    """Run the Ctrl-C handler a ``ctrl_c_held`` block noted, if any (Python's raises
    ``KeyboardInterrupt``)."""
    if pressed:
        pressed[0](signal.SIGINT, None)
