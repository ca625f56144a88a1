"""Wire the seo plugin into Pelican: template helpers, related articles, sitemap, search index.

- ``initialized``: checks the settings; opens the JSON-LD cache (``CACHE_PATH/jsonld/``, off
  with ``SEO_JSONLD_CACHE = False``): finding an article's citations and the drug facts its
  text states means parsing its HTML, a third of the time spent writing a page, so each
  result is kept under a hash of the HTML, the ``SEO_DRUG`` setting and ``jsonld.py`` itself.
- ``generator_init``: adds the Jinja globals ``seo_head()``, ``seo_jsonld()`` and
  ``seo_breadcrumbs()``; each reads the page being written from the template context, so the
  theme's partials (``partials/seo_meta.html``, ``partials/jsonld.html``) stay small.
- ``article_generator_finalized``: sets ``related_articles``, ``prev_in_category`` and
  ``next_in_category`` on every article (drafts included).
- ``content_written``: with ``SEARCH_INDEX`` on, hands each searchable page (one with
  ``data-pagefind-body``) to Pagefind as it is written (``search_index.py``).
- ``finalized``: gives the sitemap each page's real ``lastmod`` (modified or last reviewed),
  writes ``Sitemap:`` into robots.txt, and writes the Pagefind index.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals
from result_cache import ResultCache

from . import jsonld
from .jsonld import (
    absolute_url,
    build_breadcrumbs,
    build_clinic,
    build_medical_webpage,
    build_website,
    cited_and_about,
    graph,
    iso_date,
    metadata_value,
    plain_text,
)
from .related import RelatedIndex
from .search_index import SearchIndexError, StreamingIndex, page_url
from .settings import resolve_settings

logger = logging.getLogger(__name__)

# Meta descriptions of the pages that have no summary of their own.
DEFAULT_DESCRIPTIONS = {
    "index": "{tagline}: plain-language guides from {clinic}.",
    "categories": "The topics our patient guides cover.",
    "tags": "Every tag of our patient guides.",
    "archives": "Every patient guide on this site, newest first.",
    "search": "Search the patient guides of {clinic}.",
    "404": "This page could not be found.",
    "category": "Patient guides about {name} from {clinic}.",
    "tag": "Patient guides tagged “{name}” from {clinic}.",
}
LISTING_TITLES = {
    "categories": "Topics",
    "tags": "Tags",
    "archives": "All articles",
    "search": "Search",
}
LISTING_URL_SETTINGS = {
    "categories": "CATEGORIES_URL",
    "tags": "TAGS_URL",
    "archives": "ARCHIVES_URL",
    "search": "SEARCH_URL",
}

# Dates the sitemap should show, per output folder, filled when the generators finish.
_LASTMOD: dict[str, dict[str, str]] = {}
# The search index of the build under way: its output folder and, once a page is written, the
# Pagefind service indexing it.
_SEARCH: dict[str, Any] = {}


@dataclass
class PageInfo:
    """What the head metadata and JSON-LD need to know about the page being written."""

    kind: str  # article, page, index, category, tag, categories, tags, archives, search, 404
    title: str
    description: str
    url: str | None  # site-relative; None for the 404 page
    content: Any = None
    category: Any = None
    trail: list[tuple[str, str]] = field(default_factory=list)
    noindex: bool = False


def describe_page(context: dict[str, Any]) -> PageInfo:
    """Work out which page a template is rendering from Pelican's template context."""
    sitename = context.get("SITENAME", "")
    clinic = context.get("CLINIC", {}).get("name", sitename)
    home = ("Home", "")
    topics = (LISTING_TITLES["categories"], str(context.get("CATEGORIES_URL", "")))
    article, page = context.get("article"), context.get("page")
    content = article or (page if hasattr(page, "url") and hasattr(page, "content") else None)
    if content is not None:
        kind = "article" if article is not None else "page"
        title = plain_text(content.title)
        trail = [home, (title, content.url)]
        category = getattr(content, "category", None) if kind == "article" else None
        if category is not None:
            trail[1:1] = [topics, (str(category.name), category.url)]
        return PageInfo(
            kind=kind,
            title=title,
            description=plain_text(getattr(content, "summary", "")),
            url=content.url,
            content=content,
            category=category,
            trail=trail,
            noindex=getattr(content, "status", "published") == "draft",
        )
    values = {"tagline": context.get("SITE_TAGLINE", sitename), "clinic": clinic}
    for kind, listing in (("category", "categories"), ("tag", "tags")):
        taxonomy = context.get(kind)
        if taxonomy is not None and hasattr(taxonomy, "url"):
            parent = (LISTING_TITLES[listing], str(context.get(LISTING_URL_SETTINGS[listing], "")))
            name = str(taxonomy.name)
            return PageInfo(
                kind=kind,
                title=f"{parent[0]}: {name}" if kind == "tag" else name,
                description=DEFAULT_DESCRIPTIONS[kind].format(name=name, **values),
                url=taxonomy.url,
                category=taxonomy if kind == "category" else None,
                trail=[home, parent, (name, taxonomy.url)],
            )
    output_file = str(context.get("output_file", ""))
    # Direct templates ("index", "archives", ...): known by the file they are saved as.
    page_name = next(
        (
            name
            for name in context.get("DIRECT_TEMPLATES", [])
            if output_file == context.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
        ),
        "",
    )
    if page_name == "index" or output_file == "index.html":
        return PageInfo(
            kind="index",
            title=sitename,
            description=DEFAULT_DESCRIPTIONS["index"].format(**values),
            url="",
        )
    if page_name in LISTING_TITLES:
        title = LISTING_TITLES[page_name]
        url = str(context.get(LISTING_URL_SETTINGS[page_name], f"{page_name}/"))
        return PageInfo(
            kind=page_name,
            title=title,
            description=DEFAULT_DESCRIPTIONS[page_name].format(**values),
            url=url,
            # As the theme's visible breadcrumbs: the archive and tag list sit under Topics.
            trail=[home, (title, url)]
            if page_name in ("categories", "search")
            else [home, topics, (title, url)],
        )
    if output_file.endswith("404.html"):
        return PageInfo(
            kind="404",
            title="Page not found",
            description=DEFAULT_DESCRIPTIONS["404"],
            url=None,
            noindex=True,
        )
    url = re.sub(r"(^|/)index\.html$", r"\1", output_file)
    title = plain_text(str(context.get("title", ""))) or sitename
    return PageInfo(
        kind="other", title=title, description=sitename, url=url, trail=[home, (title, url)]
    )


