"""The site's settings, checked once: the one typed configuration plugins, checks and tasks read.

``site_config(settings)`` turns Pelican's settings dict into a frozen ``SiteConfig``: the
clinic's details (each office with its ``tel:`` link), the languages (the default first) and,
for each language, its text in one ``LanguageConfig`` (``LANGUAGES["es"]`` in pelicanconf.py:
name, locale, date format, tagline, categories, call-to-action and disclaimer variants, clinic
rules, funding disclosure, absolute-claim list; the language-help line and the reviewers'
credentials in that language). Settings that moved into ``LANGUAGES`` are refused by name.

It is built once per settings dict: the result is kept beside the very objects it was built
from, and a later call whose settings hold those same objects (a copy such as Pelican's
template context included) gets the same ``SiteConfig`` back. A wrong value raises one
``SettingsError`` naming the setting, the value and what is accepted.
"""

from __future__ import annotations

import copy
import functools
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

from jinja2.runtime import Context as TemplateContext
from site_errors import SiteError

SETTINGS_FILE = "pelicanconf.py"
DEFAULT_LANGUAGES = {"en": {"name": "English", "locale": "en_US", "date_format": "d MMMM y"}}
REQUIRED_LANGUAGE_FIELDS = ("name", "locale", "date_format")
# What one language's mapping may hold besides its name, locale and date format.
LANGUAGE_TEXT_FIELDS = (
    "tagline",
    "categories",
    "cta_variants",
    "disclaimer_variants",
    "clinic_rules",
    "funding_disclosure",
    "absolute_claims",
)
# Old settings that held one language's wording beside another's: now in LANGUAGES.
MOVED_SETTINGS = {
    "CLINIC_RULES": "clinic_rules",
    "CLINIC_RULES_BY_LANG": "clinic_rules",
    "CTA_VARIANTS": "cta_variants",
    "CTA_VARIANTS_BY_LANG": "cta_variants",
    "DISCLAIMER_VARIANTS": "disclaimer_variants",
    "DISCLAIMER_VARIANTS_BY_LANG": "disclaimer_variants",
    "FUNDING_DISCLOSURE": "funding_disclosure",
    "CHECK_ABSOLUTE_CLAIMS": "absolute_claims",
    "CHECK_ABSOLUTE_CLAIMS_BY_LANG": "absolute_claims",
}
# The settings a SiteConfig is built from: the same objects give the same configuration.
SOURCE_SETTINGS = (
    "DEFAULT_LANG",
    "LANGUAGES",
    "CLINIC",
    "LANGUAGE_HELP",
    "REVIEWERS",
    *MOVED_SETTINGS,
)

REQUIRED_CLINIC_FIELDS = ("name", "offices", "booking_url", "contact_url")
REQUIRED_OFFICE_FIELDS = ("name", "street", "locality", "region", "postal_code", "country", "phone")
# North American numbers: 10 digits, optionally with a leading 1 / +1 and the usual punctuation.
PHONE_PATTERN = re.compile(r"^\s*(?:\+?1[\s.-]?)?\(?(\d{3})\)?[\s.-]?(\d{3})[\s.-]?(\d{4})\s*$")
URL_FIELD_SUFFIX = "_url"
# The services a reader's forms go to: the CSP's form-action allows exactly these origins.
FORM_URL_FIELDS = ("booking_url", "contact_url")
# Characters that could end a header value or a CSP source list, or hide in one.
UNSAFE_URL_CHARACTER = re.compile(r"[\s;,'\"`\\<>\x00-\x1f\x7f-\x9f]")
HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
URL_FIX = "use the full https:// address, for example 'https://booking.your-clinic.org/book'"
LANGUAGE_HELP_FIELDS = ("name", "link", "text")


class SettingsError(SiteError):
    """A setting in pelicanconf.py is missing, malformed or moved; the message names the fix."""


# --- The configuration ------------------------------------------------------------------------


