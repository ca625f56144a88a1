"""Read Markdown with the site's typography, once per content hash, on every core."""

from pelican import signals

from .content_cache import forget_stale_content_cache, remember_inputs
from .reading import Converted, SiteMarkdownReader, convert, typeset, use_site_reader
from .workers import start_reading, stop_reading, workers_stop_with_build


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.initialized.connect(forget_stale_content_cache)
    signals.finalized.connect(remember_inputs)
    signals.readers_init.connect(use_site_reader)
    signals.article_generator_preread.connect(start_reading)
    signals.page_generator_preread.connect(start_reading)
    signals.all_generators_finalized.connect(stop_reading)


__all__ = [
    "Converted",
    "SiteMarkdownReader",
    "convert",
    "register",
    "typeset",
    "workers_stop_with_build",
]
