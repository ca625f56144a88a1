"""Add a consultation call to action and a medical disclaimer to every article and page.

After every generator has read its content (``all_generators_finalized``), the plugin edits
each article's and page's ``_content`` (drafts, hidden ones and translations included), so
the blocks appear under any theme and in full-content feeds. Summaries stay clean: a summary
Pelican would derive from the content is fixed from the content *before* the blocks go in.

Each block is an ``<aside>`` marked with a ``data-`` attribute (``data-consult-cta``,
``data-disclaimer``), so it is added once only (a second build in one process, a cached
rebuild) and search indexing skips it (``data-pagefind-ignore``).

Both blocks use ``<h2>`` headings by default in every placement: each lands at the top level
of the content, beside the content's own ``<h2>`` sections and under the page's ``<h1>`` title
(our theme, ``notmyidea``). ``CTA_HEADING_LEVEL``/``DISCLAIMER_HEADING_LEVEL`` set 3 for a
theme whose titles are ``<h2>`` (Pelican's ``simple``).

Metadata (lower-case keys, as Pelican reads them): ``cta: off`` or ``cta: <variant>``;
``disclaimer: <variant>``; ``disclaimer: off`` on pages only. An empty value means default.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from html import escape
from typing import Any

from article_markup.crisis_lines import crisis_lines_linked
from article_markup.record import ArticleRecord
from html_structure import BlockPlaces, place_blocks, split_before_blocks
from pelican import signals
from pelican.contents import Content, Page
from pelican_compat import (
    all_content,
    freeze_derived_summary,
    raw_html,
    set_raw_html,
    use_build_context,
)

from .settings import (
    BlockSettings,
    ConsultCtaError,
    VariantError,
    choose_variant,
    resolve_settings,
)

logger = logging.getLogger(__name__)

CTA_MARKER = "data-consult-cta"
DISCLAIMER_MARKER = "data-disclaimer"


# --- Reading one page's metadata -------------------------------------------------------------


def _where(content: Any) -> str:
    return str(getattr(content, "source_path", None) or getattr(content, "slug", "?"))


def _is_page(content: Any) -> bool:
    """True for a Pelican page; fake objects in tests may say ``kind = "page"``."""
    if isinstance(content, Content):
        return isinstance(content, Page)
    return getattr(content, "kind", "article") == "page"


def requested_variant(
    content: Any, key: str, variants: Mapping[str, Any], *, may_turn_off: bool
) -> str | None:
    """The variant a page's ``key`` metadata asks for, or ``None`` when it says ``off``.

    ``settings.choose_variant`` reads the value (the writer's check reads it there too).
    Raises ``ConsultCtaError`` naming the file, the key and the accepted values.
    """
    value = getattr(content, "metadata", {}).get(key)
    try:
        return choose_variant(value, variants, may_turn_off=may_turn_off)
    except VariantError as problem:
        accepted = ", ".join(problem.accepted)
        if problem.reason == "off-not-allowed":
            raise ConsultCtaError(
                f"consult_cta: {_where(content)}: metadata '{key}: off' is not allowed on an "
                f"article: articles always carry the disclaimer (accepted: {accepted})"
            ) from None
        raise ConsultCtaError(
            f"consult_cta: {_where(content)}: metadata '{key}: {value}' is not a known "
            f"variant (accepted: {accepted}; variants come from LANGUAGES[<language>]"
            f"['{key}_variants'] in pelicanconf.py)"
        ) from None


def _language(content: Any, settings: BlockSettings) -> str:
    return getattr(content, "lang", None) or settings.default_lang


# --- Building the blocks (pure) --------------------------------------------------------------


def _settings(settings: BlockSettings | Mapping[str, Any]) -> BlockSettings:
    return settings if isinstance(settings, BlockSettings) else resolve_settings(settings)


def _text(template: str, clinic_name: str) -> str:
    """Escape a text from the settings and put in the (escaped) clinic name."""
    return escape(template, quote=False).replace("{clinic}", escape(clinic_name, quote=False))


def build_cta_html(settings: BlockSettings | Mapping[str, Any], content: Any) -> str:
    """The call-to-action ``<aside>`` for one article or page, or ``""`` if it says ``cta: off``.

    ``settings`` is Pelican's settings (or ``resolve_settings``' result); ``content`` is an
    article or page, or any object with a ``metadata`` dict.
    """
    resolved = _settings(settings)
    variant = requested_variant(content, "cta", resolved.cta_variants, may_turn_off=True)
    if variant is None:
        return ""
    words = resolved.words("cta", variant, _language(content, resolved))
    clinic = resolved.clinic
    name = str(clinic["name"])
    level = resolved.cta_heading_level
    offices = "\n".join(
        f'<li class="consult-cta__office">{escape(str(office["name"]), quote=False)}: '
        f'<a class="consult-cta__phone" href="{escape(office["tel"])}">'
        f"{escape(str(office['phone']), quote=False)}</a></li>"
        for office in clinic["offices"]
    )
    return (
        '<aside class="consult-cta" aria-labelledby="consult-cta-heading" data-consult-cta '
        "data-pagefind-ignore>\n"
        f'<h{level} class="consult-cta__heading" id="consult-cta-heading">'
        f"{_text(words['heading'], name)}</h{level}>\n"
        f'<p class="consult-cta__text">{_text(words["text"], name)}</p>\n'
        f'<ul class="consult-cta__offices">\n{offices}\n</ul>\n'
        f'<p><a class="consult-cta__book" href="{escape(str(clinic["booking_url"]))}">'
        f"{_text(words['book_label'], name)}</a></p>\n"
        f'<p><a class="consult-cta__contact" href="{escape(str(clinic["contact_url"]))}">'
        f"{_text(words['contact_label'], name)}</a></p>\n"
        "</aside>"
    )


def build_disclaimer_html(
    settings: BlockSettings | Mapping[str, Any], content: Any, page: str | None = None
) -> str:
    """The disclaimer ``<aside>`` for one article or page, or ``""`` for a page that says
    ``disclaimer: off``.

    The link to the full disclaimer uses Pelican's ``{filename}`` syntax, so a missing
    disclaimer page is reported by the build (fatal with ``--fatal warnings``). ``page`` is
    the disclaimer page in the content's language (``DISCLAIMER_PAGE`` when not given).
    """
    resolved = _settings(settings)
    variant = requested_variant(
        content, "disclaimer", resolved.disclaimer_variants, may_turn_off=_is_page(content)
    )
    if variant is None:
        return ""
    words = resolved.words("disclaimer", variant, _language(content, resolved))
    name = str(resolved.clinic["name"])
    level = resolved.disclaimer_heading_level
    paragraphs = "\n".join(
        f'<p class="disclaimer__text">{crisis_lines_linked(_text(paragraph, name))}</p>'
        for paragraph in [*words["extra"], *words["text"]]
    )
    target = "{filename}/" + escape(page or resolved.disclaimer_page)
    return (
        '<aside class="disclaimer" aria-labelledby="disclaimer-heading" data-disclaimer '
        "data-pagefind-ignore>\n"
        f'<h{level} class="disclaimer__heading" id="disclaimer-heading">'
        f"{_text(words['heading'], name)}</h{level}>\n"
        f"{paragraphs}\n"
        f'<p><a class="disclaimer__link" href="{target}">{_text(words["link_label"], name)}'
        "</a></p>\n"
        "</aside>"
    )


# --- Wiring into Pelican ---------------------------------------------------------------------


def disclaimer_pages(contents: list[Any], settings: BlockSettings) -> dict[str, str]:
    """Language -> the source path of the medical-disclaimer page in that language."""
    for content in contents:
        if getattr(content, "relative_source_path", None) == settings.disclaimer_page:
            versions = [content, *getattr(content, "translations", [])]
            return {version.lang: version.relative_source_path for version in versions}
    return {}


def block_places(content: Any, html: str) -> BlockPlaces:
    """Where the blocks go in ``html``: from the article's record when the reading worker read
    them from this HTML (no parse here), else read now (a body changed after reading)."""
    record = getattr(content, "metadata", {}).get("record")
    if isinstance(record, ArticleRecord) and record.block_places and record.read_from(html):
        return record.block_places
    return BlockPlaces.of(html)


def add_blocks(content: Content, settings: BlockSettings, page: str | None = None) -> bool:
    """Add the blocks one article or page is missing; return whether it changed."""
    html = raw_html(content)
    places = block_places(content, html)
    cta = "" if places.has_block(CTA_MARKER) else build_cta_html(settings, content)
    disclaimer = (
        ""
        if places.has_block(DISCLAIMER_MARKER)
        else build_disclaimer_html(settings, content, page)
    )
    if not cta and not disclaimer:
        return False
    freeze_derived_summary(content)
    html = place_blocks(
        html,
        cta,
        disclaimer,
        cta_placement=settings.cta_placement,
        disclaimer_placement=settings.disclaimer_placement,
        places=places,
    )
    set_raw_html(content, html)
    return True


def add_blocks_to_all_content(generators: list[Any]) -> None:
    """``all_generators_finalized``: add the blocks to every article and page."""
    if not generators:
        return
    start = time.perf_counter()
    settings = resolve_settings(generators[0].settings)
    context = getattr(generators[0], "context", None)
    contents = list(all_content(generators))
    pages = disclaimer_pages(contents, settings)
    changed = 0
    for content in contents:
        use_build_context(content, context)  # the disclaimer's {filename} link needs it
        changed += add_blocks(content, settings, pages.get(_language(content, settings)))
    logger.debug(
        "consult_cta: added blocks to %d articles and pages in %.3f s",
        changed,
        time.perf_counter() - start,
    )


def check_settings(pelican: Any) -> None:
    """``initialized``: fail early on bad settings (every variant in every language)."""
    resolved = resolve_settings(pelican.settings)
    for language in resolved.languages:
        for variant in resolved.cta_variants:
            resolved.words("cta", variant, language)
        for variant in resolved.disclaimer_variants:
            resolved.words("disclaimer", variant, language)


def text_before_blocks(html: str) -> str:
    """Jinja filter: a page's own text, without the call to action and the disclaimer."""
    return split_before_blocks(str(html), (CTA_MARKER, DISCLAIMER_MARKER))[0]


def blocks_and_after(html: str) -> str:
    """Jinja filter: the call to action and the disclaimer (and anything after them).

    With ``text_before_blocks``, a template shows its own part between a page's text and the
    blocks (the language-help page: the help first, then booking and the disclaimer).
    """
    return split_before_blocks(str(html), (CTA_MARKER, DISCLAIMER_MARKER))[1]


def install_filters(generator: Any) -> None:
    """``generator_init``: the two filters above in the generator's Jinja environment."""
    env = getattr(generator, "env", None)
    if env is not None:
        env.filters["text_before_blocks"] = text_before_blocks
        env.filters["blocks_and_after"] = blocks_and_after


def register() -> None:
    """Connect the plugin to Pelican."""
    signals.initialized.connect(check_settings)
    signals.generator_init.connect(install_filters)
    signals.all_generators_finalized.connect(add_blocks_to_all_content)