@dataclass(frozen=True)
class LanguageConfig:
    """One language's settings and wording (``LANGUAGES[code]`` in pelicanconf.py)."""

    code: str
    name: str
    locale: str
    date_format: str
    is_default: bool
    tagline: str = ""
    categories: Mapping[str, str] = field(default_factory=dict)
    cta_variants: Mapping[str, Any] = field(default_factory=dict)
    disclaimer_variants: Mapping[str, Any] = field(default_factory=dict)
    clinic_rules: Mapping[str, Any] = field(default_factory=dict)
    funding_disclosure: Mapping[str, str] | None = None
    # None: the writer's check uses its own list for this language (content_check.settings).
    absolute_claims: Mapping[str, Any] | None = None
    language_help: Mapping[str, str] | None = None
    reviewer_credentials: Mapping[str, str] = field(default_factory=dict)

    def setting(self, name: str) -> str:
        """Where ``name`` of this language lives, for messages: ``LANGUAGES['es']['name']``."""
        return f"LANGUAGES[{self.code!r}][{name!r}]"


@dataclass(frozen=True)
class SiteConfig:
    """Every setting several plugins share, checked once (``site_config``)."""

    default_lang: str
    languages: tuple[LanguageConfig, ...]
    clinic: Mapping[str, Any]
    language_help: Mapping[str, Mapping[str, str]]
    # The settings' own objects it was built from (never compared: see ``site_config``).
    source: tuple[Any, ...] = field(default=(), compare=False, repr=False)

    @property
    def codes(self) -> list[str]:
        """The site's language codes, the default first."""
        return [language.code for language in self.languages]

    def language(self, code: str | None) -> LanguageConfig:
        """The settings of language ``code`` (the default language's for None or "")."""
        for language in self.languages:
            if language.code == (code or self.default_lang):
                return language
        raise SettingsError(
            f"{SETTINGS_FILE}: language {code!r} is not in LANGUAGES ({', '.join(self.codes)}); "
            "add it to LANGUAGES or correct the page's Lang"
        )

    @property
    def default(self) -> LanguageConfig:
        """The default language's settings."""
        return self.languages[0]


_BUILT: list[SiteConfig] = []  # the latest few, newest last
KEEP_BUILT = 8
Resolved = TypeVar("Resolved")
# How many configurations were built (tests show that a build validates its settings once).
BUILD_COUNT = {"value": 0}


CLINIC_INDEX = SOURCE_SETTINGS.index("CLINIC")


def _source_of(settings: Mapping[str, Any]) -> tuple[Any, ...]:
    # This runs about 20 times for every page a build writes, mostly with a template's context:
    # its own lookup (the template's variables, then its parent's), without a call per name.
    if isinstance(settings, TemplateContext):
        variables, parent = settings.vars, settings.parent
        return tuple(
            variables[name] if name in variables else parent.get(name) for name in SOURCE_SETTINGS
        )
    return tuple(map(settings.get, SOURCE_SETTINGS))


def _built_from(config: SiteConfig, source: tuple[Any, ...]) -> bool:
    """Whether ``source`` holds the very objects ``config`` was built from (or, for ``CLINIC``,
    the checked copy the clinic plugin puts back for the templates)."""
    built = config.source
    if source[CLINIC_INDEX] is config.clinic:
        built = (*built[:CLINIC_INDEX], config.clinic, *built[CLINIC_INDEX + 1 :])
    return len(source) == len(built) and all(map(operator.is_, source, built))


def site_config(settings: Mapping[str, Any]) -> SiteConfig:
    """The checked configuration of ``settings``, built once for the same setting objects.

    The cache compares the settings' objects by identity (and keeps them alive, so an identity
    is never reused): a copy of the dict shares them and gets the same ``SiteConfig``; a
    setting given a new value gets a new one. Raises ``SettingsError``.
    """
    source = _source_of(settings)
    for config in reversed(_BUILT):
        if _built_from(config, source):
            return config
    config = build_site_config(settings)
    _BUILT.append(config)
    del _BUILT[:-KEEP_BUILT]
    return config


