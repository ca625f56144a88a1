"""Reading a Markdown source file the way Pelican's Markdown reader does, keeping line numbers.

Pelican (through Python-Markdown's ``meta`` extension) reads ``Key: value`` lines from the top
of the file until the first blank line or the first line that is not metadata; an indented line
continues the previous value. We read the same block (plugins/metadata_block.py: the build's
own reading, where the first value of a repeated key wins), keep each key's line number and
never raise: a file Pelican cannot read becomes a :class:`~content_check.findings.Finding`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from metadata_block import RepeatedKey, read_metadata_block

from content_check.findings import Finding


@dataclass
class MetaValue:
    """One metadata value and the line (1-based) it starts on."""

    value: str
    line: int


@dataclass
class SourceFile:
    """A parsed content file: what the checks work on."""

    path: Path  # absolute
    name: str  # as shown to the writer, e.g. content/articles/x.md
    kind: str  # "article" or "page"
    lines: list[str]
    metadata: dict[str, MetaValue] = field(default_factory=dict)
    body_start: int = 0  # index into ``lines`` of the first body line
    meta_end: int = 0  # index of the line that ended the metadata block
    repeats: list[RepeatedKey] = field(default_factory=list)  # keys written twice (ignored)
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    def meta(self, key: str) -> str:
        """A metadata value (stripped), or "" when the key is absent."""
        item = self.metadata.get(key)
        return item.value.strip() if item else ""

    def meta_line(self, key: str) -> int | None:
        """The line a metadata key is on, or None."""
        item = self.metadata.get(key)
        return item.line if item else None

    @property
    def body_lines(self) -> list[tuple[int, str]]:
        """(line number, text) of every body line."""
        return [(i + 1, self.lines[i]) for i in range(self.body_start, len(self.lines))]


def parse_text(path: Path, name: str, kind: str, text: str) -> SourceFile:
    """Split a file's text into metadata (with line numbers) and body."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    source = SourceFile(path=path, name=name, kind=kind, lines=lines)
    block = read_metadata_block(lines)  # the first value of a repeated key wins, as in the build
    for key, entry in block.entries.items():
        value = entry.values[0] + "".join(" " + more for more in entry.values[1:])
        source.metadata[key] = MetaValue(value, entry.line)
    source.repeats = block.repeats
    source.meta_end = source.body_start = block.end
    return source


def did_you_mean(typed: str, names: list[str]) -> str:
    """ "Did you mean NAME? " for the file name most like ``typed`` (a typo in a path), or ""."""
    close = difflib.get_close_matches(typed, names, n=1, cutoff=0.6)
    return f"Did you mean {close[0]}? " if close else ""


def as_read(text: str) -> str:
    """A file's text as Pelican reads it: without a byte order mark, lines ending in "\\n"."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def read_source(path: Path, root: Path, kind: str) -> SourceFile | Finding:
    """Read one content file; a file Pelican could not read gives a Finding instead."""
    try:
        name = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return Finding(
            name,
            None,
            "error",
            "file-unreadable",
            f"Cannot read the file: {error}",
            "Check that the file exists and that you may read it.",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return Finding(
            name,
            line,
            "error",
            "file-encoding",
            f"The file is not UTF-8 text (byte 0x{raw[error.start]:02x} on this line), so "
            "Pelican cannot read it.",
            'Save the file as UTF-8 in your editor ("Save with encoding" > UTF-8), then '
            "check that quotes and dashes on this line still look right.",
        )
    text = as_read(text)
    if not text.strip():
        return Finding(
            name,
            None,
            "error",
            "file-empty",
            "The file is empty, so Pelican skips it (or stops the build).",
            "Write the metadata block and the text, or delete the file. "
            '`invoke new "Title"` starts an article with every field.',
        )
    return parse_text(path, name, kind, text)
