"""The checks: pure functions from a parsed source file (and settings) to findings.

Each ``check_*`` function takes a :class:`~content_check.source.SourceFile` and a
:class:`Context` and returns a list of :class:`~content_check.findings.Finding`. Nothing here
reads files or settings itself, so each check is tested with a few lines of Markdown.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from article_markup.language_parts import LANGUAGE_PART_RE, MARK_LIKE
from article_markup.source_text import blank_writer_notes
from clinical_review import fingerprint as text_fingerprint
from clinical_review.kinds import KINDS, content_kind
from clinical_review.review import (
    DUE_SOON,
    HISTORY_FORM,
    OVERDUE,
    ReviewDates,
    ReviewSettings,
    parse_history,
    parse_review_dates,
    required_role,
    review_state,
)
from consult_cta.settings import VariantError, choose_variant  # the build's one reading
from dates import add_months, parse_iso_date  # the site's one reading (plugins/dates.py)
from metadata_block import META_MORE_RE, META_RE
from pelican.utils import get_date

from content_check import schema
from content_check.findings import Finding, Severity
from content_check.settings import DEFAULT_CLAIMS_BY_LANG, claims_of
from content_check.source import SourceFile


@dataclass
class SiteIndex:
    """What links may point at: content files, their anchors, and the site's URLs."""

    content_files: set[str] = field(default_factory=set)  # paths relative to content/
    anchors: dict[str, set[str]] = field(default_factory=dict)  # content path -> ids
    urls: set[str] = field(default_factory=set)  # root-relative, e.g. "articles/x/"
    categories: set[str] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)
    # kind -> slug -> why the build already writes that folder (content_check.addresses)
    reserved_slugs: dict[str, dict[str, str]] = field(default_factory=dict)
    # language -> its glossary (article_markup.glossary.Glossary), where the site has one
    glossaries: dict[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    """Everything a check needs besides the file: settings, today's date, the site index."""

    settings: dict
    today: dt.date
    production: bool = False
    index: SiteIndex = field(default_factory=SiteIndex)

    def language(self, src: SourceFile) -> str:
        """The file's language: its ``Lang``, or the site's default language."""
        return src.meta("lang") or self.settings["SITE"].default_lang

    @property
    def require_review(self) -> bool:
        """Whether an unreviewed article is an error (production) or a warning."""
        return bool(self.settings.get("REQUIRE_CLINICAL_REVIEW")) or self.production


def _finding(  # noqa: PLR0917 - one finding, six fields
    src: SourceFile, line: int | None, severity: Severity, code: str, message: str, fix: str = ""
) -> Finding:
    return Finding(src.name, line, severity, code, message, fix)


def did_you_mean(word: str, choices: list[str] | set[str]) -> str:
    """`` (did you mean "X"?)`` for a near miss, or "" when nothing is close."""
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f' (did you mean "{lowered[close[0]]}"?)' if close else ""


# --- Body text: what is prose, what is code, comments and references ------------------------

# Our Markdown has no fenced_code extension: "```" lines make a code span, which is code;
# "~~~" lines are plain text on the page, so the check reads them as text too.
FENCE_RE = re.compile(r"^\s*```")
FOOTNOTE_DEF_RE = re.compile(r"^\[\^([^\]]+)\]:[ \t]*(.*)$")
FOOTNOTE_REF_RE = re.compile(r"\[\^([^\]]+)\](?!:)")
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


# Characters a reader does not see but a rule would: zero-width spaces and joiners, the soft
# hyphen, direction marks and embeddings, the word joiner, a byte order mark inside the text.
INVISIBLE_RE = re.compile(
    "[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
INVISIBLE_NAMES = {
    "\u00ad": "a soft hyphen",
    "\u200b": "a zero-width space",
    "\u200c": "a zero-width non-joiner",
    "\u200d": "a zero-width joiner",
    "\u2060": "a word joiner",
    "\ufeff": "a zero-width no-break space (byte order mark)",
}


def normalize_text(text: str) -> str:
    """Text as every text rule reads it: invisible characters out, then Unicode NFKC (so
    "gua\u200branteed", a full-width "cure" or a ligature read as the words they show)."""
    return unicodedata.normalize("NFKC", INVISIBLE_RE.sub("", text))


@dataclass
class BodyLine:
    """A body line, classified."""

    number: int
    text: str  # writer's notes removed, normalized (normalize_text)
    raw: str
    kind: str  # "prose", "code", "footnote", "definition" (a link reference definition), "blank"
    footnote: str = ""  # label, for footnote definitions and their continuation lines


LINK_DEFINITION_RE = re.compile(r"^\s{0,3}\[(?!\^)[^\]]+\]:\s*\S")


def classify_body(src: SourceFile) -> list[BodyLine]:
    """Every body line with its kind; comments (even over several lines) are blanked out.

    Computed once per file and kept on it (several checks read it).
    """
    cached = src.cache.get("body")
    if cached is None:
        cached = src.cache["body"] = _classify_body(src)
    return cached


def _classify_body(src: SourceFile) -> list[BodyLine]:
    result = []
    in_fence = False
    footnote = ""
    # Writer's notes (<!-- ... -->) are removed by the build's own rule, so the check reads
    # the text the page shows; a "<!--" never closed stays text, as on the page.
    body = src.body_lines
    texts = blank_writer_notes("\n".join(raw for _, raw in body)).split("\n")
    for (number, raw), blanked in zip(body, texts, strict=True):
        text = normalize_text(blanked)
        if FENCE_RE.match(text):
            in_fence = not in_fence
            result.append(BodyLine(number, text, raw, "code"))
            continue
        if in_fence:
            result.append(BodyLine(number, text, raw, "code"))
            continue
        match = FOOTNOTE_DEF_RE.match(text)
        if match:
            footnote = match.group(1)
            result.append(BodyLine(number, text, raw, "footnote", footnote))
            continue
        if footnote and (text.startswith(("    ", "\t")) or not text.strip()):
            if text.strip():
                result.append(BodyLine(number, text, raw, "footnote", footnote))
            else:
                result.append(BodyLine(number, text, raw, "blank"))
            continue
        footnote = ""
        if LINK_DEFINITION_RE.match(text):
            # A link reference definition shows nothing on the page (an editor's note such as
            # `[//]: #fn:x (note)`, or the address of a reference-style link): not prose.
            result.append(BodyLine(number, text, raw, "definition"))
            continue
        result.append(BodyLine(number, text, raw, "prose" if text.strip() else "blank"))
    return result


# --- 0. Text a page must not carry -----------------------------------------------------------

# Characters HTML does not allow in text: the C0 controls but its whitespace (tab, line feed,
# form feed, carriage return), and DEL.
CONTROL_CHARACTER_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def check_control_characters(src: SourceFile, ctx: Context) -> list[Finding]:
    """Invisible control characters (a NUL byte, ...) that would pass into the page's HTML."""
    findings = []
    for number, line in enumerate(src.lines, start=1):
        match = CONTROL_CHARACTER_RE.search(line)
        if match:
            code_point = ord(match.group(0))
            what = "a NUL byte" if code_point == 0 else "a control character"
            findings.append(
                _finding(
                    src,
                    number,
                    "error",
                    "file-control-character",
                    f"This line holds an invisible character, {what} (U+{code_point:04X}). It "
                    "would pass into the page's HTML, which does not allow it: browsers show "
                    "it as \ufffd or nothing, and the HTML checker refuses the page.",
                    "Delete it: retype the line, or find it with your editor's search. It "
                    "often comes with text copied from a PDF or a word processor.",
                )
            )
    return findings


def check_invisible_characters(src: SourceFile, ctx: Context) -> list[Finding]:
    """``text-invisible``: a character no reader sees, in the metadata or the text. It can hide
    a word from every rule ("gua\u200branteed") and breaks search and copying."""
    findings = []
    for number, line in enumerate(src.lines, start=1):
        match = INVISIBLE_RE.search(line)
        if match:
            character = match.group(0)
            name = INVISIBLE_NAMES.get(character, "an invisible formatting character")
            findings.append(
                _finding(
                    src,
                    number,
                    "error",
                    "text-invisible",
                    f"This line holds {name} (U+{ord(character):04X}) after "
                    f'"{line[max(0, match.start() - 20) : match.start()]}". Readers do not see '
                    "it, but it splits the word for search, screen readers and the check.",
                    "Delete it: retype the word, or find it with your editor's search (it often "
                    "comes with text copied from a web page, a PDF or a word processor).",
                )
            )
    return findings


def check_language_parts(src: SourceFile, ctx: Context) -> list[Finding]:
    """``text-language-mark``: a ``[words]{lang=xx}`` mark the build cannot read, shown to
    readers as typed (brackets and braces) and read in the page's language."""
    findings = []
    for number, line in enumerate(src.lines, start=1):
        for found in MARK_LIKE.finditer(line):
            if re.fullmatch(LANGUAGE_PART_RE, found.group(0)):
                continue
            findings.append(
                _finding(
                    src,
                    number,
                    "error",
                    "text-language-mark",
                    f'"{found.group(0)}" is not a language mark the site can read: readers '
                    "would see the brackets and braces, and a screen reader would not switch "
                    "language.",
                    "Write the words in square brackets, then {lang=CODE} with no space, the code "
                    "being the language's two letters: [Ketamine for pain management]{lang=en}.",
                )
            )
    return findings


def is_clinical(src: SourceFile) -> bool:
    """An article, or a page that says ``Kind: clinical``: checked as clinical text."""
    return src.kind == "article" or content_kind({"kind": src.meta("kind")}) == "clinical"


# --- 1. Metadata ----------------------------------------------------------------------------

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_KEYS = ("date", "modified", "last_reviewed", "next_review")
PELICAN_DATE_KEYS = ("date", "modified")  # the ones Pelican reads as dates
# What the build does with such a date (plugins/reading refuses it, so both agree).
UNREAD_BY_THE_BUILD = " (year-month-day); the build leaves the page out."


def parse_day(key: str, value: str) -> dt.date | None:
    """The day a date field names, or None when it names none.

    Every date field starts with the day, ``YYYY-MM-DD``. Date and Modified are read by Pelican
    itself (``pelican.utils.get_date``), so a time and a time zone after the day
    (``2026-11-25 10:00+01:00``, ``2026-11-25T10:00:00Z``) are fine there when Pelican reads the
    whole value as that day. The review dates are ours and stay ``YYYY-MM-DD``.
    """
    day = parse_iso_date(value[:10])
    if day is None or len(value) == 10:
        return day
    if key not in PELICAN_DATE_KEYS:
        return None
    try:
        read = get_date(value)
    except (ValueError, OverflowError):
        return None
    return day if read.date() == day else None


def check_metadata_block(src: SourceFile, ctx: Context) -> list[Finding]:
    """The metadata block exists and does not stop early (Pelican would drop the rest)."""
    if not src.metadata:
        first = next((n for n, line in src.body_lines if line.strip()), 1)
        return [
            _finding(
                src,
                first,
                "error",
                "meta-block-missing",
                "The file does not start with a metadata block (Title:, Slug:, ...), so "
                "Pelican finds no title and skips it.",
                "Start the file with `Key: value` lines, one per line, then a blank line "
                'before the text. `invoke new "Title"` shows the shape.',
            )
        ]
    findings = []
    # A line that is not `Key: value` ends the block; metadata lines after it become text.
    stop = src.meta_end
    if stop < len(src.lines) and src.lines[stop].strip():
        following = []
        for index in range(stop + 1, len(src.lines)):
            line = src.lines[index]
            if not line.strip():
                break
            match = META_RE.match(line)
            if match and match.group("key").lower() in schema.BY_KEY:
                following.append(match.group("key"))
        if following:
            broken = src.lines[stop].strip()
            word, _, value = broken.partition(" ")
            draft = any(key.lower() == "status" for key in following)
            findings.append(
                _finding(
                    src,
                    stop + 1,
                    "error",
                    "meta-block-broken",
                    f"This line is not `Key: value`, so the metadata block ends here and "
                    f"Pelican reads {', '.join(following)} as body text"
                    + (" (the page is then built as published, not as a draft)." if draft else "."),
                    (
                        f"Put a colon after the key: `{word}: {value.strip()}`."
                        if word.lower() in schema.BY_KEY
                        else "Give the line a key and a colon (`Summary: ...`), indent it by 4 "
                        "spaces to continue the line above, or move it below the blank line."
                    ),
                )
            )
    return findings


def check_metadata(src: SourceFile, ctx: Context) -> list[Finding]:
    """Required keys present and filled; every key known; values in the documented form."""
    if not src.metadata:
        return []
    findings: list[Finding] = []
    for check in METADATA_CHECKS:
        findings += check(src, ctx)
    return findings


def check_repeated_keys(src: SourceFile, ctx: Context) -> list[Finding]:
    """A key written twice: the build, the check and ``invoke review`` take the first value
    (plugins/metadata_block.py), so the second is a mistake or a trap (``meta-duplicate``)."""
    return [
        _finding(
            src,
            repeat.repeated_line,
            "error",
            "meta-duplicate",
            f"{schema.BY_KEY[repeat.key].name if repeat.key in schema.BY_KEY else repeat.key} "
            f"is written twice, on lines {repeat.first_line} and {repeat.repeated_line}; the "
            f"page, the check and the review all use the first (line {repeat.first_line}).",
            f"Keep one line: delete line {repeat.repeated_line}, or move its value to line "
            f"{repeat.first_line} if it is the right one.",
        )
        for repeat in src.repeats
    ]


def check_keys_known(src: SourceFile, ctx: Context) -> list[Finding]:
    """Every key is one the schema knows, and one this kind of file may use."""
    allowed = schema.allowed_keys(src.kind)
    findings = []
    for key, item in src.metadata.items():
        if key in allowed:
            continue
        if key in schema.BY_KEY:
            findings.append(_key_not_allowed(src, key, item.line, allowed))
        else:
            findings.append(_unknown_key(src, key, item.line, allowed))
    return findings


def _key_not_allowed(src: SourceFile, key: str, line: int, allowed: list[str]) -> Finding:
    kind = src.kind
    return _finding(
        src,
        line,
        "error",
        "meta-not-allowed",
        f"{schema.BY_KEY[key].name} is not used on {kind}s.",
        f"Remove the line. {kind.capitalize()}s take: "
        + ", ".join(schema.BY_KEY[k].name for k in allowed)
        + ".",
    )


def _unknown_key(src: SourceFile, key: str, line: int, allowed: list[str]) -> Finding:
    hint = did_you_mean(key, [schema.BY_KEY[k].name for k in allowed])
    return _finding(
        src,
        line,
        "error",
        "meta-unknown-key",
        f'Unknown metadata key "{src.lines[line - 1].split(":")[0].strip()}"'
        f"{hint}. Pelican keeps it but nothing uses it.",
        "Correct the spelling, or remove the line. The metadata reference in "
        "docs/writers.md lists every key.",
    )


def check_required_keys(src: SourceFile, ctx: Context) -> list[Finding]:
    """Every key this kind of file needs is present and not empty."""
    kind = src.kind
    findings = []
    for key in schema.required_keys(kind):
        field_ = schema.BY_KEY[key]
        if key not in src.metadata:
            findings.append(
                _finding(
                    src,
                    None,
                    "error",
                    "meta-missing",
                    f"{field_.name} is missing; every {kind} needs it.",
                    f"Add a line `{field_.name}: ...` to the metadata block at the top "
                    f"({field_.form}).",
                )
            )
        elif not src.meta(key):
            findings.append(
                _finding(
                    src,
                    src.meta_line(key),
                    "error",
                    "meta-missing",
                    f"{field_.name} is empty.",
                    f"Fill it in: {field_.form}.",
                )
            )
    return findings


def check_lengths(src: SourceFile, ctx: Context) -> list[Finding]:
    """Title and summary fit in search results and link previews."""
    findings = []
    for key, limit_key in (("title", "CHECK_MAX_TITLE"), ("summary", "CHECK_MAX_SUMMARY")):
        value, limit = src.meta(key), ctx.settings[limit_key]
        if len(value) > limit:
            findings.append(
                _finding(
                    src,
                    src.meta_line(key),
                    "error",
                    "meta-too-long",
                    f"{key.capitalize()} is {len(value)} characters; at most {limit} fit "
                    "in search results and link previews.",
                    f"Cut it by {len(value) - limit} characters. "
                    + (
                        "Say what the page answers, in 1 or 2 short sentences."
                        if key == "summary"
                        else "Keep the words a reader searches for."
                    ),
                )
            )
    return findings


def check_slug_form(src: SourceFile, ctx: Context) -> list[Finding]:
    """The slug is lower-case words and numbers joined by hyphens."""
    slug = src.meta("slug")
    if not slug or SLUG_RE.match(slug):
        return []
    return [
        _finding(
            src,
            src.meta_line("slug"),
            "error",
            "meta-form",
            f'Slug "{slug}" must be lower-case words and numbers joined by "-".',
            "For example `Slug: ketamine-and-surgery`. Never change a published slug.",
        )
    ]


def check_slug_length(src: SourceFile, ctx: Context) -> list[Finding]:
    """The slug makes a readable address and a folder name every file system accepts."""
    slug, limit = src.meta("slug"), ctx.settings["CHECK_MAX_SLUG"]
    if len(slug) <= limit:
        return []
    return [
        _finding(
            src,
            src.meta_line("slug"),
            "error",
            "meta-too-long",
            f"Slug is {len(slug)} characters; at most {limit} make an address a reader can "
            "read, share and type, and a much longer one stops the build (a folder name may "
            "have at most 255 bytes).",
            f"Cut it by {len(slug) - limit} characters: keep the few words a reader searches "
            "for. Never change a published slug.",
        )
    ]


def check_dates(src: SourceFile, ctx: Context) -> list[Finding]:
    """Each date is a real date in the documented form; Modified is not before Date; neither
    is after today."""
    dates, findings = _parse_dates(src, ctx)
    if src.meta("status") != "draft":  # a draft may carry the day it is planned for
        future = [key for key in PELICAN_DATE_KEYS if key in dates and dates[key] > ctx.today]
        findings += [_future(src, ctx, key, dates[key]) for key in future]
    if "date" in dates and "modified" in dates and dates["modified"] < dates["date"]:
        findings.append(
            _finding(
                src,
                src.meta_line("modified"),
                "error",
                "meta-date",
                "Modified is before Date (the day the page was first published).",
                "Modified is the day of the last real change: on or after Date.",
            )
        )
    return findings


# What the page says for each date, and what the date is.
DATE_MEANINGS = {
    "date": ("Published", "the day the page was first published"),
    "modified": ("Updated", "the day of the last real change"),
}


def _future(src: SourceFile, ctx: Context, key: str, day: dt.date) -> Finding:
    """A Date or Modified after today: the page would state a day that has not come.

    An error under the production rules (the live page, its feed entry and its structured data
    would say it); a warning while writing, so a page can be previewed before its day.
    """
    name = schema.BY_KEY[key].name
    label, meaning = DATE_MEANINGS[key]
    severity: Severity = "error" if ctx.production else "warning"
    consequence = (
        "production builds refuse it."
        if severity == "error"
        else "fine in a preview, but publishing will refuse it."
    )
    return _finding(
        src,
        src.meta_line(key),
        severity,
        "meta-date-future",
        f'{name} {day} is after today, so the page would say "{label} {day.day} '
        f'{day:%B %Y}", a day that has not come yet: {consequence}',
        f"{name} is {meaning}: set it to that day (today is {ctx.today}) when the page goes "
        "live, and keep the page as `Status: draft` until then.",
    )


def _parse_dates(src: SourceFile, ctx: Context) -> tuple[dict[str, dt.date], list[Finding]]:
    """The dates this file may have, parsed; a finding for each one that is not a date."""
    allowed = schema.allowed_keys(src.kind)
    dates: dict[str, dt.date] = {}
    findings = []
    for key in DATE_KEYS:
        value = src.meta(key)
        if not value or key not in allowed:
            continue
        parsed = parse_day(key, value)
        if parsed is None:
            findings.append(
                _finding(
                    src,
                    src.meta_line(key),
                    "error",
                    "meta-date",
                    f'{schema.BY_KEY[key].name} "{value}" is not a real date in the form '
                    f"YYYY-MM-DD{UNREAD_BY_THE_BUILD if key in PELICAN_DATE_KEYS else '.'}",
                    f"Write it as year-month-day, e.g. `{schema.BY_KEY[key].name}: "
                    f"{ctx.today.isoformat()}`.",
                )
            )
        else:
            dates[key] = parsed
    return dates, findings


def check_article_fields(src: SourceFile, ctx: Context) -> list[Finding]:
    """Articles only: category and tags from the site's vocabulary (the reviewer: check_review)."""
    if src.kind != "article":
        return []
    return _check_vocabulary(src, ctx)


def _value_not_allowed(
    src: SourceFile, key: str, allowed: tuple[str, ...], fix: str
) -> list[Finding]:
    """``meta-value`` when the field ``key`` holds a value outside ``allowed`` (any case)."""
    value = src.meta(key.lower())
    if not value or value.lower() in allowed:
        return []
    choices = (
        f'"{allowed[0]}", the only value it takes'
        if len(allowed) == 1
        else (f"one of {', '.join(allowed)}{did_you_mean(value, allowed)}")
    )
    return [
        _finding(
            src,
            src.meta_line(key.lower()),
            "error",
            "meta-value",
            f'{key} "{value}" is not {choices}.',
            fix,
        )
    ]


def check_status(src: SourceFile, ctx: Context) -> list[Finding]:
    """Status is one of Pelican's."""
    status = src.meta("status")
    if not status or status in schema.STATUSES:
        return []
    return [
        _finding(
            src,
            src.meta_line("status"),
            "error",
            "meta-value",
            f'Status "{status}" is not one of {", ".join(schema.STATUSES)}'
            f"{did_you_mean(status, schema.STATUSES)}.",
            "Use `Status: draft` while writing; remove the line to publish.",
        )
    ]


def check_kind(src: SourceFile, ctx: Context) -> list[Finding]:
    """Kind is ``clinical`` or ``general``."""
    return _value_not_allowed(
        src,
        "Kind",
        KINDS,
        "Use `Kind: clinical` for a page that gives clinical advice, `Kind: general` (or no "
        "Kind) for the others.",
    )


def check_handout(src: SourceFile, ctx: Context) -> list[Finding]:
    """Handout is ``off`` (the only value: a clinical page has a handout unless it says so)."""
    return _value_not_allowed(
        src,
        "Handout",
        ("off",),
        "Write `Handout: off` for a clinical page that should have no printable handout (a "
        "reference page such as the glossary); remove the line to have one.",
    )


def check_lang(src: SourceFile, ctx: Context) -> list[Finding]:
    """Lang is one of the site's languages (LANGUAGES)."""
    lang = src.meta("lang")
    languages = ctx.settings["SITE"].codes
    if not lang or lang in languages:
        return []
    return [
        _finding(
            src,
            src.meta_line("lang"),
            "error",
            "meta-value",
            f'Lang "{lang}" is not one of the site\'s languages ({", ".join(languages)})'
            f"{did_you_mean(lang, languages)}, so Pelican would publish {src.name} in a "
            "language the site has no words, home page or feed for.",
            f"Use one of: {', '.join(languages)}; leave Lang out for "
            f"{ctx.settings['SITE'].default_lang}. A new language is added to LANGUAGES in "
            "pelicanconf.py.",
        )
    ]


def check_cta_and_disclaimer(src: SourceFile, ctx: Context) -> list[Finding]:
    """Cta and Disclaimer name a configured variant, read as the build reads them.

    ``consult_cta``'s ``choose_variant`` is the one reading of both values (empty or
    ``default`` means the default variant; names in any case; ``off`` where allowed), so the
    check refuses exactly what the build would refuse.
    """
    return [
        finding
        for finding in (_cta_finding(src, ctx.settings), _disclaimer_finding(src, ctx.settings))
        if finding is not None
    ]


def _variant_names(variants: object) -> set[str]:
    """A variants setting's names as the build compares them (stripped, lower case)."""
    return {str(name).strip().lower() for name in (variants or {})}  # type: ignore[attr-defined]


def _cta_finding(src: SourceFile, settings: dict) -> Finding | None:
    cta = src.meta("cta")
    default = settings["SITE"].default
    try:
        choose_variant(cta, _variant_names(default.cta_variants), may_turn_off=True)
    except VariantError:
        variants = set(default.cta_variants)
        return _finding(
            src,
            src.meta_line("cta"),
            "error",
            "meta-value",
            f'Cta "{cta}" is not "off" or a name from {default.setting("cta_variants")}'
            f"{did_you_mean(cta, [*variants, 'off'])}.",
            "Use one of: " + ", ".join(["off", *sorted(variants)]) + ".",
        )
    return None


def _disclaimer_finding(src: SourceFile, settings: dict) -> Finding | None:
    disclaimer = src.meta("disclaimer")
    try:
        choose_variant(
            disclaimer,
            _variant_names(settings["SITE"].default.disclaimer_variants),
            may_turn_off=src.kind == "page",
        )
    except VariantError as error:
        # Byte-for-byte the message of before ("Off" keeps its shorter message).
        why = " Articles cannot turn the disclaimer off." if disclaimer == "off" else ""
        return _finding(
            src,
            src.meta_line("disclaimer"),
            "error",
            "meta-value",
            f'Disclaimer "{disclaimer}" is not allowed here.{why}',
            "Use one of: " + ", ".join(sorted(error.accepted)) + ", or remove the line.",
        )
    return None


def _check_vocabulary(src: SourceFile, ctx: Context) -> list[Finding]:
    findings = []
    categories = list(ctx.settings.get("ALLOWED_CATEGORIES") or [])
    category = src.meta("category")
    if category and category not in categories:
        findings.append(
            _finding(
                src,
                src.meta_line("category"),
                "error",
                "meta-category",
                f'Category "{category}" is not one of the site\'s categories'
                f"{did_you_mean(category, categories)}.",
                f"Use one of: {', '.join(categories)}. A new category is added to "
                "ALLOWED_CATEGORIES in pelicanconf.py.",
            )
        )
    vocabulary = list(ctx.settings.get("ALLOWED_TAGS") or [])
    for tag in (t.strip() for t in src.meta("tags").split(",")):
        if tag and tag not in vocabulary:
            findings.append(
                _finding(
                    src,
                    src.meta_line("tags"),
                    "error",
                    "meta-tag",
                    f'Tag "{tag}" is not in the tag vocabulary{did_you_mean(tag, vocabulary)}.',
                    f"Use tags from: {', '.join(vocabulary)} (ALLOWED_TAGS in pelicanconf.py).",
                )
            )
    return findings


def check_author(src: SourceFile, ctx: Context) -> list[Finding]:
    """``Author`` names a writer of ``AUTHORS`` (the byline's name comes from there)."""
    key = src.meta("author")
    authors = ctx.settings.get("AUTHORS") or {}
    if not key or key in authors:
        return []
    keys = sorted(authors)
    return [
        _finding(
            src,
            src.meta_line("author"),
            "error",
            "meta-value",
            f'Author "{key}" is not a key of AUTHORS (pelicanconf.py){did_you_mean(key, keys)}. '
            "The byline shows the name from there, never from the article.",
            (f"Use one of: {', '.join(keys)}. " if keys else "AUTHORS lists nobody yet. ")
            + "The clinic adds each writer (a team, or a person with credentials) to AUTHORS.",
        )
    ]


# The metadata checks, in the order a writer reads the block.
METADATA_CHECKS = (
    check_repeated_keys,
    check_keys_known,
    check_required_keys,
    check_lengths,
    check_slug_form,
    check_slug_length,
    check_dates,
    check_article_fields,
    check_status,
    check_kind,
    check_handout,
    check_lang,
    check_cta_and_disclaimer,
    check_author,
)


def check_duplicates(sources: list[SourceFile], default_lang: str = "en") -> list[Finding]:
    """Slugs unique among articles and among pages; titles unique across the site.

    Per language: a translation shares its original's slug (content_check.translation_check
    reports two translations of one original in one language).
    """
    findings = []
    for label, key, same_kind in (("slug", "slug", True), ("title", "title", False)):
        seen: dict[tuple[str, str, str], SourceFile] = {}
        for src in sources:
            value, language = src.meta(key), src.meta("lang") or default_lang
            if not value or (label == "slug" and language != default_lang):
                continue
            marker = (src.kind if same_kind else "", language, value.lower())
            if marker in seen:
                first = seen[marker]
                findings.append(
                    _finding(
                        src,
                        src.meta_line(key),
                        "error",
                        "meta-duplicate",
                        f'{label.capitalize()} "{value}" is already used by {first.name}.',
                        f"Give each {src.kind} its own {label}"
                        + (
                            " (two pages cannot share one address)."
                            if label == "slug"
                            else " so readers can tell them apart in search results."
                        ),
                    )
                )
            else:
                seen[marker] = src
    return findings


# --- 2. Review status -----------------------------------------------------------------------
# One implementation of the review (plugins/clinical_review): the check reports what the page,
# `invoke review` and `invoke reviews` read from the same fields.

REVIEW_KEYS = ("reviewed_by", "last_reviewed", "next_review", "review_history")
RECORD_FIX = 'Record each review with `invoke review FILE --reviewer KEY --note "what changed"`.'


def review_history_lines(src: SourceFile) -> list[tuple[int, str]]:
    """(file line, text) of each line of the ``Review_history`` value, the key's own first."""
    first = src.meta_line("review_history")
    if first is None:
        return []
    key_line = META_RE.match(src.lines[first - 1])
    result = [(first, key_line.group("value") if key_line else "")]
    for index in range(first, src.meta_end):
        more = META_MORE_RE.match(src.lines[index])
        if not more:
            break
        result.append((index + 1, more.group("value")))
    return result


def review_of(
    src: SourceFile, review: ReviewSettings, reader_settings: dict | None = None
) -> ReviewDates:
    """A source's review, read by clinical_review exactly as the build reads the page's.

    With ``reader_settings`` (Pelican's), a review that records the fingerprint of the text it
    approved is compared with the text now, read by the site's reader as the build reads it.
    """
    metadata: dict[str, object] = {key: src.meta(key) for key in REVIEW_KEYS[:3]}
    metadata["review_history"] = [text for _, text in review_history_lines(src)]
    required = required_role(src.kind, {"kind": src.meta("kind")}, review)
    dates = parse_review_dates(metadata, review, required)
    signed = dates.signed_review
    if reader_settings and signed is not None and signed.text:
        now = text_fingerprint.source_fingerprint(src.path, reader_settings)
        return parse_review_dates(metadata, review, required, now)
    return dates


def check_review(src: SourceFile, ctx: Context) -> list[Finding]:
    """Clinical review: a reviewer from REVIEWERS, a history that records the review, dates in
    order, and the review not overdue (articles and translated pages)."""
    if not src.metadata:
        return []
    review: ReviewSettings = ctx.settings["REVIEW"]
    dates = review_of(src, review, ctx.settings.get("READER_SETTINGS"))
    if not dates.needs_review and not any(src.meta(key) for key in REVIEW_KEYS):
        return []  # a general page that claims no review, and needs none
    findings = _history_findings(src, ctx, review) + _reviewer_key_findings(src, review)
    if not src.meta("reviewed_by"):
        return findings + _unreviewed_findings(src, ctx, dates)
    if not src.meta("last_reviewed"):
        return [
            *findings,
            _finding(
                src,
                src.meta_line("last_reviewed") or src.meta_line("reviewed_by"),
                "error",
                "review-incomplete",
                "Reviewed_by is set but Last_reviewed is empty.",
                f"Add the date the clinician signed it off (YYYY-MM-DD). {RECORD_FIX}",
            ),
        ]
    last = parse_iso_date(src.meta("last_reviewed"))
    if last is None:
        return findings  # meta-date reports it
    if last > ctx.today:
        findings.append(
            _finding(
                src,
                src.meta_line("last_reviewed"),
                "error",
                "review-future",
                f"Last_reviewed {last} is in the future.",
                "Write the day the review actually happened.",
            )
        )
    findings += _history_agreement_findings(src, dates, last)
    findings += _role_findings(src, dates)
    findings += _next_review_findings(src, review, last)
    findings += _changed_findings(src, ctx, dates)
    return findings + _state_findings(src, ctx, dates)


def _what(src: SourceFile, dates: ReviewDates) -> str:
    """ "article", "translation" (a page in another language) or "page"."""
    if src.kind == "article":
        return "article"
    return "translation" if src.meta("lang") else "page"


def _role_findings(src: SourceFile, dates: ReviewDates) -> list[Finding]:
    """The reviewer's role may sign this text off (a clinician for clinical texts)."""
    newest = dates.history[0] if dates.history else None
    if not dates.required or newest is None or newest.reviewer is None:
        return []
    if newest.reviewer.may_sign(dates.required):
        return []
    return [
        _finding(
            src,
            src.meta_line("reviewed_by"),
            "error",
            "review-incomplete",
            f"{newest.reviewer.name} ({newest.reviewer_key}) is an {newest.reviewer.role} in "
            f"REVIEWERS, but this {_what(src, dates)} gives clinical advice and needs a "
            "clinician's sign-off, so the page does not show the review.",
            "Ask a reviewer whose role is 'clinician' to review it. " + RECORD_FIX,
        )
    ]


def changed_summary(src: SourceFile, reader_settings: dict | None, approved: str) -> str:
    """What changed in ``src`` since the text with fingerprint ``approved``, in short (the
    fields and sections, from the copy ``invoke review`` kept of the approved text)."""
    if not reader_settings:
        return "its text"
    now = text_fingerprint.source_lines(src.path, reader_settings)
    folder = text_fingerprint.approved_folder(reader_settings)
    before = text_fingerprint.approved_lines(folder, approved)
    if now is None or before is None:
        return "its text (no copy of the approved text is kept here to say where)"
    return text_fingerprint.what_changed(before, now, source=src.lines)


def _changed_findings(src: SourceFile, ctx: Context, dates: ReviewDates) -> list[Finding]:
    """The text readers see changed after the review that approved it (or the review records
    no text: production only, since a hand-typed history line proves nothing about the text)."""
    signed = dates.signed_review
    if signed is None or signed.reviewer is None:
        return []
    severity: Severity = "error" if ctx.require_review else "warning"
    who = f"{signed.day} by {signed.reviewer.signature}"
    if dates.text_changed:
        what = changed_summary(src, ctx.settings.get("READER_SETTINGS"), signed.text)
        message = (
            f"This {_what(src, dates)} has changed since its last review ({who}): {what}. "
            "The page no longer shows that review"
            + (", and production builds do not publish it." if severity == "error" else ".")
        )
    elif dates.text_unrecorded and ctx.production:
        message = (
            f"The last review ({who}) records no fingerprint of the text it approved (the "
            "history line was typed by hand), so nothing shows it covers the text as it is now."
        )
    else:
        return []
    return [
        _finding(
            src,
            src.meta_line("last_reviewed"),
            severity,
            "review-changed",
            message,
            f"Show the reviewer what changed (`invoke review {src.name} --diff`) and have them "
            f'sign it again: `invoke review {src.name} --reviewer KEY --note "..."`. Even a '
            'typo fix is signed again, with a note such as "typo fixed, meaning unchanged".',
        )
    ]


def _unreviewed_findings(src: SourceFile, ctx: Context, dates: ReviewDates) -> list[Finding]:
    """No Reviewed_by: dates or a history without a reviewer, and the review still to come."""
    findings = []
    if src.meta("last_reviewed") or src.meta("next_review") or dates.history:
        findings.append(
            _finding(
                src,
                src.meta_line("reviewed_by") or src.meta_line("last_reviewed"),
                "error",
                "review-incomplete",
                "Review dates or a review history are set but Reviewed_by is empty.",
                "Name the reviewer (their key from REVIEWERS), or empty the review fields if "
                f"no review happened. Never date a review that did not happen. {RECORD_FIX}",
            )
        )
    if not dates.needs_review:
        return findings
    severity: Severity = "error" if ctx.require_review else "warning"
    what = _what(src, dates)
    who = "clinician" if dates.required == "clinician" else "editor"
    findings.append(
        _finding(
            src,
            src.meta_line("reviewed_by"),
            severity,
            "review-missing",
            f"No {who} has reviewed this {what} yet"
            + (
                ", and production builds do not publish unreviewed content."
                if severity == "error"
                else " (publishing will refuse it)."
            ),
            f"Ask a {who} to review it. {RECORD_FIX} (`invoke reviews` lists what is due; "
            '`invoke review --due --reviewer KEY --note "..."` signs everything due at once.)',
        )
    )
    return findings


def _reviewer_key_finding(
    src: SourceFile, line: int | None, key: str, review: ReviewSettings, where: str
) -> Finding:
    """A reviewer key that REVIEWERS does not hold."""
    keys = sorted(review.reviewers)
    return _finding(
        src,
        line,
        "error",
        "meta-value",
        f'{where} "{key}" is not a reviewer in REVIEWERS (pelicanconf.py)'
        f"{did_you_mean(key, keys)}. The page shows the reviewer's name and credentials "
        "from there, never from the article.",
        (f"Use a reviewer's key: {', '.join(keys)}. " if keys else "REVIEWERS lists nobody yet. ")
        + "The clinic adds each clinician to REVIEWERS (name, credentials, role).",
    )


def _reviewer_key_findings(src: SourceFile, review: ReviewSettings) -> list[Finding]:
    """Reviewed_by names a reviewer of the registry."""
    key = src.meta("reviewed_by")
    if not key or key in review.reviewers:
        return []
    return [_reviewer_key_finding(src, src.meta_line("reviewed_by"), key, review, "Reviewed_by")]


# What is wrong with a history line that is not an entry: (code, message, fix).
HISTORY_PROBLEMS = {
    "form": (
        "meta-form",
        f"This Review_history line is not `{HISTORY_FORM}`",
        "Write one review a line, indented by 4 spaces under `Review_history:`: the date, the "
        "reviewer's key and what changed, separated by `|`. " + RECORD_FIX,
    ),
    "date": (
        "meta-form",
        "This Review_history line does not start with a real date in the form YYYY-MM-DD",
        "Write the day the review happened first, e.g. `2026-11-25 | jane-doe | What changed`.",
    ),
    "reviewer": (
        "review-incomplete",
        "This Review_history entry names no reviewer",
        "Put the key of the clinician who reviewed it (from REVIEWERS) between the two `|`. "
        "Never record a review nobody did.",
    ),
    "note": (
        "review-incomplete",
        "This Review_history entry does not say what changed",
        "Add a short note after the second `|`, e.g. `Checked the doses against the new label`.",
    ),
}


def _history_findings(src: SourceFile, ctx: Context, review: ReviewSettings) -> list[Finding]:
    """Each history line is a whole entry, by a known reviewer, not dated in the future."""
    lines = review_history_lines(src)
    entries, problems = parse_history([text for _, text in lines])
    findings = []
    for problem in problems:
        code, message, fix = HISTORY_PROBLEMS[problem.kind]
        line = lines[problem.position][0]
        findings.append(_finding(src, line, "error", code, f'{message}: "{problem.text}".', fix))
    for entry in entries:
        line = lines[entry.position][0]
        if entry.reviewer_key not in review.reviewers:
            findings.append(
                _reviewer_key_finding(src, line, entry.reviewer_key, review, "The reviewer")
            )
        if entry.day > ctx.today:
            findings.append(
                _finding(
                    src,
                    line,
                    "error",
                    "review-future",
                    f"This Review_history entry is dated {entry.day}, after today ({ctx.today}).",
                    "Write the day the review actually happened.",
                )
            )
    return findings


def _history_agreement_findings(
    src: SourceFile, dates: ReviewDates, last: dt.date
) -> list[Finding]:
    """Reviewed_by and Last_reviewed name the newest review the history records."""
    key = src.meta("reviewed_by")
    if not dates.history:
        return [
            _finding(
                src,
                src.meta_line("reviewed_by"),
                "error",
                "review-incomplete",
                f"Reviewed_by and Last_reviewed say {key} reviewed it on {last}, but "
                "Review_history records no review, so the page cannot show it.",
                f"{RECORD_FIX} It writes the fields and the history together. By hand: add "
                f"`Review_history:` and, indented by 4 spaces below it, `{last} | {key} | "
                "what changed`. Never record a review that did not happen.",
            )
        ]
    newest = dates.history[0]
    if (newest.reviewer_key, newest.day) == (key, last):
        return []
    return [
        _finding(
            src,
            src.meta_line("reviewed_by"),
            "error",
            "review-incomplete",
            f"Reviewed_by and Last_reviewed ({key} on {last}) are not the newest review in "
            f"Review_history ({newest.reviewer_key} on {newest.day}).",
            "Make them name the newest review of the history. " + RECORD_FIX,
        )
    ]


def _next_review_findings(src: SourceFile, review: ReviewSettings, last: dt.date) -> list[Finding]:
    """Next_review, when given, is after the last review and within the interval."""
    next_ = parse_iso_date(src.meta("next_review"))
    if next_ is None:
        return []  # empty: last + the interval; invalid: meta-date reports it
    months = review.interval_months
    if next_ <= last:
        return [
            _finding(
                src,
                src.meta_line("next_review"),
                "error",
                "review-order",
                f"Next_review {next_} is not after Last_reviewed {last}.",
                "Set the next review after the last one, or leave Next_review empty "
                f"for {months} months after it.",
            )
        ]
    limit = add_months(last, months)
    if next_ <= limit:
        return []
    return [
        _finding(
            src,
            src.meta_line("next_review"),
            "error",
            "review-interval",
            f"Next_review {next_} is more than {months} months after the last review ({last}).",
            f"Review clinical pages at least every {months} months: set "
            f"Next_review to {limit} or earlier.",
        )
    ]


def _state_findings(src: SourceFile, ctx: Context, dates: ReviewDates) -> list[Finding]:
    """Overdue (an error) or due soon (a warning), from clinical_review's one ``review_state``."""
    review: ReviewSettings = ctx.settings["REVIEW"]
    if dates.next_review is not None and dates.next_review <= (dates.last_reviewed or ctx.today):
        return []  # review-order reports it
    state = review_state(dates, ctx.today, review.due_soon_days)
    given = "next_review" if src.meta("next_review") else "last_reviewed"
    line = src.meta_line(given)
    if state.kind == OVERDUE:
        return [
            _finding(
                src,
                line,
                "error",
                "review-overdue",
                f"The review was due on {state.due} ({-(state.days or 0)} days ago).",
                f"Ask a clinician to review the {_what(src, dates)} again; {RECORD_FIX} Do not "
                "change the dates without a review.",
            )
        ]
    if state.kind == DUE_SOON:
        return [
            _finding(
                src,
                line,
                "warning",
                "review-due-soon",
                f"The review is due on {state.due}, in {state.days} days.",
                "Book the clinical review now, so the page does not go out of date.",
            )
        ]
    return []


# --- 3. References --------------------------------------------------------------------------

DOI_RE = re.compile(r"\bdoi:\s*10\.\d{4,9}/\S+|\bhttps?://(?:dx\.)?doi\.org/10\.", re.I)
URL_RE = re.compile(r"\bhttps?://[^\s)>\]\"']+", re.I)


@dataclass
class Footnotes:
    """The footnotes of one file: where each is defined, its text, and where it is cited."""

    definitions: dict[str, int] = field(default_factory=dict)  # label -> line
    texts: dict[str, str] = field(default_factory=dict)
    uses: dict[str, list[int]] = field(default_factory=dict)  # label -> lines


def collect_footnotes(lines: list[BodyLine]) -> Footnotes:
    """Every footnote definition (with its text, continuation lines joined) and every citation."""
    notes = Footnotes()
    for line in lines:
        body = _footnote_body(line, notes)
        if body is None:
            continue
        for label in FOOTNOTE_REF_RE.findall(_strip_code_spans(body)):
            notes.uses.setdefault(label, []).append(line.number)
    return notes


def _footnote_body(line: BodyLine, notes: Footnotes) -> str | None:
    """The text of a line that may cite footnotes (recording definitions), or None."""
    if line.kind == "prose":
        return line.text
    if line.kind != "footnote":
        return None
    match = FOOTNOTE_DEF_RE.match(line.text)
    if match:
        notes.definitions.setdefault(line.footnote, line.number)
        notes.texts[line.footnote] = match.group(2)
        return match.group(2)
    notes.texts[line.footnote] += " " + line.text.strip()
    return line.text


def check_references(src: SourceFile, ctx: Context) -> list[Finding]:
    """Footnotes used are defined and defined ones used; each has a DOI or URL; enough of them."""
    notes = collect_footnotes(classify_body(src))
    definitions, texts, uses = notes.definitions, notes.texts, notes.uses
    findings = []
    for label, numbers in uses.items():
        if label not in definitions:
            findings.append(
                _finding(
                    src,
                    numbers[0],
                    "error",
                    "ref-undefined",
                    f"Footnote [^{label}] is used but never defined"
                    f"{did_you_mean(label, definitions)}; the reader sees the raw marker.",
                    f"Add `[^{label}]: Authors. Title. Journal. Year. doi:...` at the end "
                    "of the file, or correct the label.",
                )
            )
    for label, number in definitions.items():
        if label not in uses:
            findings.append(
                _finding(
                    src,
                    number,
                    "warning",
                    "ref-unused",
                    f"Reference [^{label}] is defined but nothing in the text cites it.",
                    f"Cite it with [^{label}] after the sentence it supports, or remove it.",
                )
            )
        text = texts[label]
        if not DOI_RE.search(text) and not URL_RE.search(text):
            findings.append(
                _finding(
                    src,
                    number,
                    "error",
                    "ref-no-link",
                    f"Reference [^{label}] has no DOI or web address, so a reader cannot "
                    "find the source.",
                    "End it with `doi:10.xxxx/xxxx` or the https:// address of the primary "
                    "source (the journal, DailyMed, the guideline).",
                )
            )
    key = "CHECK_MIN_REFERENCES" if src.kind == "article" else "CHECK_MIN_REFERENCES_PAGE"
    minimum = ctx.settings[key]
    if is_clinical(src) and len(definitions) < minimum:
        what = "article" if src.kind == "article" else "clinical page (Kind: clinical)"
        findings.append(
            _finding(
                src,
                None,
                "error",
                "ref-too-few",
                f"The {what} has {len(definitions)} reference(s); it needs at least {minimum}.",
                "Support each clinical statement with a primary source (journal article, "
                "FDA label, guideline) as a footnote.",
            )
        )
    return findings


def _strip_code_spans(text: str) -> str:
    return re.sub(r"`[^`]*`", "", text)


# --- 4. Claims ------------------------------------------------------------------------------

ALLOW_RE = re.compile(r"<!--\s*allow-claim:\s*(?P<body>.*?)\s*-->", re.I | re.S)
ALLOW_SPLIT_RE = re.compile(r"\s+(?:\u2014|\u2013|--|-)\s+|\s*[\u2014\u2013]\s*|\s*;\s*|:\s+")


@dataclass
class Allowance:
    """An ``<!-- allow-claim: phrase — reason -->`` comment."""

    line: int
    phrase: str
    reason: str
    used: bool = False


def parse_allowances(src: SourceFile) -> list[Allowance]:
    """Every allow-claim comment in the body, with its phrase and reason."""
    allowances = []
    for number, raw in src.body_lines:
        for match in ALLOW_RE.finditer(raw):
            parts = ALLOW_SPLIT_RE.split(match.group("body"), maxsplit=1)
            phrase = parts[0].strip().strip("\"'“”")
            reason = parts[1].strip() if len(parts) > 1 else ""
            allowances.append(Allowance(number, phrase, reason))
    return allowances


@dataclass(frozen=True)
class ClaimList:
    """One language's claim list, compiled: each phrase's pattern, and all of them at once."""

    patterns: list[tuple[str, re.Pattern, dict]]
    anything: re.Pattern  # any of them: most lines have none, and one search says so


# Every dash and hyphen a keyboard, a word processor or a copied page may give, and the
# curly apostrophes.
DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"), "-")
APOSTROPHES = dict.fromkeys(map(ord, "\u2018\u2019\u02bc"), "'")
WORD_HYPHEN_RE = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


def fold_for_claims(text: str) -> str:
    """``text`` as the claim lists match it, one character for one (so a match's place is the
    same in the text): accents off ("adicción" reads "adiccion"), every dash a hyphen, a hyphen
    between letters a space ("risk-free" reads "risk free"), curly apostrophes straight."""
    folded = []
    for character in text.translate(DASHES).translate(APOSTROPHES):
        base = unicodedata.normalize("NFD", character)[0]
        folded.append(base if len(base) == len(character) else character)
    return WORD_HYPHEN_RE.sub(" ", "".join(folded))


def _fold_pattern(pattern: str) -> str:
    """A claim pattern folded as the text is: accents off, and a hyphen between letters outside
    a character class (or before "?") a space: ``non-?addictive`` matches "non addictive"."""
    pieces, in_class, escaped = [], False, False
    for index, character in enumerate(pattern):
        piece = character
        if escaped:
            escaped = False
        elif character == "\\":
            escaped = True
        elif character == "[":
            in_class = True
        elif character == "]":
            in_class = False
        elif character == "-" and not in_class and 0 < index < len(pattern) - 1:
            before, after = pattern[index - 1], pattern[index + 1]
            if before.isalpha() and (after.isalpha() or after == "?"):
                piece = " "
        pieces.append(piece)
    return fold_for_claims("".join(pieces)).replace("  ", " ")


def claim_list(settings: dict, language: str) -> ClaimList | None:
    """The claim list of ``language`` (``LANGUAGES[language]["absolute_claims"]``, else the
    check's own: ``claims_of``), compiled once; None when it has none."""
    compiled = settings.setdefault("_claim_lists", {})
    if language not in compiled:
        claims = claims_of(settings["SITE"], language)
        compiled[language] = _compile_claims(claims) if claims else None
    return compiled[language]


def claim_lists(settings: dict, language: str) -> list[ClaimList]:
    """Every configured language's claim list, the page's own first: an English sentence
    pasted into a Spanish page is still English."""
    site = settings["SITE"]
    languages = [language, site.default_lang, *site.codes, *DEFAULT_CLAIMS_BY_LANG]
    found = (claim_list(settings, name) for name in dict.fromkeys(languages))
    return [claims for claims in found if claims is not None]


def _compile_claims(claims: dict[str, dict]) -> ClaimList:
    patterns = []
    for name, spec in claims.items():
        pattern = spec.get("pattern") or r"\b" + re.escape(name).replace(r"\ ", r"[\s-]+") + r"\b"
        patterns.append((name, re.compile(_fold_pattern(pattern), re.I), spec))
    return ClaimList(
        patterns, re.compile("|".join(f"(?:{p.pattern})" for _, p, _ in patterns), re.I)
    )


def _prose_for_claims(text: str) -> str:
    """A line with link targets, URLs, code and footnote labels blanked (same length)."""

    def blank(match: re.Match) -> str:
        return " " * len(match.group(0))

    text = re.sub(r"`[^`]*`", blank, text)
    text = re.sub(r"\]\([^)]*\)", blank, text)
    text = URL_RE.sub(blank, text)
    text = re.sub(r"\[\^[^\]]*\]", blank, text)
    return re.sub(r"<[^>]+>", blank, text)


def check_claims(src: SourceFile, ctx: Context) -> list[Finding]:
    """Absolute and superlative phrases in the title, summary and text (not the references),
    from the claim list of the file's language.

    One occurrence is allowed by an ``<!-- allow-claim: phrase — reason -->`` comment on the
    same line or the line before; the reason is required.
    """
    lists = claim_lists(ctx.settings, ctx.language(src))
    if not lists:
        return []
    allowances = parse_allowances(src)
    candidates: list[tuple[int, str]] = [
        (src.meta_line(key), normalize_text(src.meta(key)))  # type: ignore[misc]
        for key in ("title", "summary")
        if src.meta(key)
    ]
    candidates += [(line.number, line.text) for line in classify_body(src) if line.kind == "prose"]
    findings = []
    for number, text in candidates:
        folded = fold_for_claims(text)
        matching = [claims for claims in lists if claims.anything.search(folded)]
        if matching:
            findings += _claims_on_line(src, number, _prose_for_claims(text), matching, allowances)
    for allowance in allowances:
        if not allowance.used and allowance.reason:
            findings.append(
                _finding(
                    src,
                    allowance.line,
                    "warning",
                    "claim-allow-unused",
                    f'The allow-claim comment for "{allowance.phrase}" allows nothing: '
                    "the phrase is not on this line or the next.",
                    "Put the comment on the line of the phrase or the line before, or remove it.",
                )
            )
    return findings


def _claims_on_line(
    src: SourceFile, number: int, prose: str, lists: list[ClaimList], allowances: list[Allowance]
) -> list[Finding]:
    """Each claim on one line that no allow-claim comment (with a reason) allows; a phrase two
    lists both match is reported once, by the first (the page's own language)."""
    findings: list[tuple[int, Finding]] = []  # in the order a reader meets them
    folded, taken = fold_for_claims(prose), set[int]()
    for claims in lists:
        for name, pattern, spec in claims.patterns:
            for match in pattern.finditer(folded):
                span = set(range(match.start(), match.end()))
                if span & taken:
                    continue
                taken |= span
                found = prose[match.start() : match.end()]
                finding = _claim_finding(src, number, name, pattern, spec, found, allowances)
                if finding is not None:
                    findings.append((match.start(), finding))
    return [finding for _, finding in sorted(findings, key=lambda item: item[0])]


def _claim_finding(  # noqa: PLR0917 - one match and what it is checked against
    src: SourceFile,
    number: int,
    name: str,
    pattern: re.Pattern,
    spec: dict,
    found: str,
    allowances: list[Allowance],
) -> Finding | None:
    allowance = _allowance_for(allowances, number, name, pattern, found)
    if allowance and allowance.reason:
        allowance.used = True
        return None
    note = (
        " The allow-claim comment beside it gives no reason, so it does not count."
        if allowance
        else ""
    )
    return _finding(
        src,
        number,
        "error",
        "claim-absolute",
        f'"{found}": {spec["why"]}{note}',
        f"Instead: {spec['instead']} To quote it (for example to correct a "
        f"myth), add `<!-- allow-claim: {name} — your reason -->` on the "
        "line before.",
    )


def _allowance_for(
    allowances: list[Allowance], number: int, name: str, pattern: re.Pattern, found: str
) -> Allowance | None:
    """The first unused allow-claim comment on the line or the line before that names it."""
    return next(
        (
            a
            for a in allowances
            if not a.used
            and a.line in (number, number - 1)
            and (
                a.phrase.lower() in (name.lower(), found.lower())
                or pattern.search(fold_for_claims(a.phrase))
            )
        ),
        None,
    )
