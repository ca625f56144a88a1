"""Every page in its own language: interface strings, dates, and links between translations.

The site's languages are the ``LANGUAGES`` setting (``DEFAULT_LANG`` first, checked by
``site_config``); a translation is
the same article or page in another language (``Lang: es``, same ``Slug``), which Pelican
links as ``translations``. This plugin

- installs gettext in the theme's Jinja environment (``jinja2.ext.i18n``, newstyle), choosing
  each page's catalogue by the language of the page being written (``BuildCatalogues``);
- gives templates the language's date format (``local_date``), its prefix for addresses
  (``language_prefix``: "" or "es/"), the page's other-language versions (``alternates``,
  for ``hreflang``, and ``language_switch``, for the switch in the header), a page by slug in
  the page's language (``page_url``) and a category's name (``category_name``);
- refuses to build while a catalogue lacks a translation (naming the string), or when
  ``LANGUAGES`` is malformed.

The other languages' home, topics, archive, search and 404 pages are written by
``pages.LanguagePagesGenerator``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup
from site_config import SettingsError, site_config
from translations import (
    catalogue_folder,
    catalogue_problems,
    format_date,
    missing_translations,
    translations,
)

from .pages import articles_in

# One error class for every setting (site_config); the plugin's name is kept for its callers.
LanguagesSettingsError = SettingsError


def check_catalogues(settings: dict[str, Any]) -> None:
    """Refuse a catalogue that leaves a message untranslated (names the language and string),
    or whose translation adds markup or a placeholder (names the file, line and message)."""
    folder = catalogue_folder(settings)
    for language in site_config(settings).languages:
        code = language.code
        if language.is_default:
            continue
        missing = missing_translations(folder, code)
        if missing:
            shown = "; ".join(repr(message) for message in missing[:5])
            more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            raise LanguagesSettingsError(
                f"languages: {folder / code / 'LC_MESSAGES' / 'messages.po'} does not translate "
                f"{shown}{more}. Translate each (run `invoke translations` to update the "
                "catalogues), so no English is left on a page in that language."
            )
        problems = catalogue_problems(folder, code)
        if problems:
            problem = problems[0]
            more = f" ({len(problems) - 1} more: `invoke check` lists them)" if problems[1:] else ""
            raise LanguagesSettingsError(
                f"languages: {problem.po_file}, line {problem.line}: the translation of "
                f"{problem.message_id!r} has {problem.what}{more}. A translation says what its "
                "message id says: the same markup and placeholders, other words."
            )


# --- What the templates use ---------------------------------------------------------------


def language_of(context: Any) -> str:
    """The language of the page being written: its article's or page's, else the listing's."""
    for name in ("article", "page"):
        content = context.get(name)
        if content is not None and getattr(content, "lang", None):
            return content.lang
    return context.get("lang") or site_config(context).default_lang


class BuildCatalogues:
    """``_()``, ``gettext()`` and ``ngettext()`` for one generator's templates, in the page's
    language.

    Each language's catalogue is looked up once per generator, not for every word (a path and
    a ``stat``, 40,000 times at 1,000 articles). A generator writes one build's pages; a
    catalogue edited meanwhile starts another build (``invoke serve``), with new generators.

    The functions are Jinja's "newstyle" gettext (what ``install_gettext_callables(...,
    newstyle=True)`` installs): the translation is ``Markup`` when the template autoescapes,
    and is always a format string filled with the (escaped) keyword values, so "%%" is "%".
    Here they are called directly rather than through Jinja's two wrappers and its ``_``
    alias, and a message without values (but a whole number) is worked out once per
    catalogue: the theme shows about 30 words a page, and each took 15 us (0.4 s at 1,000
    articles).
    """

    def __init__(self) -> None:
        self._found: dict[tuple[Any, str], Any] = {}
        # (catalogue, message, autoescape) -> the words as a page shows them (immutable text)
        self._words: dict[tuple[Any, str, bool], str] = {}

    def catalogue(self, context: Any) -> Any:
        """The translations of the page's language."""
        key = (context.get("THEME"), language_of(context))
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = translations(catalogue_folder(context), key[1])
        return found

    def callables(self) -> tuple[Any, Any]:
        """The two functions Jinja's i18n extension installs."""

        @pass_context
        def gettext(context: Any, message: str) -> str:
            return self.catalogue(context).gettext(message)

        @pass_context
        def ngettext(context: Any, singular: str, plural: str, count: int) -> str:
            return self.catalogue(context).ngettext(singular, plural, count)

        return gettext, ngettext

    def _kept(self, key: tuple[Any, str, bool], make: Callable[[], str]) -> str:
        """The words for ``key``, made once per build."""
        words = self._words.get(key)
        if words is None:
            words = self._words[key] = make()
        return words

    def template_globals(self) -> dict[str, Any]:
        """``_``, ``gettext`` and ``ngettext`` as the templates call them (newstyle)."""

        @pass_context
        def gettext(context: Any, message: str, /, **values: Any) -> str:
            catalogue, autoescape = self.catalogue(context), context.eval_ctx.autoescape
            if values:
                return _filled(catalogue.gettext(message), autoescape, values)
            return self._kept(
                (catalogue, message, autoescape),
                lambda: _filled(catalogue.gettext(message), autoescape, {}),
            )

        @pass_context
        def ngettext(context: Any, singular: str, plural: str, count: int, /, **values: Any) -> str:
            catalogue, autoescape = self.catalogue(context), context.eval_ctx.autoescape
            if values or type(count) is not int:
                values.setdefault("num", count)
                return _filled(catalogue.ngettext(singular, plural, count), autoescape, values)
            return self._kept(
                (catalogue, f"{singular}\0{plural}\0{count}", autoescape),
                lambda: _filled(
                    catalogue.ngettext(singular, plural, count), autoescape, {"num": count}
                ),
            )

        return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


