"""The one reading of a content file's metadata block (``Key: value`` lines at the top).

Python-Markdown's ``meta`` extension appends a repeated key's value to the first one, and
Pelican then keeps the first (``Slug``), the last (the check, before) or both (a list, for
``Reviewed_by``): three readings of one file. Here a repeated key is ignored, with its
continuation lines, and reported, so the build (article_markup puts this reading in place of
``meta``'s), the writer's check and ``invoke review`` all take the FIRST value.

Same patterns as ``markdown.extensions.meta``: the block runs from the top of the file to the
first blank line (or ``---``/``...``), or to the first line that is neither ``Key: value`` nor
an indented continuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE_RE = re.compile(r"^[ ]{4,}(?P<value>.*)")
BEGIN_RE = re.compile(r"^-{3}(\s.*)?")
END_RE = re.compile(r"^(-{3}|\.{3})(\s.*)?")


@dataclass
class MetaEntry:
    """One key: its value lines (the key's own first, then continuations) and its line."""

    values: list[str]
    line: int  # 1-based, in the lines given


@dataclass(frozen=True)
class RepeatedKey:
    """A key written a second time: ignored, its first value kept."""

    key: str
    first_line: int
    repeated_line: int


@dataclass
class MetadataBlock:
    """What the block holds, where it ends, and the keys written twice."""

    entries: dict[str, MetaEntry] = field(default_factory=dict)
    repeats: list[RepeatedKey] = field(default_factory=list)
    end: int = 0  # index of the blank line (or first body line) that ends the block

    def as_markdown_meta(self) -> dict[str, list[str]]:
        """The block as Python-Markdown's ``meta`` extension gives it (``md.Meta``)."""
        return {key: list(entry.values) for key, entry in self.entries.items()}


def read_metadata_block(lines: list[str]) -> MetadataBlock:
    """Read the metadata block at the top of ``lines``; the first value of a key wins."""
    block = MetadataBlock()
    index = 1 if lines and BEGIN_RE.match(lines[0]) else 0
    current: MetaEntry | None = None  # the entry continuation lines extend (None: ignored)
    in_key = False
    while index < len(lines):
        line = lines[index]
        if line.strip() == "" or END_RE.match(line):
            index += 1 if END_RE.match(line) else 0
            break
        match = META_RE.match(line)
        if match:
            key = match.group("key").lower()
            in_key = True
            if key in block.entries:
                block.repeats.append(RepeatedKey(key, block.entries[key].line, index + 1))
                current = None
            else:
                current = block.entries[key] = MetaEntry([match.group("value").strip()], index + 1)
        else:
            more = META_MORE_RE.match(line)
            if not (more and in_key):
                break  # the block ends here; this line starts the body
            if current is not None:
                current.values.append(more.group("value").strip())
        index += 1
    block.end = index
    return block
