"""The audit's specimen: a guide with every element our Markdown makes, built, never published.

Content cannot set colours (the build refuses raw HTML and ``style``), so what colours a guide's
body shows depends only on the theme and on which elements the body holds. The specimen
(``specimen/article.md``, one file per language) holds every one of them: headings, lists,
a definition list, a table with aligned columns, a quotation, code, care cards and callouts of
each kind, the clinic's first rule, key points, a figure, references, a glossary link and the
contents list. The audit checks the theme's colours on it (``content_check.audit``) instead of
on every guide.

It is built with the site's own settings and theme, beside the site's pages (so the links the
plugins add resolve) and without its articles, in a temporary folder: it never reaches the
site, and nothing in ``content/`` holds it. Its pages are then served at their own addresses
with every other file (the stylesheet above all) answered from the built site, so they are
audited under exactly the stylesheet that is published.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_config import site_config
from site_errors import SiteError

SPECIMEN_FOLDER = Path(__file__).resolve().parent / "specimen"
SLUG = "audit-specimen"
FIGURE_FOLDER = "images/audit-specimen"  # where the specimen's figure goes, under content/
# Places in the specimen's text filled from the clinic's own settings and glossary. They are
# writer's notes, which the build removes: a place with nothing to fill goes away.
CLINIC_RULE_PLACE = "<!-- specimen: clinic rule -->"
GLOSSARY_TERM_PLACE = "<!-- specimen: glossary term -->"
GLOSSARY_SENTENCE = {
    "en": "A word from the glossary: {term}.",
    "es": "Una palabra del glosario: {term}.",
}
LANG_LINE = re.compile(r"^Lang:\s*(\S+)\s*$", re.MULTILINE)


class SpecimenNotBuilt(SiteError):
    """The specimen could not be built with the site's settings."""


@dataclass(frozen=True)
class Specimen:
    """The specimen's pages as built: URL path -> the built file."""

    site_dir: Path
    pages: dict[str, Path]


def specimen_sources() -> dict[str, str]:
    """Each specimen file's language and text (``{"en": "Title: ...", "es": ...}``)."""
    sources = {}
    for file in sorted(SPECIMEN_FOLDER.glob("*.md")):
        text = file.read_text(encoding="utf-8")
        language = LANG_LINE.search(text)
        sources[language.group(1) if language else ""] = text
    return sources


def site_languages(settings: Mapping[str, Any]) -> list[str]:
    """The default language first, then the others ``LANGUAGES`` lists (site_config)."""
    return [language.code for language in site_config(settings).languages]


def filled_in(text: str, language: str, settings: Mapping[str, Any]) -> str:
    """The specimen with the clinic's first rule and a word from its glossary put in."""
    rules = _clinic_rules(settings, language)
    if rules:
        text = text.replace(CLINIC_RULE_PLACE, f'!!! clinic-rule "{next(iter(rules))}"')
    term = _glossary_term(settings, language)
    if term:
        sentence = GLOSSARY_SENTENCE.get(language, GLOSSARY_SENTENCE["en"]).format(term=term)
        text = text.replace(GLOSSARY_TERM_PLACE, sentence)
    return text


def _clinic_rules(settings: Mapping[str, Any], language: str) -> dict:
    return dict(site_config(settings).language(language).clinic_rules)


def _glossary_term(settings: Mapping[str, Any], language: str) -> str:
    """The first term of the language's glossary page (none when the site has no glossary)."""
    from article_markup.glossary import load_glossary

    configs = (settings.get("MARKDOWN") or {}).get("extension_configs") or {}
    source = ((configs.get("article_markup") or {}).get("glossaries") or {}).get(language)
    glossary = load_glossary(settings["PATH"], source) if source else None
    return next(iter(glossary.names.values()), "") if glossary else ""


def write_content(settings: Mapping[str, Any], content: Path) -> None:
    """The specimen's content folder: the site's pages and static files, and the specimen
    in each of the site's languages (hard links where the disk allows: nothing is changed)."""
    source = Path(settings["PATH"])
    for folder in [*settings.get("PAGE_PATHS", []), *settings.get("STATIC_PATHS", [])]:
        if (source / folder).is_dir():
            _copy_tree(source / folder, content / folder)
        elif (source / folder).is_file():
            (content / folder).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / folder, content / folder)
    articles = content / next(iter(settings.get("ARTICLE_PATHS") or [""])) / SLUG
    languages = site_languages(settings)
    for language, text in specimen_sources().items():
        if language in languages:
            name = "article.md" if language == languages[0] else f"{language}/article.md"
            file = articles / name
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(filled_in(text, language, settings), encoding="utf-8")
    (content / FIGURE_FOLDER).mkdir(parents=True, exist_ok=True)
    shutil.copy2(SPECIMEN_FOLDER / "figure.svg", content / FIGURE_FOLDER / "figure.svg")


def _copy_tree(source: Path, destination: Path) -> None:
    def link_or_copy(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, destination, copy_function=link_or_copy, dirs_exist_ok=True)


def build_settings(settings: Mapping[str, Any], folder: Path) -> dict[str, Any]:
    """The site's settings, pointed at the specimen's folder; no handouts, caches or clinic
    refusals (the site's own build has refused what it must)."""
    static = list(settings.get("STATIC_PATHS") or [])
    if not any(FIGURE_FOLDER.startswith(path.rstrip("/") + "/") for path in static):
        static.append(FIGURE_FOLDER)
    return {
        **settings,
        "PATH": str(folder / "content"),
        "OUTPUT_PATH": str(folder / "site"),
        "CACHE_PATH": str(folder / "cache"),
        "STATIC_PATHS": static,
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
        "HANDOUTS": False,
        "REFUSE_EXAMPLE_CLINIC_DETAILS": False,
        "DELETE_OUTPUT_DIRECTORY": False,
        "WRITE_SELECTED": [],
    }


def build_specimen(settings: Mapping[str, Any], folder: Path, quiet: bool = True) -> Specimen:
    """Build the specimen into ``folder``; its pages by URL path.

    The site's pages link to its articles, which are not here: those warnings are the site's
    own build's to give, so they are not shown (nor made fatal) here, unless not ``quiet``.
    """
    from pelican import Pelican, signals

    write_content(settings, folder / "content")
    specimen_settings = build_settings(settings, folder)
    site_dir = Path(specimen_settings["OUTPUT_PATH"])
    written: list[Path] = []

    def note_specimen_page(path: str, context: dict) -> None:
        article = context.get("article")
        if article is not None and getattr(article, "slug", "") == SLUG:
            written.append(Path(path))

    signals.content_written.connect(note_specimen_page, weak=False)
    try:
        with _quietly() if quiet else contextlib.nullcontext():
            Pelican(specimen_settings).run()
    except SiteError as error:
        raise SpecimenNotBuilt(f"The audit's specimen page could not be built: {error}") from None
    finally:
        signals.content_written.disconnect(note_specimen_page)
    pages = {_url_path(file, site_dir): file for file in written}
    return Specimen(site_dir, pages)


@contextlib.contextmanager
def _quietly() -> Iterator[None]:
    """No log record below ERROR (so none is fatal either), and nothing on stdout (Pelican's
    "Done" line: stdout is the check's report) while the block runs."""
    before = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        logging.disable(before)


def _url_path(file: Path, site_dir: Path) -> str:
    relative = file.resolve().relative_to(site_dir.resolve()).as_posix()
    return "/" + relative.removesuffix("index.html")
