"""Figures: an image alone in its paragraph is a figure, and needs a caption and a text alternative.

``![What the picture shows]({static}/images/figures/day.svg "The caption")`` becomes a
captioned figure (plugins/article_markup/figures.py). Without the title it would be a picture
with no caption; without the alternative text a screen-reader user would not know what it shows.
"""

from __future__ import annotations

import re

from content_check.checks import Context, classify_body
from content_check.findings import Finding
from content_check.source import SourceFile

# A line that holds only an image: ![alt](address "title") (the title in "", '' or ()).
FIGURE_LINE_RE = re.compile(
    r"""^\s*!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<url>[^\s>)]+)>?"""
    r"""(?:\s+(?:"(?P<t1>[^"]*)"|'(?P<t2>[^']*)'|\((?P<t3>[^)]*)\)))?\s*\)\s*(?:\{[^}]*\})?\s*$"""
)
FIX = (
    'Write it as ![What the picture shows]({static}/images/figures/name.svg "The caption"): '
    "the text alternative says what a reader would see, the caption what it means."
)


# Any image in the text: ![alt](address ...), or by reference ![alt][label] (and ![alt][]).
IMAGE_RE = re.compile(r"!\[(?P<alt>[^\]]*)\](?:\(\s*<?(?P<url>[^\s>)]+)|\[(?P<label>[^\]]*)\])")
ALT_FIX = (
    "Say in the brackets what the picture shows, as you would to someone on the phone: "
    "![A drip bag on a stand]({static}/images/drip.svg)."
)


def figure_lines(src: SourceFile) -> list[tuple[int, str, str, str]]:
    """(line, alt, address, caption) of every paragraph that holds only an image."""
    lines = classify_body(src)
    found = []
    for position, line in enumerate(lines):
        match = FIGURE_LINE_RE.match(line.text) if line.kind == "prose" else None
        if match is None or not _alone(lines, position):
            continue
        caption = match.group("t1") or match.group("t2") or match.group("t3") or ""
        found.append((line.number, match.group("alt").strip(), match.group("url"), caption.strip()))
    return found


def _alone(lines: list, position: int) -> bool:
    """Whether the line at ``position`` is a paragraph of its own (blank lines around it)."""
    before = lines[position - 1] if position else None
    after = lines[position + 1] if position + 1 < len(lines) else None
    return all(near is None or not near.text.strip() for near in (before, after))


def _pictures_without_alt(src: SourceFile, figures: set[int]) -> list[Finding]:
    """``image-alt-missing``: a picture in the text (not a figure: those are reported as
    incomplete) with no text alternative, which a screen reader skips without a word."""
    return [
        Finding(
            src.name,
            line.number,
            "error",
            "image-alt-missing",
            f"The picture {match.group('url') or '[' + match.group('label') + ']'} has no text "
            "alternative: a reader who cannot see it (a screen reader) is told nothing about it.",
            ALT_FIX,
        )
        for line in classify_body(src)
        if line.kind == "prose" and line.number not in figures
        for match in IMAGE_RE.finditer(line.text)
        if not match.group("alt").strip()
    ]


def check_figures(src: SourceFile, ctx: Context) -> list[Finding]:
    """Each figure has a caption (the image's title) and a text alternative; so has every
    other picture (``image-alt-missing``)."""
    figures = figure_lines(src)
    findings = _pictures_without_alt(src, {number for number, *_ in figures})
    for number, alt, url, caption in figures:
        missing = [
            what
            for what, present in (
                ("a caption (the title in quotes)", caption),
                ("a text alternative", alt),
            )
            if not present
        ]
        if missing:
            findings.append(
                Finding(
                    src.name,
                    number,
                    "error",
                    "image-figure-incomplete",
                    f"The picture {url} stands alone as a figure but has no "
                    + " and no ".join(m.removeprefix("a ") for m in missing)
                    + ".",
                    FIX,
                )
            )
    return sorted(findings, key=lambda finding: finding.line or 0)
