"""Head metadata and structured data for every page, as template helpers.

- ``initialized``: checks the settings. An article's citations and the text its drug facts
  are matched against come from its record (plugins/reading, ``article_markup.record``), so
  no page's HTML is parsed here and nothing needs caching.
- ``generator_init``: adds the Jinja globals ``seo_head()``, ``seo_jsonld()`` and
  ``seo_breadcrumbs()``; each reads the page being written from the template context, so the
  theme's partials (``partials/seo_meta.html``, ``partials/jsonld.html``) stay small. Our
  base.html describes the page once (``seo_page()``) and hands that to both partials.
"""

from __future__ import annotations

import functools
import json
import logging
from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jinja2 import pass_context
from languages import language_of
from markupsafe import Markup
from pelican import signals
from site_config import LanguageConfig, SiteConfig, site_config
from translations import N_, catalogue_folder, translations

from .jsonld import (
    absolute_url,
    build_breadcrumbs,
    build_clinic,
    build_medical_webpage,
    build_website,
    graph,
    iso_date,
    plain_text,
)
from .settings import resolve_settings

logger = logging.getLogger(__name__)

# Meta descriptions of the pages that have no summary of their own.
DEFAULT_DESCRIPTIONS = {
    "index": N_("%(tagline)s: plain-language guides from %(clinic)s."),
    "categories": N_("The topics our patient guides cover."),
    "tags": N_("Every tag of our patient guides."),
    "archives": N_("Every patient guide on this site, newest first."),
    "search": N_("Search the patient guides of %(clinic)s."),
    "404": N_("This page could not be found."),
    "category": N_("Patient guides about %(name)s from %(clinic)s."),
    "tag": N_("Patient guides tagged “%(name)s” from %(clinic)s."),
}
LISTING_TITLES = {
    "categories": N_("Topics"),
    "tags": N_("Tags"),
    "archives": N_("All articles"),
    "search": N_("Search"),
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
    language: str = "en"
    content: Any = None
    category: Any = None
    trail: list[tuple[str, str]] = field(default_factory=list)
    noindex: bool = False


@dataclass
class PageContext:
    """The template context of the page being written, and its language's words (its
    catalogue and the site's configuration looked up once per page, not once per word)."""

    values: Any
    language: str

    @functools.cached_property
    def site(self) -> SiteConfig:
        """The site's checked configuration."""
        return site_config(self.values)

    @functools.cached_property
    def catalogue(self) -> Any:
        """The translations of the page's language (looked up once per build: a path and a
        ``stat`` for each of a build's pages were 4 % of its time)."""
        key = (catalogue_folder(self.values), self.language)
        kept = _BUILD.get("catalogues")
        if kept is None:  # outside a build's writing
            return translations(*key)
        if key not in kept:
            kept[key] = translations(*key)
        return kept[key]

    def words(self, message: str, **values: Any) -> str:
        """``message`` in the page's language (``translations.translate``'s answer)."""
        text = self.catalogue.gettext(message)
        return text % values if values else text

    def prefix(self) -> str:
        """The start of the page language's addresses ("" or "es/")."""
        return "" if self.language == self.site.default_lang else f"{self.language}/"

    def home(self) -> tuple[str, str]:
        """The breadcrumb of the home page in this language."""
        return self.words(N_("Home")), self.prefix()

    def topics(self) -> tuple[str, str]:
        """The breadcrumb of the topics page in this language."""
        url = self.prefix() + str(self.values.get("CATEGORIES_URL", ""))
        return self.words(LISTING_TITLES["categories"]), url

    def language_config(self) -> LanguageConfig | None:
        """The settings of the page's language (None for a language the site does not have)."""
        site = self.site
        return site.language(self.language) if self.language in site.codes else None

    def filled(self) -> dict[str, str]:
        """The site's tagline and the clinic's name, for the default descriptions."""
        sitename = self.values.get("SITENAME", "")
        language = self.language_config()
        tagline = language.tagline if language else ""
        return {
            "tagline": tagline or self.values.get("SITE_TAGLINE", sitename),
            "clinic": self.values.get("CLINIC", {}).get("name", sitename),
        }

    def category_name(self, category: Any) -> str:
        """A category's name in the page's language."""
        language = self.language_config()
        names = language.categories if language else {}
        return names.get(str(category), str(category))


def describe_page(context: Any) -> PageInfo:
    """Work out which page a template is rendering from Pelican's template context."""
    page = PageContext(context, language_of(context))
    info = _content_info(page) or _taxonomy_info(page) or _listing_info(page) or _other_info(page)
    info.language = page.language
    return info


def _content_info(page: PageContext) -> PageInfo | None:
    """An article or a page."""
    article, other = page.values.get("article"), page.values.get("page")
    content = article or (other if hasattr(other, "url") and hasattr(other, "content") else None)
    if content is None:
        return None
    title = plain_text(content.title)
    trail = [page.home(), (title, content.url)]
    category = getattr(content, "category", None) if article is not None else None
    if category is not None:
        category_url = page.prefix() + category.url
        trail[1:1] = [page.topics(), (page.category_name(category), category_url)]
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


def _taxonomy_info(page: PageContext) -> PageInfo | None:
    """A category's or a tag's page."""
    for kind, listing in (("category", "categories"), ("tag", "tags")):
        taxonomy = page.values.get(kind)
        if taxonomy is None or not hasattr(taxonomy, "url"):
            continue
        parent_url = page.prefix() + str(page.values.get(LISTING_URL_SETTINGS[listing], ""))
        parent = (page.words(LISTING_TITLES[listing]), parent_url)
        name = page.category_name(taxonomy) if kind == "category" else str(taxonomy.name)
        url = page.prefix() + taxonomy.url
        return PageInfo(
            kind=kind,
            title=f"{parent[0]}: {name}" if kind == "tag" else name,
            description=page.words(DEFAULT_DESCRIPTIONS[kind], name=name, **page.filled()),
            url=url,
            category=taxonomy if kind == "category" else None,
            trail=[page.home(), parent, (name, url)],
        )
    return None


def _listing_info(page: PageContext) -> PageInfo | None:
    """The home page or a listing (topics, tags, archive, search): the template's ``page_kind``."""
    kind = page.values.get("page_kind")
    if kind == "index":
        return PageInfo(
            kind="index",
            title=page.values.get("SITENAME", ""),
            description=page.words(DEFAULT_DESCRIPTIONS["index"], **page.filled()),
            url=page.prefix(),
        )
    if kind not in LISTING_TITLES:
        return None
    title = page.words(LISTING_TITLES[kind])
    url = page.prefix() + str(page.values.get(LISTING_URL_SETTINGS[kind], f"{kind}/"))
    # As the theme's visible breadcrumbs: the archive and tag list sit under Topics.
    trail = [page.home(), (title, url)]
    if kind not in ("categories", "search"):
        trail.insert(1, page.topics())
    return PageInfo(
        kind=kind,
        title=title,
        description=page.words(DEFAULT_DESCRIPTIONS[kind], **page.filled()),
        url=url,
        trail=trail,
    )


def _other_info(page: PageContext) -> PageInfo:
    """The 404 page, or any other template page."""
    if page.values.get("page_kind") == "404":
        return PageInfo(
            kind="404",
            title=page.words(N_("Page not found")),
            description=page.words(DEFAULT_DESCRIPTIONS["404"]),
            url=None,
            noindex=True,
        )
    output_file = str(page.values.get("output_file", ""))
    sitename = page.values.get("SITENAME", "")
    folder, _, name = output_file.rpartition("/")
    url = (folder + "/" if folder else "") if name == "index.html" else output_file
    title = plain_text(str(page.values.get("title", ""))) or sitename
    return PageInfo(
        kind="other", title=title, description=sitename, url=url, trail=[page.home(), (title, url)]
    )


def _locale(site: SiteConfig, language: str, default: str) -> str:
    """The Open Graph locale of ``language`` (``SEO_OG_LOCALE`` for one the site lacks)."""
    return site.language(language).locale if language in site.codes else default


def head_metadata(info: PageInfo, settings: Mapping[str, Any]) -> dict[str, Any]:
    """Description, canonical URL, robots, feed links, Open Graph and Twitter card values."""
    plugin = resolve_settings(settings)
    siteurl = settings.get("SITEURL", "")
    sitename = settings.get("SITENAME", "")
    canonical = absolute_url(siteurl, info.url) if info.url is not None else None
    image = absolute_url(siteurl, plugin["SEO_SHARE_IMAGE"])
    width, height = plugin["SEO_SHARE_IMAGE_SIZE"]
    site = site_config(settings)
    default = site.default_lang
    words = PageContext(settings, info.language).words
    feeds = []
    feed = settings.get("FEED_ALL_ATOM")
    if info.language != default:  # a language's feed exists once it has an article
        feed = (settings.get("TRANSLATION_FEED_ATOM") or "").format(lang=info.language)
        feed = feed if info.language in _BUILD.get("article_languages", ()) else ""
    if feed:
        feeds.append(
            {
                "href": absolute_url(settings.get("FEED_DOMAIN") or siteurl, feed),
                "title": words(N_("%(site)s: all articles"), site=sitename),
            }
        )
    if (
        settings.get("CATEGORY_FEED_ATOM")
        and info.category is not None
        and info.language == default
    ):
        feed_domain = settings.get("FEED_DOMAIN") or siteurl
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
        ("og:locale", _locale(site, info.language, plugin["SEO_OG_LOCALE"])),
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


# What this build's pages share: the languages that have articles; each language's catalogue
# while the build writes its pages (a catalogue edited meanwhile starts another build).
_BUILD: dict[str, Any] = {}


def note_article_languages(generator: Any) -> None:
    """``article_generator_finalized``: which languages have published articles (and feeds);
    the catalogues are looked up again, once, for this build's pages."""
    published = [*generator.articles, *getattr(generator, "translations", [])]
    _BUILD["article_languages"] = {article.lang for article in published}
    _BUILD["catalogues"] = {}


def forget_catalogues(*_: Any) -> None:
    """``finalized``: the build is over; a page described later looks its catalogue up again."""
    _BUILD.pop("catalogues", None)


def page_jsonld(info: PageInfo, settings: Mapping[str, Any]) -> dict[str, Any] | None:
    """The JSON-LD document of one page (None for pages that carry none, such as 404)."""
    plugin = resolve_settings(settings)
    merged = ChainMap(plugin, settings)  # the plugin's checked values first, no copy
    siteurl = settings.get("SITEURL", "")
    breadcrumbs = build_breadcrumbs(info.trail, siteurl) if info.trail else None
    if info.kind == "index":
        website = build_website(merged.new_child({"DEFAULT_LANG": info.language}))
        return graph(website, build_clinic(merged))
    if info.kind == "article":
        return graph(build_medical_webpage(info.content, merged), breadcrumbs)
    if info.kind == "page" and getattr(info.content, "slug", None) in plugin["SEO_CLINIC_PAGES"]:
        return graph(build_clinic(merged), breadcrumbs)
    return graph(breadcrumbs)


def dump_jsonld(document: dict[str, Any] | None) -> Markup:
    """Serialise JSON-LD for a ``<script>`` block: ``<``, ``>`` and ``&`` escaped as ``\\u00XX``."""

    if not document:
        return Markup("")
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


@pass_context
def seo_page(context: Any) -> PageInfo:
    """Jinja global: the page being rendered, described once for both its head metadata and
    its JSON-LD (``seo_head(page)``, ``seo_jsonld(page)``; our theme's base.html)."""
    return describe_page(context)


@pass_context
def seo_head(context: Any, page: PageInfo | None = None) -> dict[str, Any]:
    """Jinja global: the head metadata of the page being rendered (``page``: ``seo_page()``'s
    description of it, else described now). The template's context is read where it is."""
    return head_metadata(page or describe_page(context), context)


@pass_context
def seo_jsonld(context: Any, page: PageInfo | None = None) -> Markup:
    """Jinja global: the page's JSON-LD, serialised and safe inside ``<script>`` (``page``: as
    for ``seo_head``)."""
    return dump_jsonld(page_jsonld(page or describe_page(context), context))


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
    """Fail early on a bad setting (``initialized``)."""
    resolve_settings(pelican.settings)


def add_template_helpers(generator: Any) -> None:
    """Make the helpers available to every template (``generator_init``)."""
    env = getattr(generator, "env", None)
    if env is not None:
        env.globals.update(
            seo_page=seo_page,
            seo_head=seo_head,
            seo_jsonld=seo_jsonld,
            seo_breadcrumbs=seo_breadcrumbs,
        )


def register() -> None:
    """Connect the plugin to Pelican."""
    signals.initialized.connect(check_settings)
    signals.generator_init.connect(add_template_helpers)
    signals.article_generator_finalized.connect(note_article_languages)
    signals.finalized.connect(forget_catalogues)