def checked_once(
    *names: str, with_site: bool = False
) -> Callable[[Callable[[Mapping[str, Any]], Resolved]], Callable[[Mapping[str, Any]], Resolved]]:
    """Make a plugin's reading of its settings (``names``) run once for the same objects.

    A plugin's ``resolve_settings(settings)`` decorated with this checks and merges its
    settings the first time, and returns that same (read-only) result to every later call
    whose settings hold the same objects: each page's template context, each content object.
    ``with_site``: the result also depends on ``site_config(settings)`` (the clinic, languages).
    """

    def decorate(
        resolve: Callable[[Mapping[str, Any]], Resolved],
    ) -> Callable[[Mapping[str, Any]], Resolved]:
        seen: list[tuple[tuple[Any, ...], Resolved]] = []

        @functools.wraps(resolve)
        def resolve_once(settings: Mapping[str, Any]) -> Resolved:
            site = (site_config(settings),) if with_site else ()
            source = (*site, *(settings.get(name) for name in names))
            for built_from, resolved in reversed(seen):
                if all(a is b for a, b in zip(built_from, source, strict=True)):
                    return resolved
            resolved = resolve(settings)
            seen.append((source, resolved))
            del seen[:-KEEP_BUILT]
            return resolved

        return resolve_once

    return decorate


def build_site_config(settings: Mapping[str, Any]) -> SiteConfig:
    """Check ``settings`` and build their ``SiteConfig`` (``site_config`` caches this)."""
    BUILD_COUNT["value"] += 1
    refuse_moved_settings(settings)
    default = settings.get("DEFAULT_LANG", "en")
    raw_languages = settings.get("LANGUAGES", DEFAULT_LANGUAGES)
    if (
        not isinstance(default, str)
        or not isinstance(raw_languages, Mapping)
        or (default not in raw_languages)
    ):
        raise SettingsError(
            f"{SETTINGS_FILE}: LANGUAGES must be a dict of language codes that includes "
            f"DEFAULT_LANG ({default!r}), e.g. {{'en': {{'name': 'English', 'locale': "
            "'en_US', 'date_format': 'd MMMM y'}}"
        )
    help_by_code = _language_help(settings.get("LANGUAGE_HELP"))
    reviewers = settings.get("REVIEWERS") or {}
    ordered = {default: raw_languages[default], **raw_languages}
    languages = tuple(
        _language(code, entry, code == default, help_by_code.get(code), reviewers)
        for code, entry in ordered.items()
    )
    # No clinic (a test's settings, another site): {} here; the clinic plugin refuses that.
    clinic = normalise_clinic(settings["CLINIC"]) if settings.get("CLINIC") else {}
    return SiteConfig(default, languages, clinic, help_by_code, _source_of(settings))


def refuse_moved_settings(settings: Mapping[str, Any]) -> None:
    """A setting that moved into ``LANGUAGES`` stops the build with where it now lives."""
    for name, field_name in MOVED_SETTINGS.items():
        if name in settings:
            raise SettingsError(
                f"{SETTINGS_FILE}: {name} has moved: put each language's value in "
                f"LANGUAGES[<language>][{field_name!r}] (for example LANGUAGES['en']"
                f"[{field_name!r}]) and delete {name}"
            )


# --- One language -----------------------------------------------------------------------------


def _language(
    code: Any, entry: Any, is_default: bool, help_entry: Any, reviewers: Any
) -> LanguageConfig:
    where = f"LANGUAGES[{code!r}]"
    if not isinstance(code, str) or not isinstance(entry, Mapping):
        raise SettingsError(
            f"{SETTINGS_FILE}: {where} must be a dict with {', '.join(REQUIRED_LANGUAGE_FIELDS)}"
        )
    missing = [name for name in REQUIRED_LANGUAGE_FIELDS if not entry.get(name)]
    if missing:
        raise SettingsError(
            f"languages: {where} lacks {', '.join(missing)} "
            f"(each language needs: {', '.join(REQUIRED_LANGUAGE_FIELDS)})"
        )
    accepted = (*REQUIRED_LANGUAGE_FIELDS, *LANGUAGE_TEXT_FIELDS)
    unknown = [name for name in entry if name not in accepted]
    if unknown:
        raise SettingsError(
            f"{SETTINGS_FILE}: {where} has unknown key(s) {', '.join(map(repr, unknown))} "
            f"(accepted: {', '.join(accepted)})"
        )
    for name in ("categories", "cta_variants", "disclaimer_variants", "clinic_rules"):
        _require_dict(entry.get(name, {}), f"{where}[{name!r}]")
    claims = entry.get("absolute_claims")
    if claims is not None:
        check_claim_list(f"{where}['absolute_claims']", claims)
    return LanguageConfig(
        code=code,
        name=str(entry["name"]),
        locale=str(entry["locale"]),
        date_format=str(entry["date_format"]),
        is_default=is_default,
        tagline=_text(entry.get("tagline", ""), f"{where}['tagline']"),
        categories=dict(entry.get("categories") or {}),
        cta_variants=copy.deepcopy(dict(entry.get("cta_variants") or {})),
        disclaimer_variants=copy.deepcopy(dict(entry.get("disclaimer_variants") or {})),
        clinic_rules=copy.deepcopy(dict(entry.get("clinic_rules") or {})),
        funding_disclosure=_disclosure(entry.get("funding_disclosure"), where),
        absolute_claims=claims,
        language_help=help_entry,
        reviewer_credentials=_credentials_in(code, reviewers),
    )


