"""Makes the build faster without changing a byte of it: URLs worked out once, pages forgotten
once written, the newest date found without Jinja's per-item lookups.

- ``fix_urls`` (``all_generators_finalized``): Pelican works ``content.url`` out again on every
  use (a copy of the metadata, two path normalisations and a format), and the theme uses it
  about 30 times per article: listings, related guides, breadcrumbs, feeds, sitemap, JSON-LD.
  Pelican's ``get_url_setting`` returns ``override_url`` when there is one (the ``URL:``
  metadata sets it), so storing the computed URL there makes every later ``.url`` a lookup.
  Nothing a URL is made of (slug, date, category, language, status) changes once every
  generator has read its content. A writer's own ``URL:`` is kept as it is; ``save_as`` is
  left alone (Pelican treats an ``override_save_as`` as permission to overwrite files).
- ``forget_written_content`` (``content_written``): Pelican keeps the rendered HTML of every
  article for the rest of the build, a second copy of the site (17 MB at 1,000 articles);
  once a page is written nothing needs it (``pelican_compat.forget_written``).
- ``newest_date`` (a template filter, ``generator_init``): the footer shows the year of the
  newest guide on every page; ``articles|map(attribute="date")|max`` looks each article up
  through Jinja (an item lookup that fails, then the attribute), a million lookups at 1,000
  articles. The filter gives the same date with plain attribute access, and remembers it
  for the list it was given: every article's page passes the very same ``articles`` list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pelican import signals
from pelican_compat import all_content, forget_written, freeze_url


def fix_urls(generators: Iterable[Any]) -> None:
    """``all_generators_finalized``: keep each content's URL as Pelican computes it now."""
    for content in all_content(generators):
        freeze_url(content)


def forget_written_content(path: str, context: Mapping[str, Any] | None = None, **_: Any) -> None:
    """``content_written``: drop Pelican's rendered copy of the article or page just written."""
    forget_written(context)


# id(list) -> (the list, a copy of its items, their newest date). Holding the list keeps its id
# from being reused by another list; the copy, compared item by item (identity, in C), notices
# a list changed in place. A content's date is fixed once it is read, before any page is written.
_NEWEST: dict[int, tuple[list[Any], list[Any], Any]] = {}
NEWEST_KEPT = 64  # listings, categories, tags: each page of a build passes one of a few lists


def newest_date(items: Iterable[Any] | None) -> Any:
    """``items|newest_date``: the latest ``date`` of ``items``, None when there are none."""
    if not isinstance(items, list):
        return max((item.date for item in items or ()), default=None)
    kept = _NEWEST.get(id(items))
    if kept is not None and kept[0] is items and kept[1] == items:
        return kept[2]
    newest = max((item.date for item in items), default=None)
    if len(_NEWEST) >= NEWEST_KEPT:
        _NEWEST.clear()
    _NEWEST[id(items)] = (items, list(items), newest)
    return newest


def forget_newest_dates(*_: Any) -> None:
    """``finalized``: let go of the build's lists (``invoke serve`` builds again and again)."""
    _NEWEST.clear()


def add_template_filter(generator: Any) -> None:
    """``generator_init``: ``newest_date`` for the templates."""
    env = getattr(generator, "env", None)
    if env is not None:
        env.filters["newest_date"] = newest_date


def register() -> None:
    """Connect the three to Pelican's signals."""
    signals.all_generators_finalized.connect(fix_urls)
    signals.content_written.connect(forget_written_content)
    signals.generator_init.connect(add_template_filter)
    signals.finalized.connect(forget_newest_dates)
