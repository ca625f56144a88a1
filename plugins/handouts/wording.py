"""The words a handout adds to its page, in the page's language.

They are English message ids marked with ``N_`` in blocks.py, translated from the same gettext
catalogue as the theme (``theme/translations/<lang>/LC_MESSAGES/messages.po``, read by
plugins/translations.py), so a Spanish page gets a Spanish QR block, footer and sign-off box,
and the build's refusal of an untranslated message covers these words too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import translations
from site_config import site_config

# The kit's own catalogues, for a run without the site's settings (python -m commands.handouts).
DEFAULT_CATALOGUES = Path(__file__).resolve().parents[2] / "theme" / "translations"
DEFAULT_DATE_FORMAT = "d MMMM y"  # a Babel (CLDR) pattern, as LANGUAGES' date_format


@dataclass(frozen=True)
class Wording:
    """One language's words for a handout."""

    language: str = "en"
    date_format: str = DEFAULT_DATE_FORMAT
    catalogues: Path = DEFAULT_CATALOGUES

    def __call__(self, message: str) -> str:
        """``message`` (an English message id) in this language."""
        return translations.translations(self.catalogues, self.language).gettext(message)

    def date(self, day: dt.date) -> str:
        """``day`` as readers of this language write it."""
        return translations.format_date(day, self.language, self.date_format)

    def signature(self) -> str:
        """What a handout's words depend on: the language, its date pattern, its catalogue."""
        po_file = self.catalogues / self.language / "LC_MESSAGES" / "messages.po"
        catalogue = hashlib.sha256(po_file.read_bytes()).hexdigest() if po_file.is_file() else ""
        return f"{self.language} {self.date_format} {catalogue}"


@dataclass(frozen=True)
class WordBook:
    """The wording of every language a site has (Pelican's ``LANGUAGES`` and ``THEME``)."""

    catalogues: Path = DEFAULT_CATALOGUES
    date_formats: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> WordBook:
        """The word book of a site, from its Pelican settings."""
        formats = {
            language.code: language.date_format for language in site_config(settings).languages
        }
        return cls(translations.catalogue_folder(dict(settings)), formats)

    def of(self, language: str) -> Wording:
        """The wording of ``language`` ("es", "es-US"): English for a language with no
        catalogue, as the theme shows it."""
        code = (language or "en").split("-")[0].lower()
        return Wording(code, self.date_formats.get(code, DEFAULT_DATE_FORMAT), self.catalogues)
