"""Slugs that would take an address the build already writes (``meta-slug-reserved``).

A page with ``Slug: search`` is written to ``search/index.html``, where the search page goes:
one overwrites the other. The addresses the build writes come from the site's settings (every
``*_SAVE_AS``, the feeds, ``THEME_STATIC_DIR``, the static folders and
``EXTRA_PATH_METADATA``), so a new setting reserves its folder without a list to keep here.
"""

from __future__ import annotations

import posixpath

from content_check.checks import Context, _finding
from content_check.findings import Finding
from content_check.source import SourceFile

# Where plugins/seo writes the Pagefind bundle when SEARCH_INDEX is on (not a setting there).
SEARCH_INDEX_FOLDER = "pagefind"
SAVE_AS_KEYS = {"article": "ARTICLE_SAVE_AS", "page": "PAGE_SAVE_AS"}


def written_paths(settings: dict) -> dict[str, str]:
    """Every output path or pattern the build writes, each with the setting that writes it."""
    written = {**_pelican_outputs(settings), **_copied_files(settings)}
    if settings.get("SEARCH_INDEX"):
        written[SEARCH_INDEX_FOLDER + "/"] = "SEARCH_INDEX"
    written.pop("", None)  # an empty *_SAVE_AS writes nothing
    return written


def _pelican_outputs(settings: dict) -> dict[str, str]:
    """What Pelican writes: pages (``*_SAVE_AS``), feeds and ``TEMPLATE_PAGES``."""
    written: dict[str, str] = {}
    for key, value in settings.items():
        # Pelican's feed settings (FEED_ALL_ATOM, CATEGORY_FEED_RSS, ...) end in _ATOM or _RSS.
        if isinstance(value, str) and key.endswith(("_SAVE_AS", "_ATOM", "_RSS")):
            written[value] = key
    for name, output in (settings.get("TEMPLATE_PAGES") or {}).items():
        written[output] = f"TEMPLATE_PAGES[{name!r}]"
    return written


def _copied_files(settings: dict) -> dict[str, str]:
    """What Pelican copies: the theme's files, the static folders and their new paths."""
    written: dict[str, str] = {}
    if settings.get("THEME_STATIC_DIR"):
        written[settings["THEME_STATIC_DIR"] + "/"] = "THEME_STATIC_DIR"
    for folder in settings.get("STATIC_PATHS") or []:
        written[folder.rstrip("/") + "/"] = "STATIC_PATHS"
    for source, meta in (settings.get("EXTRA_PATH_METADATA") or {}).items():
        for key in ("save_as", "path"):
            if meta.get(key):
                written[meta[key]] = f"EXTRA_PATH_METADATA[{source!r}]"
    return written


def reserved_folders(settings: dict) -> dict[str, str]:
    """Folders the build writes into (the fixed part of each path), each with its reason."""
    reserved: dict[str, str] = {}
    for path, key in sorted(written_paths(settings).items()):
        fixed = path.split("{", 1)[0].lstrip("/")
        folder = posixpath.dirname(fixed)
        while folder:
            reserved.setdefault(folder, f'{key} writes "{path}"')
            folder = posixpath.dirname(folder)
    return reserved


def reserved_slugs(settings: dict) -> dict[str, dict[str, str]]:
    """For articles and pages: the slugs whose folder the build already writes into."""
    folders = reserved_folders(settings)
    result: dict[str, dict[str, str]] = {}
    for kind, key in SAVE_AS_KEYS.items():
        pattern = settings.get(key) or ""
        prefix, slug_marker, rest = pattern.partition("{slug}")
        result[kind] = {}
        if not slug_marker or "{" in prefix or not rest.startswith("/"):
            continue  # the slug is not a folder of its own at a fixed place
        for folder, why in folders.items():
            if folder.startswith(prefix) and "/" not in folder[len(prefix) :]:
                result[kind][folder[len(prefix) :]] = why
    return result


def check_slug_reserved(src: SourceFile, ctx: Context) -> list[Finding]:
    """The slug does not put the file where the build writes something else."""
    slug = src.meta("slug")
    why = ctx.index.reserved_slugs.get(src.kind, {}).get(slug)
    if not slug or why is None:
        return []
    return [
        _finding(
            src,
            src.meta_line("slug"),
            "error",
            "meta-slug-reserved",
            f'Slug "{slug}" would put this {src.kind} in the folder "{slug}/", which the build '
            f"already writes ({why}): one would overwrite the other.",
            f'Choose a slug that says what the {src.kind} is about, e.g. "{slug}-help" or a '
            "more specific phrase.",
        )
    ]
