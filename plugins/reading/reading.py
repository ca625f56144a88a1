"""Read Markdown with the site's typography: once per content hash, on every core in production.

Pelican reads one file at a time and typogrifies every text again on every build, even when
its content cache hands back the Markdown. This plugin's reader (``SiteMarkdownReader``, put
in place of Pelican's own through the ``readers_init`` signal) does both in one step:

- **Convert** (``convert``): Markdown with the site's extensions, then typography (smart
  quotes and dashes; Pelican's ``TYPOGRIFY_*`` settings) on the body, the title and the
  formatted fields. ``TYPOGRIFY`` itself stays False, so Pelican does not typeset twice.
- **Keep** (``result_cache.ResultCache``, ``CACHE_PATH/reading/``): each conversion is kept
  under a hash of the file's bytes, the settings and the code that made it, so a production
  build (which starts from nothing) converts only new or edited files.
- **Share the work** (``workers.ReadAhead``, production: ``PARALLEL_READING``): when a
  generator starts reading, the files it is about to read that are not cached go to worker
  processes on every core; a worker that dies fails the build with the files it was reading.

The metadata is built with Pelican's public ``process_metadata``, the way Pelican's own
``MarkdownReader`` builds it (``pelican_compat.markdown_reader_metadata``, a named copy of its
private ``_parse_metadata``), so the output is byte-for-byte that of Pelican's reader.

Settings: ``TYPOGRAPHY`` (default True), ``READING_CACHE`` (default True),
``PARALLEL_READING`` (default False; on in publishconf.py: ``invoke serve`` rebuilds inside a
process that runs threads, and such a process must not fork).
"""

from __future__ import annotations

import copy
import functools
import hashlib
import html as html_module
import json
import logging
import threading
from dataclasses import dataclass, field, fields
from importlib.metadata import version
from pathlib import Path
from typing import Any

from article_markup.allowed import disallowed_markup
from article_markup.limits import limits_of, over_limits
from article_markup.record import ArticleRecord, RecordExtension, document_record, plain_data
from article_markup.source_text import TextOnlyExtension
from dates import parse_iso_date
from html_structure import BlockPlaces, html_events
from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open
from pelican_compat import markdown_reader_metadata, typogrify_as_pelican
from result_cache import ResultCache
from reviewed_text import html_lines, point_lines
from site_config import site_config
from site_errors import SiteError
from translations import catalogue_folder

from .typography import TypographyExtension
from .where_needed import OnlyWhereNeededExtension

logger = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {"TYPOGRAPHY": True, "READING_CACHE": True, "PARALLEL_READING": False}
CACHE_FOLDER = "reading"
# Markdown extensions that only make sense for a whole article, not for a Summary field.
BODY_ONLY_EXTENSIONS = ("article_markup",)


class ReadingSettingsError(SiteError):
    """A setting of the reading plugin has a value it cannot use."""


class MarkdownTooComplex(Exception):
    """A file goes over the limits Markdown is read within (article_markup.limits)."""


class MarkupNotAllowed(Exception):
    """A page's HTML holds something outside the allow-list (article_markup.allowed)."""


def html_in_facts(value: Any) -> list[str]:
    """Every piece of HTML the extensions report beside the body (a key points box...)."""
    if isinstance(value, str):
        return [value] if "<" in value else []
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return [html for item in value for html in html_in_facts(item)]
    return []


def refuse_markup_not_allowed(converted: Converted, source_path: str) -> None:
    """Stop a page whose body or Summary holds markup outside the allow-list (``invoke check``
    names the line); only a conversion that passed is cached (``workers.ReadingSession``)."""
    refused = disallowed_markup(converted.content)
    for html in [*converted.formatted.values(), *html_in_facts(converted.facts)]:
        refused += disallowed_markup(html)
    if refused:
        raise MarkupNotAllowed(
            f"{source_path}: the page would hold "
            + "; ".join(item.what for item in dict.fromkeys(refused))
            + ", outside the allow-list of elements and attributes "
            "(plugins/article_markup/allowed.py). `invoke check` names the line."
        )


@dataclass
class Converted:
    """What one Markdown file becomes: everything Pelican's reader would make, as plain data.

    ``meta`` is the metadata block as Markdown's ``meta`` extension reads it (lists of
    strings); ``formatted`` maps each formatted field's source to its HTML; ``typeset`` maps
    a title or formatted field's HTML to its typeset form; ``facts`` are what the site's
    Markdown extensions report about the body (reading time, contents, glossary terms);
    ``record`` is the body's ``ArticleRecord`` as data (``ArticleRecord.to_dict``).
    """

    content: str
    meta: dict[str, list[str]] = field(default_factory=dict)
    formatted: dict[str, str] = field(default_factory=dict)
    typeset: dict[str, str] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    record: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        """The conversion as JSON (what the cache keeps)."""
        data = {item.name: getattr(self, item.name) for item in fields(self)}
        return json.dumps(data, ensure_ascii=False, default=plain_data)  # a dataclass as a dict

    @classmethod
    def from_json(cls, text: str) -> Converted:
        """A conversion read back from the cache."""
        return cls(**json.loads(text))


