"""Head metadata and structured data for every page, as template helpers.

- ``initialized``: checks the settings; opens the JSON-LD cache (``CACHE_PATH/jsonld/``, off
  with ``SEO_JSONLD_CACHE = False``): finding an article's citations and the drug facts its
  text states means parsing its HTML, a third of the time spent writing a page, so each
  result is kept under a hash of the HTML, the ``SEO_DRUG`` setting and ``jsonld.py`` itself.
- ``generator_init``: adds the Jinja globals ``seo_head()``, ``seo_jsonld()`` and
  ``seo_breadcrumbs()``; each reads the page being written from the template context, so the
  theme's partials (``partials/seo_meta.html``, ``partials/jsonld.html``) stay small.
- ``finalized``: reports how much of the JSON-LD came from the cache.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
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
    plain_text,
)
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


HOME = ("Home", "")


def describe_page(context: dict[str, Any]) -> PageInfo:
    """Work out which page a template is rendering from Pelican's template context."""
    return (
        _content_info(context)
        or _taxonomy_info(context)
        or _listing_info(context)
        or _other_info(context)
    )


def _topics(context: dict[str, Any]) -> tuple[str, str]:
    return LISTING_TITLES["categories"], str(context.get("CATEGORIES_URL", ""))


def _values(context: dict[str, Any]) -> dict[str, str]:
    sitename = context.get("SITENAME", "")
    clinic = context.get("CLINIC", {}).get("name", sitename)
    return {"tagline": context.get("SITE_TAGLINE", sitename), "clinic": clinic}


def _content_info(context: dict[str, Any]) -> PageInfo | None:
    """An article or a page."""
    article, page = context.get("article"), context.get("page")
    content = article or (page if hasattr(page, "url") and hasattr(page, "content") else None)
    if content is None:
        return None
    title = plain_text(content.title)
    trail = [HOME, (title, content.url)]
    category = getattr(content, "category", None) if article is not None else None
    if category is not None:
        trail[1:1] = [_topics(context), (str(category.name), category.url)]
    return PageInfo(
        kind="article" if article is not None else "page",
        title=title,
        description=plain_text(getattr(content, "summary", "")),
        url=content.url,
        content=content,
        category=category,
        trail=trail,
        noindex=getattr(content, "status", "published") == "draft",
    )


def _taxonomy_info(context: dict[str, Any]) -> PageInfo | None:
    """A category's or a tag's page."""
    for kind, listing in (("category", "categories"), ("tag", "tags")):
        taxonomy = context.get(kind)
        if taxonomy is None or not hasattr(taxonomy, "url"):
            continue
        parent = (LISTING_TITLES[listing], str(context.get(LISTING_URL_SETTINGS[listing], "")))
        name = str(taxonomy.name)
        return PageInfo(
            kind=kind,
            title=f"{parent[0]}: {name}" if kind == "tag" else name,
            description=DEFAULT_DESCRIPTIONS[kind].format(name=name, **_values(context)),
            url=taxonomy.url,
            category=taxonomy if kind == "category" else None,
            trail=[HOME, parent, (name, taxonomy.url)],
        )
    return None


def _direct_template(context: dict[str, Any]) -> str:
    """Which direct template ("index", "archives", ...) is written: known by its file."""
    output_file = str(context.get("output_file", ""))
    return next(
        (
            name
            for name in context.get("DIRECT_TEMPLATES", [])
            if output_file == context.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
        ),
        "index" if output_file == "index.html" else "",
    )


def _listing_info(context: dict[str, Any]) -> PageInfo | None:
    """The home page or one of the listings (topics, tags, archive, search)."""
    page_name = _direct_template(context)
    if page_name == "index":
        return PageInfo(
            kind="index",
            title=context.get("SITENAME", ""),
            description=DEFAULT_DESCRIPTIONS["index"].format(**_values(context)),
            url="",
        )
    if page_name not in LISTING_TITLES:
        return None
    title = LISTING_TITLES[page_name]
    url = str(context.get(LISTING_URL_SETTINGS[page_name], f"{page_name}/"))
    # As the theme's visible breadcrumbs: the archive and tag list sit under Topics.
    under_topics = page_name not in ("categories", "search")
    return PageInfo(
        kind=page_name,
        title=title,
        description=DEFAULT_DESCRIPTIONS[page_name].format(**_values(context)),
        url=url,
        trail=[HOME, _topics(context), (title, url)] if under_topics else [HOME, (title, url)],
    )


def _other_info(context: dict[str, Any]) -> PageInfo:
    """The 404 page, or any other template page."""
    output_file = str(context.get("output_file", ""))
    if output_file.endswith("404.html"):
        return PageInfo(
            kind="404",
            title="Page not found",
            description=DEFAULT_DESCRIPTIONS["404"],
            url=None,
            noindex=True,
        )
    sitename = context.get("SITENAME", "")
    url = (
        output_file.removesuffix("index.html")
        if output_file.endswith("index.html")
        else output_file
    )
    title = plain_text(str(context.get("title", ""))) or sitename
    return PageInfo(
        kind="other", title=title, description=sitename, url=url, trail=[HOME, (title, url)]
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
    """Fail early on a bad setting; open this build's JSON-LD cache (``initialized``)."""
    plugin = resolve_settings(pelican.settings)
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


def report_cache(pelican: Any) -> None:
    """``finalized``: how much of the JSON-LD came from the cache."""
    cache = _JSONLD_CACHE.get("current")  # kept: `invoke serve` rebuilds without initializing
    if cache is not None:
        hits, misses = cache.take_counts()
        if hits or misses:
            logger.info(
                "seo: JSON-LD citations and drug facts: %d from the cache, %d worked out",
                hits,
                misses,
            )


def register() -> None:
    """Connect the plugin to Pelican."""
    signals.initialized.connect(check_settings)
    signals.generator_init.connect(add_template_helpers)
    signals.finalized.connect(report_cache)
