"""Where each conversion comes from: the cache, a worker process, or this process.

When a generator reads its first file (``*_generator_preread``), ``start_reading`` lists the
Markdown files it is about to read (the articles' generator: the pages' too, which Pelican
reads next) with the generator's public ``get_files`` and hands those that are not cached to
worker processes (production builds, ``PARALLEL_READING``). Pelican
then asks for one file at a time (``take``): the answer is the cached conversion, the
worker's, or, for anything else, a conversion made here.

A worker that raised, or that logged a warning, gives nothing back: the file is converted
again here, so its error or warning appears exactly as in a serial build. A worker that dies
(killed, out of memory) breaks the pool: the build fails at once, naming the file(s) the
workers were converting.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ctrl_c import ctrl_c_held, raise_held
from log_counter import LogCounter
from pelican.generators import ArticlesGenerator, PagesGenerator
from result_cache import ResultCache

from .reading import (
    CACHE_FOLDER,
    Converted,
    SiteMarkdownReader,
    cache_key,
    convert,
    refuse_markup_not_allowed,
    settings_inputs,
    site_reading_settings,
)
from .reading import reading_settings as checked_settings

logger = logging.getLogger(__name__)

# Under this many files to convert, starting processes costs more than it saves.
MIN_FILES = 16


class ReadingWorkerStopped(RuntimeError):
    """A worker process died while converting files."""


# --- In the workers --------------------------------------------------------------------------

_worker: dict[str, Any] = {}


# Each worker writes the file it is converting into its own slot of shared memory (a write
# that is done when it returns, unlike a queue's), so the main process can name the file a
# killed worker was converting.
SLOT_BYTES = 1024


class WorkerSlots:
    """One slot of shared memory per worker: the path of the file it is converting."""

    def __init__(self, context: Any, workers: int) -> None:
        self.memory = context.Array("c", workers * SLOT_BYTES, lock=False)
        self.next_slot = context.Value("i", 0)
        self.workers = workers

    def claim(self) -> int:
        """A worker's own slot (called once in each worker)."""
        with self.next_slot.get_lock():
            slot = self.next_slot.value
            self.next_slot.value += 1
        return slot

    def write(self, slot: int, path: str) -> None:
        """Record the file a worker starts converting."""
        data = path.encode("utf-8")[: SLOT_BYTES - 1] + b"\0"
        start = slot * SLOT_BYTES
        self.memory[start : start + len(data)] = data

    def paths(self) -> list[str]:
        """The file each worker started last."""
        raw = bytes(self.memory[:])
        found = []
        for slot in range(self.workers):
            piece = raw[slot * SLOT_BYTES : (slot + 1) * SLOT_BYTES].split(b"\0", 1)[0]
            if piece:
                found.append(piece.decode("utf-8", "replace"))
        return found


PR_SET_PDEATHSIG = 1  # prctl(2)


def _start_worker(settings: dict[str, Any], slots: WorkerSlots, cache: Path | None) -> None:
    """Set up a worker: it logs nothing, leaves Ctrl-C to the main process, ends with it.

    The main process stops the workers on Ctrl-C (``ReadingSession.take``) and says in one
    line that the build stopped; a worker that took Ctrl-C too would print a traceback.
    """
    heard = LogCounter(logging.WARNING)  # such a file is converted again in the main process
    logging.getLogger().handlers = [heard]
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with_parent()
    _worker.update(settings=settings, slots=slots, slot=slots.claim(), heard=heard)
    _worker["cache"] = ResultCache(cache) if cache is not None else None


