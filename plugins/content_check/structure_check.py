"""Boxes and sections that show nothing: an empty care card, Key points box or callout (its
lines not indented, so they fall outside it), a clinic rule with lines under it that the
rule's text replaces, a heading with nothing under it.

Found on the tree Python-Markdown builds (``article_markup.structure``), then placed on the
source line that opens the box or heading.
"""

from __future__ import annotations

import re
from typing import Any

from article_markup.structure import Hollow, StructureExtension
from markdown import Markdown

from content_check.checks import HEADING_RE, Context, _finding, classify_body
from content_check.findings import Finding
from content_check.source import SourceFile

ADMONITION_RE = re.compile(r'^!!! ?(?P<kind>[\w-]+)(?: +[\w-]+)*(?: +"(?P<title>.*?)")? *$')
ATTR_LIST_RE = re.compile(r"\s*\{[^}]*\}\s*$")
# The extensions the build uses that shape the tree; not meta (the body has no metadata) and
# not article_markup (it turns the boxes into cards, after the recorder has looked).
LEFT_OUT = {"markdown.extensions.meta", "meta", "article_markup"}
FALLBACK_EXTENSIONS = ["footnotes", "admonition", "attr_list", "tables", "def_list", "toc"]


def _markdown(settings: dict) -> Markdown:
    configs = (settings.get("MARKDOWN") or {}).get("extension_configs") or {}
    names = [name for name in configs if name not in LEFT_OUT] or FALLBACK_EXTENSIONS
    return Markdown(
        extensions=[*names, StructureExtension()],
        extension_configs={name: configs[name] for name in names if name in configs},
    )


def hollow_blocks_of(src: SourceFile, settings: dict) -> list[Hollow]:
    """The file's body converted as the build converts it; its hollow blocks."""
    md = _markdown(settings)
    body = "\n".join(text for _, text in src.body_lines)
    md.convert(body)
    structure = next(e for e in md.registeredExtensions if isinstance(e, StructureExtension))
    return structure.hollow


def check_structure(src: SourceFile, ctx: Context) -> list[Finding]:
    """Every box and section that shows nothing, on the line that opens it."""
    hollow = hollow_blocks_of(src, ctx.settings)
    if not hollow:
        return []
    lines = [line for line in classify_body(src) if line.kind == "prose"]
    findings = []
    for block in hollow:
        number = _source_line(block, lines)
        if block.problem == "empty-box":
            findings.append(_empty_box(src, block, number, lines))
        elif block.problem == "clinic-rule-text":
            findings.append(_clinic_rule_text(src, block, number))
        else:
            findings.append(_empty_section(src, block, number))
    return findings


def _opens(block: Hollow, text: str) -> bool:
    """Whether a source line opens ``block`` (kind and title, as far as the source shows)."""
    if block.kind.startswith("h") and block.kind[1:].isdigit():
        match = HEADING_RE.match(text.strip())
        if not match or len(match.group(1)) != int(block.kind[1:]):
            return False
        return _plain(ATTR_LIST_RE.sub("", match.group(2))) == _plain(block.title)
    match = ADMONITION_RE.match(text.strip())
    if not match or match.group("kind") != block.kind:
        return False
    title = match.group("title")
    return title is None or _plain(title) == _plain(block.title)


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[*_`\[\]]|\(\{[^)]*\)", "", text).split()).strip("\"'")


def _source_line(block: Hollow, lines: list[Any]) -> int | None:
    matches = [line.number for line in lines if _opens(block, line.text)]
    if not matches:
        return None
    return matches[min(block.occurrence, len(matches) - 1)]


def _what(kind: str) -> str:
    if kind.startswith("care-"):
        return "care card"
    if kind == "key-points":
        return "Key points box"
    return "callout"


def _empty_box(src: SourceFile, block: Hollow, number: int | None, lines: list[Any]) -> Finding:
    title = f' "{block.title}"' if block.title else ""
    after = next((line for line in lines if number and line.number > number), None)
    outside = ""
    if after is not None and not after.text.startswith((" ", "\t")):
        outside = (
            f" The lines after it (from line {after.number}) are not indented, so they show "
            "below the box, and the box is empty."
        )
    return _finding(
        src,
        number,
        "error",
        "block-empty",
        f"The {_what(block.kind)}{title} (`!!! {block.kind}`) has nothing inside it: readers "
        f"see an empty box.{outside}",
        f"Indent its lines by 4 spaces under the `!!! {block.kind}` line, so they go inside "
        "the box (a blank line between them is fine).",
    )


def _clinic_rule_text(src: SourceFile, block: Hollow, number: int | None) -> Finding:
    return _finding(
        src,
        number,
        "error",
        "block-clinic-rule-text",
        f'The clinic rule "{block.title}" has indented lines under it. A clinic rule shows '
        "its own text from clinic_rules in LANGUAGES (pelicanconf.py), so those lines never reach "
        "the page.",
        "Write them after the rule without indenting them, or change the rule's text in "
        "clinic_rules.",
    )


def _empty_section(src: SourceFile, block: Hollow, number: int | None) -> Finding:
    return _finding(
        src,
        number,
        "error",
        "heading-empty",
        f'The heading "{block.title}" has nothing under it before the next heading (or the '
        "end of the page): readers find an empty section.",
        "Write the section's text under it, or delete the heading.",
    )
