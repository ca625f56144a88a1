"""Readability of each article and section (textstat 0.7.8), by a formula made for its language:
Flesch-Kincaid grade and SMOG in English, Fernández-Huerta reading ease in Spanish.

The text scored is what a reader reads: paragraphs, list items, table cells and care-card
titles, without headings, references, code, comments, link addresses or footnote markers.
Each block counts as at least one sentence (a list item is read as one), as in
tests/test_content.py. Every sentence keeps the line it starts on, so the check can point to
the hardest sentences.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import ModuleType

from content_check.checks import HEADING_RE, BodyLine, Context, _finding, classify_body
from content_check.findings import Finding
from content_check.source import SourceFile


@functools.cache
def _textstat() -> ModuleType:
    """textstat, imported when a text is first scored (not by `invoke check FILE` when the
    file's findings are kept: its import is a tenth of the check's start), looking English
    words up in the CMU dictionary word by word (content_check/pronunciations.py)."""
    import textstat
    from pelican_compat import textstat_reads_pronunciations

    from content_check.pronunciations import Pronunciations

    textstat_reads_pronunciations(Pronunciations)
    return textstat


LIST_ITEM_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
ADMONITION_RE = re.compile(r'^\s*!!!\s+[\w-]+(?:\s+[\w-]+)*\s*(?:"(?P<title>[^"]*)")?\s*$')
TABLE_RULE_RE = re.compile(r"^\s*\|?\s*:?-{3,}")
# Spanish sentences may open with "¿" or "¡" and a capital with an accent ("Él", "Ésta").
SENTENCE_END_RE = re.compile(
    r"(?<=[.!?])[\"\u201d\u2019)]?\s+(?=[\"\u201c(\u00bf\u00a1]?[A-Z0-9\u00c0-\u00de])"
)


@dataclass
class Sentence:
    """A sentence and the line it starts on."""

    text: str
    line: int

    @property
    def words(self) -> int:
        """Words, as textstat counts them."""
        return _textstat().lexicon_count(self.text, removepunct=True)

    @property
    def grade(self) -> float:
        """Flesch-Kincaid grade of this one sentence."""
        words = self.words
        if not words:
            return 0.0
        syllables = _textstat().syllable_count(self.text)
        return 0.39 * words + 11.8 * syllables / words - 15.59


@dataclass
class Section:
    """The text under one heading (the lead-in before the first heading has line None)."""

    heading: str
    line: int | None
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All sentences, one per line."""
        return "\n".join(s.text for s in self.sentences)


def inline_text(text: str) -> str:
    """Markdown inline syntax reduced to the words a reader reads."""
    text = re.sub(r"\[\^[^\]]*\]", "", text)  # footnote markers
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)  # images
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links
    text = re.sub(r"\[([^\]]*)\]\[[^\]]*\]", r"\1", text)  # reference links
    text = re.sub(r"\{:?[^}]*\}", "", text)  # attribute lists
    text = re.sub(r"<[^>]+>", "", text)  # HTML tags
    text = re.sub(r"[*_`]+", "", text)
    return " ".join(text.split())


def sections_of(src: SourceFile) -> list[Section]:
    """The body split into sections and sentences, each sentence with its line number."""
    splitter = SectionSplitter()
    for line in classify_body(src):
        splitter.read(line)
    splitter.flush()
    return [s for s in splitter.sections if s.sentences]


class SectionSplitter:
    """Reads body lines one by one into sections; each block of text becomes sentences."""

    def __init__(self) -> None:
        self.sections = [Section("(introduction)", None)]
        self.block: list[tuple[int, str]] = []  # (line, text) of the block being read

    def read(self, line: BodyLine) -> None:
        """Add one body line: a heading opens a section; anything but prose ends a block."""
        if line.kind != "prose":
            self.flush()
            return
        text = line.text.strip()
        for special in (self._heading, self._admonition, self._not_prose, self._table_row):
            if special(line.number, text):
                return
        item = LIST_ITEM_RE.match(text)
        if item:  # each list item is read as (at least) one sentence
            self.flush()
            text = text[item.end() :]
        self.block.append((line.number, inline_text(text)))

    def flush(self) -> None:
        """End the block being read: its sentences join the current section."""
        if not self.block:
            return
        joined, starts = _join_block(self.block)
        self.block = []
        if joined:
            self.sections[-1].sentences += _sentences(joined, starts)

    def _heading(self, number: int, text: str) -> bool:
        heading = HEADING_RE.match(text)
        if heading:
            self.flush()
            self.sections.append(Section(inline_text(heading.group(2)), number))
        return bool(heading)

    def _admonition(self, number: int, text: str) -> bool:
        admonition = ADMONITION_RE.match(text)
        if admonition:
            self.flush()
            if admonition.group("title"):  # a care card's title is read as a sentence
                self.block.append((number, inline_text(admonition.group("title"))))
                self.flush()
        return bool(admonition)

    def _not_prose(self, number: int, text: str) -> bool:
        """Table rules and reference-style link definitions are not read."""
        skipped = bool(TABLE_RULE_RE.match(text) or (text.startswith(("[", "*[")) and "]:" in text))
        if skipped:
            self.flush()
        return skipped

    def _table_row(self, number: int, text: str) -> bool:
        if not text.startswith("|"):
            return False
        self.flush()
        for cell in text.strip("|").split("|"):  # each cell is read on its own
            self.block.append((number, inline_text(cell)))
            self.flush()
        return True


