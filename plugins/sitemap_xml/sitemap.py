"""sitemap.xml and robots.txt, written by a Pelican generator of ours.

The sitemap lists each language's home page and every published article and page in every
language (never listings, search, drafts or the 404 page), each with its real ``lastmod``: the
later of the day it last changed (``Modified``, else ``Date``) and its last clinical review,
since a review changes what the page says. A page that exists in several languages lists its
versions as ``hreflang`` alternates (and the default language's as ``x-default``).
robots.txt is made here too (``ROBOTS_TXT`` lines, then the sitemap's
absolute address, which needs ``SITEURL``).

Why not pelican-sitemap: its hreflang alternates are written with ``ref=`` instead of
``href=`` (1.2.2) and its ``lastmod`` knows only ``Modified``; correcting its file after it was
written meant running its generator early and editing its XML by regular expression.

The generator writes when Pelican's writing phase reaches it (after the pages, before the
static files and the ``finalized`` steps), so the files are precompressed with the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from pelican import signals
from pelican.contents import Article, Page
from site_config import site_config

ROBOTS_DEFAULT = ["User-agent: *", "Allow: /"]
SITEMAP_HEADER = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


def absolute_url(siteurl: str, url: str) -> str:
    """Join the site's address and a site-relative URL."""
    return f"{siteurl.rstrip('/')}/{url.lstrip('/')}"


def lastmod(content: Any) -> str | None:
    """The later of the content's last change (or publication) and its last clinical review."""
    changed = getattr(content, "modified", None) or getattr(content, "date", None)
    review = getattr(content, "review_dates", None)
    candidates: list[tuple[str, str]] = []
    if changed is not None:
        candidates.append((changed.date().isoformat(), changed.isoformat()))
    if review is not None and review.is_reviewed:
        reviewed = review.last_reviewed.isoformat()
        candidates.append((reviewed, reviewed))
    return max(candidates)[1] if candidates else None


def _entry(siteurl: str, url: str, modified: str | None, versions: dict[str, str]) -> str:
    lines = [f"<url>\n<loc>{escape(absolute_url(siteurl, url))}</loc>"]
    if modified:
        lines.append(f"<lastmod>{modified}</lastmod>")
    for language, other in versions.items():
        href = escape(absolute_url(siteurl, other), {'"': "&quot;"})
        lines.append(f'<xhtml:link rel="alternate" hreflang="{language}" href="{href}"/>')
    return "\n".join(lines) + "\n</url>\n"


def _versions(content: Any, default: str) -> dict[str, str]:
    """Language -> URL of each version of a content (x-default: the default language's)."""
    versions = {item.lang: item.url for item in [content, *getattr(content, "translations", [])]}
    if len(versions) < 2:
        return {}
    if default in versions:
        versions["x-default"] = versions[default]
    return versions


def render_sitemap(
    siteurl: str, contents: Iterable[Any], languages: Iterable[str], default: str = "en"
) -> str:
    """The sitemap of each language's home page and the published articles and pages."""
    contents = list(contents)
    homes = {language: "" if language == default else f"{language}/" for language in languages}
    home_versions = {**homes, "x-default": ""} if len(homes) > 1 else {}
    entries = []
    for language, url in homes.items():
        dates = [lastmod(c) for c in contents if c.lang == language and hasattr(c, "category")]
        newest = max((d for d in dates if d), key=lambda date: date[:10], default=None)
        entries.append(_entry(siteurl, url, newest, home_versions))
    for content in sorted(contents, key=lambda content: content.url):
        entries.append(_entry(siteurl, content.url, lastmod(content), _versions(content, default)))
    return SITEMAP_HEADER + "".join(entries) + "</urlset>\n"


def render_robots(siteurl: str, rules: list[str]) -> str:
    """robots.txt: the site's rules, then the sitemap's absolute address."""
    lines = list(rules)
    if siteurl.startswith(("https://", "http://")):
        lines += ["", f"Sitemap: {absolute_url(siteurl, 'sitemap.xml')}"]
    return "\n".join(lines) + "\n"


class SitemapGenerator:
    """Writes sitemap.xml and robots.txt once the site's pages are known and written."""

    def __init__(self, context: dict, settings: dict, path: str, theme: str, output_path: str,
                 **_: Any) -> None:  # fmt: skip
        self.context = context
        self.settings = settings
        self.output_path = Path(output_path)

    def generate_context(self) -> None:
        """Nothing to read: the articles and pages are in the shared context."""

    def generate_output(self, writer: Any) -> None:
        """Write both files into the output folder."""
        siteurl = self.settings.get("SITEURL", "")
        published = [
            content
            for content in self.context.get("generated_content", {}).values()
            if isinstance(content, Article | Page) and content.status == "published"
        ]
        site = site_config(self.settings)
        sitemap = render_sitemap(siteurl, published, site.codes, site.default_lang)
        (self.output_path / "sitemap.xml").write_text(sitemap, encoding="utf-8")
        rules = self.settings.get("ROBOTS_TXT", ROBOTS_DEFAULT)
        robots = render_robots(siteurl, rules)
        (self.output_path / "robots.txt").write_text(robots, encoding="utf-8")


def add_generator(pelican: Any) -> type:
    """``get_generators``: the sitemap is written by its own generator."""
    rules = pelican.settings.get("ROBOTS_TXT", ROBOTS_DEFAULT)
    if not isinstance(rules, list | tuple) or not all(isinstance(rule, str) for rule in rules):
        raise ValueError("sitemap: ROBOTS_TXT must be a list of robots.txt lines")
    return SitemapGenerator


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.get_generators.connect(add_generator)
