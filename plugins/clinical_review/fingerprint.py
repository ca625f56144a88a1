"""What a review approves: the text readers see, as lines, and its fingerprint.

One function (``reader_lines``) turns what Pelican's reader makes of a file (its HTML and its
metadata) into the page's reader-visible text, one block a line. The build (from the content
object), the writer's check, ``invoke review`` and ``invoke reviews`` (through
``source_lines``, which runs the site's own reader, plugins/reading) all call it, so they agree.
The body's lines (``reviewed_text.html_lines``) are read once, by the reading worker that
converts the file, and kept in the article's record; ``body_lines`` takes them from there when
the HTML is the one they were read from, and reads the HTML itself otherwise.

In it, in this order:

- the metadata that changes what readers see: ``Title``, ``Summary``, ``Slug``, ``Lang``,
  ``Cta`` and ``Disclaimer`` (one ``Key: value`` line each);
- the key points box (``[key-points]``, its heading, a line a point): ``article_markup`` takes it
  out of the body into the ``key_points`` metadata, and the page shows it above the body;
- the body as rendered: each heading, paragraph, list item, table row, care card and callout
  (with its kind, e.g. ``[care-card--emergency]``), the clinic's rules as the page shows them,
  link targets (but not the glossary links the site adds itself), citation marks by label
  (``[^dailymed]``) and the references.

Left out: whitespace (collapsed) and the typography the site adds (the text is NFKC-normalised,
so a no-break space is a space), the review fields, dates, tags and category, and the words
the site itself adds around the writer's text (visually hidden context, the "References"
heading, back links), so a new theme wording does not reopen every review.

The fingerprint is the first 16 hex digits of the SHA-256 of the lines joined by newlines.
"""

from __future__ import annotations

import difflib
import hashlib
import html as html_module
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from article_markup.record import ArticleRecord
from reviewed_text import html_lines, normalise, point_lines

FINGERPRINT_LENGTH = 16
# Metadata that changes what readers see, as "Key: value" lines (in this order).
READER_FIELDS = ("title", "summary", "slug", "lang", "cta", "disclaimer")


def _field_text(value: Any) -> str:
    """A metadata value as text (a formatted field's HTML as its words)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = " ".join(str(item) for item in value)
    text = str(value)
    if "<" in text:
        return " ".join(html_lines(text))
    return normalise(html_module.unescape(text))


def reader_lines(html: str, metadata: Mapping[str, Any]) -> list[str]:
    """What a review approves: the reader-visible metadata, the key points, then the body's
    blocks."""
    lines = []
    for key in READER_FIELDS:
        text = _field_text(metadata.get(key))
        if text:
            lines.append(f"{key.capitalize()}: {text}")
    return lines + key_point_lines(metadata) + body_lines(html, metadata)


def key_point_lines(metadata: Mapping[str, Any]) -> list[str]:
    """The key points box as the page shows it, first on the page and the most read (none
    without one). It left the body when the file was read, so it was approved by no review."""
    key_points = metadata.get("key_points")
    if not isinstance(key_points, Mapping) or not key_points.get("points"):
        return []
    title = _field_text(key_points.get("title"))
    points = [str(point) for point in key_points["points"]]
    record = metadata.get("record")  # read by the reading worker, as the body's lines
    if isinstance(record, ArticleRecord) and record.key_points_read_from(points):
        lines = list(record.key_point_lines)
    else:
        lines = point_lines(points)
    # As a care card's lines: the box, its heading, its list (what_changed names the box).
    return ["[key-points]", *([f"## {title}"] if title else []), *lines, "[/key-points]"]


def body_lines(html: str, metadata: Mapping[str, Any]) -> list[str]:
    """The body's lines: from the article's record when they were read from this HTML (by
    the reading worker, with the same ``html_lines``), else read from the HTML now."""
    record = metadata.get("record")
    if isinstance(record, ArticleRecord) and record.read_from(html or ""):
        return list(record.reviewed_lines)
    return html_lines(html)


def translation_lines(lines: Iterable[str]) -> list[str]:
    """The original's lines a translation follows: its own text, without the clinic's rules.

    A clinic rule box shows its language's ``clinic_rules`` (from the settings,
    not from the translation's file), so a change of the clinic's wording is reviewed on each
    page but does not make every translation stale; the box itself (where it stands) stays.
    """
    kept: list[str] = []
    closing = ""
    for line in lines:
        if closing:
            if line == closing:
                kept.append(line)
                closing = ""
            continue
        kept.append(line)
        if line.startswith("[") and "--clinic-rule" in line and not line.startswith("[/"):
            closing = "[/" + line[1:]
    return kept


def fingerprint(lines: Iterable[str]) -> str:
    """The fingerprint of a text's lines."""
    digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    return digest[:FINGERPRINT_LENGTH]