def _join_block(block: list[tuple[int, str]]) -> tuple[str, list[tuple[int, int]]]:
    """A block's pieces joined by spaces (ending in a full stop) and where each piece starts."""
    joined, starts = "", []
    for number, piece in block:
        starts.append((len(joined), number))
        joined += piece + " "
    joined = joined.strip()
    if joined and joined[-1] not in ".!?:":
        joined += "."
    return joined, starts


def _sentences(joined: str, starts: list[tuple[int, int]]) -> list[Sentence]:
    """A block's sentences, each with the line its first word is on."""
    sentences = []
    position = 0
    for part in SENTENCE_END_RE.split(joined):
        offset = joined.find(part, position)
        position = offset + len(part)
        line = max((n for start, n in starts if start <= offset), default=starts[0][1])
        if part.strip():
            sentences.append(Sentence(part.strip(), line))
    return sentences


def scores(sentences: list[Sentence]) -> tuple[float, float, int]:
    """(Flesch-Kincaid grade, SMOG index, words) of a list of sentences."""
    text = "\n".join(s.text for s in sentences)
    words = _textstat().lexicon_count(text, removepunct=True)
    if not words:
        return 0.0, 0.0, 0
    return _textstat().flesch_kincaid_grade(text), _textstat().smog_index(text), words


def hardest(sentences: list[Sentence], count: int) -> list[Sentence]:
    """The ``count`` sentences with the highest grade (longest first on ties)."""
    return sorted(sentences, key=lambda s: (s.grade, s.words), reverse=True)[:count]


def describe_hardest(sentences: list[Sentence], count: int) -> str:
    """``line 12 (grade 14): "..."`` for the hardest sentences."""
    parts = []
    for sentence in hardest(sentences, count):
        text = sentence.text if len(sentence.text) <= 90 else sentence.text[:87] + "..."
        parts.append(f'line {sentence.line} (grade {sentence.grade:.0f}): "{text}"')
    return "; ".join(parts)


def check_readability(src: SourceFile, ctx: Context) -> list[Finding]:
    """Readability of an article and each long-enough section, by a formula made for its
    language: Flesch-Kincaid and SMOG for English, Fernández-Huerta for Spanish.

    Languages without a formula here are not scored.
    """
    if src.kind != "article" or not src.metadata:
        return []
    language = ctx.language(src)
    if language not in READABILITY_BY_LANGUAGE:
        return []
    sections = sections_of(src)
    if not any(section.sentences for section in sections):
        return []
    findings = READABILITY_BY_LANGUAGE[language](src, ctx, sections)
    return findings + _long_sentences(src, ctx, sections)


def _long_sentences(src: SourceFile, ctx: Context, sections: list[Section]) -> list[Finding]:
    """``sentence-long``: each sentence over ``CHECK_MAX_SENTENCE_WORDS`` words (a warning). The
    reading scores average over the article, so one very long sentence among short ones can
    pass them; a reader in pain, or reading in a second language, loses its thread."""
    most = ctx.settings["CHECK_MAX_SENTENCE_WORDS"]
    return [
        _finding(
            src,
            sentence.line,
            "warning",
            "sentence-long",
            f"A sentence of {words} words (at most {most}): "
            f'"{sentence.text if len(sentence.text) <= 90 else sentence.text[:87] + "..."}"',
            "Split it into two or three sentences of one idea each (aim for under 20 words); "
            "keep each figure's footnote in the sentence that gives the figure.",
        )
        for section in sections
        for sentence in section.sentences
        if (words := sentence.words) > most
    ]


def _english_readability(src: SourceFile, ctx: Context, sections: list[Section]) -> list[Finding]:
    """Flesch-Kincaid and SMOG over the article and each long-enough section.

    An article over a threshold is an error (``read-grade``); a section over one is a warning
    (``read-section``) that points to where to start.
    """
    settings = ctx.settings
    max_grade, max_smog = settings["CHECK_MAX_GRADE"], settings["CHECK_MAX_SMOG"]
    count = settings["CHECK_HARDEST_SENTENCES"]
    everything = [s for section in sections for s in section.sentences]
    findings = []
    grade, smog, _ = scores(everything)
    if grade > max_grade or smog > max_smog:
        findings.append(
            _finding(
                src,
                None,
                "error",
                "read-grade",
                "The article is harder to read than the limit: "
                f"{_over_limits(grade, max_grade, smog, max_smog)}.",
                "Use shorter sentences (under 20 words) and plain words, then the medical "
                f"term. Start with: {describe_hardest(everything, count)}.",
            )
        )
    for section in sections:
        grade, smog, words = scores(section.sentences)
        if words < settings["CHECK_SECTION_MIN_WORDS"]:
            continue
        smog_counts = len(section.sentences) >= 3  # textstat's SMOG is 0 under 3 sentences
        if grade > max_grade or (smog_counts and smog > max_smog):
            over = _over_limits(grade, max_grade, smog if smog_counts else 0.0, max_smog)
            findings.append(
                _finding(
                    src,
                    section.line,
                    "warning",
                    "read-section",
                    f'Section "{section.heading}" is harder to read than the limit: {over}.',
                    f"Split or simplify: {describe_hardest(section.sentences, count)}.",
                )
            )
    return findings


