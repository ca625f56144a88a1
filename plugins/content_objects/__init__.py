"""Shared by the plugins that edit articles and pages after Pelican has read them.

Pelican loads plugins from ``PLUGIN_PATHS`` by name without putting that folder on the import
path, so this module is listed in ``PLUGINS`` before ``consult_cta`` and ``content_markup``,
which import it, and before ``typography`` and ``seo``, which keep results in its
``ResultCache``.

Its first signal handler fixes each article's and page's URL once reading is over. Pelican
works ``content.url`` out again on every use (a copy of the metadata, two path normalisations
and a format), and the theme uses it about 30 times per article: listings, related guides,
breadcrumbs, feeds, sitemap, JSON-LD. That was half a second of a 1,000-article build.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from pelican import signals
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


class ResultCache:
    """Results kept on disk under a hash of everything they depend on (one file each).

    An entry is named by ``key(...)`` of its inputs, so it cannot go stale: changed input is a
    new key. Production builds, which start from nothing, keep these folders under
    ``CACHE_PATH``; any of them can be deleted at any time.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(*parts: str) -> str:
        """The name of the entry for these inputs."""
        return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get(self, key: str) -> str | None:
        """The stored text, or None (counted as a miss) when there is none yet."""
        try:
            text = self._path(key).read_text(encoding="utf-8")
        except FileNotFoundError:
            self.misses += 1
            return None
        self.hits += 1
        return text

    def put(self, key: str, text: str) -> None:
        """Store ``text`` (write, then rename: a stopped build never leaves half an entry)."""
        entry = self._path(key)
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, entry)


def fix_urls(generators: Iterable[Any]) -> None:
    """``all_generators_finalized``: keep each content's URL as Pelican computes it now.

    Pelican's ``get_url_setting`` returns ``override_url`` when there is one (the ``URL:``
    metadata sets it), so storing the computed URL there makes every later ``.url`` a lookup.
    Nothing a URL is made of (slug, date, category, language, status) changes once every
    generator has read its content. A writer's own ``URL:`` is kept as it is. ``save_as`` is
    left alone: Pelican treats an ``override_save_as`` as permission to overwrite files.
    """
    for content in all_content(generators):
        if not hasattr(content, "override_url"):
            content.override_url = content.url


def forget_written_content(path: str, context: Mapping[str, Any] | None = None, **_: Any) -> None:
    """``content_written``: drop Pelican's memoized HTML of the article or page just written.

    Pelican keeps every ``content`` it renders (links resolved) for the rest of the build, a
    second copy of the site's HTML: 17 MB at 1,000 articles. Only the page's own template and
    its JSON-LD use it, both already done; anything that asks later gets it worked out again.
    """
    cache = memoized_cache(Content, "get_content")
    if not cache or not context:
        return
    for name in ("article", "page"):
        content = context.get(name)
        if isinstance(content, Content):
            cache.pop((content, content.get_siteurl()), None)


def register() -> None:
    """Connect the URL fix and the memory saver (the other plugins import the helpers)."""
    signals.all_generators_finalized.connect(fix_urls)
    signals.content_written.connect(forget_written_content)
