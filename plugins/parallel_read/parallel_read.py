"""Read Markdown on every core: production builds convert the sources in forked workers.

Pelican reads one file at a time, and Markdown is most of a cold build's time (about 4 of the
5 s of reading 1,000 articles). When a generator reads its first file, this plugin hands every
Markdown file that generator is about to read to a pool of forked worker processes. Each
worker does what Pelican's ``MarkdownReader.read`` does with Markdown (a fresh ``Markdown`` per
file: the body, then the formatted metadata fields such as ``Summary``). The main process
turns each result into metadata with Pelican's own code, in Pelican's order, while the workers
convert the next files. The output is byte-for-byte the same (a test builds a site both ways).

With the typography cache on (plugins/typography), the workers also typogrify each file's
body, title and summary into that cache, so the main process, which typogrifies after reading,
finds every result there.

A file whose conversion raised or logged anything is read again the normal way, in the main
process, so its error or warning appears exactly as it always did.

Setting: ``PARALLEL_READING`` (default False; on in publishconf.py). Development builds stay in
one process: ``invoke serve`` rebuilds inside a process that runs threads, and such a process
must not fork.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from markdown import Markdown
from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.readers import MarkdownReader
from pelican.utils import file_suffix, pelican_open

logger = logging.getLogger(__name__)

# Under this many files, starting processes costs more than it saves.
MIN_FILES = 16
PR_SET_PDEATHSIG = 1  # prctl(2)
CHUNK_SIZE = 8


class ParallelReadingSettingsError(Exception):
    """PARALLEL_READING has a value the plugin cannot use."""


@dataclass
class Converted:
    """What Markdown made of one file: the body, the raw metadata, the formatted fields."""

    content: str
    meta: dict[str, list[str]] | None
    formatted: dict[str, str]  # the joined source text of a formatted field -> its HTML


# --- In the workers --------------------------------------------------------------------------

_worker_settings: dict[str, Any] = {}


class _Heard(logging.Handler):
    """Remembers whether anything was logged while a worker converted a file."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.count += 1


_heard = _Heard()


def _start_worker() -> None:
    """Workers print nothing: a file that logs is read again, and logs, in the main process.

    Ctrl-C is the main process's to handle: it stops the workers (``ReadAhead.take``) and says
    in one line that the build stopped; a worker that took it too would print a traceback. A
    worker also ends with the main process, however that ends (even halfway through starting
    the pool, where the pool cannot stop its workers itself).
    """
    root = logging.getLogger()
    root.handlers = [_heard]
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with_parent()


def _end_with_parent() -> None:
    """Linux: have the kernel send SIGTERM when the process that started this one ends."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the pool's own clean-up has to do
        return
    if os.getppid() == 1:  # the main process ended before the line above
        os._exit(1)


def convert(path: str) -> tuple[str, Converted | None]:
    """Convert one file as ``MarkdownReader.read`` would; None if anything went wrong."""
    markdown_settings = _worker_settings["MARKDOWN"]
    formatted_fields = _worker_settings["FORMATTED_FIELDS"]
    before = _heard.count
    try:
        md = Markdown(**markdown_settings)
        with pelican_open(path) as text:
            content = md.convert(text)
        meta = getattr(md, "Meta", None)
        formatted = {}
        if meta is not None:
            md.preprocessors.deregister("meta")
            for name, value in meta.items():
                if name.lower() in formatted_fields:
                    joined = "\n".join(value)
                    md.reset()
                    formatted[joined] = md.convert(joined)
        warm_typography_cache(content, meta, formatted)
    except Exception:  # the main process reads the file again and reports the error
        return path, None
    if _heard.count != before:
        return path, None
    return path, Converted(content, meta, formatted)


def warm_typography_cache(content: str, meta: dict | None, formatted: dict[str, str]) -> None:
    """Typogrify the body, title and summary here, into plugins/typography's cache.

    Pelican typogrifies after reading, in the main process, one file at a time (4 ms an
    article). When the typography cache is on, doing it here first leaves the main process only
    cache hits. The cache key covers the text and every setting, so a call that does not match
    Pelican's exactly is merely a miss there: the output cannot differ.
    """
    settings = _worker_settings
    if not settings.get("TYPOGRIFY"):
        return
    import smartypants
    from typogrify import filters

    if not getattr(filters.typogrify, "__wrapped_by_typography_cache__", False):
        return  # without the cache the work would be thrown away
    dashes = {"oldschool": smartypants.Attr.set2, "oldschool_inverted": smartypants.Attr.set3}
    # What Pelican's read_file sets before it typogrifies.
    smartypants.Attr.default = dashes.get(settings["TYPOGRIFY_DASHES"], smartypants.Attr.set1)
    smartypants.Attr.default |= smartypants.Attr.w
    options = dict.fromkeys(settings["TYPOGRIFY_OMIT_FILTERS"], False)
    title = (meta or {}).get("title")
    texts = [content, *formatted.values(), *(title[:1] if title else [])]
    for text in texts:
        if text:
            filters.typogrify(text, settings["TYPOGRIFY_IGNORE_TAGS"], **options)


# --- In the main process ---------------------------------------------------------------------


class ReadAhead:
    """Files being converted by the worker pool, handed out as Pelican asks for them."""

    def __init__(self, paths: list[str], settings: dict[str, Any], workers: int) -> None:
        _worker_settings.clear()
        _worker_settings.update(settings)  # the forked workers inherit it
        self.pending = set(paths)
        self.ready: dict[str, Converted | None] = {}
        self.started = time.perf_counter()
        self.count = len(paths)
        self.workers = workers
        self.fallbacks = 0
        self._pool = multiprocessing.get_context("fork").Pool(workers, initializer=_start_worker)
        self._results: Iterator[tuple[str, Converted | None]] = self._pool.imap(
            convert, paths, chunksize=CHUNK_SIZE
        )

    def take(self, path: str) -> Converted | None:
        """The conversion of ``path``, or None when it is not ours (or must be read again)."""
        if path not in self.pending:
            return None
        while path not in self.ready:
            try:
                done, converted = next(self._results)
            except BaseException:  # Ctrl-C, or a worker that died: stop them all
                self.close()
                raise
            self.ready[done] = converted
        self.pending.discard(path)
        converted = self.ready.pop(path)
        if converted is None:
            self.fallbacks += 1
        if not self.pending:
            self.close()
        return converted

    def close(self) -> None:
        """Stop the workers (they are done, or the build no longer needs them)."""
        if self._pool is None:
            return
        if self.pending:
            self._pool.terminate()
        else:
            self._pool.close()
            logger.info(
                "parallel_read: %d file(s) converted in %d processes in %.2f s%s",
                self.count,
                self.workers,
                time.perf_counter() - self.started,
                f", {self.fallbacks} read again" if self.fallbacks else "",
            )
        self._pool.join()
        self._pool = None


# The read-ahead of the generator reading now (one at a time: articles, then pages).
_read_ahead: dict[str, ReadAhead] = {}


class _Replay:
    """Stands in for Markdown in ``MarkdownReader._parse_metadata``: replays the workers' HTML."""

    class _Preprocessors:
        def deregister(self, name: str) -> None:
            pass

    def __init__(self, formatted: dict[str, str]) -> None:
        self.formatted = formatted
        self.preprocessors = self._Preprocessors()

    def reset(self) -> _Replay:
        return self

    def convert(self, text: str) -> str:
        return self.formatted[text]


class PreparedMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, taking the Markdown work from the read-ahead when it can."""

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        read_ahead = _read_ahead.get("current")
        converted = read_ahead.take(source_path) if read_ahead else None
        if converted is None:
            return super().read(source_path)
        self._source_path = source_path
        self._md = _Replay(converted.formatted)
        metadata = self._parse_metadata(converted.meta) if converted.meta is not None else {}
        return converted.content, metadata


def enabled(settings: dict[str, Any]) -> bool:
    """Whether this build reads in parallel (validated)."""
    value = settings.get("PARALLEL_READING", False)
    if not isinstance(value, bool):
        raise ParallelReadingSettingsError(
            f"parallel_read: PARALLEL_READING must be True or False, not {value!r}"
        )
    return value and (os.cpu_count() or 1) > 1


def use_prepared_reader(readers: Any) -> None:
    """``readers_init``: read Markdown with ``PreparedMarkdownReader``."""
    if not enabled(readers.settings):
        return
    for fmt, reader_class in readers.reader_classes.items():
        if reader_class is MarkdownReader:  # sent before Readers makes its reader objects
            readers.reader_classes[fmt] = PreparedMarkdownReader


def files_to_read(generator: Any, paths_key: str, excludes_key: str) -> list[str]:
    """The Markdown files this generator will read: not in a cache, read by our reader."""
    settings = generator.settings
    found = []
    for relative in generator.get_files(settings[paths_key], exclude=settings[excludes_key]):
        path = os.path.abspath(os.path.join(generator.path, relative))
        reader = generator.readers.readers.get(file_suffix(path))
        if not isinstance(reader, PreparedMarkdownReader):
            continue
        if generator.get_cached_data(relative, None) is not None:
            continue
        if generator.readers.get_cached_data(path, None) is not None:
            continue
        found.append(path)
    return found


def start_reading(generator: Any) -> None:
    """``*_generator_preread`` (sent before each file): on the first, start the read-ahead."""
    if getattr(generator, "_parallel_read_started", False) or not enabled(generator.settings):
        return
    generator._parallel_read_started = True
    if isinstance(generator, ArticlesGenerator):
        keys = ("ARTICLE_PATHS", "ARTICLE_EXCLUDES")
    elif isinstance(generator, PagesGenerator):
        keys = ("PAGE_PATHS", "PAGE_EXCLUDES")
    else:
        return
    stop_reading()
    paths = files_to_read(generator, *keys)
    if len(paths) >= MIN_FILES:
        workers = min(os.cpu_count() or 1, len(paths) // CHUNK_SIZE or 1)
        _read_ahead["current"] = ReadAhead(paths, generator.settings, workers)


def stop_reading(*_: Any) -> None:
    """Stop any workers left from a generator (or a build) that has finished reading."""
    read_ahead = _read_ahead.pop("current", None)
    if read_ahead is not None:
        read_ahead.close()


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.readers_init.connect(use_prepared_reader)
    signals.article_generator_preread.connect(start_reading)
    signals.page_generator_preread.connect(start_reading)
    signals.all_generators_finalized.connect(stop_reading)