def _end_with_parent() -> None:
    """Linux: have the kernel send SIGTERM when the process that started this one ends."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the pool's own clean-up has to do
        return
    if os.getppid() == 1:  # the main process ended before the line above
        os._exit(1)


def _convert_in_worker(path: str, key: str) -> tuple[str, str | None]:
    """Convert one file and hold it to the allow-list; its conversion as JSON, kept in the
    reading cache under ``key`` here (not in the main process, which the build waits for), or
    None when the main process must redo it (an error, a warning, or markup the list refuses)."""
    _worker["slots"].write(_worker["slot"], path)
    heard = _worker["heard"]
    before = heard.count
    try:
        converted = convert(path, _worker["settings"])
        refuse_markup_not_allowed(converted, path)
    except Exception:  # converted again in the main process, which reports the error
        return path, None
    if heard.count != before:
        return path, None
    text = converted.to_json()
    if _worker["cache"] is not None:
        _worker["cache"].put(key, text)
    return path, text


# --- In the main process ---------------------------------------------------------------------


@dataclass
class ReadingSession:
    """One build's conversions: the cache, and the worker pool of the generator reading now."""

    pelican_settings: dict[str, Any]  # the build's, which names the session
    settings: dict[str, Any]  # the same with the site's MARKDOWN (site_reading_settings)
    cache: ResultCache | None
    keys: dict[str, str] = field(default_factory=dict)
    ready: dict[str, Converted] = field(default_factory=dict)
    futures: dict[str, Future] = field(default_factory=dict)
    pool: ProcessPoolExecutor | None = None
    slots: WorkerSlots | None = None
    read_ahead_for: set[int] = field(default_factory=set)  # generators already read ahead
    not_cached: set[str] = field(default_factory=set)
    stats: dict[str, float] = field(default_factory=dict)
    inputs: str | None = None  # settings_inputs: the same for every file of the build

    def key(self, path: str) -> str:
        """The cache key of a file (worked out once per build)."""
        if path not in self.keys:
            if self.inputs is None:
                self.inputs = settings_inputs(self.settings)
            self.keys[path] = cache_key(Path(path).read_bytes(), self.settings, self.inputs)
        return self.keys[path]

    def cached(self, path: str) -> Converted | None:
        """The cached conversion of ``path``, if any."""
        if self.cache is None:
            return None
        stored = self.cache.get(self.key(path))
        return Converted.from_json(stored) if stored is not None else None

    def keep(self, path: str, converted: Converted) -> None:
        """Put a fresh conversion, held to the allow-list, in the cache."""
        if self.cache is not None:
            self.cache.put(self.key(path), converted.to_json())

    def take(self, path: str) -> Converted:
        """The conversion of ``path``: read ahead, cached, or made now, held to the allow-list.

        A worker holds its conversion to the list, this process holds its own to it before
        keeping it, so the cache holds only conversions that passed: an entry is sealed, and
        its key covers the list's code and the versions of the libraries it uses
        (``reading._code_and_versions``), so a cached conversion is not checked again.

        Ctrl-C while waiting for it stops the workers: the queued files are dropped, each
        worker finishes the file it is converting (workers leave Ctrl-C to this process), and
        the pool is closed before the build stops with one line from the main process. (Not
        waiting for the pool left its thread closing its pipe while Python's exit hook wrote
        to it: now and then a traceback under that line.)
        """
        try:
            return self._take(path)
        except KeyboardInterrupt:
            self.close()
            raise

    def _take(self, path: str) -> Converted:
        if path in self.ready:
            return self.ready.pop(path)
        if path in self.futures:
            converted = self._from_worker(path)
            if converted is not None:
                return converted
        elif path not in self.not_cached:
            converted = self.cached(path)
            if converted is not None:
                return converted
        converted = convert(path, self.settings)
        refuse_markup_not_allowed(converted, path)
        self.keep(path, converted)
        return converted

    def _from_worker(self, path: str) -> Converted | None:
        future = self.futures.pop(path)
        try:
            _, text = future.result()
        except BrokenProcessPool as error:
            message = self._stopped_message({**self.futures, path: future})
            raise ReadingWorkerStopped(message) from error
        finally:
            if not self.futures:
                self.close()
        if text is None:
            return None
        return Converted.from_json(text)  # the worker kept it in the cache

    def _stopped_message(self, futures: dict[str, Future]) -> str:
        """Which files the workers were converting when one of them died."""
        content = self.settings.get("PATH", "")
        unfinished = sorted(
            os.path.relpath(path, content)
            for path in set(self.slots.paths() if self.slots else [])
            if not _succeeded(futures.get(path))
        )
        self.close()
        return (
            "reading: a worker process stopped (killed or crashed) while converting "
            f"{', '.join(unfinished) or 'a file'}. Nothing was written. Run the build again; "
            "if it stops again on the same file, build with PARALLEL_READING = False to see "
            "the file's own error."
        )

    def read_ahead(self, paths: list[str]) -> None:
        """Send the files that are not cached to worker processes."""
        todo = []
        for path in paths:
            if path in self.futures or path in self.ready:  # read ahead with the articles
                continue
            converted = self.cached(path)
            if converted is not None:
                self.ready[path] = converted
            else:
                todo.append(path)
        self.not_cached.update(todo)
        if len(todo) < MIN_FILES or (os.cpu_count() or 1) < 2:
            return
        context = multiprocessing.get_context("fork")
        workers = os.cpu_count() or 1
        self.slots = WorkerSlots(context, workers)
        self.pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(self.settings, self.slots, self.cache.folder if self.cache else None),
        )
        self.stats = {"files": len(todo), "since": time.perf_counter()}
        for path in todo:
            key = self.key(path) if self.cache is not None else ""
            self.futures[path] = self.pool.submit(_convert_in_worker, path, key)

    def close(self) -> None:
        """Stop the workers (done, or no longer needed) and say what they did: queued files
        are dropped, and this returns once each worker has finished its current file and the
        pool's thread has ended (so nothing of the pool runs on when Python exits)."""
        if self.pool is None:
            return
        with ctrl_c_held() as pressed:
            self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = None
        if pressed:  # the build stops, as Ctrl-C stops it, now that nothing of the pool runs
            self.stats = {}
            raise_held(pressed)
        if self.stats:
            logger.info(
                "reading: %d file(s) converted in worker processes in %.2f s",
                self.stats["files"],
                time.perf_counter() - self.stats["since"],
            )
            self.stats = {}


