"""Settings of the call to action and the disclaimer: defaults, merged with pelicanconf.py.

A clinic changes any of these in ``pelicanconf.py``; everything it leaves out keeps the
default below. ``resolve_settings`` checks them once and fails with a message that names
the setting and the accepted values.

- ``CTA_PLACEMENT``: ``"end"`` (default) or ``"after-first-section"`` (before the content's
  second ``<h2>``; at the end when there is none).
- ``DISCLAIMER_PLACEMENT``: ``"end"`` (default) or ``"start"``.
- ``LANGUAGES[<language>]["cta_variants"]``: ``{name: {field: text}}``; fields ``heading``,
  ``text``, ``book_label``, ``contact_label``. ``"default"`` is used when a page names none;
  every other variant starts from the default and changes only the fields it sets. The default
  language's names the variants; another language's words each field it sets, and the rest
  come from the theme's catalogues.
- ``LANGUAGES[<language>]["disclaimer_variants"]``: the same for the disclaimer; fields
  ``heading``, ``text`` (a list of paragraphs), ``extra`` (paragraphs added before ``text``)
  and ``link_label``.
- ``DISCLAIMER_PAGE``: the source path, relative to the content folder, of the full medical
  disclaimer page that each disclaimer links to (``pages/medical-disclaimer.md``).
- ``CTA_HEADING_LEVEL`` and ``DISCLAIMER_HEADING_LEVEL``: 2 (default) when the theme titles an
  article or page with ``<h1>`` (ours, ``notmyidea``); 3 for a theme whose titles are ``<h2>``
  (Pelican's ``simple``).

In every text, ``{clinic}`` stands for the clinic's name (``CLINIC["name"]``). All text is
plain text: it is escaped when the blocks are built.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_config import LanguageConfig, checked_once, normalise_clinic, site_config
from site_errors import SiteError
from translations import N_, catalogue_folder, translate

OFF = "off"
DEFAULT_VARIANT = "default"

CTA_PLACEMENTS = ("end", "after-first-section")
DISCLAIMER_PLACEMENTS = ("end", "start")
HEADING_LEVELS = (2, 3, 4, 5, 6)

CTA_FIELDS = ("heading", "text", "book_label", "contact_label")
DISCLAIMER_FIELDS = ("heading", "text", "extra", "link_label")

# The plugin's own wording; other languages take it from the theme's catalogues.
CTA_DEFAULTS: dict[str, dict[str, str]] = {
    DEFAULT_VARIANT: {
        "heading": N_("Talk to a pain specialist"),
        "text": N_(
            "The doctors at {clinic} can talk with you about your pain and the treatments "
            "that could help. Call the office nearest you, book online or send us a message."
        ),
        "book_label": N_("Book a consultation online"),
        "contact_label": N_("Send us a message"),
    },
}

DISCLAIMER_DEFAULTS: dict[str, dict[str, Any]] = {
    DEFAULT_VARIANT: {
        "heading": N_("About this information"),
        "text": [
            N_(
                "This page gives general information. It is not medical advice for your own "
                "situation."
            ),
            N_("Talk to your doctor before you start or stop any treatment."),
            N_("In an emergency, call 911."),
        ],
        "extra": [],
        "link_label": N_("Read our full medical disclaimer"),
    },
}

SETTING_DEFAULTS: dict[str, Any] = {
    "CTA_PLACEMENT": "end",
    "DISCLAIMER_PLACEMENT": "end",
    "DISCLAIMER_PAGE": "pages/medical-disclaimer.md",
    "CTA_HEADING_LEVEL": 2,
    "DISCLAIMER_HEADING_LEVEL": 2,
}
# Where each block's variants are set, in one language's mapping (LANGUAGES[<language>]).
VARIANT_FIELDS = {"cta": "cta_variants", "disclaimer": "disclaimer_variants"}


class ConsultCtaError(SiteError):
    """A setting or a page's metadata asks for something the plugin cannot do."""


class VariantError(SiteError, ValueError):
    """A ``Cta:``/``Disclaimer:`` value names no variant, or says ``off`` where it may not."""

    def __init__(self, reason: str, accepted: list[str]) -> None:
        super().__init__(reason)
        self.reason = reason  # "unknown" or "off-not-allowed"
        self.accepted = accepted


