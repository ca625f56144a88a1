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

import copy
import inspect
import logging
import re
import time
from collections.abc import Mapping
from html import escape
from typing import Any

from content_objects import all_content, forget_rendered_content, memoized_cache
from pelican import signals
from pelican.contents import Content, Page

from .settings import (
    DEFAULT_VARIANT,
    OFF,
    BlockSettings,
    ConsultCtaError,
    resolve_settings,
)

logger = logging.getLogger(__name__)

CTA_MARKER = re.compile(r"<aside\b[^>]*\sdata-consult-cta[\s=>]")
DISCLAIMER_MARKER = re.compile(r"<aside\b[^>]*\sdata-disclaimer[\s=>]")
# A section heading of the content itself (not the heading of one of our blocks).
SECTION_HEADING = re.compile(r'<h2\b(?![^>]*class="(?:consult-cta|disclaimer)__heading")')
# Python-Markdown's footnotes (the "References" list) stay last, after the blocks.
FOOTNOTES = '<div class="footnote"'


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

    A missing or empty value means ``"default"``. Raises ``ConsultCtaError`` naming the file,
    the key and the accepted values for an unknown variant, or for ``off`` where it is not
    allowed.
    """
    value = getattr(content, "metadata", {}).get(key)
    name = "" if value is None else str(value).strip().lower()
    if not name:
        return DEFAULT_VARIANT
    accepted = ([OFF] if may_turn_off else []) + sorted(variants)
    if name == OFF and may_turn_off:
        return None
    if name == OFF:
        raise ConsultCtaError(
            f"consult_cta: {_where(content)}: metadata '{key}: off' is not allowed on an "
            f"article: articles always carry the disclaimer (accepted: {', '.join(accepted)})"
        )
    if name not in variants:
        setting = "CTA_VARIANTS" if key == "cta" else "DISCLAIMER_VARIANTS"
        raise ConsultCtaError(
            f"consult_cta: {_where(content)}: metadata '{key}: {value}' is not a known "
            f"variant (accepted: {', '.join(accepted)}; variants come from {setting} in "
            "pelicanconf.py)"
        )
    return name


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
    words = resolved.cta_variants[variant]
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


def build_disclaimer_html(settings: BlockSettings | Mapping[str, Any], content: Any) -> str:
    """The disclaimer ``<aside>`` for one article or page, or ``""`` for a page that says
    ``disclaimer: off``.

    The link to the full disclaimer uses Pelican's ``{filename}`` syntax, so a missing
    disclaimer page is reported by the build (fatal with ``--fatal warnings``).
    """
    resolved = _settings(settings)
    variant = requested_variant(
        content, "disclaimer", resolved.disclaimer_variants, may_turn_off=_is_page(content)
    )
    if variant is None:
        return ""
    words = resolved.disclaimer_variants[variant]
    name = str(resolved.clinic["name"])
    level = resolved.disclaimer_heading_level
    paragraphs = "\n".join(
        f'<p class="disclaimer__text">{_text(paragraph, name)}</p>'
        for paragraph in [*words["extra"], *words["text"]]
    )
    target = "{filename}/" + escape(resolved.disclaimer_page)
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


def _insert(html: str, index: int, block: str) -> str:
    return f"{html[:index].rstrip()}\n{block}\n{html[index:].lstrip()}".strip("\n")


def _end(html: str) -> int:
    """Where "end" is: before Python-Markdown's footnotes (the references), else the end."""
    index = html.rfind(FOOTNOTES)
    return index if index >= 0 else len(html)


def place_blocks(
    html: str,
    cta: str = "",
    disclaimer: str = "",
    *,
    cta_placement: str = "end",
    disclaimer_placement: str = "end",
) -> str:
    """Return ``html`` with the blocks put where the placements say (empty blocks skipped).

    ``"end"`` is before the footnotes if there are any (the references stay last), with the
    call to action before the disclaimer; ``"after-first-section"`` is before the second
    ``<h2>`` of the content (the end when there is none); ``"start"`` is before everything.
    """
    if cta:
        index = _end(html)
        if cta_placement == "after-first-section":
            headings = [match.start() for match in SECTION_HEADING.finditer(html)]
            if len(headings) >= 2:
                index = headings[1]
        html = _insert(html, index, cta)
    if disclaimer:
        index = 0 if disclaimer_placement == "start" else _end(html)
        html = _insert(html, index, disclaimer)
    return html


# --- Wiring into Pelican ---------------------------------------------------------------------


def fix_summary_before_blocks(content: Content) -> None:
    """Keep a summary Pelican derives from the content free of the blocks.

    An article or page with no ``Summary:`` gets its summary from the start of its content
    (``Content.get_summary``). Here that summary is computed from the content as it is now,
    with ``{filename}`` links left as they are, and stored as if the writer had written it,
    so Pelican resolves its links exactly as for a written one
    (``refresh_metadata_intersite_links``, which runs right after this plugin).
    """
    if "summary" in content.metadata:
        return
    if "summary" not in content.settings.get("FORMATTED_FIELDS", ()):
        # Pelican would not resolve links in a stored summary: store the resolved one.
        summary = content.summary
    else:
        # Pelican's own get_summary, on a copy whose links are left unresolved.
        raw = copy.copy(content)
        raw._update_content = lambda html, siteurl: html
        get_summary = inspect.getattr_static(type(content), "get_summary")
        siteurl = content.get_siteurl()
        try:
            summary = getattr(get_summary, "func", get_summary)(raw, siteurl)
        finally:
            cache = memoized_cache(type(content), "get_content")
            if cache is not None:
                cache.pop((raw, siteurl), None)
    content.metadata["summary"] = summary
    content._summary = summary


def add_blocks(content: Content, settings: BlockSettings) -> bool:
    """Add the blocks one article or page is missing; return whether it changed."""
    html = content._content or ""
    cta = "" if CTA_MARKER.search(html) else build_cta_html(settings, content)
    disclaimer = "" if DISCLAIMER_MARKER.search(html) else build_disclaimer_html(settings, content)
    if not cta and not disclaimer:
        return False
    fix_summary_before_blocks(content)
    content._content = place_blocks(
        html,
        cta,
        disclaimer,
        cta_placement=settings.cta_placement,
        disclaimer_placement=settings.disclaimer_placement,
    )
    return True


def add_blocks_to_all_content(generators: list[Any]) -> None:
    """``all_generators_finalized``: add the blocks to every article and page."""
    if not generators:
        return
    start = time.perf_counter()
    settings = resolve_settings(generators[0].settings)
    context = getattr(generators[0], "context", None)
    changed = []
    for content in all_content(generators):
        if isinstance(context, dict) and isinstance(content._context, dict):
            # Pelican's generator-layer cache (CONTENT_CACHING_LAYER = "generator") restores
            # content with the context of the build that cached it, where the pages are not
            # known yet: the disclaimer's {filename} link needs this build's context.
            content._context = context
        if add_blocks(content, settings):
            changed.append(content)
    forget_rendered_content(changed)
    logger.debug(
        "consult_cta: added blocks to %d articles and pages in %.3f s",
        len(changed),
        time.perf_counter() - start,
    )


def check_settings(pelican: Any) -> None:
    """``initialized``: fail early on bad settings, before any content is read."""
    resolve_settings(pelican.settings)


def register() -> None:
    """Connect the plugin to Pelican."""
    signals.initialized.connect(check_settings)
    signals.all_generators_finalized.connect(add_blocks_to_all_content)
