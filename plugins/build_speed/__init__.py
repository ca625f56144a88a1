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
- ``share_compiled_templates`` (``generator_init``): each generator has its own Jinja
  environment, which parses and compiles every template it uses (``base.html`` and its
  partials four times a build: articles, pages, the other languages' pages, template pages).
  The generators share one in-memory store of compiled templates (Jinja's public
  ``bytecode_cache``), keyed by the template, its source's checksum and the environment's
  options, so a template is compiled once per build; ``invoke serve`` keeps its own store.
  The store is also kept on disk (``CACHE_PATH/templates``, sealed as every cache there), so
  the next build compiles only the templates that changed.
- ``striptags`` (a template filter, ``generator_init``): Jinja's, with its answers kept: a
  guide's title and summary lose their tags on its page and on every listing that shows it.
- ``same_on_every_page`` (a template function, ``generator_init``; forgotten before the pages
  are written and at ``finalized``): ``{{ same_on_every_page("partials/footer.html") }}`` is
  the partial as ``{% include %}`` renders it, rendered once a build for each language and
  list of guides the pages pass (the footer shows the newest guide's year) and then given to
  every such page. The footer was the theme's costliest partial (0.3 s at 1,000 articles:
  eight links, three crisis lines, the words of its language). Only for a partial that reads
  nothing else of the page; the tests compare every page's footer with one rendered for it.
- ``resolve_links_once`` (``initialized``; forgotten at ``finalized``): a ``{filename}`` link
  to a content's own path is resolved once per build, not each time a page that has it is
  rendered (``pelican_compat.remember_resolved_links``); and a content's HTML is scanned for
  ``{static}``/``{attach}`` links only when it has one of those words
  (``pelican_compat.skip_scans_without_static_links``).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import BytecodeCache, Environment, pass_context
from jinja2.bccache import Bucket
from languages import language_of
from markupsafe import Markup
from pelican import signals
from pelican_compat import (
    all_content,
    forget_resolved_links,
    forget_written,
    freeze_url,
    remember_resolved_links,
    skip_scans_without_static_links,
)
from result_cache import ResultCache


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


def striptags(value: Any) -> str:
    """``value|striptags``: Jinja's filter (its tags removed, entities unescaped, spaces
    joined), the same text for the same markup."""
    if hasattr(value, "__html__"):
        value = value.__html__()
    return _without_tags(str(value))


# (partial, language, id of the guides' list, id of the Jinja environment) -> (that list, the
# partial's HTML). Holding the list keeps its id from being reused while the entry is kept.
_SAME_ON_EVERY_PAGE: dict[tuple[str, str, int, int], tuple[Any, Markup]] = {}


@pass_context
def same_on_every_page(context: Any, name: str) -> Markup:
    """``same_on_every_page("partials/footer.html")``: the partial ``name`` as ``{% include %}``
    renders it, rendered once per language and list of guides (``articles``) of the build."""
    articles = context.get("articles")
    key = (name, language_of(context), id(articles), id(context.environment))
    if key not in _SAME_ON_EVERY_PAGE:
        template = context.environment.get_template(name)
        _SAME_ON_EVERY_PAGE[key] = (articles, Markup(template.render(context.get_all())))
    return _SAME_ON_EVERY_PAGE[key][1]


def forget_partials(*_: Any) -> None:
    """``all_generators_finalized``: no partial rendered before the build's pages are written
    (an earlier build's, in ``invoke serve``) is given to them."""
    _SAME_ON_EVERY_PAGE.clear()


@functools.lru_cache(maxsize=8192)
def _without_tags(text: str) -> str:
    return Markup(text).striptags()


class CompiledTemplates(BytecodeCache):
    """Compiled templates in memory, shared by Jinja environments: one build's (here), or every
    build of `invoke serve`'s process (commands/live_rebuild.py); with a ``folder``, also kept
    on disk for the next build (sealed: ``result_cache``)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.kept: dict[str, bytes] = {}
        self.store = ResultCache(folder) if folder is not None else None

    def get_bucket(
        self, environment: Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        """Jinja's hook: the entry of a template, also keyed by the options it compiles with
        (two environments may differ in them)."""
        return super().get_bucket(environment, f"{name}\0{_options(environment)}", filename, source)

    def load_bytecode(self, bucket: Bucket) -> None:
        """Jinja's hook: the compiled template, when kept (Jinja compares the checksum)."""
        if bucket.key in self.kept:
            bucket.bytecode_from_string(self.kept[bucket.key])
        elif self.store is not None:
            stored = self.store.get_bytes(_stored_name(bucket))
            if stored is not None:
                bucket.bytecode_from_string(stored)  # checked by Jinja as above
                self.kept[bucket.key] = stored

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Jinja's hook: keep a compiled template."""
        self.kept[bucket.key] = bucket.bytecode_to_string()
        if self.store is not None:
            self.store.put_bytes(_stored_name(bucket), self.kept[bucket.key])

    def clear(self) -> None:
        """Forget every compiled template."""
        self.kept.clear()


def _options(environment: Environment) -> str:
    """What Jinja's compiled code depends on besides the template's source."""
    names = (
        "block_start_string", "block_end_string", "variable_start_string",
        "variable_end_string", "comment_start_string", "comment_end_string",
        "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
        "newline_sequence", "keep_trailing_newline", "optimized", "autoescape", "finalize",
        "is_async",
    )  # fmt: skip
    return repr(
        [getattr(environment, name, None) for name in names] + sorted(environment.extensions)
    )


# Raised when what the stored code may hold changes. 2: entries stored before the ``asset``
# filter was answered when rendered hold one build's stylesheet address (``assets``).
STORE_FORMAT = "2"


def _stored_name(bucket: Bucket) -> str:
    """A compiled template's name on disk: its key (name and options), its source's checksum
    and what compiled it (a Jinja or Python of another version compiles otherwise)."""
    return ResultCache.key(
        bucket.key, bucket.checksum, jinja2.__version__, sys.version, STORE_FORMAT
    )


TEMPLATES_FOLDER = "templates"  # under CACHE_PATH
# The build's compiled templates, by the folder they are kept in on disk (None: in memory only).
_COMPILED: dict[Path | None, CompiledTemplates] = {}


def share_compiled_templates(generator: Any) -> None:
    """``generator_init``: the build's compiled templates for the generator's environment
    (one a process already gave it, such as ``invoke serve``'s, is kept). Each build compiled
    its templates again (0.15 s): they are kept under ``CACHE_PATH`` for the next."""
    env = getattr(generator, "env", None)
    if env is None or env.bytecode_cache is not None:
        return
    cache_path = (getattr(generator, "settings", None) or {}).get("CACHE_PATH")
    folder = Path(cache_path) / TEMPLATES_FOLDER if cache_path else None
    if folder not in _COMPILED:
        _COMPILED[folder] = CompiledTemplates(folder)
    env.bytecode_cache = _COMPILED[folder]


def forget_build(*_: Any) -> None:
    """``finalized``: let go of the build's lists, templates and resolved links (``invoke
    serve`` builds again and again)."""
    _NEWEST.clear()
    _COMPILED.clear()
    _SAME_ON_EVERY_PAGE.clear()
    forget_resolved_links()


def resolve_links_once(*_: Any) -> None:
    """``initialized``: each link to a content's own path resolved once per build; no scan for
    static links in HTML that cannot hold one."""
    remember_resolved_links()
    skip_scans_without_static_links()


def add_template_filter(generator: Any) -> None:
    """``generator_init``: ``newest_date``, ``striptags`` and ``same_on_every_page`` for the
    templates."""
    env = getattr(generator, "env", None)
    if env is not None:
        env.filters["newest_date"] = newest_date
        env.filters["striptags"] = striptags
        env.globals["same_on_every_page"] = same_on_every_page


def register() -> None:
    """Connect each to its Pelican signal."""
    signals.all_generators_finalized.connect(fix_urls)
    signals.all_generators_finalized.connect(forget_partials)
    signals.content_written.connect(forget_written_content)
    signals.generator_init.connect(add_template_filter)
    signals.generator_init.connect(share_compiled_templates)
    signals.initialized.connect(resolve_links_once)
    signals.finalized.connect(forget_build)
