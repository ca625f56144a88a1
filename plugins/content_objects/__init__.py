"""Shared by the plugins that edit articles and pages after Pelican has read them.

Pelican loads plugins from ``PLUGIN_PATHS`` by name without putting that folder on the import
path, so this module is listed in ``PLUGINS`` before ``consult_cta`` and ``content_markup``,
which import it. It connects no signal.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Iterator
from typing import Any

from pelican.contents import Content

# Every list of content a generator keeps (Pelican 4.12's ArticlesGenerator, PagesGenerator).
CONTENT_LISTS = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "drafts",
    "drafts_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
    "draft_translations",
)


def all_content(generators: Iterable[Any]) -> Iterator[Content]:
    """Every article and page of every generator (drafts, hidden, translations), each once."""
    seen: set[int] = set()
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, None) or ():
                if isinstance(content, Content) and id(content) not in seen:
                    seen.add(id(content))
                    yield content


def memoized_cache(content_class: type, method: str) -> dict | None:
    """The cache of one of Pelican's ``@memoized`` methods (``get_content``), if any."""
    return getattr(inspect.getattr_static(content_class, method, None), "cache", None)


def forget_rendered_content(changed: Iterable[Content]) -> None:
    """Drop Pelican's memoized ``get_content`` results for content whose HTML changed.

    Anything that rendered the content before the change (another plugin, a summary) would
    otherwise keep serving the old HTML.
    """
    changed_ids = {id(content) for content in changed}
    if not changed_ids:
        return
    cache = memoized_cache(Content, "get_content")
    if not cache:
        return
    for key in [key for key in cache if key and id(key[0]) in changed_ids]:
        del cache[key]


def register() -> None:
    """Nothing to connect: loading this module is what the other plugins need."""
