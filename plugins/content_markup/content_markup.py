"""Turn rendered Markdown into the components the theme styles, once per article or page.

Templates must not parse Markdown, so this plugin does it after every generator has read its
content (``all_generators_finalized``, after ``consult_cta`` has added its blocks):

- **Care cards and callouts.** Python-Markdown admonitions (``!!! care-emergency "Call 911
  if:"``) become ``<div class="care-card care-card--emergency">`` (or ``callout--info`` /
  ``callout--warning``) with the title as a heading one level below the heading it sits
  under, preceded by visually hidden context ("Emergency advice: ") for screen readers.
- **References.** The footnotes (``<div class="footnote">``) become a ``References`` section
  (``<h2 id="references">`` and ``<ol class="references__list">``); web addresses and DOIs in
  them become links; the back links get a spoken name.
- **Reading time, table of contents, review dates** as attributes for templates:
  ``reading_time`` (minutes), ``toc_items`` (the ``h2`` sections), ``show_toc`` (at least
  ``CONTENT_MARKUP_TOC_MIN_SECTIONS``, default 4) and ``review_dates`` (a ``ReviewDates``).

Everything but ``register()`` and the signal handler is a pure function of strings. A
processed object is marked (``content_markup_done``), and the transformations are idempotent
anyway (a cached object or a second build in one process changes nothing).
"""

from __future__ import annotations

import calendar
import datetime
import html as html_lib
import logging
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from content_objects import all_content, forget_rendered_content
from pelican import signals

logger = logging.getLogger(__name__)

WORDS_PER_MINUTE = 200
TOC_MIN_SECTIONS = 4
REVIEW_INTERVAL_MONTHS = 24

# admonition kind -> (block classes, element prefix, visually hidden context)
CARD_KINDS: dict[str, tuple[str, str, str]] = {
    "care-non-urgent": ("care-card care-card--non-urgent", "care-card", "Non-urgent advice: "),
    "care-urgent": ("care-card care-card--urgent", "care-card", "Urgent advice: "),
    "care-emergency": ("care-card care-card--emergency", "care-card", "Emergency advice: "),
    "info": ("callout callout--info", "callout", "Important: "),
    "warning": ("callout callout--warning", "callout", "Warning: "),
}
# Any other admonition kind ("note", "tip") is shown as an information callout.
DEFAULT_KIND = "info"

ADMONITION_START = re.compile(r'<div class="admonition(?: ([\w-]+))?[^"]*">')
DIV_TAG = re.compile(r"<div\b|</div>")
HEADING_OPEN = re.compile(r"<h([1-6])\b")
ADMONITION_TITLE = re.compile(r'\s*<p class="admonition-title">(.*?)</p>\s*', re.DOTALL)
FOOTNOTES_START = re.compile(r'<div class="footnote">\s*(?:<hr\s*/?>\s*)?')
BACKREF_TITLE = re.compile(r'(<a class="footnote-backref" href="[^"]*") title="([^"]*)"')
# Web addresses and DOIs as they come out of Markdown and typogrify (which may wrap capitals
# in <span class="caps">).
URL_TEXT = re.compile(r'(?<!href=")\bhttps?://(?:[^\s<&]|&amp;|<span class="caps">[^<]*</span>)+')
DOI_TEXT = re.compile(r'\bdoi:\s?(10\.(?:[^\s<&]|&amp;|<span class="caps">[^<]*</span>)+)')
TOC_HEADING = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")
ASIDE = re.compile(r"<aside\b.*?</aside>", re.DOTALL)
ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


class TocItem(NamedTuple):
    """One entry of an article's table of contents: the heading's id and its plain text."""

    id: str
    text: str


@dataclass(frozen=True)
class ReviewDates:
    """A page's clinical review, read leniently from its metadata (absent when invalid)."""

    reviewed_by: str = ""
    last_reviewed: datetime.date | None = None
    next_review: datetime.date | None = None

    @property
    def is_reviewed(self) -> bool:
        """Whether a clinician has signed the page off (a name and a date)."""
        return bool(self.reviewed_by and self.last_reviewed)


# --- Pure functions -----------------------------------------------------------------------