def _filled(text: str, autoescape: bool, values: dict[str, Any]) -> str:
    """A translation as Jinja's newstyle gettext gives it: ``Markup`` when autoescaping (the
    values escaped), always formatted (``%%`` is ``%``)."""
    return (Markup(text) if autoescape else text) % values


@pass_context
def local_date(context: Any, day: Any) -> str:
    """A date in the page's language and format ("25 November 2026", "25 de noviembre de 2026")."""
    language = site_config(context).language(language_of(context))
    return format_date(day, language.locale, language.date_format)


@pass_context
def language_prefix(context: Any, language: str | None = None) -> str:
    """The start of this language's addresses: "" for the default language, else "es/"."""
    language = language or language_of(context)
    return "" if language == site_config(context).default_lang else f"{language}/"


def _versions(content: Any) -> dict[str, Any]:
    """A content and its translations, by language."""
    return {item.lang: item for item in [content, *getattr(content, "translations", [])]}


@pass_context
def alternates(context: Any) -> list[dict[str, str]]:
    """The page in every language it exists in: ``{"lang", "url"}``, the page's own included.

    An article or page: itself and its translations. A listing (home, topics, archive,
    search): the same listing in each of the site's languages. A topic: the same topic in each
    language that has a guide in it.
    """
    content = context.get("article") or context.get("page")
    if content is not None and hasattr(content, "translations"):
        versions = _versions(content)
        return [{"lang": code, "url": versions[code].url} for code in sorted(versions)]
    listing = context.get("listing_url")
    category = context.get("category")
    if listing is None and category is not None:  # a topic: in each language with guides in it
        return [
            {"lang": code, "url": language_prefix(context, code) + category.url}
            for code in site_config(context).codes
            if any(str(item.category) == str(category) for item in articles_in(context, code))
        ]
    if listing is None:
        return []
    return [
        {"lang": code, "url": language_prefix(context, code) + listing}
        for code in site_config(context).codes
    ]


@pass_context
def language_switch(context: Any) -> list[dict[str, str]]:
    """A link to each other language: the page's translation, else that language's home."""
    here = language_of(context)
    versions = {item["lang"]: item["url"] for item in alternates(context)}
    return [
        {
            "lang": language.code,
            "name": language.name,
            "url": versions.get(language.code, language_prefix(context, language.code)),
        }
        for language in site_config(context).languages
        if language.code != here
    ]


@pass_context
def page_url(context: Any, slug: str) -> str:
    """The address of the page ``slug`` in the page's language (else in the default one)."""
    language = language_of(context)
    for page in context.get("pages", []):
        if page.slug == slug:
            return _versions(page).get(language, page).url
    return f"{language_prefix(context)}{slug}/"


@pass_context
def category_name(context: Any, category: Any) -> str:
    """A category's name in the page's language (``LANGUAGES[lang]["categories"]``)."""
    names = site_config(context).language(language_of(context)).categories
    return names.get(str(category), str(category))


@pass_context
def language_setting(context: Any, name: str, default: Any = "", language: str = "") -> Any:
    """A per-language setting (``LANGUAGES[lang][name]``) of the page's language (or of
    ``language``), e.g. the tagline; ``default`` when the language sets none."""
    config = site_config(context).language(language or language_of(context))
    return getattr(config, name, None) or default


TEMPLATE_GLOBALS = {
    "language_of_page": pass_context(language_of),
    "language_prefix": language_prefix,
    "alternates": alternates,
    "language_switch": language_switch,
    "page_url": page_url,
    "category_name": category_name,
    "language_setting": language_setting,
}


def install(generator: Any) -> None:
    """``generator_init``: gettext and the helpers above in the generator's Jinja environment."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    env.add_extension("jinja2.ext.i18n")
    catalogues = BuildCatalogues()
    env.install_gettext_callables(*catalogues.callables(), newstyle=True)
    env.globals.update(catalogues.template_globals())  # the same words, called directly
    env.globals.update(TEMPLATE_GLOBALS)
    env.filters["local_date"] = local_date


def check_settings(pelican: Any) -> None:
    """``initialized``: the languages and every catalogue, before anything is read."""
    check_catalogues(pelican.settings)  # site_config checks LANGUAGES on the way
