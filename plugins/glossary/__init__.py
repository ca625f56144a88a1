"""The glossary page lists, under each entry, the guides that use the word."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from html_structure import insert_before_end_tags, top_level_elements
from markupsafe import Markup
from pelican import signals
from pelican.contents import Article, Page
from pelican_compat import raw_html, set_raw_html
from translations import N_, catalogue_folder, translate

USED_IN = "glossary-entry__used-in"


def _glossary_pages(contents: Iterable[Any], settings: dict[str, Any]) -> list[Any]:
    """The pages that are a language's glossary (``article_markup``'s ``glossaries``)."""
    configs = settings.get("MARKDOWN", {}).get("extension_configs", {})
    sources = set(configs.get("article_markup", {}).get("glossaries", {}).values())
    return [
        content
        for content in contents
        if isinstance(content, Page) and content.relative_source_path in sources
    ]


def usage(articles: Iterable[Any]) -> dict[str, list[Any]]:
    """Entry id -> the articles that use it (``glossary_terms``), in title order."""
    found: dict[str, list[Any]] = {}
    for article in sorted(articles, key=lambda article: str(article.title).lower()):
        for entry in getattr(article, "glossary_terms", None) or []:
            found.setdefault(entry, []).append(article)
    return found


def used_in_html(articles: list[Any], words: str) -> str:
    """The "used in" line of one entry: a link to each article, by ``{filename}``."""
    links = ", ".join(
        f'<a href="{{filename}}/{escape(article.relative_source_path)}">'
        f"{escape(Markup(article.title).striptags(), quote=False)}</a>"
        for article in articles
    )
    return f'<p class="{USED_IN}">{escape(words, quote=False)} {links}</p>'


def add_used_in(page: Any, used: dict[str, list[Any]]) -> None:
    """Put each entry's "used in" line at the end of its section on the glossary page."""
    html = raw_html(page)
    if f'class="{USED_IN}"' in html:
        return  # a second build in one process
    words = translate(catalogue_folder(page.settings), page.lang, N_("Guides that use this word:"))
    blocks = {
        element.end: used_in_html(used[entry], words)
        for element in top_level_elements(html)
        if element.tag == "section"
        and (entry := element.attrs.get("aria-labelledby")) in used
        and element.end >= 0
    }
    if blocks:
        set_raw_html(page, insert_before_end_tags(html, blocks))


def list_usage(generator: Any) -> None:
    """``page_generator_finalized`` (the articles are read): fill in each glossary page."""
    contents = [c for c in generator.context.get("generated_content", {}).values() if c]
    published = [
        content
        for content in contents
        if isinstance(content, Article) and content.status == "published"
    ]
    for page in _glossary_pages(contents, generator.settings):
        same_language = [article for article in published if article.lang == page.lang]
        add_used_in(page, usage(same_language))


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.page_generator_finalized.connect(list_usage)