def _succeeded(future: Future | None) -> bool:
    """Whether a worker finished this file (a future the broken pool did not fail)."""
    return future is None or (
        future.done() and not future.cancelled() and future.exception() is None
    )


_session: dict[str, ReadingSession] = {}


def session(settings: dict[str, Any]) -> ReadingSession:
    """This build's reading session (made on first use)."""
    current = _session.get("current")
    if current is None or current.pelican_settings is not settings:
        stop_reading()  # an earlier build's, in this process
        options = checked_settings(settings)
        cache = None
        if options["READING_CACHE"] and settings.get("CACHE_PATH"):
            cache = ResultCache(Path(settings["CACHE_PATH"]) / CACHE_FOLDER)
        current = ReadingSession(settings, site_reading_settings(settings), cache)
        _session["current"] = current
    return current


def take(path: str, settings: dict[str, Any]) -> Converted:
    """The conversion of one file, for ``SiteMarkdownReader.read``, held to the allow-list."""
    return session(settings).take(path)


def files_to_read(generator: Any, paths_key: str, excludes_key: str) -> list[str]:
    """The Markdown files this generator will read with our reader that Pelican has not cached."""
    settings = generator.settings
    found = []
    for relative in generator.get_files(settings[paths_key], exclude=settings[excludes_key]):
        path = os.path.abspath(os.path.join(generator.path, relative))
        reader = generator.readers.readers.get(os.path.splitext(path)[1].lstrip("."))
        if not isinstance(reader, SiteMarkdownReader):
            continue
        if generator.get_cached_data(relative, None) is not None:
            continue
        if generator.readers.get_cached_data(path, None) is not None:
            continue
        found.append(path)
    return found  # in the order Pelican reads them: each can be taken as soon as it is converted


def start_reading(generator: Any) -> None:
    """``*_generator_preread`` (sent before each file): on the first, read ahead."""
    if not checked_settings(generator.settings)["PARALLEL_READING"]:
        return
    current = session(generator.settings)
    if id(generator) in current.read_ahead_for:
        return
    current.read_ahead_for.add(id(generator))
    if isinstance(generator, ArticlesGenerator):
        # The pages too, after the articles: the same workers convert them while this process
        # makes the articles' lists, and no second pool starts when Pelican reads the pages.
        current.read_ahead(
            files_to_read(generator, "ARTICLE_PATHS", "ARTICLE_EXCLUDES")
            + files_to_read(generator, "PAGE_PATHS", "PAGE_EXCLUDES")
        )
    elif isinstance(generator, PagesGenerator):
        current.read_ahead(files_to_read(generator, "PAGE_PATHS", "PAGE_EXCLUDES"))


@contextlib.contextmanager
def workers_stop_with_build() -> Iterator[None]:
    """Around a build run in this process (``Pelican(settings).run()``): when it fails or is
    stopped (Ctrl-C) while files are still being read, its workers end before this returns,
    each after its current file, and the queued files are dropped. Otherwise Python's exit
    waits until every queued file is converted (seconds for 1,000 articles) before the
    process can end."""
    try:
        yield
    finally:
        stop_reading()  # after a build that went through: nothing left to stop


def stop_reading(*_: Any) -> None:
    """Stop any workers and report the cache (``all_generators_finalized``, a new build)."""
    current = _session.pop("current", None)
    if current is None:
        return
    current.close()
    if current.cache is not None:
        hits, misses = current.cache.take_counts()
        logger.info("reading: %d file(s) from the cache, %d converted", hits, misses)
