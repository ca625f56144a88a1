"""Related articles (shared tags) and the previous and next article in each category."""

from pelican import signals

from .related import RelatedIndex, category_neighbours, link_related_articles, related_by_tags


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.article_generator_finalized.connect(link_related_articles)


__all__ = ["RelatedIndex", "category_neighbours", "register", "related_by_tags"]
