"""The site's words in each language: one gettext catalogue per language (a library).

Every string the theme and the plugins show a reader is an English message id, marked with
``_()`` in templates and ``N_()`` in Python so that ``pybabel extract`` finds it, and
translated from ``THEME/translations/<lang>/LC_MESSAGES/messages.po`` (Babel reads the ``.po``
directly: there is no compiled file to forget). English, the site's default language, needs
no catalogue.

``missing_translations`` lists every message id of ``messages.pot`` a language's catalogue
does not translate (or marks fuzzy): the build refuses to start while there is one, so no
English string is left on a Spanish page.

A catalogue is content too: its words reach every page of a language, some of them as HTML.
``catalogue_problems`` lists each translation with markup its message id does not have (a
``<script>``, a forged "Dra. ..., MD" in a ``<p class>``) or a placeholder it does not have
(``%(revisor)s``); the build refuses to start and the check reports each, with its line.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext as gettext_module
import io
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from html_structure import element_tokens

CATALOGUE = "messages"
TEMPLATE = f"{CATALOGUE}.pot"


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue; it is translated where it is shown."""
    return message


def catalogue_folder(settings: dict[str, Any]) -> Path:
    """Where the catalogues live: the theme's ``translations`` folder."""
    return _catalogue_folder(str(settings["THEME"]))


@functools.lru_cache(maxsize=8)
def _catalogue_folder(theme: str) -> Path:
    # Asked for by every translated word of every page (40,000 times at 1,000 articles).
    return Path(theme) / "translations"


def _po_file(folder: Path, language: str) -> Path:
    return folder / language / "LC_MESSAGES" / f"{CATALOGUE}.po"


@functools.cache
def _load(po_file: str, modified: float) -> gettext_module.NullTranslations:
    """A language's translations, read from its ``.po`` (once per version of the file)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(po_file, encoding="utf-8") as source:
        catalog = read_po(source)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext_module.GNUTranslations(compiled)


def translations(folder: Path, language: str) -> gettext_module.NullTranslations:
    """The translations of ``language`` (English, or a language without a file: none)."""
    # One stat of a string path: this runs for every translated word of every page.
    po_file = os.path.join(folder, language, "LC_MESSAGES", f"{CATALOGUE}.po")
    try:
        status = os.stat(po_file)
    except (OSError, ValueError):
        return gettext_module.NullTranslations()
    if not stat.S_ISREG(status.st_mode):
        return gettext_module.NullTranslations()
    return _load(po_file, status.st_mtime)


def translate(folder: Path, language: str, message: str, **values: Any) -> str:
    """``message`` in ``language``, with ``%(name)s`` placeholders filled from ``values``."""
    text = translations(folder, language).gettext(message)
    return text % values if values else text


def missing_translations(folder: Path, language: str) -> list[str]:
    """Message ids of the template that ``language``'s catalogue does not translate."""
    from babel.messages.pofile import read_po

    template, po_file = folder / TEMPLATE, _po_file(folder, language)
    if not template.is_file():
        return []
    with open(template, encoding="utf-8") as source:
        wanted = [message.id for message in read_po(source) if message.id]
    if not po_file.is_file():
        return [str(message) for message in wanted]
    with open(po_file, encoding="utf-8") as source:
        catalog = read_po(source)
    missing = []
    for message_id in wanted:
        message = catalog.get(message_id)
        if message is None or not message.string or message.fuzzy:
            missing.append(str(message_id))
    return missing


# Placeholders Python (%(name)s) and the search script ({query}) fill.
PLACEHOLDER_RE = re.compile(r"%\((\w+)\)[sdr]|\{(\w+)\}")


@dataclass(frozen=True)
class CatalogueProblem:
    """One translation a page must not show: where it is, its message id, what is wrong."""

    po_file: Path
    line: int
    message_id: str
    what: str


def markup_of(text: str) -> Counter:
    """The elements of a message (parsed as HTML), each with its attributes and their values,
    and its comments: what a translation must not add to."""
    found: Counter = Counter()
    if "<" not in text:
        return found
    shown = {"!--": "<!-- -->", "?": "<?>"}
    for tag, attributes in element_tokens(text):
        found[(shown.get(tag, f"<{tag}"), attributes)] += 1
    found[("<div", ())] -= 1  # the parent made for the fragment
    return +found


def placeholders_of(text: str) -> set[str]:
    """The names of the placeholders in a message."""
    return {percent or brace for percent, brace in PLACEHOLDER_RE.findall(text)}


def catalogue_problems(folder: Path, language: str) -> list[CatalogueProblem]:
    """Each translation of ``language`` with markup or a placeholder its message id lacks."""
    from babel.messages.pofile import read_po

    po_file = _po_file(folder, language)
    if not po_file.is_file():
        return []
    with open(po_file, encoding="utf-8") as source:
        catalog = read_po(source)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        allowed_markup = markup_of(ids[0])
        allowed_names = set().union(*(placeholders_of(text) for text in ids))
        for string in (text for text in strings if text):
            what = _problem(string, allowed_markup, allowed_names)
            if what:
                problems.append(CatalogueProblem(po_file, message.lineno, str(ids[0]), what))
    return problems


def _problem(string: str, allowed_markup: Counter, allowed_names: set[str]) -> str:
    extra = markup_of(string) - allowed_markup
    if extra:
        tag, attributes = next(iter(extra))
        shown = " ".join([tag, *(f'{name}="{value}"' for name, value in attributes)])
        return f"markup the message id does not have: {shown}>"
    unknown = sorted(placeholders_of(string) - allowed_names)
    if unknown:
        return "a placeholder the message id does not have: " + ", ".join(
            f"%({name})s" for name in unknown
        )
    return ""


def format_date(day: dt.date | dt.datetime, language: str, pattern: str) -> str:
    """A date as readers of ``language`` write it ("25 de noviembre de 2026")."""
    if isinstance(day, dt.datetime):
        day = day.date()
    return _format_day(day, language, pattern)


@functools.lru_cache(maxsize=4096)
def _format_day(day: dt.date, language: str, pattern: str) -> str:
    # Each guide's date is shown on its page and on every listing that lists it: Babel works
    # out the locale and the pattern each time, so the same few thousand dates are kept.
    from babel.dates import format_date as babel_format_date

    return babel_format_date(day, pattern, locale=language.replace("-", "_"))