def head_metadata(info: PageInfo, settings: dict[str, Any]) -> dict[str, Any]:
    """Description, canonical URL, robots, feed links, Open Graph and Twitter card values."""
    plugin = resolve_settings(settings)
    siteurl = settings.get("SITEURL", "")
    sitename = settings.get("SITENAME", "")
    canonical = absolute_url(siteurl, info.url) if info.url is not None else None
    image = absolute_url(siteurl, plugin["SEO_SHARE_IMAGE"])
    width, height = plugin["SEO_SHARE_IMAGE_SIZE"]
    feed_domain = settings.get("FEED_DOMAIN") or siteurl
    feeds = []
    if settings.get("FEED_ALL_ATOM"):
        feeds.append(
            {
                "href": absolute_url(feed_domain, settings["FEED_ALL_ATOM"]),
                "title": f"{sitename}: all articles",
            }
        )
    if settings.get("CATEGORY_FEED_ATOM") and info.category is not None:
        feeds.append(
            {
                "href": absolute_url(
                    feed_domain, settings["CATEGORY_FEED_ATOM"].format(slug=info.category.slug)
                ),
                "title": f"{sitename}: {info.category.name}",
            }
        )
    og_type = "article" if info.kind == "article" else "website"
    open_graph = [
        ("og:type", og_type),
        ("og:site_name", sitename),
        ("og:locale", plugin["SEO_OG_LOCALE"]),
        ("og:title", info.title),
        ("og:description", info.description),
    ]
    if canonical:
        open_graph.append(("og:url", canonical))
    open_graph += [
        ("og:image", image),
        ("og:image:type", "image/png"),
        ("og:image:width", str(width)),
        ("og:image:height", str(height)),
        ("og:image:alt", sitename),
    ]
    if info.kind == "article":
        published = iso_date(getattr(info.content, "date", None))
        modified = iso_date(getattr(info.content, "modified", None)) or published
        open_graph += [("article:published_time", published), ("article:modified_time", modified)]
    twitter = [
        ("twitter:card", "summary_large_image"),
        ("twitter:title", info.title),
        ("twitter:description", info.description),
        ("twitter:image", image),
        ("twitter:image:alt", sitename),
    ]
    return {
        "description": info.description,
        "canonical": canonical,
        "robots": "noindex" if info.noindex else None,
        "feeds": feeds,
        "open_graph": [(name, value) for name, value in open_graph if value],
        "twitter": twitter,
    }


