"""The pages of a built site that get a handout: where each one's handout goes and what it
depends on.

Every article page gets one (its ``og:type`` is "article": plugins/seo marks them), and so does
any other page that links to its handout (``a.handout__link``: the theme links pages marked
``Kind: clinical`` unless ``Handout: off``, such as the tool pages). A handout is
``<slug>.pdf`` in the page's own folder (``articles/<slug>/<slug>.pdf``), the address the
theme's ``partials/handout_link.html`` links to.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from content_check.html_checks import page_paths
from html_structure import page_tree
from site_errors import SiteError

# A stylesheet's own dependencies (fonts, background images, imports): url(...) in CSS text.
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")
LOADED_BY_PAGE = (
    "//link[contains(concat(' ', normalize-space(@rel), ' '), ' stylesheet ')]/@href"
    " | //img/@src | //script/@src | //source/@src | //video/@poster"
)
SRCSETS = "//img/@srcset | //source/@srcset"
# The theme's link to a page's own handout (partials/handout_link.html).
HANDOUT_LINK = "//a[contains(concat(' ', normalize-space(@class), ' '), ' handout__link ')]"


class HandoutError(SiteError):
    """A page cannot be made into a handout; the message names the file and the fix."""


@dataclass(frozen=True)
class ArticlePage:
    """One article page of a built site, as the handouts need it."""

    url_path: str  # "/articles/x/"
    file: Path  # the built HTML file
    canonical: str  # its address on the web (the QR code's target)
    site_root: str  # where the site's own absolute links start ("https://clinic.org")
    loads: tuple[Path, ...]  # the site's files the page loads (stylesheets, images, scripts)
    language: str = "en"  # the page's <html lang>: the handout's words follow it

    @property
    def handout(self) -> Path:
        """Where its handout is written."""
        return handout_path(self.file)


def handout_path(page_file: Path) -> Path:
    """``articles/x/index.html`` -> ``articles/x/x.pdf``; ``articles/x.html`` -> ``articles/x.pdf``.

    Named after the article's slug, so a reader's downloads folder says which guide it holds.
    """
    name = page_file.parent.name if page_file.name == "index.html" else page_file.stem
    return page_file.parent / f"{name}.pdf"


def page_file(site_dir: Path, url_path: str) -> Path:
    """The built file behind a URL path such as "/articles/x/"."""
    relative = url_path.lstrip("/")
    if not relative or relative.endswith("/"):
        relative += "index.html"
    return Path(site_dir) / relative


def find_articles(site_dir: Path) -> list[ArticlePage]:
    """Every article page of the built site in ``site_dir``, by URL path.

    Raises :class:`HandoutError` for an article whose canonical address is not a full web
    address (a development build), since its QR code would lead nowhere.
    """
    site_dir = Path(site_dir)
    if not (site_dir / "index.html").is_file():
        raise HandoutError(
            f"{site_dir} holds no built site (no index.html). Build the production site "
            "first (SITEURL=https://www.your-clinic.org invoke build --production), then write "
            "its handouts; invoke preview and invoke publish write theirs themselves."
        )
    found = (read_article(site_dir, path) for path in page_paths(site_dir))
    return [article for article in found if article is not None]


def read_article(site_dir: Path, url_path: str) -> ArticlePage | None:
    """The article page at ``url_path``, or None when that page is not an article."""
    file = page_file(site_dir, url_path)
    tree = page_tree(file.read_bytes())
    is_article = (
        tree.xpath("string(//head/meta[@property='og:type']/@content)").strip() == "article"
    )
    if not is_article and not tree.xpath(HANDOUT_LINK):
        return None
    canonical = tree.xpath("string(//head/link[@rel='canonical']/@href)").strip()
    root = site_root(file.relative_to(site_dir).as_posix(), url_path, canonical)
    urls = [str(url) for url in tree.xpath(LOADED_BY_PAGE)]
    for srcset in tree.xpath(SRCSETS):
        urls += [item.split()[0] for item in str(srcset).split(",") if item.strip()]
    loads = {local_file(site_dir, file, root, url) for url in urls}
    loads.discard(None)
    language = tree.xpath("string(/html/@lang)").strip() or "en"
    return ArticlePage(url_path, file, canonical, root, tuple(sorted(loads)), language)


def site_root(shown: str, url_path: str, canonical: str) -> str:
    """The site's address, from a page's canonical address and its place in the site."""
    parts = urlsplit(canonical)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise HandoutError(
            f"{shown}: its canonical address {canonical!r} is not a full web address, so the "
            "handout's QR code would lead nowhere. Write handouts into a production build "
            "(publishconf.py, SITEURL set): invoke handouts, invoke preview or invoke publish."
        )
    if not canonical.endswith(url_path):
        raise HandoutError(
            f"{shown}: its canonical address {canonical} is not the address of this page "
            f"({url_path}). Give the article no canonical address of its own."
        )
    return canonical[: len(canonical) - len(url_path)]


def local_file(site_dir: Path, page: Path, root: str, url: str) -> Path | None:
    """The built file behind a URL on a page (absolute on this site, root-relative or
    relative), or None for another site's address or a file that does not exist."""
    if url.startswith(root + "/"):
        url = url[len(root) :]
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    target = (site_dir / path.lstrip("/")) if path.startswith("/") else (page.parent / path)
    target = target.resolve()
    if not target.is_file() or not target.is_relative_to(Path(site_dir).resolve()):
        return None
    return target


class Fingerprints:
    """SHA-256 of files, each read once per run (a stylesheet is shared by every page)."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = Path(site_dir).resolve()
        self.digests: dict[Path, str] = {}

    def of(self, file: Path) -> str:
        """The file's digest, with the digests of what a stylesheet loads folded in."""
        file = Path(file).resolve()
        if file not in self.digests:
            self.digests[file] = ""  # a stylesheet that imports itself stops here
            data = file.read_bytes()
            digest = hashlib.sha256(data)
            if file.suffix == ".css":
                for url in CSS_URL.findall(data.decode("utf-8", "replace")):
                    target = local_file(self.site_dir, file, "", url)
                    if target is not None:
                        digest.update(self.of(target).encode("ascii"))
            self.digests[file] = digest.hexdigest()
        return self.digests[file]

    def of_page(self, article: ArticlePage) -> list[str]:
        """The page's HTML and every file it loads, as "path digest" lines."""
        files = (article.file, *article.loads)
        return [
            f"{Path(file).resolve().relative_to(self.site_dir)} {self.of(file)}" for file in files
        ]
