"""Related articles (by shared tags) and previous/next within a category: pure functions.

``RelatedIndex`` is built once per build from the published articles and answers both
questions for any article in time that does not grow with the number of articles: candidates
are grouped by their tag set (the tag vocabulary is small, so there are few groups), each
group sorted once; each category is sorted once, with every article's position in it.
``related_by_tags`` and ``category_neighbours`` are the one-off forms of the same answers.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any


def _tag_names(article: Any) -> frozenset[str]:
    return frozenset(str(tag).lower() for tag in getattr(article, "tags", None) or [])


def _reading_order_key(article: Any) -> tuple:
    """Oldest first; articles of the same day in title order (stable across builds)."""
    return (getattr(article, "date", None), str(getattr(article, "title", "")).lower())


def _title_key(article: Any) -> str:
    return str(getattr(article, "title", "")).lower()


def _rank(entries: list[tuple[int, Any]]) -> list[tuple[int, Any]]:
    """``(shared, article)`` pairs most shared first, then newer, then title, then input order."""
    entries = sorted(entries, key=lambda pair: _title_key(pair[1]))
    entries.sort(key=lambda pair: (pair[0], getattr(pair[1], "date", None)), reverse=True)
    return entries


class RelatedIndex:
    """Related articles and category neighbours among ``candidates``, indexed once.

    Each candidate's URL is read once here (Pelican recomputes ``url`` on every access, and
    the build keeps it only once every generator has read its content).
    """

    def __init__(self, candidates: Sequence[Any]) -> None:
        self._urls = {id(other): getattr(other, "url", None) for other in candidates}
        # Each candidate's place among all of them in related order (newer first, then title,
        # then input order): the tie-break of every ranking, worked out once.
        self._place = {
            id(other): place
            for place, (_, other) in enumerate(_rank([(0, other) for other in candidates]))
        }
        # Candidates by tag set, each group in related order (newer first, then title).
        groups: dict[frozenset[str], list[Any]] = {}
        for other in candidates:
            tags = _tag_names(other)
            if tags:
                groups.setdefault(tags, []).append(other)
        self._groups = {
            tags: [other for _, other in _rank([(0, other) for other in members])]
            for tags, members in groups.items()
        }
        # Each category in reading order, and each candidate's position by URL.
        by_category: dict[Any, list[Any]] = {}
        for other in candidates:
            by_category.setdefault(getattr(other, "category", None), []).append(other)
        self._categories = {
            category: sorted(members, key=_reading_order_key)
            for category, members in by_category.items()
        }
        self._positions: dict[Any, dict[Any, int]] = {}
        for category, members in self._categories.items():
            positions: dict[Any, int] = {}
            for index, other in enumerate(members):
                positions.setdefault(self._urls[id(other)], index)
            self._positions[category] = positions

    def _url(self, article: Any, default: Any) -> Any:
        """``article``'s URL: read once already when it is a candidate (a candidate is alive
        while the index is, so no other object has its id)."""
        url = self._urls.get(id(article))
        return url if url is not None else getattr(article, "url", default)

    def related(self, article: Any, limit: int = 3) -> list[Any]:
        """Up to ``limit`` other articles that share tags with ``article``, most shared first.

        Ties go to the newer article, then to title order. Articles with no shared tag are
        left out.
        """
        own = _tag_names(article)
        url = self._url(article, object())
        groups_by_shared: dict[int, list[list[Any]]] = {}
        for tags, members in self._groups.items():
            shared = len(own & tags)
            if shared:
                groups_by_shared.setdefault(shared, []).append(members)
        chosen: list[Any] = []
        # Most shared tags first; within a count, the groups' members (each group already in
        # related order) merged by their place among all candidates.
        for shared in sorted(groups_by_shared, reverse=True):
            place = self._place.__getitem__
            for other in heapq.merge(*groups_by_shared[shared], key=lambda other: place(id(other))):
                if len(chosen) >= limit:
                    return chosen
                if other is not article and self._urls[id(other)] != url:
                    chosen.append(other)
        return chosen

    def neighbours(self, article: Any) -> tuple[Any, Any]:
        """``(previous, next)`` article in ``article``'s category, in reading order.

        Either is None at the ends, or when ``article`` is not among the candidates (a draft).
        """
        category = getattr(article, "category", None)
        index = self._positions.get(category, {}).get(self._url(article, None))
        if index is None:
            return None, None
        same = self._categories[category]
        previous = same[index - 1] if index > 0 else None
        following = same[index + 1] if index + 1 < len(same) else None
        return previous, following


def related_by_tags(article: Any, candidates: Sequence[Any], limit: int = 3) -> list[Any]:
    """Up to ``limit`` other articles that share tags with ``article``, most shared first.

    Ties go to the newer article, then to title order. Articles with no shared tag are left out.
    One-off form of ``RelatedIndex(candidates).related(article, limit)``.
    """
    return RelatedIndex(candidates).related(article, limit)


def category_neighbours(article: Any, candidates: Sequence[Any]) -> tuple[Any, Any]:
    """``(previous, next)`` article in ``article``'s category, in reading order (oldest first).

    Either is None at the ends, or when ``article`` is not among ``candidates`` (a draft).
    One-off form of ``RelatedIndex(candidates).neighbours(article)``.
    """
    return RelatedIndex(candidates).neighbours(article)


RELATED_ARTICLES_MAX = 3  # default for the setting of the same name


def related_limit(settings: dict[str, Any]) -> int:
    """``RELATED_ARTICLES_MAX``: how many related articles each article lists (checked)."""
    value = settings.get("RELATED_ARTICLES_MAX", RELATED_ARTICLES_MAX)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("related: RELATED_ARTICLES_MAX must be a whole number, 0 or more")
    return value


def link_related_articles(generator: Any) -> None:
    """``article_generator_finalized``: related and previous/next articles on each article.

    Among the articles of the same language; the index is built once per language and build,
    so the work grows linearly with the articles.
    """
    limit = related_limit(generator.settings)
    published = [*generator.articles, *getattr(generator, "translations", [])]
    drafts = [*getattr(generator, "drafts", []), *getattr(generator, "drafts_translations", [])]
    for language in {article.lang for article in [*published, *drafts]}:
        index = RelatedIndex([article for article in published if article.lang == language])
        for article in [*published, *drafts]:
            if article.lang == language:
                article.related_articles = index.related(article, limit)
                article.prev_in_category, article.next_in_category = index.neighbours(article)
