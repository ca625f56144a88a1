"""Links, fragments and images: resolved against the site's sources, without a build.

``{filename}`` / ``{static}`` / ``{attach}`` links must name a file under content/, and a
``#fragment`` an id the target renders (a heading, a footnote, an ``{#id}``). Root-relative
links must be one of the site's addresses. External links must be well-formed ``https``
addresses (nothing is fetched).
"""

from __future__ import annotations

import difflib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import ParseResult, urlparse

from markdown.extensions.toc import slugify
from site_config import site_config

from content_check.addresses import reserved_slugs
from content_check.checks import (
    FOOTNOTE_DEF_RE,
    HEADING_RE,
    URL_RE,
    Context,
    SiteIndex,
    _finding,
    classify_body,
)
from content_check.findings import Finding
from content_check.glossary_check import missing_entry, site_glossaries
from content_check.readability import inline_text
from content_check.source import SourceFile

INLINE_LINK_RE = re.compile(
    r"(?P<bang>!?)\[(?P<text>[^\]]*)\]\(\s*<?(?P<url>[^)\s>]*)>?"
    r"(?:\s+[\"'][^\"']*[\"'])?\s*\)"
)
REF_DEF_RE = re.compile(r"^\s{0,3}\[(?!\^)[^\]]+\]:\s*<?(?P<url>\S+?)>?(?:\s|$)")
HTML_ATTR_RE = re.compile(r"\b(?P<attr>href|src)\s*=\s*[\"'](?P<url>[^\"']*)[\"']", re.I)
AUTOLINK_RE = re.compile(r"<(?P<url>[a-z][a-z0-9+.-]*:[^>\s]+)>", re.I)
ID_ATTR_RE = re.compile(r"\{[^}]*#(?P<id>[\w:-]+)[^}]*\}|\bid\s*=\s*[\"'](?P<html>[^\"']+)")
PLACEHOLDER_RE = re.compile(r"^(?:\{(?P<a>\w+)\}|\|(?P<b>\w+)\|)(?P<rest>.*)$")


def anchors_of(src: SourceFile) -> set[str]:
    """The ids the rendered file will have: headings (as the toc extension makes them),
    footnotes (``fn:x``, ``fnref:x``) and explicit ``{#id}`` / ``id="..."``.

    Kept on the file (or given to it from content_check.site_facts' table of unchanged files).
    """
    anchors = src.cache.get("anchors")
    if anchors is None:
        anchors = src.cache["anchors"] = _anchors(src)
    return anchors


def _anchors(src: SourceFile) -> set[str]:
    ids: set[str] = set()
    for line in classify_body(src):
        if line.kind == "footnote":
            match = FOOTNOTE_DEF_RE.match(line.text)
            if match:
                ids.add(f"fn:{match.group(1)}")
                ids.add(f"fnref:{match.group(1)}")
            continue
        if line.kind != "prose":
            continue
        for match in ID_ATTR_RE.finditer(line.text):
            ids.add(match.group("id") or match.group("html"))
        heading = HEADING_RE.match(line.text.strip())
        if heading and not re.search(r"\{[^}]*#", heading.group(2)):
            base = slugify(inline_text(heading.group(2)), "-")
            candidate, n = base, 0
            while candidate in ids:
                n += 1
                candidate = f"{base}_{n}"
            ids.add(candidate)
    return ids


def build_index(sources: list[SourceFile], content_dir: Path, settings: dict) -> SiteIndex:
    """Every file under content/, each source's anchors, and every address the site has."""
    index = SiteIndex()
    if content_dir.is_dir():
        for path in content_dir.rglob("*"):
            if path.is_file():
                index.content_files.add(path.relative_to(content_dir).as_posix())
    real_content_dir = content_dir.resolve()
    for src in sources:
        _index_source(index, src, real_content_dir, settings)
    for key in ("CATEGORIES_URL", "TAGS_URL", "ARCHIVES_URL", "SEARCH_URL"):
        if settings.get(key):
            index.urls.add(settings[key].lstrip("/"))
    index.categories = set(settings.get("ALLOWED_CATEGORIES") or [])
    index.tags = set(settings.get("ALLOWED_TAGS") or [])
    for name in index.categories:
        index.urls.add(
            settings.get("CATEGORY_URL", "{slug}/").replace("{slug}", slugify(name, "-"))
        )
    for name in index.tags:
        index.urls.add(settings.get("TAG_URL", "{slug}/").replace("{slug}", slugify(name, "-")))
    index.urls.update({"", "index.html", "404.html", "sitemap.xml"})
    index.urls.update(_static_urls(index.content_files, settings))
    index.reserved_slugs = reserved_slugs(settings)
    index.glossaries = site_glossaries(settings, content_dir)
    return index


