"""Build the Pagefind search index while the pages are written, and prove it is complete.

With ``SEARCH_INDEX`` on (publishconf.py), a Pelican generator of ours (added through the
``get_generators`` signal) starts Pagefind's service when its context is made, after every
content is read and before any page is written (``live_index.LiveIndex``). Pelican's public
``content_written`` signal hands it each HTML page once the page is on disk, and Pagefind
indexes it on the core Pelican leaves idle. When the generator's turn to write comes (after
every page: Pelican writes articles, pages and template pages first, and before the static
files and the ``finalized`` steps, such as precompression), the bundle is written. The index
is that of ``pagefind --site OUTPUT``: the same pages, URLs, words and fragments. Pagefind
numbers the pages in the order it is given them: the command's was the folders' order on disk,
ours is the writing order (the same on every build), so the index chunks' and meta file's
bytes and hashed names differ from the command's, not what they hold
(tests/test_search_index.py: given in the command's order, the bundle is the command's).

Before the build goes on, the bundle is checked (``verify_bundle``): Pagefind answered without
an error, its entry file lists every language it indexed with as many pages as the site has
searchable pages on disk (those with ``data-pagefind-body``, counted in the text Pagefind was
sent; a page written without ``content_written`` is sent then), each language's index files
are there, and each of its scripts ends with its last statement (a script cut short once
shipped and left search "unavailable"). Anything else fails the build with a message.

Pagefind also writes its ready-made search interfaces (about 400 KB); ``search.js`` uses only
the index, so they are removed.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from pelican import signals

from .live_index import SEARCHABLE_MARK, LiveIndex, SearchIndexError

logger = logging.getLogger(__name__)

BUNDLE_FOLDER = "pagefind"
SEARCHABLE = SEARCHABLE_MARK.encode()
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
# The scripts the search page loads; each is complete only if it ends with its last statement.
SCRIPTS = {"pagefind.js": b"};", "pagefind-worker.js": b"})();"}
# The index each production build's pages go to while they are written, by output folder.
_live_indexes: dict[Path, LiveIndex] = {}


def html_pages(output: Path) -> list[Path]:
    """The built site's pages, as Pagefind's command finds them (not its own bundle's)."""
    found = []
    for folder, folders, names in os.walk(output):  # a third of rglob's time at 1,000 pages
        if BUNDLE_FOLDER in folders:
            folders.remove(BUNDLE_FOLDER)
        found += (os.path.join(folder, name) for name in names if name.endswith(".html"))
    return sorted(map(Path, found))


def searchable_pages(output: Path, pages: list[Path] | None = None) -> int:
    """How many pages of the built site Pagefind should index, by Pagefind's own rule.

    When any page marks its body with ``data-pagefind-body`` (our theme does), Pagefind indexes
    only the pages that do; when none does (another theme, e.g. Pelican's ``simple``), it
    indexes every page.
    """
    found = html_pages(output) if pages is None else pages
    contents = [path.read_bytes() for path in found]
    marked = sum(SEARCHABLE in page for page in contents)
    return marked or len(contents)


def verify_bundle(bundle: Path, expected_pages: int) -> int:
    """Check the bundle is complete; return the pages it holds, or raise ``SearchIndexError``."""
    entry_file = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SearchIndexError(f"search: {entry_file} is missing or unreadable: {error}") from None
    languages = entry.get("languages") or {}
    pages = sum(int(language.get("page_count", 0)) for language in languages.values())
    if pages != expected_pages:
        raise SearchIndexError(
            f"search: Pagefind indexed {pages} page(s), but the site has {expected_pages} "
            "searchable page(s)"
        )
    for language in languages.values():
        for name in (f"pagefind.{language['hash']}.pf_meta", f"wasm.{language['wasm']}.pagefind"):
            if not (bundle / name).is_file() or not (bundle / name).stat().st_size:
                raise SearchIndexError(f"search: the search bundle lacks {name}")
    for name, ending in SCRIPTS.items():
        script = bundle / name
        if not script.is_file() or not script.read_bytes().rstrip().endswith(ending):
            raise SearchIndexError(f"search: {script} is missing or cut short")
    return pages


def sort_languages(entry_file: Path) -> None:
    """Pagefind lists the languages of its entry file in a different order on each run (a hash
    map's order); sorted, the same site gives the same bytes, so a publish changes no file
    that did not change."""
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    entry_file.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


def write_search_index(output: Path, index: LiveIndex) -> None:
    """Write the bundle of the pages ``index`` was given, check it, drop the unused UIs (raises
    on any failure)."""
    started = time.perf_counter()
    bundle = output / BUNDLE_FOLDER
    pages = html_pages(output)
    # As the command would: a page on disk that no content_written announced (a plugin's own
    # file, one kept from an earlier build) is indexed too, now.
    for page in pages:
        index.add_page(page)
    index.request_bundle()
    index.write_bundle(bundle)
    pages = verify_bundle(bundle, index.searchable_pages(pages))
    sort_languages(bundle / "pagefind-entry.json")
    for name in UNUSED_PAGEFIND_FILES:
        (bundle / name).unlink(missing_ok=True)
    logger.info(
        "search: %d page(s) indexed, the bundle written %.1f s after the last page",
        pages,
        time.perf_counter() - started,
    )


def start_index(output: Path) -> LiveIndex:
    """A new index for the pages about to be written into ``output`` (ends an earlier one)."""
    earlier = _live_indexes.pop(output, None)
    if earlier is not None:  # a build into the same folder that failed before its end
        earlier.close()
    index = _live_indexes[output] = LiveIndex(output)
    return index


def index_written_page(path: str, **_: Any) -> None:
    """``content_written``: hand a page just written to its build's index, if it has one (the
    index of the innermost output folder the page is in)."""
    if not path.endswith(".html") or not _live_indexes:
        return
    page = os.path.abspath(path)
    folders = [folder for folder in _live_indexes if page.startswith(f"{folder}{os.sep}")]
    if folders:
        _live_indexes[max(folders, key=lambda folder: len(folder.parts))].add_page(Path(page))


class SearchIndexGenerator:
    """A Pelican generator that writes nothing of its own but the search index."""

    def __init__(self, context: dict, settings: dict, path: str, theme: str, output_path: str,
                 **_: Any) -> None:  # fmt: skip
        self.settings = settings
        self.output_path = Path(os.path.abspath(output_path))  # as Pelican's written paths

    def generate_context(self) -> None:
        """Every content is read: start Pagefind, to index each page as it is written."""
        if search_enabled(self.settings):
            start_index(self.output_path)

    def generate_output(self, writer: Any) -> None:
        """After the pages are written: the bundle (when ``SEARCH_INDEX`` is on)."""
        index = _live_indexes.pop(self.output_path, None)
        if index is not None:
            write_search_index(self.output_path, index)


def search_enabled(settings: dict) -> bool:
    """Whether this build makes a search index (``SEARCH_INDEX``, checked)."""
    value = settings.get("SEARCH_INDEX", False)
    if not isinstance(value, bool):
        raise SearchIndexError(f"search: SEARCH_INDEX must be True or False, not {value!r}")
    return value


def add_generator(pelican: Any) -> type:
    """``get_generators``: the search index is written by its own generator."""
    search_enabled(pelican.settings)
    return SearchIndexGenerator


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.get_generators.connect(add_generator)
    signals.content_written.connect(index_written_page)