def reading_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The plugin's settings merged with its defaults, checked."""
    merged = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    for key, value in merged.items():
        if not isinstance(value, bool):
            raise ReadingSettingsError(f"reading: {key} must be True or False, not {value!r}")
    if merged["TYPOGRAPHY"] and settings.get("TYPOGRIFY"):
        raise ReadingSettingsError(
            "reading: TYPOGRIFY is True, so Pelican would typeset every text a second time. "
            "Set TYPOGRIFY = False (plugins/reading typesets with the TYPOGRIFY_* settings, "
            "and caches the result), or TYPOGRAPHY = False to leave typography to Pelican."
        )
    return merged


# --- Converting one file (in the main process or a worker) ----------------------------------


def site_markdown(settings: dict[str, Any], body: bool) -> Markdown:
    """A fresh Markdown with the site's settings; without the body-only extensions if not body.

    Python-Markdown's inline pass skips the texts it cannot change (``where_needed``).
    With ``TYPOGRAPHY`` on, typography runs on the tree as part of the conversion
    (``typography.TypographyExtension``). The body's Markdown also makes the document's record
    (``article_markup.record``), after everything else.
    """
    config = settings["MARKDOWN"]
    extensions = list(config.get("extensions", []))
    configs = dict(config.get("extension_configs", {}))
    if not body:
        extensions = [name for name in extensions if name not in BODY_ONLY_EXTENSIONS]
        for name in BODY_ONLY_EXTENSIONS:
            configs.pop(name, None)
        # A Summary is text too: no raw HTML in it either (article_markup's own rule).
        extensions.append(TextOnlyExtension())
    extensions.append(OnlyWhereNeededExtension())  # the same HTML, made faster
    if reading_settings(settings)["TYPOGRAPHY"]:
        extensions.append(TypographyExtension(dashes=settings.get("TYPOGRIFY_DASHES", "default")))
    if body:
        extensions.append(RecordExtension(default_lang=settings.get("DEFAULT_LANG", "en")))
    return Markdown(**{**config, "extensions": extensions, "extension_configs": configs})


# Each thread's Markdown objects (a conversion is not thread-safe), for the settings they
# were made from: building one with every extension costs more than a short file's conversion.
_kept = threading.local()


def kept_markdown(settings: dict[str, Any], body: bool) -> Markdown:
    """``site_markdown(settings, body)``, made once per thread for these settings and reset for
    each document: every extension forgets the last document in ``reset``
    (tests/test_reading.py converts documents in a row with one and with fresh ones). The
    fields' Markdown reads no metadata block."""
    made_from = repr(
        [settings["MARKDOWN"], reading_settings(settings)["TYPOGRAPHY"]]
        + [settings.get(name) for name in ("TYPOGRIFY_DASHES", "DEFAULT_LANG")]
    )
    if getattr(_kept, "made_from", None) != made_from:
        _kept.made_from, _kept.markdowns = made_from, {}
    md = _kept.markdowns.get(body)
    if md is None:
        md = _kept.markdowns[body] = site_markdown(settings, body)
        if not body:
            md.preprocessors.deregister("meta")
    return md.reset()


def extension_facts(md: Markdown) -> dict[str, Any]:
    """What the site's own Markdown extensions report about the document just converted."""
    facts: dict[str, Any] = {}
    for extension in md.registeredExtensions:
        report = getattr(extension, "document_facts", None)
        if callable(report):
            facts.update(report())
    return facts


def typeset(text: str, settings: dict[str, Any], widont: bool = True) -> str:
    """Typogrify ``text`` as Pelican's ``read_file`` would with ``TYPOGRIFY = True``
    (``pelican_compat.typogrify_as_pelican``).

    ``widont=False`` for a title: shown as a large heading, its last two words joined cannot
    fit a phone's line and the browser breaks inside a word.
    """
    return typogrify_as_pelican(text, settings, widont)


def convert(path: str, settings: dict[str, Any]) -> Converted:
    """Convert one Markdown file: body, formatted fields, typography, the extensions' facts."""
    try:
        return _convert(path, settings)
    except BaseException:  # a conversion stopped half-way: the next file gets new Markdowns
        _kept.__dict__.clear()
        raise