# --- From a source file, through the site's reader ---------------------------------------------

_cache: dict[tuple[str, str], list[str]] = {}


def source_lines(path: Path, settings: dict[str, Any]) -> list[str] | None:
    """The reader-visible lines of a Markdown file, read by the reader the build uses (None when
    the settings cannot read it: no ``MARKDOWN`` setting, or the file does not convert)."""
    if not settings.get("MARKDOWN") or not settings.get("PATH"):
        return None
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    key = (str(Path(path).resolve()), hashlib.sha256(data).hexdigest())
    if key not in _cache:
        try:
            from reading import SiteMarkdownReader

            html, metadata = SiteMarkdownReader(settings).read(key[0])
        except Exception:  # a file that does not convert: the check reports why elsewhere
            return None
        _cache[key] = reader_lines(html, metadata)
    return list(_cache[key])


def source_fingerprint(path: Path, settings: dict[str, Any]) -> str:
    """The fingerprint of a Markdown file's text now ("" when it cannot be read)."""
    lines = source_lines(path, settings)
    return fingerprint(lines) if lines is not None else ""


# --- The approved texts, kept beside the project ----------------------------------------------

APPROVED_FOLDER = Path("reviews") / "approved"


def approved_folder(settings: Mapping[str, Any]) -> Path:
    """Where approved texts are kept: reviews/approved/ beside the content folder."""
    return Path(str(settings.get("PATH") or "content")).resolve().parent / APPROVED_FOLDER


