"""Boxes and sections that render as nothing are errors on the line that opens them.

The trap: a care card whose list is not indented publishes an empty red "Call 911 if:" box with
the bullets below it, and nothing said so (issue 27).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from article_markup.structure import hollow_blocks
from content_check.checks import Context
from content_check.settings import check_settings
from content_check.source import parse_text
from content_check.structure_check import check_structure, hollow_blocks_of
from markdown import Markdown

HEAD = "Title: A\nSlug: a\n\n"


def findings_for(body: str) -> list:
    src = parse_text(Path("/x/content/articles/a.md"), "content/articles/a.md", "article",
                     HEAD + body)  # fmt: skip
    ctx = Context(settings=check_settings({}), today=dt.date(2026, 11, 25))
    return check_structure(src, ctx)


def test_a_care_card_whose_list_is_not_indented_is_an_error_on_its_line() -> None:
    body = 'Text.\n\n!!! care-emergency "Call 911 if:"\n- you have chest pain\n'
    [finding] = findings_for(body)
    assert (finding.code, finding.line, finding.severity) == ("block-empty", 6, "error")
    assert '"Call 911 if:"' in finding.message and "line 7" in finding.message
    assert "indent its lines by 4 spaces" in finding.fix.lower()


def test_an_indented_card_a_clinic_rule_and_full_sections_are_fine() -> None:
    body = (
        "## What is it?\n\nText.\n\n## Risks\n\n### During\n\nText.\n\n"
        '!!! care-urgent "Call today if:"\n\n    - you bleed\n\n'
        '!!! clinic-rule "after_treatment"\n\nText after.\n\n[^a]: A note.\n'
    )
    assert findings_for(body) == []


@pytest.mark.parametrize(
    ("body", "code", "line"),
    [
        ('!!! key-points "Key points"\n\nFirst paragraph.\n', "block-empty", 4),
        ('!!! warning ""\n', "block-empty", 4),
        ('!!! clinic-rule "after_treatment"\n    My own words.\n', "block-clinic-rule-text", 4),
        ("## One\n\n## Two\n\nText.\n", "heading-empty", 4),
        ("## One\n\nText.\n\n### Last\n\n[^a]: A note.\n", "heading-empty", 8),
    ],
)
def test_each_hollow_block_is_found(body: str, code: str, line: int) -> None:
    [finding] = findings_for(body)
    assert (finding.code, finding.line) == (code, line)


def test_the_second_of_two_identical_cards_is_placed_on_its_own_line() -> None:
    body = '!!! info "Note"\n    Full.\n\n!!! info "Note"\nEmpty, not indented.\n'
    [finding] = findings_for(body)
    assert finding.line == 7


def test_the_tree_recorder_sees_the_box_article_markup_is_given() -> None:
    md = Markdown(extensions=["admonition"])
    root = md.parser.parseDocument(['!!! care-emergency "Call 911 if:"', "", "- x"]).getroot()
    [hollow] = hollow_blocks(root)
    assert (hollow.problem, hollow.kind, hollow.title) == ("empty-box", "care-emergency",
                                                           "Call 911 if:")  # fmt: skip
    src = parse_text(Path("/x/a.md"), "a.md", "article", HEAD + "## A\n")
    assert [h.problem for h in hollow_blocks_of(src, {})] == ["empty-section"]