def _convert(path: str, settings: dict[str, Any]) -> Converted:
    md = kept_markdown(settings, body=True)
    with pelican_open(path) as text:
        problems = over_limits(text, limits_of(settings))
        if problems:  # before Markdown runs: some input takes it minutes
            raise MarkdownTooComplex(
                f"{path}: "
                + "; ".join(
                    (f"line {problem.line}: " if problem.line else "") + problem.what
                    for problem in problems
                )
                + ". Split the file or simplify it (`invoke check` says where)."
            )
        content = md.convert(text)
    record = document_record(md)
    if record is not None:  # what a review approves, read here once (not in the main process)
        events = html_events(content)  # one parse for the lines and the places
        places = BlockPlaces.of(content, events)
        record = record.with_body_html(content, html_lines(content, events), places)
    converted = Converted(content, meta=dict(getattr(md, "Meta", {})), facts=extension_facts(md))
    fields = kept_markdown(settings, body=False)
    for name, value in converted.meta.items():
        if name.lower() in settings["FORMATTED_FIELDS"]:
            source = "\n".join(value)
            fields.reset()
            converted.formatted[source] = fields.convert(source)
    if reading_settings(settings)["TYPOGRAPHY"]:
        _typeset_all(converted, settings)
    if record is not None:
        points = (converted.facts.get("key_points") or {}).get("points") or []
        if points:  # approved with the body, as the page shows them (typeset)
            record = record.with_key_points(points, point_lines(points))
        converted.record = record.to_dict()
    return converted


def _typeset_all(converted: Converted, settings: dict[str, Any]) -> None:
    """Typeset what Markdown did not: the title (and a summary when it is not a formatted field).

    The body and the formatted fields were typeset on the tree while they were converted.
    """
    for title in converted.meta.get("title", [])[:1]:
        converted.typeset[title] = typeset(title, settings, widont=False)
    summary = converted.meta.get("summary")
    if summary and "summary" not in settings["FORMATTED_FIELDS"]:
        converted.typeset[summary[0]] = typeset(summary[0], settings)
    key_points = converted.facts.get("key_points")
    if key_points:  # shown outside the body, typeset like it
        key_points["points"] = [typeset(point, settings) for point in key_points["points"]]


# --- The cache key ---------------------------------------------------------------------------


@functools.cache
def _code_and_versions() -> str:
    """This plugin's and the site's Markdown extension's source, and the libraries' versions."""
    import article_markup
    import html_structure
    import metadata_block
    import reviewed_text

    sources = [
        *Path(__file__).parent.glob("*.py"),
        Path(metadata_block.__file__),
        Path(reviewed_text.__file__),
        Path(html_structure.__file__),
        *Path(article_markup.__file__).parent.glob("*.py"),
    ]
    digest = hashlib.sha256()
    for source in sorted(sources):
        digest.update(source.read_bytes())
    # nh3 and lxml: the allow-list's check, which a cached conversion has passed.
    packages = ("markdown", "typogrify", "smartypants", "nh3", "lxml")
    return digest.hexdigest() + " " + " ".join(version(name) for name in packages)


def cache_key(source: bytes, settings: dict[str, Any], inputs: str | None = None) -> str:
    """A hash of the file and of everything its conversion depends on.

    ``inputs``: ``settings_inputs(settings)`` when the caller already has it (a build works
    it out once: it reads the glossary pages, figures and catalogues).
    """
    return ResultCache.key(
        inputs if inputs is not None else settings_inputs(settings),
        hashlib.sha256(source).hexdigest(),
    )


def settings_inputs(settings: dict[str, Any]) -> str:
    """What every file's conversion depends on besides its own bytes: the code, the settings,
    the glossary pages, figures and catalogues (``article_markup.cache_inputs``)."""
    import article_markup

    relevant = {
        name: settings.get(name)
        for name in (
            "MARKDOWN",
            "FORMATTED_FIELDS",
            "TYPOGRIFY_DASHES",
            "TYPOGRIFY_IGNORE_TAGS",
            "TYPOGRIFY_OMIT_FILTERS",
            "DEFAULT_LANG",
        )
    }
    relevant["TYPOGRAPHY"] = reading_settings(settings)["TYPOGRAPHY"]
    # Joined as ResultCache.key joins its parts, so the keys of earlier builds still match.
    return "\x00".join(
        (
            _code_and_versions(),
            repr(sorted(relevant.items())),
            article_markup.cache_inputs(settings["MARKDOWN"]),
        )
    )


def site_reading_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """Pelican's settings with the site's ``MARKDOWN`` (``markdown_settings``): a copy, so
    the settings Pelican and the other plugins share are not changed."""
    return {**settings, "MARKDOWN": markdown_settings(settings)}