def _index_source(
    index: SiteIndex, src: SourceFile, real_content_dir: Path, settings: dict
) -> None:
    """A source's path under content/ (kept on it), its anchors and its address."""
    relative = src.cache.get("content_path")
    if relative is None:
        relative = src.cache["content_path"] = content_path(src.path, real_content_dir)
    index.anchors[relative] = anchors_of(src)
    slug = src.meta("slug") or src.path.stem
    kind = "ARTICLE" if src.kind == "article" else "PAGE"
    default = site_config(settings).default_lang
    language = src.meta("lang") or default
    if language == default:
        pattern = settings.get(f"{kind}_URL", "{slug}/")
    else:  # a translation's address (Pelican's ARTICLE_LANG_URL, PAGE_LANG_URL)
        pattern = settings.get(f"{kind}_LANG_URL", "{slug}-{lang}.html")
    index.urls.add(pattern.replace("{slug}", slug).replace("{lang}", language).lstrip("/"))


def content_path(path: Path, real_content_dir: Path) -> str:
    """A source's path under content/ (given resolved), as links name it (its file name when
    it lies elsewhere)."""
    try:
        return path.resolve().relative_to(real_content_dir).as_posix()
    except ValueError:
        return path.name


def _static_urls(content_files: set[str], settings: dict) -> set[str]:
    """The addresses of static files (with EXTRA_PATH_METADATA's new paths)."""
    extra = settings.get("EXTRA_PATH_METADATA") or {}
    urls = set()
    for static in settings.get("STATIC_PATHS") or []:
        for file in [f for f in content_files if f.startswith(static.rstrip("/") + "/")]:
            urls.add(extra.get(file, {}).get("path", file))
    return urls


def _links_on(text: str) -> list[tuple[str, bool]]:
    """(url, is_image) for every link on one line of Markdown."""
    found = [(m.group("url"), m.group("bang") == "!") for m in INLINE_LINK_RE.finditer(text)]
    match = REF_DEF_RE.match(text)
    if match:
        found.append((match.group("url"), False))
    found += [
        (m.group("url"), m.group("attr").lower() == "src") for m in HTML_ATTR_RE.finditer(text)
    ]
    found += [(m.group("url"), False) for m in AUTOLINK_RE.finditer(text)]
    return found


def check_links(src: SourceFile, ctx: Context) -> list[Finding]:
    """Every link, fragment and image in the file resolves; external links use https."""
    findings: list[Finding] = []
    index = ctx.index
    content_dir = _content_dir(src, index)
    for line in classify_body(src):
        if line.kind not in ("prose", "footnote", "definition"):
            continue
        text = re.sub(r"`[^`]*`", "", line.text)
        links = _links_on(text)
        seen = {url for url, _ in links}
        # Bare addresses in the text and in references.
        links += [
            (m.group(0).rstrip(".,;"), False)
            for m in URL_RE.finditer(text)
            if not any(m.group(0).rstrip(".,;") in u for u in seen)
        ]
        for url, image in links:
            findings += _check_one(src, line.number, url, image, content_dir, index)
    return findings


def _content_dir(src: SourceFile, index: SiteIndex) -> str:
    """The source's folder relative to content/ (e.g. "articles")."""
    return posixpath.dirname(src.cache.get("content_path", ""))


def _check_one(  # noqa: PLR0917
    src: SourceFile, number: int, url: str, image: bool, folder: str, index: SiteIndex
) -> list[Finding]:
    what = "Image" if image else "Link"
    broken = "image-missing" if image else "link-broken"
    if not url:
        return [
            _finding(
                src,
                number,
                "error",
                broken,
                f"{what} with an empty address.",
                "Put the target between the brackets: [text]({filename}page.md).",
            )
        ]
    link = Link(src, number, url, what, broken)
    placeholder = PLACEHOLDER_RE.match(url)
    if placeholder:
        return _check_placeholder(link, placeholder, folder, index)
    if url.startswith("#"):
        return _check_fragment(src, number, url[1:], src.cache.get("content_path", ""), index)
    parsed = urlparse(url)
    if parsed.scheme or url.startswith("//"):
        return _check_address(link, parsed)
    if url.startswith("/"):
        return _check_root_relative(link, index)
    relative = _finding(
        src,
        number,
        "error",
        "link-relative",
        f"{what} {url} is relative, so it breaks when the page moves.",
        "Use {filename} for pages and {static} for images, e.g. "
        "[text]({filename}other-article.md).",
    )
    # Said at once: once {filename} is added, a target that does not exist is the next error.
    as_meant = _check_content_file(link, "static" if image else "filename", url, folder, index)
    return [relative, *(finding for finding in as_meant if finding.code == broken)]


@dataclass
class Link:
    """One link or image being checked, and how to name it in a finding."""

    src: SourceFile
    line: int
    url: str
    what: str  # "Link" or "Image"
    broken: str  # the code for a missing target: "link-broken" or "image-missing"


def _check_placeholder(
    link: Link, placeholder: re.Match, folder: str, index: SiteIndex
) -> list[Finding]:
    """``{filename}``/``{static}``/``{attach}`` name a file in content/; ``{category}`` and
    ``{tag}`` one of the site's."""
    kind = placeholder.group("a") or placeholder.group("b")
    rest = placeholder.group("rest")
    if kind in ("filename", "static", "attach"):
        return _check_content_file(link, kind, rest, folder, index)
    if kind == "category" and rest not in index.categories:
        return [
            _finding(
                link.src,
                link.line,
                "error",
                "link-broken",
                f'Link to category "{rest}", which does not exist.',
                f"Use one of: {', '.join(sorted(index.categories))}.",
            )
        ]
    if kind == "tag" and rest not in index.tags:
        return [
            _finding(
                link.src,
                link.line,
                "error",
                "link-broken",
                f'Link to tag "{rest}", which is not in the vocabulary.',
                f"Use one of: {', '.join(sorted(index.tags))}.",
            )
        ]
    return []


