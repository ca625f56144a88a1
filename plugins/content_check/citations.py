"""What needs a source in a clinical article: figures (``ref-uncited-number``) and safety
instructions to the reader (``ref-uncited-instruction``).

The text is read in units a reader reads as one claim: each sentence of a paragraph, and each
list item or table row as a whole (a citation anywhere in the item covers the item; a citation
on the line that introduces a list does not cover its items: each item carries its own).
Headings, the reference list, code, comments, link texts and care-card titles are not read;
neither is the body of a ``!!! clinic-rule`` box (the clinic's own words, from its settings).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from article_markup.cards import CLINIC_RULE

from content_check.checks import (
    FOOTNOTE_REF_RE,
    HEADING_RE,
    URL_RE,
    Context,
    _finding,
    classify_body,
    is_clinical,
)
from content_check.findings import Finding
from content_check.readability import ADMONITION_RE, LIST_ITEM_RE, TABLE_RULE_RE
from content_check.source import SourceFile

# The end of a sentence: its mark, closing quotes, then its footnote marks (they belong to it),
# before the space and the capital (or number, or Spanish opening mark) of the next one.
SENTENCE_END_RE = re.compile(
    r"[.!?][\"\u201d\u2019)]*(?:\[\^[^\]]+\])*(?=\s+[\"\u201c(\u00bf\u00a1]?[A-Z0-9\u00c0-\u00de])"
)
LINK_RE = re.compile(r"!?\[(?P<text>[^\]]*)\]\((?P<url>[^)]*)\)")
# A figure: a number standing on its own ("12 weeks", "8,341", "0.35 mg/kg", "1970", "1 in 4",
# "32%"); not part of a name ("B12", "COVID-19").
FIGURE_RE = re.compile(r"(?<![\w\-\u2010-\u2014])\d+(?:[.,]\d+)*(?:\s?%)?")
DIGIT_RE = re.compile(r"\d")
PHONE_RE = re.compile(r"\(?\b\d{3}\)?[ .\-]\d{3}[ .\-]\d{4}\b")


@dataclass
class Unit:
    """A sentence of a paragraph, or a whole list item or table row."""

    line: int
    raw: str  # Markdown, footnote marks and links kept
    in_list: bool
    section: int  # which section (heading) it is in

    @functools.cached_property
    def cited(self) -> bool:
        """Whether the unit carries a footnote mark."""
        return bool(FOOTNOTE_REF_RE.search(self.raw))

    @functools.cached_property
    def plain(self) -> str:
        """What a reader reads, without link texts (labels, not claims)."""
        return self._text(keep_link_text=False)

    @functools.cached_property
    def read(self) -> str:
        """What a reader reads, link texts included."""
        return self._text(keep_link_text=True)

    def _text(self, keep_link_text: bool) -> str:
        """The unit without footnote marks, code, tags or addresses."""
        text = re.sub(r"`[^`]*`", " ", self.raw)
        text = FOOTNOTE_REF_RE.sub("", text)
        text = LINK_RE.sub(lambda m: m.group("text") if keep_link_text else " ", text)
        text = re.sub(r"\{:?[^}]*\}|<[^>]+>", " ", text)
        return " ".join(re.sub(r"[*_]+", "", URL_RE.sub(" ", text)).split())

    def links(self) -> list[str]:
        """The addresses the unit links to."""
        return [m.group("url").strip() for m in LINK_RE.finditer(self.raw)]


@dataclass
class UnitReader:
    """Reads classified body lines into units, section by section."""

    units: list[Unit] = field(default_factory=list)
    rule_sections: set[int] = field(default_factory=set)  # sections with a clinic-rule box
    section: int = 0
    block: list[tuple[int, str]] = field(default_factory=list)
    block_is_item: bool = False
    in_rule_box: bool = False

    def read(self, number: int, text: str, indented: bool) -> None:
        """One prose line (``text`` stripped)."""
        if self.in_rule_box and indented:
            return  # the clinic's own words
        self.in_rule_box = False
        if HEADING_RE.match(text):
            self.flush()
            self.section += 1
        elif ADMONITION_RE.match(text):  # its title is a label, not a claim
            self.flush()
            self.in_rule_box = CLINIC_RULE in text.split('"', maxsplit=1)[0].split()
            if self.in_rule_box:
                self.rule_sections.add(self.section)
        elif TABLE_RULE_RE.match(text) or (text.startswith(("[", "*[")) and "]:" in text):
            self.flush()
        elif text.startswith("|"):
            self.flush()
            self.units.append(Unit(number, text, True, self.section))
        elif item := LIST_ITEM_RE.match(text):
            self.flush()
            self.block, self.block_is_item = [(number, text[item.end() :])], True
        else:
            self.block.append((number, text))

    def flush(self) -> None:
        """End the paragraph or list item being read."""
        if not self.block:
            return
        joined, starts = "", []
        for number, piece in self.block:
            starts.append((len(joined), number))
            joined += piece + " "
        pieces = [joined.strip()] if self.block_is_item else _sentences(joined.strip())
        for offset, piece in pieces_with_offsets(joined, pieces):
            line = max(n for start, n in starts if start <= offset) if offset else starts[0][1]
            self.units.append(Unit(line, piece, self.block_is_item, self.section))
        self.block, self.block_is_item = [], False


def _sentences(text: str) -> list[str]:
    """A paragraph's sentences, each with the footnote marks that end it.

    A "?" in a link's text or in code ends no sentence: they are masked (same length) first.
    """
    masked = re.sub(
        r"`[^`]*`|" + LINK_RE.pattern,
        lambda m: re.sub(r"[.!?]", "_", m.group(0)),
        text,
    )
    sentences, start = [], 0
    for match in SENTENCE_END_RE.finditer(masked):
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


def pieces_with_offsets(text: str, pieces: list[str]) -> list[tuple[int, str]]:
    """Each piece with where it starts in ``text`` (pieces are in order)."""
    found, position = [], 0
    for piece in pieces:
        offset = text.find(piece, position)
        position = offset + len(piece)
        found.append((offset, piece))
    return found


def reading_units(src: SourceFile) -> tuple[list[Unit], set[int]]:
    """The file's units, and the sections that show a clinic rule (kept on the file)."""
    cached = src.cache.get("units")
    if cached is None:
        reader = UnitReader()
        for line in classify_body(src):
            if line.kind == "prose":
                reader.read(line.number, line.text.strip(), line.text.startswith(("    ", "\t")))
            else:
                reader.flush()
        reader.flush()
        cached = src.cache["units"] = (reader.units, reader.rule_sections)
    return cached