def markdown_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """``MARKDOWN`` with what the site's extension needs from the other settings (a copy).

    article_markup reads the glossary pages from the content folder, fills `!!! clinic-rule`
    boxes from each language's clinic_rules and words from the catalogues. The build's reader
    and the writer's check (content_check.markup) make their Markdown from this one function.
    """
    config = copy.deepcopy(settings["MARKDOWN"])
    configs = config.setdefault("extension_configs", {})
    # As Pelican's MarkdownReader: every configured extension is on, and so is meta.
    extensions = config.setdefault("extensions", [])
    extensions += [name for name in configs if name not in extensions]
    if "markdown.extensions.meta" not in extensions:
        extensions.append("markdown.extensions.meta")
    # Last: it puts the shared reading of the metadata block in place of meta's, and switches
    # raw HTML off, after every other extension has registered its processors.
    if "article_markup" in extensions:
        extensions.append(extensions.pop(extensions.index("article_markup")))
    if "article_markup" in configs and settings.get("PATH"):
        configs["article_markup"]["content_path"] = str(settings["PATH"])
        configs["article_markup"]["page_paths"] = list(settings.get("PAGE_PATHS", ["pages"]))
        site = site_config(settings)
        configs["article_markup"]["clinic_rules"] = {
            language.code: dict(language.clinic_rules) for language in site.languages
        }
        configs["article_markup"]["translations_path"] = str(catalogue_folder(settings))
        configs["article_markup"].setdefault("default_lang", site.default_lang)
    return config


# --- Pelican's reader -----------------------------------------------------------------------


class SiteMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, taking each conversion from the read-ahead or the cache.

    The site's Markdown settings (``markdown_settings``) are made by the reading session from
    Pelican's; Pelican's own ``MARKDOWN`` setting is left as the settings file wrote it.
    """

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        """Return the file's HTML and metadata, as Pelican's ``MarkdownReader.read`` would."""
        from . import workers

        try:
            converted = workers.take(source_path, self.settings)  # held to the allow-list
        except (MarkdownTooComplex, MarkupNotAllowed) as refusal:
            # Pelican logs only "Could not process FILE" (the reason needs DEBUG): say why.
            logger.error("%s", refusal)
            raise
        metadata = self.metadata_of(converted, source_path)
        return converted.content, metadata

    def metadata_of(self, converted: Converted, source_path: str) -> dict[str, Any]:
        """The metadata of a conversion, as Pelican's ``MarkdownReader`` builds it (through
        the public ``process_metadata``: ``pelican_compat.markdown_reader_metadata``)."""
        for key, value in converted.meta.items():
            refuse_unreadable_date(key.lower(), value[0] if value else "", source_path)
        output = markdown_reader_metadata(self, converted.meta, converted.formatted, source_path)
        for name in ("title", "summary"):  # what Pelican's read_file typesets
            value = output.get(name)
            if isinstance(value, str):
                output[name] = converted.typeset.get(value, value)
        output.update(converted.facts)
        if converted.record:  # the plugins after reading take the body's facts from it
            output["record"] = self.record_of(converted)
        return output

    def record_of(self, converted: Converted) -> ArticleRecord:
        """The body's record; typeset as Pelican will typeset the body when it does
        (``TYPOGRIFY`` on, ``TYPOGRAPHY`` off), so it reads as the page does."""
        record = ArticleRecord.from_dict(converted.record)
        if not self.settings.get("TYPOGRIFY"):
            return record
        settings = self.settings

        def typeset_text(text: str) -> str:
            written = typeset(html_module.escape(text, quote=False), settings)
            return " ".join(html_module.unescape(written).split())

        return record.with_texts(typeset_text)


class UnreadableDate(ValueError):
    """A Date or Modified that does not start with YYYY-MM-DD (the writer's check says so too)."""


def refuse_unreadable_date(name: str, value: str, source_path: str) -> None:
    """Refuse a Date or Modified that does not start with ``YYYY-MM-DD``.

    Pelican would guess at ``06/12/2026`` (12 June, or 6 December?) and show its guess; the
    writer's check refuses it (``meta-date``). The build refuses it too, so both agree.
    """
    if name not in ("date", "modified") or parse_iso_date(str(value).strip()[:10]):
        return
    message = (
        f"{source_path}: {name.capitalize()} {str(value).strip()!r} is not a date in the form "
        "YYYY-MM-DD (year-month-day), so the page is left out. Write it as year-month-day, "
        "e.g. Date: 2026-06-12 (`invoke check` shows the line)."
    )
    # Pelican logs only "Could not process FILE" for a reader's error: say why here.
    logger.error(message)
    raise UnreadableDate(message)


def use_site_reader(readers: Any) -> None:
    """``readers_init``: read Markdown with ``SiteMarkdownReader`` (checking the settings)."""
    reading_settings(readers.settings)
    for fmt, reader_class in readers.reader_classes.items():
        if reader_class is MarkdownReader:  # sent before Readers makes its reader objects
            readers.reader_classes[fmt] = SiteMarkdownReader
