"""plugins/glossary: from each glossary entry a reader reaches the guides that use the word."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conftest import PROJECT_ROOT

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
