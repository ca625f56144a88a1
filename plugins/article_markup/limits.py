"""How much Markdown one file may hold before Python-Markdown reads it.

Python-Markdown's link and image patterns take quadratic time and worse on unclosed brackets:
a file of 50,000 ``[`` took 52 s to check and over 180 s to build. Deep quote or list nesting
recurses. So before Markdown runs, the build (plugins/reading) and the check
(content_check.markup) hold the file to these limits, each far above what a patient guide
needs (the largest shipped file, the glossary, has 24 KB, 102 ``[`` and 23 in one paragraph).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_LIMITS = {
    "bytes": 200_000,  # the whole file
    "brackets": 2_000,  # "[" in the whole file
    "brackets_per_paragraph": 200,
    "nesting": 10,  # quote (">") or list levels
}
QUOTES_RE = re.compile(r"^(?:[ ]{0,3}>)+")
LIST_ITEM_RE = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d+[.)])[ \t]")


@dataclass(frozen=True)
class LimitProblem:
    """One limit a file goes over: the line (None: the whole file) and what."""

    line: int | None
    what: str


def limits_of(settings: dict) -> dict[str, int]:
    """The limits: DEFAULT_LIMITS, with MARKDOWN_LIMITS from the settings on top."""
    return {**DEFAULT_LIMITS, **(settings.get("MARKDOWN_LIMITS") or {})}


def over_limits(text: str, limits: dict[str, int] | None = None) -> list[LimitProblem]:
    """What in ``text`` goes over the limits (empty: Markdown may read it)."""
    limits = limits or DEFAULT_LIMITS
    problems = []
    size = len(text.encode("utf-8"))
    if size > limits["bytes"]:
        problems.append(LimitProblem(None, f"{size:,} bytes (at most {limits['bytes']:,})"))
    brackets = text.count("[")
    if brackets > limits["brackets"]:
        problems.append(
            LimitProblem(None, f'{brackets:,} "[" in the file (at most {limits["brackets"]:,})')
        )
    problems += _paragraph_problems(text.split("\n"), limits)
    return problems


def _paragraph_problems(lines: list[str], limits: dict[str, int]) -> list[LimitProblem]:
    problems, start, count = [], 1, 0
    for number, line in enumerate([*lines, ""], start=1):
        if not line.strip():
            if count > limits["brackets_per_paragraph"]:
                problems.append(
                    LimitProblem(
                        start,
                        f'{count:,} "[" in one paragraph (at most '
                        f"{limits['brackets_per_paragraph']:,})",
                    )
                )
            start, count = number + 1, 0
            continue
        count += line.count("[")
        depth = _nesting(line)
        if depth > limits["nesting"]:
            problems.append(
                LimitProblem(number, f"{depth} levels of nesting (at most {limits['nesting']})")
            )
    return problems


def _nesting(line: str) -> int:
    """How deep a line sits in quotes (">") or list items (4 spaces a level)."""
    quotes = QUOTES_RE.match(line)
    depth = quotes.group(0).count(">") if quotes else 0
    item = LIST_ITEM_RE.match(line)
    if item:
        depth += len(item.group("indent").expandtabs(4)) // 4 + 1
    return depth
