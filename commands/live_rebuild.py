"""`invoke serve`'s rebuild after a save: Pelican runs as ever, but writes only the pages the
saved files touch.

Pelican 4.9 removed ``WRITE_SELECTED``; its public replacement is the ``get_writer`` signal, which
lets a plugin or a tool supply the writer. Every rebuild reads the whole site (Pelican's content
cache and plugins/reading's cache make that cheap), so every list, related article and glossary
line is worked out from all of it as in a full build; only the writing is selective. A page is
written again when

- it is new, or the last build failed (its output may be half written);
- its own content changed (its HTML or any of its fields);
- it lists a content whose fields changed, now or in the last build: the indexes and tags
  it appears on (old and new ones), the articles that link to it as related, previous or
  next, its translations.

The saved contents' own pages are written first (``SavedPagesFirst``), the other pages of
their generator right after: `invoke serve` tells a browser to reload as soon as the page it
shows is written (commands/browsers.py), so the writer's page need not wait for the lists.

Everything is written, as in a plain rebuild, when a file outside ``content/`` changed
(templates, stylesheets, plugins, settings), when a file was added, deleted or renamed, when
the last build failed, and when a content's address, language, status, date or category
changed (its place in every list, its neighbours, the footer's year).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pelican_compat
from build_speed import CompiledTemplates
from jinja2 import BytecodeCache
from pelican import signals
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper
from pelican.writers import Writer

# What a content's identity is made of: a change moves it in every list, or away.
IDENTITY_FIELDS = ("save_as", "lang", "status", "date", "slug", "category")
# The plain values a list of contents may show; other attributes are the page's own.
SHOWN_TYPES = (str, int, float, bool, dt.date, URLWrapper)
NOT_SHOWN_FIELDS = frozenset({"settings"})  # private names are skipped too
# A write keyword that hands every article to each page (Pelican's period archives).
ALL_CONTENT_KEYWORDS = frozenset({"all_articles"})

FileStamps = dict[Path, tuple[int, int]]


@dataclasses.dataclass(frozen=True)
class SourceState:
    """What one build made of one source file."""

    identity: tuple[str, ...]
    fields: int  # a hash of what other pages may show: title, tags, summary, reading time...
    html: int  # a hash of its HTML after every plugin's change


@dataclasses.dataclass
class SiteRecord:
    """What one build read and wrote: each source's state, and each page's listed sources."""

    sources: dict[str, SourceState] = dataclasses.field(default_factory=dict)
    listings: dict[str, frozenset[str]] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Rebuilt:
    """One rebuild: whether it succeeded, the content files saved since the last one, whether
    every page was written, the pages written (output paths), and the sources the build made
    a content of (a file Pelican skipped, such as a draft with a bad date, is not one)."""

    built: bool
    saved: list[Path]
    everything: bool
    written: list[str]
    read: frozenset[str] = frozenset()


def _is_link(value: Any) -> bool:
    if isinstance(value, Content):
        return True
    return isinstance(value, (list, tuple)) and any(isinstance(item, Content) for item in value)


def source_state(content: Content) -> SourceState:
    """The state of one content after every plugin's change.

    What other pages show of it (a card's title, summary and reading time, an archive's date,
    a tag's list) is its metadata, the summary Pelican makes from the body when it has none, and
    the plain values plugins derive (numbers, strings, dates). Structured values made from the
    body (contents list, figures, the review fingerprint) show on its own page, which its
    HTML's hash already rewrites.
    """
    shown = {
        name: value
        for name, value in vars(content).items()
        if isinstance(value, SHOWN_TYPES)
        and not name.startswith("_")
        and name not in NOT_SHOWN_FIELDS
    }
    html = hash(pelican_compat.raw_html(content))
    # Without a Summary, Pelican makes one from the body: the lists show the body's start.
    derived_summary = html if "summary" not in content.metadata else None
    identity = tuple(str(getattr(content, name, "")) for name in IDENTITY_FIELDS)
    # The body's record (its text, references, contents) shows on its own page only, whose
    # HTML's hash already rewrites it; other pages show the flat fields (reading_time...).
    metadata = {name: value for name, value in content.metadata.items() if name != "record"}
    # repr: the same from one build to the next for these values (texts, dates, tags by name);
    # a value shown by address would only make the lists that show it be written every time.
    return SourceState(identity, hash((repr(metadata), repr(shown), derived_summary)), html)


def linked_contents(value: Any) -> Iterator[Content]:
    """The contents in one write argument: a content, or a list of them (one level of tuples
    inside, as in ``[(category, articles), ...]``)."""
    if isinstance(value, Content):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, Content):
                yield item
            elif isinstance(item, (list, tuple)):
                yield from (inner for inner in item if isinstance(inner, Content))


def listed_sources(
    context: Mapping[str, Any],
    shared: Mapping[str, Any],
    paginated: Mapping[str, Any] | None,
    keywords: Mapping[str, Any],
) -> frozenset[str]:
    """The source paths one page shows: its own content and what that links to (related,
    previous/next, translations), and the contents this page alone is given (a tag's
    articles, a language's home). The lists every page is given (the site's ``articles``, which
    the footer reads for its year) count only for a page given nothing else (a 404 page that
    lists guides): what an article's page shows of them is the newest date, and a change of
    date rewrites everything."""
    found: list[Content] = []
    for name, value in keywords.items():
        if name not in ALL_CONTENT_KEYWORDS:
            found.extend(linked_contents(value))
    for value in (paginated or {}).values():
        found.extend(linked_contents(value))
    if context is not shared:  # a copy with some lists of its own (a language's home)
        for name, value in context.items():
            if value is not shared.get(name):
                found.extend(linked_contents(value))
    own = keywords.get("article") or keywords.get("page")
    if isinstance(own, Content):
        found.append(own)
        found.extend(item for value in vars(own).values() for item in linked_contents(value))
    elif not found:  # a page given nothing of its own (404.html) may list the site's contents
        found.extend(item for value in shared.values() for item in linked_contents(value))
    return frozenset(content.source_path for content in found)


class SavedPagesFirst:
    """In a selective build, the saved contents' own pages are written before the other pages
    of their generator (Pelican writes translations, then articles by date, then the lists):
    the pages written meanwhile wait, and are written right after them, or at the end of
    their generator's writing when the saved content is not among its pages."""

    def __init__(self) -> None:
        self.pending: set[str] = set()  # the saved contents whose own page is not written yet
        self.held: list[Callable[[], None]] = []
        self.in_generator = False  # the Articles or Pages generator is writing

    def generator_writing(self, _generator: Any, **_content: Any) -> None:
        """``article_generator_write_article``/``page_generator_write_page``: the Articles or
        Pages generator is writing (other generators' pages never wait)."""
        self.in_generator = True

    def write(self, own: str | None, write: Callable[[], None]) -> None:
        """Write a page now, or after the saved contents' own pages."""
        if self.in_generator and self.pending and own not in self.pending:
            self.held.append(write)
            return
        write()
        if own in self.pending:
            self.pending.discard(own)
            if not self.pending:
                self.release()

    def release(self, *_generator: Any, **_writer: Any) -> None:
        """Write the waiting pages (also ``article_writer_finalized``/``page_writer_finalized``:
        a generator's pages are all written before it is done)."""
        self.in_generator = False
        held, self.held = self.held, []
        for write in held:
            write()


class WritePlan:
    """Which pages one build writes, and the record of that build for the next one."""

    def __init__(
        self, previous: SiteRecord | None, on_written: Callable[[str], None] | None = None
    ) -> None:
        self.previous = previous
        self.on_written = on_written
        self.record = SiteRecord()
        self.generators: list[Any] = []
        self.written: list[str] = []
        self._changed: frozenset[str] | None = None  # None: write everything
        self._shown_changed: frozenset[str] = frozenset()  # what other pages show changed
        self.order = SavedPagesFirst()

    def remember_generators(self, generators: list[Any]) -> None:
        """``all_generators_finalized``: keep the generators (their contents are read later,
        at the first write, once every plugin has changed them)."""
        self.generators = list(generators)

    @property
    def shared_context(self) -> Mapping[str, Any]:
        return self.generators[0].context if self.generators else {}

    def _start(self) -> None:
        """At the first write: every source's state, and which of them changed."""
        for content in pelican_compat.all_content(self.generators):
            self.record.sources[content.source_path] = source_state(content)
        previous, now = self.previous, self.record.sources
        if previous is None or previous.sources.keys() != now.keys():
            return
        if any(previous.sources[path].identity != state.identity for path, state in now.items()):
            return
        self._changed = frozenset(
            path for path, state in now.items() if previous.sources[path] != state
        )
        self._shown_changed = frozenset(
            path for path in self._changed if previous.sources[path].fields != now[path].fields
        )
        self.order.pending = set(self._changed)

    @property
    def everything(self) -> bool:
        """Whether this build writes every page (known after the first write)."""
        return self._changed is None

    def wants(self, name: str, context: Mapping[str, Any], paginated: Any, keywords: dict) -> bool:
        """Whether to write the page ``name``; records what it lists either way."""
        if not self.record.sources:
            self._start()
        listed = listed_sources(context, self.shared_context, paginated, keywords)
        self.record.listings[name] = listed
        if self._changed is None or self.previous is None or name not in self.previous.listings:
            return True
        own = getattr(keywords.get("article") or keywords.get("page"), "source_path", None)
        if own in self._changed:
            return True
        return not self._shown_changed.isdisjoint(listed | self.previous.listings[name])

    def file_written(self, path: str, **_context: Any) -> None:
        """``content_written`` (each file, a paginated list's later pages too): in a selective
        build, say at once that ``path`` is on disk (serve tells the browsers showing it). A full
        build says nothing: its stylesheets and scripts are copied after the pages, so a page is
        ready only when the build ends."""
        if self.on_written is not None and self._changed is not None:
            self.on_written(path)


def selective_writer(plan: WritePlan) -> type[Writer]:
    """Pelican's writer, writing only the pages ``plan`` wants."""

    class SelectiveWriter(Writer):
        def write_file(  # noqa: PLR0917 (Pelican's signature)
            self,
            name: str,
            template: Any,
            context: dict,
            relative_urls: bool = False,
            paginated: Any = None,
            template_name: str | None = None,
            override_output: bool = False,
            url: str | None = None,
            **kwargs: Any,
        ) -> None:
            if not plan.wants(name, context, paginated, kwargs):
                return

            def write() -> None:
                if name:  # Pelican skips a page whose *_SAVE_AS is empty
                    plan.written.append(name)
                super(SelectiveWriter, self).write_file(
                    name, template, context, relative_urls, paginated, template_name,
                    override_output, url, **kwargs,
                )  # fmt: skip

            own = getattr(kwargs.get("article") or kwargs.get("page"), "source_path", None)
            plan.order.write(own, write)

    return SelectiveWriter


@contextlib.contextmanager
def selective_writing(plan: WritePlan, templates: BytecodeCache | None = None) -> Iterator[None]:
    """While inside, a Pelican run in this process writes through ``plan`` (and its
    generators' Jinja environments keep compiled templates in ``templates``)."""
    writer = selective_writer(plan)

    def supply_writer(_pelican: Any) -> type[Writer]:
        return writer

    def share_templates(generator: Any) -> None:
        environment = getattr(generator, "env", None)
        if templates is not None and environment is not None:
            environment.bytecode_cache = templates

    with (
        signals.get_writer.connected_to(supply_writer),
        signals.all_generators_finalized.connected_to(plan.remember_generators),
        signals.generator_init.connected_to(share_templates),
        signals.content_written.connected_to(plan.file_written),
        signals.article_generator_write_article.connected_to(plan.order.generator_writing),
        signals.page_generator_write_page.connected_to(plan.order.generator_writing),
        signals.article_writer_finalized.connected_to(plan.order.release),
        signals.page_writer_finalized.connected_to(plan.order.release),
    ):
        yield


def file_stamps(watched: Iterable[Path]) -> FileStamps:
    """Each file under the watched paths (files or folders), with its mtime and size."""
    stamps: FileStamps = {}
    for root in watched:
        paths = [root] if root.is_file() else root.rglob("*")
        for path in paths:
            if "__pycache__" in path.parts:
                continue
            with contextlib.suppress(FileNotFoundError):
                stat = path.stat()
                if path.is_file():
                    stamps[path] = (stat.st_mtime_ns, stat.st_size)
    return stamps


def only_content_edited(before: FileStamps, now: FileStamps, content: Path) -> bool:
    """Whether every change since ``before`` is an edit of an existing Markdown file in
    ``content`` (no file added, deleted or renamed; nothing outside it)."""
    if before.keys() != now.keys():
        return False
    edited = [path for path, stamp in now.items() if before[path] != stamp]
    return all(path.suffix == ".md" and path.is_relative_to(content) for path in edited)


class LiveRebuild:
    """`invoke serve`'s rebuilds in one process: remembers what the last build wrote, so that
    the next writes only what the files saved since then touch."""

    def __init__(self, watched: Iterable[Path], content: Path) -> None:
        self.watched = list(watched)
        self.content = content
        self.stamps = file_stamps(self.watched)
        self.record: SiteRecord | None = None
        # Compiled templates kept between rebuilds in this process (each build makes new Jinja
        # environments); a template whose source changed is compiled again.
        self.templates = CompiledTemplates()

    def run(
        self, build: Callable[[], bool], on_written: Callable[[str], None] | None = None
    ) -> Rebuilt:
        """Run ``build`` (an in-process Pelican build) writing only what the changes touch;
        in a selective build, ``on_written`` hears each file's path once it is written."""
        now = file_stamps(self.watched)
        before, self.stamps = self.stamps, now
        selective = self.record is not None and only_content_edited(before, now, self.content)
        plan = WritePlan(self.record if selective else None, on_written)
        if not selective:  # settings may have changed how templates compile
            self.templates.clear()
        pelican_compat.forget_every_rendering()
        with selective_writing(plan, self.templates):
            built = build()
        self.record = plan.record if built else None
        read = frozenset(map(os.path.realpath, plan.record.sources)) if built else frozenset()
        return Rebuilt(built, self._saved(before, now), plan.everything, plan.written, read)

    def _saved(self, before: FileStamps, now: FileStamps) -> list[Path]:
        """The Markdown files of ``content`` written (or created) between two snapshots."""
        return sorted(
            path
            for path, stamp in now.items()
            if path.suffix == ".md"
            and path.is_relative_to(self.content)
            and before.get(path) != stamp
        )


# How often `invoke serve` looks for a saved file. livereload's own 0.8 s added 0.4 s to the
# average save; a look at 1,000 articles' files costs about 10 ms.
POLL_MILLISECONDS = 150


def prompt_watcher(busy: Callable[[], bool] = lambda: False) -> Any:
    """livereload's file watcher, looking every ``POLL_MILLISECONDS`` (for ``Server(watcher=)``).

    It runs the task of each watched path that changed (serve's rebuild, which starts in the
    background) and never asks livereload to reload: serve tells each browser itself, when its
    page is written (commands/browsers.py). livereload would tell every browser at once, and
    ignore a change within 3 s of the last reload (a writer's quick second save).

    While ``busy()`` (a rebuild runs), it does not look: a look stats every watched file in
    the server's thread, and each stat waits for the rebuild's thread to hand back the GIL, so
    a look then takes long enough to hold up the server telling a browser its page is written.
    A file saved meanwhile is found by the first look after the rebuild (the watcher compares
    with the times it saw last).
    """
    from livereload.watcher import Watcher
    from tornado.ioloop import PeriodicCallback

    class PromptWatcher(Watcher):
        def start(self, callback: Callable[[], Any]) -> bool:
            """livereload's hook: poll on our own schedule (True: not livereload's)."""
            PeriodicCallback(callback, POLL_MILLISECONDS).start()
            return True

        def examine(self) -> tuple[str | None, Any]:
            """livereload's hook: run the tasks of what changed; nothing for livereload to tell."""
            if not busy():
                super().examine()
            return None, None

    watcher = PromptWatcher()
    watcher.ignore_dirs("__pycache__")  # Python writing a plugin's bytecode is no save
    return watcher
