"""A persistent, content-addressed cache in front of typogrify.

Pelican runs typogrify (smart quotes, dashes, ellipses, no widowed last word) on every
article's HTML, title and summary on *every* build, even when the content cache hands back the
Markdown output: about 4 ms an article, as much as Markdown itself. The result depends only on
the input HTML and the typogrify settings, so this plugin keeps each result in a file named by
a hash of both (``CACHE_PATH/typogrify/``) and replays it: the output is byte-for-byte the
same, and only new or edited text is typogrified. Production builds, which start from nothing
and turn Pelican's content cache off, keep this cache: it cannot go stale.

Settings: ``TYPOGRAPHY_CACHE`` (default True). The cache folder can be deleted at any time.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from content_objects import ResultCache
from pelican import signals

logger = logging.getLogger(__name__)

CACHE_FOLDER = "typogrify"
_state: dict[str, Any] = {}  # the unwrapped typogrify ("original"), this build's "cache"


@functools.cache
def _versions() -> tuple[str, str]:
    """typogrify's and smartypants' versions (reading package metadata is slow: once only)."""
    return version("typogrify"), version("smartypants")


def cache_key(text: str, ignore_tags: object, options: dict) -> str:
    """A hash of the input and everything that changes typogrify's output."""
    import smartypants

    return ResultCache.key(
        *_versions(),
        repr(smartypants.Attr.default),  # Pelican's TYPOGRIFY_DASHES sets this
        repr(sorted(ignore_tags or [])),
        repr(sorted(options.items())),
        text,
    )


def cached_typogrify(original: Callable[..., str], folder: Path) -> Callable[..., str]:
    """Wrap typogrify so each distinct input is typogrified once, then read from ``folder``."""
    cache = ResultCache(folder)
    _state["cache"] = cache

    @functools.wraps(original)
    def typogrify(text: str, ignore_tags: object = None, **options: bool) -> str:
        key = cache_key(text, ignore_tags, options)
        result = cache.get(key)
        if result is None:
            result = original(text, ignore_tags, **options)
            cache.put(key, result)
        return result

    typogrify.__wrapped_by_typography_cache__ = True  # type: ignore[attr-defined]
    return typogrify


# smartypants runs every step on every text token between tags (about 25 regular-expression
# passes each); a step can only change a token that holds one of these substrings, so a guard
# returns the others as they are: the same output, a fraction of the work on a cold cache.
STEP_TRIGGERS: dict[str, tuple[str, ...]] = {
    "process_escapes": ("\\",),
    "convert_dashes": ("--",),
    "convert_dashes_oldschool": ("--",),
    "convert_dashes_oldschool_inverted": ("--",),
    "convert_ellipses": ("...", ". . ."),
    "convert_backticks": ("``", "''"),
    "convert_single_backticks": ("`", "'"),
    "convert_quotes": ("'", '"'),
    "convert_entities": ("&#",),
}


def _guarded(step: Callable[..., str], triggers: tuple[str, ...]) -> Callable[..., str]:
    @functools.wraps(step)
    def guarded(text: str, *args: object) -> str:
        if any(trigger in text for trigger in triggers):
            return step(text, *args)
        return text

    guarded.__guarded_step__ = step  # type: ignore[attr-defined]
    return guarded


def guard_smartypants_steps() -> None:
    """Put the guards in front of smartypants' steps (once; its loop looks them up by name)."""
    import smartypants

    for name, triggers in STEP_TRIGGERS.items():
        step = getattr(smartypants, name, None)
        if step is not None and not hasattr(step, "__guarded_step__"):
            setattr(smartypants, name, _guarded(step, triggers))


def install(pelican: object) -> None:
    """Put the cache in front of ``typogrify.filters.typogrify`` (Pelican imports it per read)."""
    from typogrify import filters

    settings = pelican.settings  # type: ignore[attr-defined]
    original = _state.setdefault("original", filters.typogrify)
    _state.pop("cache", None)  # an earlier build's, in this process
    if settings.get("TYPOGRIFY"):
        guard_smartypants_steps()
    if not settings.get("TYPOGRIFY") or not settings.get("TYPOGRAPHY_CACHE", True):
        filters.typogrify = original
        return
    folder = Path(settings["CACHE_PATH"]) / CACHE_FOLDER
    filters.typogrify = cached_typogrify(original, folder)


def report(pelican: object) -> None:
    """Log how much typography came from the cache."""
    cache = _state.get("cache")
    if cache is not None and (cache.hits or cache.misses):
        logger.info("typography: %d from the cache, %d typogrified", cache.hits, cache.misses)
        cache.hits = cache.misses = 0  # the next rebuild of `invoke serve` counts afresh


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.initialized.connect(install)
    signals.finalized.connect(report)