def _require_dict(value: Any, where: str) -> None:
    if not isinstance(value, Mapping):
        raise SettingsError(f"{SETTINGS_FILE}: {where} must be a dict, not {value!r}")


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise SettingsError(f"{SETTINGS_FILE}: {where} must be a text, not {value!r}")
    return value


def _disclosure(value: Any, where: str) -> dict[str, str] | None:
    """``funding_disclosure``: a sentence with one ``{policy}`` and that link's words."""
    if value is None:
        return None
    text = value.get("text", "") if isinstance(value, Mapping) else ""
    if not isinstance(text, str) or text.count("{policy}") != 1 or not value.get("policy"):
        raise SettingsError(
            f"authors: {where}['funding_disclosure'] in {SETTINGS_FILE} needs a 'text' with "
            "'{policy}' once (where the link to the editorial policy goes) and 'policy', the "
            "link's words"
        )
    return {"text": text, "policy": str(value["policy"])}


def check_claim_list(name: str, claims: Any) -> None:
    """An absolute-claim list: phrase -> {"why", "instead", optional "pattern"}."""
    if not isinstance(claims, Mapping) or not all(
        isinstance(v, Mapping) and "why" in v and "instead" in v for v in claims.values()
    ):
        raise SettingsError(
            f"content_check: {name} must map a phrase to "
            '{"why": ..., "instead": ..., optional "pattern": regex}'
        )


def _language_help(value: Any) -> dict[str, dict[str, str]]:
    """``LANGUAGE_HELP``: every language the clinic offers help in (not only the site's), each
    line in its own language; every page shows them all, so it stays one site-wide setting."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise SettingsError(
            f"{SETTINGS_FILE}: LANGUAGE_HELP must be a dict of languages, each with "
            f"{', '.join(LANGUAGE_HELP_FIELDS)}, not {value!r}"
        )
    for code, entry in value.items():
        if not isinstance(entry, Mapping) or any(
            not isinstance(entry.get(name), str) for name in LANGUAGE_HELP_FIELDS
        ):
            raise SettingsError(
                f"{SETTINGS_FILE}: LANGUAGE_HELP[{code!r}] must be a dict with the texts "
                f"{', '.join(LANGUAGE_HELP_FIELDS)}"
            )
    return {code: dict(entry) for code, entry in value.items()}


def _credentials_in(code: str, reviewers: Any) -> dict[str, str]:
    """Each reviewer's credentials in ``code`` (one text for every language, or one each)."""
    found = {}
    for key, reviewer in reviewers.items() if isinstance(reviewers, Mapping) else ():
        credentials = reviewer.get("credentials") if isinstance(reviewer, Mapping) else None
        if isinstance(credentials, Mapping):
            credentials = credentials.get(code)
        if isinstance(credentials, str):
            found[str(key)] = credentials
    return found


# --- The clinic -------------------------------------------------------------------------------


def tel_href(phone: str) -> str:
    """Return the ``tel:`` address for a North American phone number, e.g. ``tel:+15555550101``."""
    match = PHONE_PATTERN.match(phone)
    if not match:
        raise ValueError(phone)
    return "tel:+1" + "".join(match.groups())


def _host_name(host: str) -> str | None:
    """``host`` as a lower-case ASCII domain name ("booking.clinic.org"), or None if not one."""
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    labels = ascii_host.split(".")
    if len(ascii_host) > 253 or len(labels) < 2 or labels[-1].isdigit():
        return None  # a single name ("localhost") or an IP address is not a clinic's service
    return ascii_host if all(HOST_LABEL.match(label) for label in labels) else None


