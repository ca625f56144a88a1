"""The other languages' listing pages: home, topics, each topic, archive, search and 404.

Pelican writes these for the default language only. This generator writes them for every
other language in ``LANGUAGES`` under ``<lang>/`` (``es/``, ``es/topics/``...), with the same
templates, listing that language's published articles.
"""

from __future__ import annotations

from itertools import groupby
from operator import attrgetter
from typing import Any

from pelican.contents import Article
from pelican.generators import Generator, PelicanTemplateNotFound
from site_config import site_config

# template -> (the listing's URL setting, the file it is saved as under <lang>/)
LISTINGS = {
    "index": ("", "index.html"),
    "categories": ("CATEGORIES_URL", "CATEGORIES_SAVE_AS"),
    "archives": ("ARCHIVES_URL", "ARCHIVES_SAVE_AS"),
    "search": ("SEARCH_URL", "SEARCH_SAVE_AS"),
}


def articles_in(context: dict[str, Any], language: str) -> list[Any]:
    """The published articles in ``language``, newest first.

    Ties keep the order of their files, as Pelican's own listings do: generated_content is in
    the order the files were read, which differs from build to build (and so did these pages).
    """
    found = sorted(
        (
            content
            for content in context.get("generated_content", {}).values()
            if isinstance(content, Article) and content.status == "published"
            and content.lang == language
        ),
        key=attrgetter("source_path"),
    )  # fmt: skip
    return sorted(found, key=attrgetter("date"), reverse=True)


def by_category(articles: list[Any]) -> list[tuple[Any, list[Any]]]:
    """(category, its articles) pairs, categories in name order."""
    ordered = sorted(articles, key=lambda article: str(article.category))
    return [
        (category, list(items)) for category, items in groupby(ordered, key=attrgetter("category"))
    ]


class LanguagePagesGenerator(Generator):
    """Writes each non-default language's listing pages."""

    def generate_output(self, writer: Any) -> None:
        """Every listing, every topic and the 404 page, for each other language."""
        for language in site_config(self.settings).languages:
            if not language.is_default:
                self._write_language(writer, language.code)

    def _write_language(self, writer: Any, language: str) -> None:
        articles = articles_in(self.context, language)
        categories = by_category(articles)
        shared = {
            "lang": language,
            "articles": articles,
            "dates": articles,
            "categories": categories,
        }
        prefix = f"{language}/"
        for template, (url_setting, save_as_setting) in LISTINGS.items():
            url = self.settings.get(url_setting, "") if url_setting else ""
            save_as = self.settings.get(save_as_setting, save_as_setting)
            self._write(writer, template, prefix + save_as, {**shared, "listing_url": url})
        for category, items in categories:
            context = {**shared, "category": category, "articles": items, "listing_url": None}
            self._write(writer, "category", prefix + category.save_as, context)
        self._write(writer, "404", prefix + "404.html", {**shared, "listing_url": None})

    def _write(self, writer: Any, template: str, save_as: str, extra: dict[str, Any]) -> None:
        """Write one page with the theme's template (a theme without it gets none)."""
        try:
            found = self.get_template(template)
        except PelicanTemplateNotFound:
            return
        paginated = None
        if template in self.settings.get("PAGINATED_TEMPLATES", {}):
            paginated = {"articles": extra["articles"], "dates": extra["dates"]}
        writer.write_file(
            save_as,
            found,
            {**self.context, **extra},
            relative_urls=self.settings.get("RELATIVE_URLS", False),
            paginated=paginated,
            template_name=template,
        )