def _figures(unit: Unit, not_figures: re.Pattern[str] | None) -> list[str]:
    if not DIGIT_RE.search(unit.raw):  # most sentences: nothing to look at
        return []
    text = PHONE_RE.sub(" ", unit.plain)
    if not_figures is not None:
        text = not_figures.sub(" ", text)
    return [m.group(0).strip() for m in FIGURE_RE.finditer(text)]


def _not_figures(numbers: list[str]) -> re.Pattern[str] | None:
    """Numbers that are not figures (phone lines such as 911 and 988), as whole numbers."""
    if not numbers:
        return None
    return re.compile(r"(?<![\w.,])(?:" + "|".join(map(re.escape, numbers)) + r")(?![\w]|[.,]\d)")


def _excerpt(text: str) -> str:
    return text if len(text) <= 120 else text[:117] + "..."


def check_uncited_numbers(src: SourceFile, ctx: Context) -> list[Finding]:
    """``ref-uncited-number``: a figure with no footnote in its sentence (or list item).

    Articles and clinical pages. A question to the reader ("Can I have 2 sessions?") claims
    nothing.
    """
    if not is_clinical(src) or not src.metadata:
        return []
    not_figures = _not_figures(ctx.settings["CHECK_NUMBERS_NOT_FIGURES"])
    findings = []
    for unit in reading_units(src)[0]:
        figures = [] if unit.cited else _figures(unit, not_figures)
        if not figures or unit.plain.endswith("?"):
            continue
        findings.append(_uncited_number(src, unit, figures))
    return findings


