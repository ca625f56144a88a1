"""Text from ``invoke new``'s skeleton still in a file (``scaffold-left``).

The skeleton is ``NEW_ARTICLE_TEMPLATE`` of commands/new_article.py (one source): its
placeholder summary, the sentences that tell the writer what to write (the key points box's
three bullets among them: they say what each point should be), its footnote label and its
placeholder reference. Its headings, other list items and care cards are not flagged: a writer
may well keep "## What are the risks?".
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from content_check.checks import (
    FOOTNOTE_DEF_RE,
    FOOTNOTE_REF_RE,
    HEADING_RE,
    BodyLine,
    Context,
    _finding,
    classify_body,
    collect_footnotes,
)
from content_check.findings import Finding
from content_check.readability import ADMONITION_RE, LIST_ITEM_RE
from content_check.source import SourceFile, parse_text

TEMPLATE_FILE = Path(__file__).resolve().parents[2] / "commands" / "new_article.py"
# Pieces of the placeholder reference shorter than this ("*Journal*") are not looked for.
MIN_PIECE = 12


@dataclass(frozen=True)
class Skeleton:
    """What of the skeleton must not stay in a published file."""

    summary: str
    texts: tuple[str, ...]  # instruction sentences and pieces of the placeholder reference
    labels: frozenset[str]  # its footnote labels ("source1")


@functools.cache
def skeleton(template_file: Path = TEMPLATE_FILE) -> Skeleton | None:
    """The skeleton of ``invoke new``, read from ``template_file``; None when there is none."""
    template = _new_article_template(template_file)
    if template is None:
        return None
    values = dict.fromkeys(("title", "slug", "today", "category", "tag"), "")
    src = parse_text(template_file, "NEW_ARTICLE_TEMPLATE", "article", template.format(**values))
    notes = collect_footnotes(classify_body(src))
    texts = [sentence for line in classify_body(src) for sentence in _instructions(line)]
    texts += _key_point_items(classify_body(src))
    for text in notes.texts.values():
        texts += [piece for piece in re.split(r"\.\s+", text) if len(piece) >= MIN_PIECE]
    return Skeleton(src.meta("summary"), tuple(texts), frozenset(notes.definitions))


def _new_article_template(template_file: Path) -> str | None:
    """The file's NEW_ARTICLE_TEMPLATE (the module as imported, or imported from its file)."""
    module = sys.modules.get("commands.new_article")
    if module is None or Path(getattr(module, "__file__", "")).resolve() != template_file:
        if not template_file.is_file():
            return None
        spec = importlib.util.spec_from_file_location("_new_article", template_file)
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    return getattr(module, "NEW_ARTICLE_TEMPLATE", None)


def _instructions(line: BodyLine) -> list[str]:
    """The skeleton's sentences to the writer: its paragraphs (not headings, lists or cards)."""
    text = line.text
    if line.kind != "prose" or text.startswith((" ", "\t")):
        return []
    if HEADING_RE.match(text) or ADMONITION_RE.match(text) or LIST_ITEM_RE.match(text):
        return []
    sentences = re.split(r"(?<=[.!?])\s+", FOOTNOTE_REF_RE.sub("", text).strip())
    return [sentence for sentence in sentences if sentence]


def _key_point_items(lines: list[BodyLine]) -> list[str]:
    """The bullets of the skeleton's key points box (``!!! key-points``): what each point
    should say, not a point for readers (the box comes first on the page and the handout)."""
    items, inside = [], False
    for line in lines:
        if ADMONITION_RE.match(line.text):
            inside = line.text.startswith("!!! key-points")
        elif inside and line.text.startswith((" ", "\t")):
            item = LIST_ITEM_RE.match(line.text.strip())
            if item:
                items.append(line.text.strip()[item.end() :].strip())
        elif line.text.strip():
            inside = False
    return items


def check_scaffold(src: SourceFile, ctx: Context) -> list[Finding]:
    """``scaffold-left``: the skeleton's summary, instructions, footnote or reference."""
    found = skeleton()
    if found is None or not src.metadata:
        return []
    findings = []
    summary = src.meta("summary")
    if found.summary and found.summary in summary:
        findings.append(
            _left(src, src.meta_line("summary"), "Summary is still the placeholder", found.summary)
        )
    for line in classify_body(src):
        piece = _skeleton_piece(line.text, found) if line.kind in ("prose", "footnote") else ""
        if piece:
            findings.append(_left(src, line.number, "This line still holds the text", piece))
    return findings


def _skeleton_piece(text: str, found: Skeleton) -> str:
    """The first piece of the skeleton on a line ("" when there is none)."""
    normalised = " ".join(text.split())
    for piece in found.texts:
        if piece in normalised:
            return piece
    labels = FOOTNOTE_REF_RE.findall(text)
    definition = FOOTNOTE_DEF_RE.match(text)
    labels += [definition.group(1)] if definition else []
    return next((f"[^{label}]" for label in labels if label in found.labels), "")


def _left(src: SourceFile, line: int | None, what: str, piece: str) -> Finding:
    return _finding(
        src,
        line,
        "error",
        "scaffold-left",
        f'{what} of the new-article skeleton (`invoke new`): "{piece}"',
        "Replace it with your own words, and the placeholder reference with a real source: "
        "the skeleton says what to write, it is not for readers.",
    )


def one_finding_per_skeleton_line(findings: list[Finding]) -> list[Finding]:
    """On a line that still holds skeleton text, only ``scaffold-left``.

    The skeleton's placeholder sentence "Start with 1 or 2 sentences..." also states a figure,
    and its placeholder reference has no DOI: the writer replaces the line, and the other
    findings on it would be about text that is going away.
    """
    skeleton_lines = {f.line for f in findings if f.code == "scaffold-left" and f.line}
    return [f for f in findings if f.code == "scaffold-left" or f.line not in skeleton_lines]
