"""The one shape every check reports in: a :class:`Finding`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One thing wrong with one file.

    ``file`` is relative to the project root where possible (``content/articles/x.md``);
    ``line`` is 1-based, or None when the problem belongs to the whole file.
    """

    file: str
    line: int | None
    severity: Severity
    code: str
    message: str
    fix: str = ""

    def to_dict(self) -> dict:
        """The finding as a plain dict (for ``--format json``)."""
        return asdict(self)

    @property
    def is_error(self) -> bool:
        """True for an error (which blocks publishing), False for a warning."""
        return self.severity == "error"
