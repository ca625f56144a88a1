"""Related articles (by shared tags) and previous/next within a category: pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _tag_names(article: Any) -> set[str]:
    return {str(tag).lower() for tag in getattr(article, "tags", None) or []}


def _reading_order_key(article: Any) -> tuple:
    """Oldest first; articles of the same day in title order (stable across builds)."""
    return (getattr(article, "date", None), str(getattr(article, "title", "")).lower())


def related_by_tags(article: Any, candidates: Sequence[Any], limit: int = 3) -> list[Any]:
    """Up to ``limit`` other articles that share tags with ``article``, most shared first.

    Ties go to the newer article, then to title order. Articles with no shared tag are left out.
    """
    own = _tag_names(article)
    scored = []
    for other in candidates:
        if other is article or getattr(other, "url", None) == getattr(article, "url", object()):
            continue
        shared = len(own & _tag_names(other))
        if shared:
            scored.append((shared, other))
    scored.sort(key=lambda pair: str(getattr(pair[1], "title", "")).lower())
    scored.sort(key=lambda pair: (pair[0], getattr(pair[1], "date", None)), reverse=True)
    return [other for _, other in scored[:limit]]


def category_neighbours(article: Any, candidates: Sequence[Any]) -> tuple[Any, Any]:
    """``(previous, next)`` article in ``article``'s category, in reading order (oldest first).

    Either is None at the ends, or when ``article`` is not among ``candidates`` (a draft).
    """
    category = getattr(article, "category", None)
    same = sorted(
        (other for other in candidates if getattr(other, "category", None) == category),
        key=_reading_order_key,
    )
    urls = [getattr(other, "url", None) for other in same]
    try:
        index = urls.index(getattr(article, "url", None))
    except ValueError:
        return None, None
    previous = same[index - 1] if index > 0 else None
    following = same[index + 1] if index + 1 < len(same) else None
    return previous, following