def _url_problem(value: str) -> str | None:
    """What makes ``value`` unfit to be a clinic's https address, or None when it is fine."""
    unsafe = UNSAFE_URL_CHARACTER.search(value)
    if unsafe:
        return f"it contains {unsafe.group()!r} (no spaces, ';', ',', quotes or control characters)"
    parts = urlsplit(value)
    if parts.scheme != "https" or not value.startswith("https://"):
        return "it must start with https://"
    if parts.username is not None or parts.password is not None:
        return "it must not carry a user name or password"
    if not parts.hostname or _host_name(parts.hostname) is None:
        return "its host is not a domain name such as booking.your-clinic.org"
    try:
        port_is_valid = parts.port != 0  # reading it checks it: a port above 65535 raises
    except ValueError:
        port_is_valid = False
    return None if port_is_valid else "its port is not a number from 1 to 65535"


def https_origin(value: Any, setting: str) -> str:
    """The origin ("https://host[:port]") of the https address ``value``, from its parsed parts.

    Raises ``SettingsError`` naming ``setting`` (e.g. ``CLINIC['booking_url']``), the value and
    the fix. Only the scheme, the checked host name and the port reach the result, so nothing
    else in the value can reach a header.
    """
    problem = _url_problem(value) if isinstance(value, str) else "it is not text"
    if problem:
        raise SettingsError(
            f"clinic: {setting} = {value!r} in {SETTINGS_FILE} is not a safe web address: "
            f"{problem}; {URL_FIX}"
        )
    parts = urlsplit(value)
    port = f":{parts.port}" if parts.port not in (None, 443) else ""
    return f"https://{_host_name(parts.hostname or '')}{port}"


def form_origins(clinic: Any) -> list[str]:
    """The sorted origins of the clinic's booking and contact services (the CSP's form-action)."""
    if not isinstance(clinic, Mapping):
        raise SettingsError(f"clinic: CLINIC in {SETTINGS_FILE} must be a dict: {clinic!r}")
    origins = {
        https_origin(clinic[key], f"CLINIC['{key}']") for key in FORM_URL_FIELDS if clinic.get(key)
    }
    return sorted(origins)


def _check_required(clinic: Any) -> None:
    """Refuse a ``CLINIC`` that is not a dict or lacks a required field."""
    if not isinstance(clinic, Mapping):
        raise SettingsError(
            f"clinic: CLINIC in {SETTINGS_FILE} must be a dict with the keys "
            + ", ".join(REQUIRED_CLINIC_FIELDS)
        )
    for name in REQUIRED_CLINIC_FIELDS:
        if not clinic.get(name):
            raise SettingsError(
                f"clinic: CLINIC['{name}'] is missing or empty in {SETTINGS_FILE} "
                f"(required: {', '.join(REQUIRED_CLINIC_FIELDS)})"
            )
    if not isinstance(clinic["offices"], list):
        raise SettingsError("clinic: CLINIC['offices'] must be a list of offices")


def _normalise_office(office: Any, where: str) -> None:
    """Check one office and add its ``tel`` link (in place)."""
    if not isinstance(office, dict):
        raise SettingsError(f"clinic: {where} must be a dict")
    for name in REQUIRED_OFFICE_FIELDS:
        if not office.get(name):
            raise SettingsError(
                f"clinic: {where}['{name}'] is missing or empty in {SETTINGS_FILE} "
                f"(each office needs: {', '.join(REQUIRED_OFFICE_FIELDS)})"
            )
    try:
        office["tel"] = tel_href(str(office["phone"]))
    except ValueError:
        raise SettingsError(
            f"clinic: {where}['phone'] is not a phone number we can dial: "
            f"{office['phone']!r} (use 10 digits, for example '(555) 555-0101')"
        ) from None


def normalise_clinic(clinic: Any) -> dict:
    """Check ``CLINIC`` and return a copy with a ``tel`` link on each office.

    Every key ending in ``_url`` must be a safe https address (``https_origin``). Raises
    ``SettingsError`` naming the setting and what is accepted.
    """
    _check_required(clinic)
    for key, value in clinic.items():
        if key.endswith(URL_FIELD_SUFFIX):
            https_origin(value, f"CLINIC['{key}']")
    normalised = copy.deepcopy(dict(clinic))
    for index, office in enumerate(normalised["offices"]):
        _normalise_office(office, f"CLINIC['offices'][{index}]")
    return normalised
