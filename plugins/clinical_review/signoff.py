"""Writing a review into a Markdown file's metadata block, in place; the body is never touched.

The block is found by Python-Markdown's own ``meta`` patterns (the ones Pelican reads with):
``Key: value`` lines from the top of the file, an indented line continuing the value above,
up to the first blank line. Only the review fields' lines change; every other byte of the file,
its line endings included, stays as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from markdown.extensions.meta import BEGIN_RE, END_RE, META_MORE_RE, META_RE

HISTORY_INDENT = "    "
# The review fields, as a writer spells them, in the order they are added to a block.
REVIEW_FIELDS = ("Reviewed_by", "Last_reviewed", "Next_review", "Review_history")


@dataclass
class MetadataBlock:
    """Where each key's lines are: key (lower case) -> [(first line, end line)] (indexes)."""

    start: int = 0  # the first metadata line
    end: int = 0  # the line after the block (the blank line, or the body's first line)
    keys: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


def find_metadata_block(lines: Sequence[str]) -> MetadataBlock:
    """The metadata block of a file's lines, as Python-Markdown's ``meta`` extension reads it."""
    block = MetadataBlock()
    index = 1 if lines and BEGIN_RE.match(lines[0].rstrip("\r\n")) else 0
    block.start = index
    current: str | None = None
    while index < len(lines):
        text = lines[index].rstrip("\r\n")
        if not text.strip() or END_RE.match(text):
            break
        key_match = META_RE.match(text)
        if key_match:
            current = key_match.group("key").lower()
            block.keys.setdefault(current, []).append((index, index + 1))
        elif META_MORE_RE.match(text) and current:
            first, _ = block.keys[current][-1]
            block.keys[current][-1] = (first, index + 1)
        else:
            break
        index += 1
    block.end = index
    return block


def history_of(lines: Sequence[str], block: MetadataBlock) -> list[str]:
    """The history lines the block holds now (stripped, empty ones left out)."""
    values = []
    for first, end in block.keys.get("review_history", []):
        head = META_RE.match(lines[first].rstrip("\r\n"))
        values.append(head.group("value") if head else "")
        values += [lines[index].strip() for index in range(first + 1, end)]
    return [value.strip() for value in values if value.strip()]


def _field_lines(name: str, value: str | list[str], newline: str) -> list[str]:
    """A field's lines: ``Key: value``, or the key then one indented line per list item."""
    if isinstance(value, list):
        return [f"{name}:{newline}"] + [f"{HISTORY_INDENT}{item}{newline}" for item in value]
    return [f"{name}: {value}{newline}"]


def replace_fields(text: str, values: dict[str, str | list[str]]) -> str:
    """``text`` with the metadata fields in ``values`` set (a list: an indented multi-line value).

    A field already in the block is rewritten where it is (a repeated key keeps its first
    place); a new one goes at the end of the block. Nothing outside these lines changes.
    """
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    block = find_metadata_block(lines)
    if lines and block.end == len(lines) and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline  # a file that is only metadata, without a final line break
    replaced: dict[int, list[str]] = {}  # first line of a field -> its new lines
    dropped: set[int] = set()
    added: list[str] = []
    for name, value in values.items():
        places = block.keys.get(name.lower(), [])
        if not places:
            added += _field_lines(name, value, newline)
            continue
        replaced[places[0][0]] = _field_lines(name, value, newline)
        for first, end in places:
            dropped.update(range(first, end))
    result: list[str] = []
    for index, line in enumerate(lines):
        if index == block.end:
            result += added
        if index in replaced:
            result += replaced[index]
        if index not in dropped:
            result.append(line)
    if block.end == len(lines):
        result += added
    return "".join(result)


def review_fields(
    reviewer_key: str, day: dt.date, next_review: dt.date, history: list[str]
) -> dict[str, str | list[str]]:
    """The four review fields of a signed-off page, ready for ``replace_fields``."""
    return {
        "Reviewed_by": reviewer_key,
        "Last_reviewed": day.isoformat(),
        "Next_review": next_review.isoformat(),
        "Review_history": history,
    }
