"""A logging handler that counts the records it is given (a library, not a plugin)."""

from __future__ import annotations

import logging


class LogCounter(logging.Handler):
    """Counts the records at ``level`` and above logged while it is attached."""

    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
