"""The glossary: medical words an article gives in parentheses are defined there
(``glossary-term-missing``), and links to its entries name entries that exist
(``glossary-entry-missing``, reported by the link check).

Articles give the medical word after the plain words: "seeing things that are not there
(hallucinations)". Each such word should be a term or synonym of the glossary of the
article's language (``article_markup``'s ``glossaries``, read with its own ``load_glossary``),
so readers can look it up and the first use links to its definition.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from article_markup.glossary import ENTRY_HEADING, SYNONYMS, Glossary, is_a_page, load_glossary

from content_check.checks import (
    FOOTNOTE_REF_RE,
    HEADING_RE,
    Context,
    _finding,
    classify_body,
    did_you_mean,
)
from content_check.findings import Finding
from content_check.readability import ADMONITION_RE
from content_check.source import SourceFile

# "(word)" right after a word: letters, spaces, hyphens and apostrophes, at most 6 words.
PARENTHESES_RE = re.compile(r"(?<=[^\W\d_]) \((?P<term>[^\W\d_][^()\[\]\d;:=/.,!?]{0,60})\)")
MAX_TERM_WORDS = 6
# A parenthesis that opens with one of these is an aside ("(for example ...)", "(if any)"),
# not a medical word.
ASIDE_WORDS = frozenset(
    {
        # English
        *("a", "an", "and", "as", "at", "about", "by", "e", "for", "from", "i", "if", "in"),
        *("not", "of", "on", "only", "or", "see", "such", "that", "the", "this", "to"),
        *("which", "who", "with", "without"),
        # Spanish
        *("al", "como", "con", "de", "del", "el", "en", "la", "las", "los", "o", "para"),
        *("por", "que", "si", "sin", "sobre", "solo", "u", "un", "una", "y"),
    }
)
LINK_RE = re.compile(r"!?\[[^\]]*\]\([^)]*\)")
# How a glossary page gives synonyms, per language (as article_markup.glossary reads them).
SYNONYMS_LINE = {"es": "También llamado:"}


def site_glossaries(settings: dict[str, Any], content_dir: Path) -> dict[str, Glossary]:
    """Each language's glossary that exists (``MARKDOWN``'s ``article_markup`` settings)."""
    configs = (settings.get("MARKDOWN") or {}).get("extension_configs") or {}
    sources = (configs.get("article_markup") or {}).get("glossaries") or {}
    page_paths = settings.get("PAGE_PATHS", ["pages"])
    loaded = {
        language: load_glossary(content_dir, source)
        for language, source in sources.items()
        if is_a_page(source, page_paths)
    }
    return {language: glossary for language, glossary in loaded.items() if glossary is not None}


def medical_words(text: str) -> list[str]:
    """The words a line gives in parentheses after plain words (not asides, not links)."""
    if " (" not in text:
        return []
    text = FOOTNOTE_REF_RE.sub("", LINK_RE.sub(" ", re.sub(r"`[^`]*`", " ", text)))
    words = []
    for match in PARENTHESES_RE.finditer(text):
        term = " ".join(match.group("term").split())
        parts = term.lower().split()
        if len(parts) <= MAX_TERM_WORDS and parts[0] not in ASIDE_WORDS:
            words.append(term)
    return words


def check_glossary_terms(src: SourceFile, ctx: Context) -> list[Finding]:
    """``glossary-term-missing`` (warning): an article's word in parentheses that is not a term
    or synonym of its language's glossary."""
    if src.kind != "article" or not src.metadata:
        return []
    language = ctx.language(src)
    glossary = ctx.index.glossaries.get(language)
    if glossary is None:
        return []
    findings = []
    for line in classify_body(src):
        text = line.text.strip()
        if line.kind != "prose" or HEADING_RE.match(text) or ADMONITION_RE.match(text):
            continue
        for term in medical_words(text):
            if term.lower() not in glossary.terms:
                findings.append(_missing_term(src, line.number, term, glossary, language))
    return findings


def check_glossary_entry_length(src: SourceFile, ctx: Context) -> list[Finding]:
    """``glossary-entry-long`` (warning): an entry of a glossary page longer than a screen."""
    language = ctx.language(src)
    glossary = ctx.index.glossaries.get(language)
    if glossary is None or src.cache.get("content_path") != glossary.source:
        return []
    # Its meaning, read on a phone in one screen (synonyms, references and cards not counted).
    most = ctx.settings["CHECK_GLOSSARY_ENTRY_WORDS"]
    entries: list[tuple[int, str, int]] = []  # (line, term, words)
    for line in classify_body(src):
        text = line.text.strip()
        heading = ENTRY_HEADING.match(text)
        if heading:
            entries.append((line.number, heading.group(1), 0))
        elif HEADING_RE.match(text):
            entries.append((line.number, "", 0))  # another section: not an entry
        elif entries and _counts(line, text):
            number, term, words = entries[-1]
            entries[-1] = (number, term, words + len(LINK_RE.sub(" x ", text).split()))
    return [
        _finding(
            src,
            number,
            "warning",
            "glossary-entry-long",
            f'The entry "{term}" is {words} words long; an entry says what the word means in '
            f"at most {most} words, so that it fits on a phone's screen.",
            "Keep the meaning and one fact; move the rest into the guides, which the entry "
            "lists under it.",
        )
        for number, term, words in entries
        if term and words > most
    ]


def _counts(line: Any, text: str) -> bool:
    """Whether a body line is part of an entry's meaning (not a synonym line, note or card)."""
    return (
        line.kind == "prose"
        and bool(text)
        and not line.text.startswith((" ", "\t"))
        and not ADMONITION_RE.match(text)
        and not SYNONYMS.match(text)
    )


def _missing_term(
    src: SourceFile, number: int, term: str, glossary: Glossary, language: str
) -> Finding:
    synonyms = SYNONYMS_LINE.get(language, "Also called:")
    return _finding(
        src,
        number,
        "warning",
        "glossary-term-missing",
        f'"{term}" is given as the medical word here, but the glossary '
        f"(content/{glossary.source}) has no entry or synonym for it"
        f"{did_you_mean(term, glossary.terms)}, so readers cannot look it up.",
        f'Add an entry to the glossary ("## {term[0].upper() + term[1:]} {{#id}}" and a plain '
        f'definition), or add "{term}" to the "{synonyms}" line of the entry it means.',
    )


def missing_entry(
    src: SourceFile, number: int, fragment: str, glossary: str, ids: set[str]
) -> Finding:
    """``glossary-entry-missing``: a link to ``glossary#fragment`` where there is no entry."""
    return _finding(
        src,
        number,
        "error",
        "glossary-entry-missing",
        f"#{fragment} is not an entry of the glossary ({glossary}){did_you_mean(fragment, ids)}; "
        "the link would open the glossary at its top.",
        'Link to an entry that exists: its id is what follows "#" after the term '
        '("## Ketamine cystitis {#ketamine-cystitis}"), or add the entry to the glossary.',
    )