def _check_content_file(
    link: Link, kind: str, rest: str, folder: str, index: SiteIndex
) -> list[Finding]:
    path, _, fragment = rest.partition("#")
    target = posixpath.normpath(
        path.lstrip("/") if path.startswith("/") else posixpath.join(folder, path)
    )
    if target == ".." or target.startswith("../"):
        return [_outside(link, kind, path, target)]
    if target not in index.content_files:
        return [
            _finding(
                link.src,
                link.line,
                "error",
                link.broken,
                f"{link.what} target {{{kind}}}{path} does not exist in content/.",
                _missing_target_fix(link, kind, target, index),
            )
        ]
    if fragment:
        return _check_fragment(link.src, link.line, fragment, target, index)
    return []


def _missing_target_fix(link: Link, kind: str, target: str, index: SiteIndex) -> str:
    """How to correct a link to a file content/ lacks: the nearest name it has, if any."""
    images = link.broken == "image-missing"
    candidates = [
        name for name in index.content_files if name.endswith(".md") != images
    ]  # an image among images, a page among pages
    nearest = difflib.get_close_matches(target, candidates, n=1, cutoff=0.8)
    if nearest:
        return f"Did you mean {{{kind}}}/{nearest[0]}? Check the file name and folder."
    if images:
        return (
            "Check the file name and folder: images are in content/images/ (figures in "
            "content/images/figures/), e.g. {static}/images/figures/name.svg."
        )
    return (
        "Check the file name and folder; from an article, another article is "
        "{filename}other.md and a page {filename}../pages/page.md."
    )


def _outside(link: Link, kind: str, path: str, target: str) -> Finding:
    """A ``{static}``/``{attach}``/``{filename}`` path that climbs out of content/."""
    return _finding(
        link.src,
        link.line,
        "error",
        "link-outside",
        f'{link.what} target {{{kind}}}{path} climbs out of content/ (to "{target}"); only '
        "files inside content/ may be linked or published, and the build refuses it.",
        "Link only to files in content/: copy the file there if it belongs on the site, and "
        "link to the copy (from an article, an image is {static}../images/name.png).",
    )


def _check_address(link: Link, parsed: ParseResult) -> list[Finding]:
    """A link with a scheme: https (well formed), mailto, tel and sms; nothing else."""
    url, scheme = link.url, parsed.scheme.lower()
    if scheme in ("mailto", "tel", "sms"):
        return []
    if scheme == "http":
        return [
            _finding(
                link.src,
                link.line,
                "error",
                "link-insecure",
                f"{url} uses http://; browsers warn about (or block) insecure pages.",
                "Use the https:// address (open it in a browser to check it works).",
            )
        ]
    if scheme == "https":
        host = parsed.hostname or ""
        if "." not in host or " " in url or not re.fullmatch(r"[a-z0-9.-]+", host):
            return [
                _finding(
                    link.src,
                    link.line,
                    "error",
                    "link-malformed",
                    f'"{url}" is not a well-formed web address.',
                    "Copy the address from the browser's address bar.",
                )
            ]
        return []
    return [
        _finding(
            link.src,
            link.line,
            "error",
            "link-malformed",
            f'"{url}" is not an https:// address.',
            "Link to web pages with https://, and to our pages with {filename}.",
        )
    ]


def _check_root_relative(link: Link, index: SiteIndex) -> list[Finding]:
    """``/path/`` must be one of the site's addresses (or the theme's files)."""
    path = link.url.split("#", maxsplit=1)[0].split("?", maxsplit=1)[0].lstrip("/")
    if path in index.urls or path + "/" in index.urls or path.startswith("theme/"):
        return []
    return [
        _finding(
            link.src,
            link.line,
            "error",
            link.broken,
            f"{link.what} /{path} is not an address on this site.",
            "Link to our pages with {filename}: [text]({filename}other-article.md).",
        )
    ]


def _check_fragment(
    src: SourceFile, number: int, fragment: str, target: str, index: SiteIndex
) -> list[Finding]:
    anchors = index.anchors.get(target)
    if anchors is None or fragment in anchors:
        return []
    if any(glossary.source == target for glossary in index.glossaries.values()):
        return [missing_entry(src, number, fragment, target, anchors)]
    from content_check.checks import did_you_mean

    return [
        _finding(
            src,
            number,
            "error",
            "link-fragment",
            f"#{fragment} is not a heading or id in {target or src.name}"
            f"{did_you_mean(fragment, anchors)}.",
            "Headings become ids in lower case with hyphens: "
            '"## Who should not have it?" is #who-should-not-have-it.',
        )
    ]