def _over_limits(grade: float, max_grade: float, smog: float, max_smog: float) -> str:
    """Which of the two measures is over its limit, each with its limit, and the other one's
    score for reference: "SMOG 10.2, over its limit of 10 (Flesch-Kincaid grade 7.4 is within
    its 8)"."""
    measures = [("Flesch-Kincaid grade", grade, max_grade), ("SMOG", smog, max_smog)]
    over = [f"{name} {score:.1f}, over its limit of {most:g}"
            for name, score, most in measures if score > most]  # fmt: skip
    within = [f"{name} {score:.1f} is within its {most:g}"
              for name, score, most in measures if 0 < score <= most]  # fmt: skip
    return " and ".join(over) + (f" ({within[0]})" if within else "")


# --- Spanish: Fernández-Huerta (textstat 0.7.8, syllables by Pyphen's Spanish dictionary) ---

# textstat keeps its language in module state; English scores are made with its default.
TEXTSTAT_ENGLISH = "en_US"
# Fernández-Huerta's bands (higher is easier), each with its lower bound.
EASE_BANDS = (
    (90.0, "muy fácil"),
    (80.0, "fácil"),
    (70.0, "bastante fácil"),
    (60.0, "normal"),
    (50.0, "algo difícil"),
    (30.0, "difícil"),
)


@contextlib.contextmanager
def textstat_language(language: str) -> Iterator[None]:
    """textstat set to ``language`` for the block, and back to its English afterwards."""
    _textstat().set_lang(language)
    try:
        yield
    finally:
        _textstat().set_lang(TEXTSTAT_ENGLISH)


def ease_band(ease: float) -> str:
    """The Fernández-Huerta band a score falls in ("bastante fácil", ...)."""
    return next((name for bound, name in EASE_BANDS if ease >= bound), "muy difícil")


def spanish_ease(sentences: list[Sentence]) -> tuple[float, int]:
    """(Fernández-Huerta reading ease, words) of a list of sentences (call in Spanish)."""
    text = "\n".join(s.text for s in sentences)
    words = _textstat().lexicon_count(text, removepunct=True)
    return (_textstat().fernandez_huerta(text) if words else 0.0), words


def describe_hardest_spanish(sentences: list[Sentence], count: int) -> str:
    """``line 12 (ease 41): "..."`` for the hardest sentences (the lowest ease)."""
    scored = [(spanish_ease([s])[0], s) for s in sentences]
    scored.sort(key=lambda pair: (pair[0], -pair[1].words))
    parts = []
    for ease, sentence in scored[:count]:
        text = sentence.text if len(sentence.text) <= 90 else sentence.text[:87] + "..."
        parts.append(f'line {sentence.line} (ease {ease:.0f}): "{text}"')
    return "; ".join(parts)


def _spanish_readability(src: SourceFile, ctx: Context, sections: list[Section]) -> list[Finding]:
    """Fernández-Huerta over the article (``read-ease``, an error) and each long-enough
    section (``read-ease-section``, a warning)."""
    with textstat_language("es"):
        return _spanish_findings(src, ctx, sections)


def _spanish_findings(src: SourceFile, ctx: Context, sections: list[Section]) -> list[Finding]:
    settings = ctx.settings
    minimum, count = settings["CHECK_MIN_READING_EASE_ES"], settings["CHECK_HARDEST_SENTENCES"]
    everything = [s for section in sections for s in section.sentences]
    findings = []
    ease, _ = spanish_ease(everything)
    if ease < minimum:
        findings.append(
            _finding(
                src,
                None,
                "error",
                "read-ease",
                f'The article reads at Fernández-Huerta {ease:.1f} ("{ease_band(ease)}"); the '
                f'site asks for at least {minimum:g} ("{ease_band(minimum)}").',
                "Use shorter sentences (under 20 words) and plain words, then the medical "
                f"term. Start with: {describe_hardest_spanish(everything, count)}.",
            )
        )
    for section in sections:
        ease, words = spanish_ease(section.sentences)
        if words >= settings["CHECK_SECTION_MIN_WORDS"] and ease < minimum:
            findings.append(
                _finding(
                    src,
                    section.line,
                    "warning",
                    "read-ease-section",
                    f'Section "{section.heading}" reads at Fernández-Huerta {ease:.1f} '
                    f'("{ease_band(ease)}").',
                    f"Split or simplify: {describe_hardest_spanish(section.sentences, count)}.",
                )
            )
    return findings


READABILITY_BY_LANGUAGE = {"en": _english_readability, "es": _spanish_readability}
