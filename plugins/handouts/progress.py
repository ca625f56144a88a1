"""How far the printing has got, on stderr: the minimal version of the shared progress module.

plugins/content_check/progress.py (not on main yet) will do this for every long step; until
then, this prints a line every 10 % or every 10 s (whichever comes first) when stderr is not a
terminal, and keeps one line up to date when it is. Same shape as that module's ``Step``:
``advance()`` once per unit done.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

EVERY_SECONDS = 10.0
LINES = 10  # a line for every tenth done


class Step:
    """One step of ``total`` units, shown as it advances."""

    def __init__(
        self, label: str, total: int, unit: str, stream: TextIO | None = None,
        interactive: bool | None = None,
    ) -> None:  # fmt: skip
        self.label = label
        self.total = total
        self.unit = unit
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.done = 0
        self.started = time.monotonic()
        self.last_line = self.started
        self.last_tenth = 0

    def line(self) -> str:
        """``Printing handouts: 40/100 PDFs (40 %), 12 s``."""
        share = 100 * self.done // self.total if self.total else 100
        elapsed = round(time.monotonic() - self.started)
        return f"{self.label}: {self.done:,}/{self.total:,} {self.unit} ({share} %), {elapsed} s"

    def advance(self, amount: int = 1) -> None:
        """Count ``amount`` more units done, and show it when a line is due."""
        self.done += amount
        if self.interactive:
            end = "\n" if self.done >= self.total else ""
            print(f"\r{self.line()}", end=end, file=self.stream, flush=True)
            return
        tenth = self.done * LINES // self.total if self.total else LINES
        if tenth > self.last_tenth or time.monotonic() - self.last_line >= EVERY_SECONDS:
            self.last_tenth = tenth
            self.last_line = time.monotonic()
            print(self.line(), file=self.stream, flush=True)
