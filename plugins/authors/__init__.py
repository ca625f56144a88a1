"""Bylines: each article's writer from the ``AUTHORS`` registry (plugins/authors/authors.py).

Pelican's own author pages and feeds are off (``AUTHOR_SAVE_AS = ""``); Pelican's ``author`` of
each page becomes the writer's name, so feeds name the team, not its key. The templates read
``content.writer`` (a ``Writer``); an unknown key is a warning here (fatal in production) and an
error in the writer's check, both naming the file and the field.
"""

from __future__ import annotations

import logging
from typing import Any

from pelican import signals
from pelican.contents import Article, Page
from pelican.urlwrappers import Author
from site_config import site_config

from .authors import (
    AuthorSettingsError,
    Writer,
    author_key,
    author_registry,
    byline_name,
    jsonld_author,
)

logger = logging.getLogger(__name__)


def check_authors(pelican: Any) -> None:
    """``initialized``: ``AUTHORS`` is usable and names ``AUTHOR`` (the default writer), and
    each language's ``funding_disclosure`` has its link (``site_config`` checks that)."""
    site_config(pelican.settings)
    registry = author_registry(pelican.settings.get("AUTHORS", {}))
    default = pelican.settings.get("AUTHOR")
    if registry and default not in registry:
        raise AuthorSettingsError(
            f"authors: AUTHOR = {default!r} in pelicanconf.py must be a key of AUTHORS "
            f"({', '.join(sorted(registry))}): it writes every article that names no Author"
        )


def attach_writer(content: Any) -> None:
    """``content_object_init``: the page's writer from the registry, as ``content.writer``."""
    if not isinstance(content, Article | Page):
        return
    settings = content.settings
    registry = author_registry(settings.get("AUTHORS", {}))
    if not registry:
        return
    key = author_key(content.metadata, settings.get("AUTHOR") or "")
    writer = registry.get(key)
    if writer is None:
        logger.warning(
            "authors: %s: Author: %r is not a key of AUTHORS in pelicanconf.py (%s)",
            content.source_path,
            key,
            ", ".join(sorted(registry)),
        )
        return
    content.writer = writer
    language = getattr(content, "lang", None) or site_config(settings).default_lang
    content.author = Author(writer.name_in(language), settings)  # feeds name the writer
    content.authors = [content.author]


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.initialized.connect(check_authors)
    signals.content_object_init.connect(attach_writer)


__all__ = [
    "AuthorSettingsError",
    "Writer",
    "author_key",
    "author_registry",
    "byline_name",
    "jsonld_author",
    "register",
]
