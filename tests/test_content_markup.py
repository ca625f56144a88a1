"""Unit tests for plugins/content_markup: pure functions on small strings, no Pelican run."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from content_markup import (
    ReviewDates,
    add_months,
    build_care_cards,
    build_references,
    mark_up_content,
    parse_review_dates,
    reading_time,
    toc_items,
    transform_html,
)

EMERGENCY = (
    '<div class="admonition care-emergency">\n<p class="admonition-title">Call 911 if:</p>\n'
    "<ul>\n<li>you cannot breathe</li>\n</ul>\n</div>"
)
FOOTNOTES = (
    '<div class="footnote">\n<hr>\n<ol>\n<li id="fn:a">\n<p>Cohen SP. Title. 2018. '
    'doi:10.1097/<span class="caps">AAP</span>.808. See https://example.org/a?b=1&amp;c=2.'
    '&#160;<a class="footnote-backref" href="#fnref:a" title="Back to the text for reference 1">'
    "↩︎</a></p>\n</li>\n</ol>\n</div>"
)


def test_emergency_admonition_becomes_a_care_card_with_hidden_context() -> None:
    html = build_care_cards("<h2>When to get help</h2>\n" + EMERGENCY)
    assert '<div class="care-card care-card--emergency">' in html
    assert (
        '<h3 class="care-card__heading"><span class="visually-hidden">Emergency advice: </span>'
        "Call 911 if:</h3>" in html
    )
    assert "admonition" not in html
    assert "<li>you cannot breathe</li>" in html


def test_card_heading_is_one_below_the_heading_it_sits_under() -> None:
    html = "<h2>A</h2><h3>B</h3>" + EMERGENCY + EMERGENCY
    cards = build_care_cards(html)
    assert cards.count("<h4 ") == 2  # the second card follows the h3, not the first card
    assert "<h2 " in build_care_cards(EMERGENCY)  # no heading before: under the page's h1


def test_every_kind_has_its_class_and_context() -> None:
    for kind, css, context in [
        ("care-non-urgent", "care-card--non-urgent", "Non-urgent advice: "),
        ("care-urgent", "care-card--urgent", "Urgent advice: "),
        ("info", "callout--info", "Important: "),
        ("warning", "callout--warning", "Warning: "),
        ("note", "callout--info", "Important: "),
    ]:
        html = build_care_cards(EMERGENCY.replace("care-emergency", kind))
        assert css in html and context in html, kind


def test_nested_admonitions_are_both_converted() -> None:
    inner = EMERGENCY.replace("care-emergency", "info")
    outer = EMERGENCY.replace("<ul>", inner + "\n<ul>")
    html = build_care_cards(outer)
    assert html.count("care-card--emergency") == 1 and html.count("callout--info") == 1
    assert html.count("<div") == html.count("</div>")


def test_footnotes_become_references_with_links() -> None:
    html = build_references("<p>Text</p>\n" + FOOTNOTES)
    assert '<h2 id="references" class="references__heading">References</h2>' in html
    assert '<ol class="references__list">' in html
    assert 'href="https://doi.org/10.1097/AAP.808"' in html
    assert 'href="https://example.org/a?b=1&amp;c=2"' in html
    assert 'aria-label="Back to the text for reference 1"' in html
    assert 'class="footnote"' not in html


def test_search_skips_the_references_and_the_reference_numbers() -> None:
    """Search excerpts read as text, not "pass soon after. 1 7 It" or a journal list."""
    cited = '<p>Short-lived.<sup id="fnref:a"><a class="footnote-ref" href="#fn:a">1</a></sup></p>'
    html = transform_html(cited + FOOTNOTES)
    assert '<sup data-pagefind-ignore id="fnref:a">' in html
    assert '<section class="references" data-pagefind-ignore>' in html


def test_references_heading_id_does_not_clash() -> None:
    html = build_references('<h2 id="references">References</h2>' + FOOTNOTES)
    assert 'id="references-1"' in html


def test_transform_is_idempotent() -> None:
    once = transform_html("<h2>A</h2>" + EMERGENCY + FOOTNOTES)
    assert transform_html(once) == once


def test_reading_time_rounds_up_and_ignores_references() -> None:
    assert reading_time("<p>" + "word " * 200 + "</p>") == 1
    assert reading_time("<p>" + "word " * 201 + "</p>") == 2
    assert reading_time("<p>hi</p>" + FOOTNOTES.replace("Title", "word " * 500)) == 1


def test_toc_lists_the_content_sections_only() -> None:
    html = transform_html(
        '<h2 id="a">First&nbsp;part</h2><h3 id="b">Sub</h3>'
        '<aside class="consult-cta"><h2 class="consult-cta__heading" id="c">Talk</h2></aside>'
        + FOOTNOTES
    )
    assert [tuple(item) for item in toc_items(html)] == [("a", "First part")]


def test_review_dates_default_and_lenient() -> None:
    dates = parse_review_dates({"reviewed_by": "Jane Doe, MD", "last_reviewed": "2026-03-03"})
    assert dates == ReviewDates(
        "Jane Doe, MD", datetime.date(2026, 3, 3), datetime.date(2028, 3, 3)
    )
    assert dates.is_reviewed
    empty = parse_review_dates({"reviewed_by": "", "last_reviewed": "", "next_review": ""})
    assert empty == ReviewDates() and not empty.is_reviewed
    bad = parse_review_dates({"last_reviewed": "2026-02-30", "next_review": "soon"})
    assert bad.last_reviewed is None and bad.next_review is None
    given = parse_review_dates({"last_reviewed": "2026-03-03", "next_review": "2027-01-01"})
    assert given.next_review == datetime.date(2027, 1, 1)


def test_add_months_handles_leap_days() -> None:
    assert add_months(datetime.date(2028, 2, 29), 24) == datetime.date(2030, 2, 28)
    assert add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)


def test_mark_up_content_runs_once_per_object() -> None:
    content = SimpleNamespace(_content="<h2 id='x'>A</h2>" + EMERGENCY, metadata={})
    assert mark_up_content(content) is True
    first = content._content
    assert mark_up_content(content) is False
    assert content._content == first
    assert content.reading_time == 1 and content.show_toc is False
    assert content.review_dates == ReviewDates()