def _matching_div_end(html: str, start: int) -> int:
    """The index just after the ``</div>`` closing the ``<div`` that opens at ``start``."""
    depth = 0
    for match in DIV_TAG.finditer(html, start):
        depth += 1 if match.group() == "<div" else -1
        if depth == 0:
            return match.end()
    return len(html)


def _last_heading_level(html: str, default: int) -> int:
    levels = [int(match.group(1)) for match in HEADING_OPEN.finditer(html)]
    return levels[-1] if levels else default


def build_care_cards(html: str, context_level: int = 1) -> str:
    """Turn admonitions into care cards and callouts with headings that keep the outline.

    A card's heading is one level below the last heading before it (``h2`` under the page's
    ``h1`` when there is none), at most ``h6``; a card without a title gets no heading.
    """
    if "admonition" not in html:
        return html
    out: list[str] = []
    cursor = 0
    plain_so_far = ""  # the HTML outside cards, where the outline's headings are
    while match := ADMONITION_START.search(html, cursor):
        before = html[cursor : match.start()]
        out.append(before)
        plain_so_far += before
        end = _matching_div_end(html, match.start())
        inner = html[match.end() : end - len("</div>")]
        kind = match.group(1) if match.group(1) in CARD_KINDS else DEFAULT_KIND
        classes, prefix, context = CARD_KINDS[kind]
        level = min(_last_heading_level(plain_so_far, context_level) + 1, 6)
        title_match = ADMONITION_TITLE.match(inner)
        heading = ""
        if title_match:
            inner = inner[title_match.end() :]
            heading = (
                f'<h{level} class="{prefix}__heading">'
                f'<span class="visually-hidden">{context}</span>{title_match.group(1).strip()}'
                f"</h{level}>\n"
            )
        body = build_care_cards(inner.strip(), level)
        out.append(
            f'<div class="{classes}">\n{heading}<div class="{prefix}__content">\n{body}\n</div>\n'
            "</div>"
        )
        cursor = end
    out.append(html[cursor:])
    return "".join(out)


def _link_text(match: re.Match[str], href: str) -> str:
    return f'<a href="{html_lib.escape(href)}">{match.group(0)}</a>'


def linkify_reference(html: str) -> str:
    """Make the web addresses and DOIs in a reference list links (``https://doi.org/...``)."""

    def url(match: re.Match[str]) -> str:
        text = match.group(0).rstrip(".,;)")
        rest = match.group(0)[len(text) :]
        href = html_lib.unescape(TAG.sub("", text))
        return f'<a href="{html_lib.escape(href)}">{text}</a>{rest}'

    def doi(match: re.Match[str]) -> str:
        text = match.group(0).rstrip(".,;")
        rest = match.group(0)[len(text) :]
        doi_name = html_lib.unescape(TAG.sub("", match.group(1).rstrip(".,;")))
        return f'<a href="https://doi.org/{html_lib.escape(doi_name)}">{text}</a>{rest}'

    html = DOI_TEXT.sub(doi, html)
    # Addresses not already inside a link (a DOI link or one the writer made).
    parts = re.split(r"(<a\b.*?</a>)", html, flags=re.DOTALL)
    return "".join(part if part.startswith("<a") else URL_TEXT.sub(url, part) for part in parts)


def build_references(html: str) -> str:
    """Turn Python-Markdown's footnotes into a "References" section with an ``h2``."""
    match = FOOTNOTES_START.search(html)
    if not match:
        return html
    end = _matching_div_end(html, match.start())
    inner = html[match.end() : end - len("</div>")].strip()
    inner = re.sub(r"^<ol>", '<ol class="references__list">', inner)
    inner = BACKREF_TITLE.sub(r'\1 aria-label="\2"', inner)
    inner = linkify_reference(inner)
    heading_id = "references"
    taken = set(re.findall(r'\bid="([^"]+)"', html[: match.start()] + html[end:]))
    number = 1
    while heading_id in taken:
        heading_id = f"references-{number}"
        number += 1
    section = (
        f'<section class="references" data-pagefind-ignore>\n'
        f'<h2 id="{heading_id}" class="references__heading">'
        f"References</h2>\n{inner}\n</section>"
    )
    return html[: match.start()] + section + html[end:]