def choose_variant(value: Any, variants: Any, *, may_turn_off: bool) -> str | None:
    """THE reading of a ``Cta:``/``Disclaimer:`` value, for the build and the writer's check.

    Empty means ``default``; names are compared in lower case; ``off`` returns None where it
    is allowed. Raises ``VariantError`` with the reason and the accepted values.
    """
    name = "" if value is None else str(value).strip().lower()
    accepted = ([OFF] if may_turn_off else []) + sorted({DEFAULT_VARIANT, *variants})
    if not name:
        return DEFAULT_VARIANT
    if name == OFF:
        if may_turn_off:
            return None
        raise VariantError("off-not-allowed", accepted)
    if name not in {DEFAULT_VARIANT, *variants}:
        raise VariantError("unknown", accepted)
    return name


@dataclass(frozen=True)
class BlockSettings:
    """The checked settings the block builders work from."""

    clinic: dict[str, Any]
    cta_placement: str
    disclaimer_placement: str
    cta_variants: dict[str, dict[str, str]]
    disclaimer_variants: dict[str, dict[str, Any]]
    disclaimer_page: str
    cta_heading_level: int
    disclaimer_heading_level: int
    by_language: dict[str, dict[str, Any]] = None  # type: ignore[assignment]
    default_lang: str = "en"
    languages: tuple[str, ...] = ("en",)
    catalogues: str = ""

    def words(self, kind: str, variant: str, language: str) -> dict[str, Any]:
        """The wording of ``kind`` ("cta"/"disclaimer") ``variant`` in ``language``.

        The default language's comes from the settings as is. Another language takes each
        field from its own ``LANGUAGES[language]["<kind>_variants"]`` if set there, else the
        plugin's own wording from the theme's catalogue; a clinic's own English wording with no
        translation is an error.
        """
        base = (self.cta_variants if kind == "cta" else self.disclaimer_variants)[variant]
        if language == self.default_lang:
            return base
        given = (self.by_language or {}).get(kind, {}).get(language, {}).get(variant, {})
        defaults = (CTA_DEFAULTS if kind == "cta" else DISCLAIMER_DEFAULTS)[DEFAULT_VARIANT]
        return {
            field: given[field] if field in given else self._translated(
                kind, variant, field, language, value, defaults.get(field)
            )
            for field, value in base.items()
        }  # fmt: skip

    def _translated(  # noqa: PLR0917 - one field of one variant in one language
        self, kind: str, variant: str, field: str, language: str, value: Any, default: Any
    ) -> Any:
        texts = value if isinstance(value, list) else [value]
        defaults = default if isinstance(default, list) else [default]
        if any(text not in defaults for text in texts):
            name = VARIANT_FIELDS[kind]
            raise ConsultCtaError(
                f"consult_cta: LANGUAGES[{self.default_lang!r}][{name!r}]['{variant}']"
                f"['{field}'] has no {language!r} wording: add LANGUAGES[{language!r}]"
                f"[{name!r}]['{variant}']['{field}'] to pelicanconf.py"
            )
        folder = Path(self.catalogues)
        translated = [translate(folder, language, text) for text in texts]
        return translated if isinstance(value, list) else translated[0]


def _accepted(values: tuple[Any, ...] | list[Any]) -> str:
    return ", ".join(repr(value) for value in values)


def _choice(settings: Mapping[str, Any], name: str, accepted: tuple[Any, ...]) -> Any:
    value = settings.get(name, SETTING_DEFAULTS[name])
    if value not in accepted:
        raise ConsultCtaError(
            f"consult_cta: {name} = {value!r} is not accepted (accepted: {_accepted(accepted)})"
        )
    return value


