"""plugins/glossary: from each glossary entry a reader reaches the guides that use the word."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import html_structure
import pytest
from conftest import PROJECT_ROOT
from glossary import used_in_html
from html_structure import html_events, insert_before_end_tags, top_level_elements

GLOSSARY = """Title: Glossary
Slug: glossary
Summary: Words.

## Anesthetic {#anesthetic}

Also called: anesthesia

A medicine that puts you to sleep for surgery.

## Placebo {#placebo}

A dummy treatment.
"""
ARTICLE = """Title: {title}
Date: 2025-01-01
Category: Ketamine
Summary: A short summary.

{text}
"""
DISCLAIMER = "Title: Medical disclaimer\nSlug: medical-disclaimer\nSummary: S.\n\nText.\n"


def test_each_entry_lists_the_guides_that_use_it(build_small_site: Callable[..., Any]) -> None:
    built = build_small_site(
        {
            "pages/glossary.md": GLOSSARY,
            "pages/medical-disclaimer.md": DISCLAIMER,
            "articles/b.md": ARTICLE.format(title="B guide", text="Anesthesia for surgery."),
            "articles/a.md": ARTICLE.format(title="A guide", text="An anesthetic and a placebo."),
        }
    )
    glossary = built.soup("glossary/index.html")
    used = {
        section["aria-labelledby"]: [" ".join(a.get_text().split()) for a in section.select("a")]
        for section in glossary.select("section.glossary-entry")
    }
    assert used == {"anesthetic": ["A guide", "B guide"], "placebo": ["A guide"]}
    article = built.soup("articles/a/index.html")
    link = article.select_one("a.glossary-link")
    assert link.get_text() == "anesthetic" and link["href"].endswith("/glossary/#anesthetic")
    assert not built.warnings, built.warnings


def test_the_used_in_lines_are_not_parsed_again(build_small_site, monkeypatch) -> None:
    """The "used in" lines (400 KB on a glossary of 1,000 guides) go inside the entries'
    sections, which they leave as they were, moved: where the call to action and disclaimer go
    is known without parsing the page again, and they land where a parse would put them."""
    parsed: list[str] = []

    def noting(html: str, **options: Any) -> list[Any]:
        parsed.append(html)
        return html_events(html, **options)

    monkeypatch.setattr(html_structure, "html_events", noting)
    html_structure._parse.cache_clear()
    built = build_small_site(
        {
            "pages/glossary.md": GLOSSARY,
            "pages/medical-disclaimer.md": DISCLAIMER,
            "articles/a.md": ARTICLE.format(title="A & guide", text="An anesthetic, a placebo."),
        }
    )
    assert not [html for html in parsed if "glossary-entry__used-in" in html]
    glossary = built.soup("glossary/index.html").select_one(".prose")
    assert [child.name for child in glossary.find_all(recursive=False)][-2:] == ["aside", "aside"]
    assert glossary.select_one("#placebo").find_parent("section").select_one("p:last-child a")


@pytest.mark.parametrize(
    "html",
    [
        '<section aria-labelledby="a"><h2 id="a">A</h2><p>x</p></section>\n'
        '<section aria-labelledby="b"><h2 id="b">B</h2></section><p>after</p>\n'
        '<aside data-x="">y<br></aside><section aria-labelledby="c"></section>',
        '<p>alone</p><hr><section class="references"><ol><li>R</li></ol></section>',
    ],
)
def test_elements_kept_after_insertions_are_those_a_parse_finds(html: str) -> None:
    """``insert_before_end_tags`` remembers the new page's top-level elements (moved, not
    parsed): they are exactly what parsing the new page finds."""
    articles = [SimpleNamespace(relative_source_path="a.md", title="A <em>&</em> guide")]
    line = used_in_html(articles, "Used in:")
    ends = [element.end for element in top_level_elements(html) if element.end >= 0]
    for chosen in ([ends[0]], ends, ends[1:]):
        result = insert_before_end_tags(html, dict.fromkeys(chosen, line))
        parsed = html_structure._top_level(html_events(result, convert_charrefs=False))
        assert tuple(top_level_elements(result)) == parsed
        assert result.count(line) == len(chosen)


def test_a_build_without_pages_links_to_no_glossary(build_small_site) -> None:
    """The glossary is a page: a site that builds no pages must not link to it."""
    glossary = (PROJECT_ROOT / "content" / "pages" / "glossary.md").read_text(encoding="utf-8")
    article = (
        "Title: A\nSlug: a\nDate: 2026-01-01\nCategory: Ketamine\nTags: safety\n"
        "Summary: A page.\n\nSome people have nausea after a dose.\n"
    )
    with_pages = build_small_site({"articles/a.md": article, "pages/glossary.md": glossary})
    assert with_pages.soup("articles/a/index.html").select("a.glossary-link")
    without = build_small_site({"articles/a.md": article}, {"PAGE_PATHS": []})
    assert not without.soup("articles/a/index.html").select("a.glossary-link")