def quiet_reference_numbers(html: str) -> str:
    """Keep the superscript reference numbers out of search excerpts (``data-pagefind-ignore``)."""
    return html.replace('<sup id="fnref', '<sup data-pagefind-ignore id="fnref')


def transform_html(html: str) -> str:
    """All the markup changes to one article's or page's HTML (idempotent)."""
    return quiet_reference_numbers(build_references(build_care_cards(html)))


def body_text(html: str) -> str:
    """The words a reader reads: no call to action, disclaimer or references."""
    html = ASIDE.sub(" ", html)
    for pattern in (FOOTNOTES_START, re.compile(r'<section class="references"')):
        match = pattern.search(html)
        if match:
            html = html[: match.start()] + html[_matching_div_or_section_end(html, match) :]
    return html_lib.unescape(TAG.sub(" ", html))


def _matching_div_or_section_end(html: str, match: re.Match[str]) -> int:
    if match.group().startswith("<section"):
        close = html.find("</section>", match.start())
        return len(html) if close < 0 else close + len("</section>")
    return _matching_div_end(html, match.start())


def reading_time(html: str, words_per_minute: int = WORDS_PER_MINUTE) -> int:
    """Minutes to read the body (words / 200, rounded up, at least 1)."""
    words = len(body_text(html).split())
    return max(1, math.ceil(words / words_per_minute))


def toc_items(html: str) -> list[TocItem]:
    """The content's own ``h2`` sections (with the ids the toc extension gave them)."""
    return [
        TocItem(heading_id, " ".join(html_lib.unescape(TAG.sub("", text)).split()))
        for heading_id, text in TOC_HEADING.findall(html)
    ]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months (29 February -> 28 February if need be)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_date(value: Any) -> datetime.date | None:
    """A ``YYYY-MM-DD`` string (or a date) as a date; anything else (``""``) as absent."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = ISO_DATE.match(str(value or ""))
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def parse_review_dates(
    metadata: Mapping[str, Any], interval_months: int = REVIEW_INTERVAL_MONTHS
) -> ReviewDates:
    """Read ``reviewed_by``, ``last_reviewed`` and ``next_review`` leniently.

    Empty or invalid values are absent; ``next_review`` defaults to ``last_reviewed`` plus
    24 months. Validation with messages for writers is the content check's job.
    """
    reviewed_by = " ".join(str(metadata.get("reviewed_by") or "").split())
    last_reviewed = parse_date(metadata.get("last_reviewed"))
    next_review = parse_date(metadata.get("next_review"))
    if next_review is None and last_reviewed is not None:
        next_review = add_months(last_reviewed, interval_months)
    return ReviewDates(reviewed_by, last_reviewed, next_review)


# --- Pelican wiring -----------------------------------------------------------------------


def mark_up_content(content: Any, toc_min_sections: int = TOC_MIN_SECTIONS) -> bool:
    """Transform one article's or page's HTML and set its template attributes.

    Returns whether the HTML changed. A second call on the same object does nothing.
    """
    if getattr(content, "content_markup_done", False):
        return False
    html = content._content or ""
    new_html = transform_html(html)
    content._content = new_html
    content.reading_time = reading_time(new_html)
    content.toc_items = toc_items(new_html)
    content.show_toc = len(content.toc_items) >= toc_min_sections
    content.review_dates = parse_review_dates(getattr(content, "metadata", {}) or {})
    content.content_markup_done = True
    return new_html != html


def mark_up_all_content(generators: list[Any]) -> None:
    """``all_generators_finalized``: mark up every article and page."""
    if not generators:
        return
    minimum = generators[0].settings.get("CONTENT_MARKUP_TOC_MIN_SECTIONS", TOC_MIN_SECTIONS)
    changed = [content for content in all_content(generators) if mark_up_content(content, minimum)]
    forget_rendered_content(changed)
    logger.debug("content_markup: marked up %d articles and pages", len(changed))


def register() -> None:
    """Connect the plugin to Pelican (list it after ``consult_cta`` in ``PLUGINS``)."""
    signals.all_generators_finalized.connect(mark_up_all_content)