def _paragraphs(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return list(value)
    raise ConsultCtaError(f"consult_cta: {where} must be a text or a list of texts")


def _variant_key(name: str, variant: Any, values: Any, fields: tuple[str, ...]) -> str:
    """A clinic's variant name, lower case, once its name and fields are valid."""
    if not isinstance(variant, str) or not variant.strip():
        raise ConsultCtaError(f"consult_cta: {name} has a variant without a name")
    key = variant.strip().lower()
    if key == OFF:
        raise ConsultCtaError(
            f"consult_cta: {name}['{variant}']: 'off' turns the block off and cannot be "
            "a variant name"
        )
    if not isinstance(values, Mapping):
        raise ConsultCtaError(
            f"consult_cta: {name}['{variant}'] must be a dict (fields: {', '.join(fields)})"
        )
    unknown = [field for field in values if field not in fields]
    if unknown:
        raise ConsultCtaError(
            f"consult_cta: {name}['{variant}'] has unknown field(s) {_accepted(unknown)} "
            f"(accepted: {_accepted(fields)})"
        )
    return key


def _merge_variants(
    name: str,
    given: Any,
    defaults: dict[str, dict[str, Any]],
    fields: tuple[str, ...],
    list_fields: tuple[str, ...] = (),
) -> dict[str, dict[str, Any]]:
    """Merge the variants a clinic sets over the plugin's; each variant over the default one."""
    if not isinstance(given, Mapping):
        raise ConsultCtaError(
            f"consult_cta: {name} must be a dict of variants, "
            f"{{'variant-name': {{field: text}}}} (fields: {', '.join(fields)})"
        )
    chosen = {
        _variant_key(name, variant, values, fields): dict(values)
        for variant, values in given.items()
    }
    default = {**defaults[DEFAULT_VARIANT], **chosen.get(DEFAULT_VARIANT, {})}
    merged = {
        key: {**default, **defaults.get(key, {}), **chosen.get(key, {})}
        for key in {**defaults, **chosen}
    }
    for key, values in merged.items():
        for field in fields:
            where = f"{name}['{key}']['{field}']"
            if field in list_fields:
                values[field] = _paragraphs(values.get(field, []), where)
            elif not isinstance(values.get(field), str):
                raise ConsultCtaError(f"consult_cta: {where} must be a text")
    return copy.deepcopy(merged)


@checked_once(*SETTING_DEFAULTS, "THEME", with_site=True)
def resolve_settings(settings: Mapping[str, Any]) -> BlockSettings:
    """Merge the plugin's defaults with Pelican's settings and check them.

    The variants and the clinic come from the one site configuration (``site_config``).
    Raises ``ConsultCtaError`` naming the setting and the accepted values, or ``SettingsError``
    for a missing clinic field or a malformed phone number.
    """
    page = settings.get("DISCLAIMER_PAGE", SETTING_DEFAULTS["DISCLAIMER_PAGE"])
    if not isinstance(page, str) or not page.strip("/ "):
        raise ConsultCtaError(
            "consult_cta: DISCLAIMER_PAGE must be the source path of the medical-disclaimer "
            "page, relative to the content folder (for example 'pages/medical-disclaimer.md')"
        )
    config = site_config(settings)
    default = config.default
    return BlockSettings(
        clinic=config.clinic or normalise_clinic(settings.get("CLINIC")),
        cta_placement=_choice(settings, "CTA_PLACEMENT", CTA_PLACEMENTS),
        disclaimer_placement=_choice(settings, "DISCLAIMER_PLACEMENT", DISCLAIMER_PLACEMENTS),
        cta_variants=_merge_variants(
            default.setting("cta_variants"), default.cta_variants, CTA_DEFAULTS, CTA_FIELDS
        ),
        disclaimer_variants=_merge_variants(
            default.setting("disclaimer_variants"),
            default.disclaimer_variants,
            DISCLAIMER_DEFAULTS,
            DISCLAIMER_FIELDS,
            list_fields=("text", "extra"),
        ),
        disclaimer_page=page.strip(" ").lstrip("/"),
        cta_heading_level=_choice(settings, "CTA_HEADING_LEVEL", HEADING_LEVELS),
        disclaimer_heading_level=_choice(settings, "DISCLAIMER_HEADING_LEVEL", HEADING_LEVELS),
        by_language={kind: _by_language(config.languages, kind) for kind in VARIANT_FIELDS},
        default_lang=config.default_lang,
        languages=tuple(config.codes),
        catalogues=str(catalogue_folder(settings)) if settings.get("THEME") else "",
    )


def _by_language(languages: tuple[LanguageConfig, ...], kind: str) -> dict[str, Any]:
    """Each other language's own wording of ``kind``'s variants."""
    return {
        language.code: getattr(language, VARIANT_FIELDS[kind])
        for language in languages
        if not language.is_default
    }