def keep_approved(folder: Path, lines: Sequence[str]) -> Path:
    """Keep a copy of an approved text (named by its fingerprint); its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{fingerprint(lines)}.txt"
    if not path.exists():
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def approved_lines(folder: Path, print_: str) -> list[str] | None:
    """The kept copy of the text with fingerprint ``print_``, or None."""
    if not print_:
        return None
    path = folder / f"{print_}.txt"
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8").splitlines()


# --- What changed ------------------------------------------------------------------------------


def _section_of(lines: Sequence[str], index: int) -> str:
    """Where line ``index`` of a text is: a metadata field, or the heading above it."""
    line = lines[index] if index < len(lines) else ""
    key = line.split(":", 1)[0]
    if index < len(lines) and key.lower() in READER_FIELDS and not line.startswith("#"):
        above = lines[:index]
        if all(item.split(":", 1)[0].lower() in READER_FIELDS for item in above):
            return f"the {key.lower()}"
    depth = 0  # cards and boxes that closed between the line and where the walk is
    for above in range(index, -1, -1):
        line = lines[above]
        opening = BOX_OPENING.match(line) is not None  # "[care-card--urgent]", not "[image: ...]"
        if line.startswith("[/"):
            depth += 1
        elif opening and depth:
            depth -= 1
        elif opening:  # the line is inside this card or box (named by its heading)
            heading = lines[above + 1] if above + 1 < len(lines) else ""
            title = heading.lstrip("#").strip() if heading.startswith("#") else line
            return f'the {"care card" if "care-card" in line else "box"} "{title}"'
        elif line.startswith("#") and depth == 0:
            box = lines[above - 1] if above else ""
            if box.startswith("[") and not box.startswith("[/"):
                continue  # a card's own heading: the card is named above
            return f'section "{line.lstrip("#").strip()}"'
    return "the introduction"


WORD = re.compile(r"\w+")
# A box or card's first line in the text ("[key-points]", "[care-card--urgent]"); a picture's
# line ("[image: ...]") is not one.
BOX_OPENING = re.compile(r"^\[[\w-]+\]$")
# A file line is the source of a text line when it holds at least this share of its words.
SOURCE_LINE_SHARE = 0.5


def _words(line: str) -> set[str]:
    return {word for word in WORD.findall(line.casefold()) if len(word) > 1}


def source_line_numbers(lines: Sequence[str], source: Sequence[str]) -> list[int | None]:
    """For each line of a text, the line of the Markdown file it comes from (1-based), or None.

    The text is the page as readers see it (typography, links and marks gone), so a line is
    matched by its words: the file line holding most of them (a paragraph or list item is one
    line of the file; a paragraph wrapped over several lines gives the line holding most of it).
    """
    source_words = [_words(line) for line in source]
    numbers: list[int | None] = []
    for line in lines:
        words = _words(line)
        best, best_shared = None, 0
        for number, candidate in enumerate(source_words, start=1):
            shared = len(words & candidate)
            if shared > best_shared:
                best, best_shared = number, shared
        numbers.append(best if words and best_shared >= SOURCE_LINE_SHARE * len(words) else None)
    return numbers


def what_changed(
    old: Sequence[str], new: Sequence[str], most: int = 4, source: Sequence[str] | None = None
) -> str:
    """A short summary of what changed between two texts: the fields and sections touched,
    with line numbers: of the Markdown file when its lines are given as ``source`` (where the
    writer edits), else of the text (as ``invoke review FILE --diff`` numbers its lines)."""
    places: dict[str, list[int]] = {}
    matcher = difflib.SequenceMatcher(a=list(old), b=list(new), autojunk=False)
    for tag, first, _, new_first, new_last in matcher.get_opcodes():
        if tag == "equal":
            continue
        if new_last > new_first:
            for index in range(new_first, new_last):
                places.setdefault(_section_of(new, index), []).append(index)
        else:  # removed: named where it was, numbered as the line now in its place
            places.setdefault(_section_of(old, first), []).append(new_first)
    if not places:
        return "nothing a reader sees"
    if source is None:
        numbered = {where: [index + 1 for index in found] for where, found in places.items()}
    else:
        in_file = source_line_numbers([*new, ""], source)  # "": a removal at the very end
        numbered = {}
        for where, found in places.items():
            for index in found:
                number = in_file[index]
                # A reference's text follows the last section in the page's text; in the file
                # it is a footnote's definition ("[^label]: ..."): named so.
                if number and source[number - 1].lstrip().startswith("[^"):
                    numbered.setdefault("the references", []).append(number)
                else:
                    numbered.setdefault(where, []).extend([number] if number else [])
        numbered = {where: sorted(set(numbers)) for where, numbers in numbered.items()}
    named = [
        where
        if not numbers
        else f"{where} (line {numbers[0]})"
        if len(numbers) == 1
        else f"{where} (lines {numbers[0]}-{numbers[-1]})"
        for where, numbers in numbered.items()
    ]
    more = f" and {len(named) - most} more" if len(named) > most else ""
    return "; ".join(named[:most]) + more


def unified_diff(old: Sequence[str], new: Sequence[str], old_name: str, new_name: str) -> str:
    """The approved text against the text now, as a unified diff (one block a line)."""
    return "\n".join(
        difflib.unified_diff(list(old), list(new), old_name, new_name, lineterm="", n=2)
    )