_JSONLD_CACHE: dict[str, ResultCache] = {}  # this build's, when on


@functools.cache
def _extraction_code() -> str:
    """jsonld.py's hash and lxml's version: changing how citations or drug facts are found
    is a new key."""
    from lxml import etree

    source = hashlib.sha256(Path(jsonld.__file__).read_bytes()).hexdigest()
    return f"{source} lxml {etree.LXML_VERSION}"


def cached_cited_and_about(
    html: str, drug: dict[str, Any] | None
) -> tuple[list[dict[str, str]], dict[str, Any] | None]:
    """``cited_and_about`` through the JSON-LD cache (when this build has one)."""
    cache = _JSONLD_CACHE.get("current")
    if cache is None:
        return cited_and_about(html, drug)
    key = cache.key(_extraction_code(), json.dumps(drug, sort_keys=True, default=repr), html)
    stored = cache.get(key)
    if stored is not None:
        citations, about = json.loads(stored)
        return citations, about
    result = cited_and_about(html, drug)
    cache.put(key, json.dumps(result, ensure_ascii=False))
    return result


def page_jsonld(info: PageInfo, settings: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON-LD document of one page (None for pages that carry none, such as 404)."""
    plugin = resolve_settings(settings)
    merged = {**settings, **plugin}
    siteurl = settings.get("SITEURL", "")
    breadcrumbs = build_breadcrumbs(info.trail, siteurl) if info.trail else None
    if info.kind == "index":
        return graph(build_website(merged), build_clinic(merged))
    if info.kind == "article":
        return graph(
            build_medical_webpage(info.content, merged, cached_cited_and_about), breadcrumbs
        )
    if info.kind == "page" and getattr(info.content, "slug", None) in plugin["SEO_CLINIC_PAGES"]:
        return graph(build_clinic(merged), breadcrumbs)
    return graph(breadcrumbs)


def dump_jsonld(document: dict[str, Any] | None) -> Markup:
    """Serialise JSON-LD for a ``<script>`` block: ``<``, ``>`` and ``&`` escaped as ``\\u00XX``."""
    import json

    if not document:
        return Markup("")
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


@pass_context
def seo_head(context: Any) -> dict[str, Any]:
    """Jinja global: the head metadata of the page being rendered."""
    variables = dict(context.get_all())
    return head_metadata(describe_page(variables), variables)


@pass_context
def seo_jsonld(context: Any) -> Markup:
    """Jinja global: the page's JSON-LD, serialised and safe inside ``<script>``."""
    variables = dict(context.get_all())
    return dump_jsonld(page_jsonld(describe_page(variables), variables))


@pass_context
def seo_breadcrumbs(context: Any) -> list[dict[str, str]]:
    """Jinja global: the page's breadcrumb trail (``name``, absolute ``url``), home first.

    The same trail as the ``BreadcrumbList``, so a theme's visible breadcrumbs match it.
    """
    variables = dict(context.get_all())
    siteurl = variables.get("SITEURL", "")
    return [
        {"name": name, "url": absolute_url(siteurl, url)}
        for name, url in describe_page(variables).trail
    ]


# --- Signal handlers ---------------------------------------------------------------------------


def check_settings(pelican: Any) -> None:
    """Fail early on a bad setting; get ready to index pages (``initialized``)."""
    stop_search_index()
    plugin = resolve_settings(pelican.settings)
    if plugin["SEARCH_INDEX"]:
        _SEARCH["output"] = Path(pelican.settings["OUTPUT_PATH"]).resolve()
    _JSONLD_CACHE.pop("current", None)
    if plugin["SEO_JSONLD_CACHE"] and pelican.settings.get("CACHE_PATH"):
        _JSONLD_CACHE["current"] = ResultCache(Path(pelican.settings["CACHE_PATH"]) / "jsonld")


def add_template_helpers(generator: Any) -> None:
    """Make the helpers available to every template (``generator_init``)."""
    env = getattr(generator, "env", None)
    if env is not None:
        env.globals.update(
            seo_head=seo_head, seo_jsonld=seo_jsonld, seo_breadcrumbs=seo_breadcrumbs
        )


def link_related_articles(generator: Any) -> None:
    """Set related and previous/next articles on each article (``article_generator_finalized``)."""
    limit = resolve_settings(generator.settings)["SEO_RELATED_MAX"]
    index = RelatedIndex(list(generator.articles))  # once per build: linear, not quadratic
    for article in [*generator.articles, *getattr(generator, "drafts", [])]:
        article.related_articles = index.related(article, limit)
        article.prev_in_category, article.next_in_category = index.neighbours(article)


def _lastmod(content: Any) -> str | None:
    """The later of the content's modified (or publication) date and its last review."""
    changed = getattr(content, "modified", None) or getattr(content, "date", None)
    reviewed = (
        iso_date(metadata_value(content, "last_reviewed"))
        if metadata_value(content, "reviewed_by")
        else None
    )
    candidates: list[tuple[str, str]] = []
    if changed is not None:
        candidates.append((changed.date().isoformat(), changed.isoformat()))
    if reviewed:
        candidates.append((reviewed, reviewed))
    return max(candidates)[1] if candidates else None


def collect_sitemap_dates(generators: list[Any]) -> None:
    """Remember each published article's and page's lastmod (``all_generators_finalized``)."""
    if not generators:
        return
    settings = generators[0].settings
    siteurl = settings.get("SITEURL", "")
    dates: dict[str, str] = {}
    articles: list[Any] = []
    for generator in generators:
        articles += list(getattr(generator, "articles", []))
        for content in [*getattr(generator, "articles", []), *getattr(generator, "pages", [])]:
            lastmod = _lastmod(content)
            if lastmod:
                dates[absolute_url(siteurl, content.url)] = lastmod
    if articles:
        newest = max((_lastmod(article) or "" for article in articles), key=lambda d: d[:10])
        if newest:
            dates[absolute_url(siteurl, "")] = newest
    _LASTMOD[str(settings.get("OUTPUT_PATH"))] = dates


def refresh_precompressed(path: Path) -> None:
    """Rewrite ``.gz``/``.br`` siblings of ``path`` that an earlier step made from old content."""
    data = path.read_bytes()
    gz = path.with_name(path.name + ".gz")
    if gz.exists():
        gz.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    br = path.with_name(path.name + ".br")
    if br.exists():
        try:
            import brotli
        except ImportError:
            br.unlink()
        else:
            br.write_bytes(brotli.compress(data))


def fix_sitemap_dates(sitemap: Path, dates: dict[str, str]) -> None:
    """Set each ``<url>``'s lastmod from ``dates``; drop it where no date is known."""
    text = sitemap.read_text(encoding="utf-8")

    def replace(match: re.Match[str]) -> str:
        lastmod = dates.get(match.group(1))
        return f"<loc>{match.group(1)}</loc>\n" + (
            f"<lastmod>{lastmod}</lastmod>\n" if lastmod else ""
        )

    text = re.sub(r"<loc>([^<]*)</loc>\n<lastmod>[^<]*</lastmod>\n", replace, text)
    sitemap.write_text(text, encoding="utf-8")
    refresh_precompressed(sitemap)


def write_robots_txt(output: Path, siteurl: str, sitemap_on: bool) -> None:
    """Make robots.txt name the sitemap's absolute address (it needs SITEURL, so at build time)."""
    robots = output / "robots.txt"
    lines = (
        robots.read_text(encoding="utf-8").splitlines()
        if robots.exists()
        else ["User-agent: *", "Allow: /"]
    )
    lines = [line for line in lines if not line.lower().startswith("sitemap:")]
    while lines and not lines[-1].strip():
        lines.pop()
    if sitemap_on and siteurl.startswith(("https://", "http://")):
        lines += ["", f"Sitemap: {absolute_url(siteurl, 'sitemap.xml')}"]
    robots.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refresh_precompressed(robots)


# Pagefind's default, modular and component UIs and its highlighter (search.js uses none).
UNUSED_PAGEFIND_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


def index_written_page(path: str, **_: Any) -> None:
    """``content_written``: hand a searchable page to Pagefind the moment it is written."""
    output = _SEARCH.get("output")
    if output is None or not path.endswith(".html"):
        return
    html = Path(path).read_text(encoding="utf-8")
    if "data-pagefind-body" not in html:  # Pagefind's command skips these pages too
        return
    if "index" not in _SEARCH:
        _SEARCH["index"] = StreamingIndex()
    _SEARCH["index"].add_page(page_url(output, Path(path).resolve()), html)


def stop_search_index() -> None:
    """Forget the search index of an earlier build in this process (stopping its service)."""
    index = _SEARCH.pop("index", None)
    if index is not None:
        index.close()
    _SEARCH.clear()


def write_search_index(output: Path) -> None:
    """Write the Pagefind bundle of the pages indexed during the build; raise when it fails."""
    started = time.perf_counter()
    index = _SEARCH.pop("index", None) or StreamingIndex()  # no searchable page: an empty index
    _SEARCH.clear()
    pages = index.write(output / "pagefind")
    if not (output / "pagefind" / "pagefind.js").exists():
        raise SearchIndexError("seo: Pagefind wrote no pagefind.js")
    # Pagefind also writes its ready-made search UIs (about 400 KB); our search.js uses only
    # the index API, so those files would be published for nothing.
    for name in UNUSED_PAGEFIND_FILES:
        for suffix in ("", ".gz", ".br"):  # precompression may have run first
            (output / "pagefind" / (name + suffix)).unlink(missing_ok=True)
    logger.info(
        "seo: search index written in %.1f s after the build (%d pages)",
        time.perf_counter() - started,
        pages,
    )


def finish_site(pelican: Any) -> None:
    """Sitemap dates, robots.txt and the search index, after everything is written."""
    settings = pelican.settings
    output = Path(pelican.output_path)
    sitemap_on = "SITEMAP" in settings
    if sitemap_on:
        try:
            # Write pelican-sitemap's file now (it then skips its own turn), so the dates can
            # be corrected whatever order the finalized handlers run in.
            from pelican.plugins.sitemap.sitemap import generator as sitemap_generator

            sitemap_generator.finalize(pelican)
        except ImportError:
            sitemap_on = False
    dates = _LASTMOD.pop(str(settings.get("OUTPUT_PATH")), {})
    sitemap = output / "sitemap.xml"
    if sitemap_on and sitemap.exists():
        fix_sitemap_dates(sitemap, dates)
    write_robots_txt(output, settings.get("SITEURL", ""), sitemap_on and sitemap.exists())
    if "output" in _SEARCH:
        write_search_index(output)
    cache = _JSONLD_CACHE.get("current")  # kept: `invoke serve` rebuilds without initializing
    if cache is not None and (cache.hits or cache.misses):
        logger.info(
            "seo: JSON-LD citations and drug facts: %d from the cache, %d worked out",
            cache.hits,
            cache.misses,
        )
        cache.hits = cache.misses = 0


def register() -> None:
    """Connect the plugin to Pelican."""
    signals.initialized.connect(check_settings)
    signals.generator_init.connect(add_template_helpers)
    signals.article_generator_finalized.connect(link_related_articles)
    signals.all_generators_finalized.connect(collect_sitemap_dates)
    signals.content_written.connect(index_written_page)
    signals.finalized.connect(finish_site)