def _uncited_number(src: SourceFile, unit: Unit, figures: list[str]) -> Finding:
    where = "list item" if unit.in_list else "sentence"
    shown = ", ".join(f'"{figure}"' for figure in dict.fromkeys(figures))
    note = (
        " A footnote on the line that introduces the list does not cover its items."
        if unit.in_list
        else ""
    )
    return _finding(
        src,
        unit.line,
        "error",
        "ref-uncited-number",
        f'This {where} states a figure ({shown}) but cites no source: "{_excerpt(unit.plain)}"',
        f"Put the footnote of the source that gives the figure ([^label]) at the end of the "
        f"{where}.{note} If no source gives it, leave the figure out.",
    )


def check_uncited_instructions(src: SourceFile, ctx: Context) -> list[Finding]:
    """``ref-uncited-instruction`` (warning): safety advice to the reader ("Do not drive ...")
    with no footnote, no link to one of the clinic's pages, and no clinic rule in its section.

    Articles and clinical pages: the other pages are the clinic's own policy.
    """
    if not is_clinical(src) or not src.metadata:
        return []
    pattern = _instruction_pattern(ctx, src)
    if pattern is None:
        return []
    units, rule_sections = reading_units(src)
    findings = []
    for unit in units:
        if unit.cited or unit.section in rule_sections or _links_to_a_page(unit):
            continue
        text = unit.read.lstrip("\u00bf\u00a1")
        if pattern.search(text):
            findings.append(_uncited_instruction(src, unit, text))
    return findings


def _instruction_pattern(ctx: Context, src: SourceFile) -> re.Pattern[str] | None:
    patterns = ctx.settings["CHECK_SAFETY_INSTRUCTIONS"]
    pattern = patterns.get(ctx.language(src))
    return re.compile(pattern, re.IGNORECASE) if pattern else None


def _links_to_a_page(unit: Unit) -> bool:
    """Whether the unit links to one of the site's pages (where the clinic's policies are)."""
    return any(
        url.startswith(("{filename}", "|filename|")) and "pages/" in url for url in unit.links()
    )


def _uncited_instruction(src: SourceFile, unit: Unit, text: str) -> Finding:
    return _finding(
        src,
        unit.line,
        "warning",
        "ref-uncited-instruction",
        "This tells the reader what to do for their safety, but cites no source and does not "
        f'point to the clinic\'s rule: "{_excerpt(text)}"',
        "Cite the source that gives the advice (a footnote: the label, a guideline), link to "
        "the clinic's page that sets it ({filename}../pages/...), or show the clinic's own rule "
        f'in this section with `!!! {CLINIC_RULE} "name"` (clinic_rules in LANGUAGES, '
        "pelicanconf.py).",
    )


def check_page_kind(src: SourceFile, ctx: Context) -> list[Finding]:
    """``page-kind``: a ``Kind: general`` page (the default) that gives dosing advice (an
    amount of a medicine, or an instruction about a dose: CHECK_DOSING_ADVICE). Clinical
    advice is checked and signed off as clinical; the writer says so with ``Kind: clinical``."""
    if is_clinical(src) or not src.metadata:
        return []
    patterns = [
        re.compile(pattern, re.IGNORECASE) for pattern in ctx.settings["CHECK_DOSING_ADVICE"]
    ]
    for line in classify_body(src):
        if line.kind not in ("prose", "footnote"):
            continue
        match = next((m for p in patterns if (m := p.search(line.text))), None)
        if match is None:
            continue
        return [
            _finding(
                src,
                line.number,
                "error",
                "page-kind",
                f'This page gives dosing advice ("{match.group(0)}") but is a general page '
                "(no `Kind: clinical`), so its figures, instructions and sources go unchecked "
                "and no clinician signs it off.",
                "Add `Kind: clinical` to the metadata block: the check then treats the page "
                "like an article (sources for figures and advice, at least one reference) and "
                "it needs a clinician's review. Or take the advice out of the page.",
            )
        ]
    return []
