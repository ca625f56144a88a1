"""Results of a pure function of one text, kept by the text's digest for the process's life.

A library, not a plugin. `invoke serve` rebuilds the whole site in one process after every
save, and most articles' HTML is the same as last time: a result worked out from the HTML
alone (its top-level elements, its reader-visible lines) is found again by a 16-byte digest
of the text instead of parsing 1,000 articles each time. The digest, not the text, is the key,
so the memo holds no copy of the site's HTML.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

Result = TypeVar("Result")
# Enough for every article and page of a large site, with their summaries and two languages.
DEFAULT_ENTRIES = 8192
RECENT_TEXTS = 4


def text_digest(text: str) -> bytes:
    """A 16-byte digest of ``text`` (BLAKE2b: about 1 GB/s, so 10 KB of HTML in 10 µs)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class TextMemo(Generic[Result]):
    """A pure function of one string with its results kept for the last ``entries`` texts."""

    def __init__(self, function: Callable[[str], Result], entries: int) -> None:
        functools.update_wrapper(self, function)
        self.function = function
        self.entries = entries
        self._kept: OrderedDict[bytes, Result] = OrderedDict()
        self._lock = threading.Lock()  # serve's writer's check runs in a thread beside the build
        # The last few texts themselves: a plugin asks several questions of one article's HTML
        # in a row, and the same string needs no digest again.
        self._recent: list[tuple[str, Result]] = []

    def __call__(self, text: str) -> Result:
        """The function's result for ``text``."""
        for seen, result in self._recent:
            if seen is text:
                return result
        result = self._by_digest(text)
        self._note_recent(text, result)
        return result

    def _by_digest(self, text: str) -> Result:
        key = text_digest(text)
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        result = self.function(text)
        self._keep(key, result)
        return result

    def _keep(self, key: bytes, result: Result) -> None:
        with self._lock:
            self._kept[key] = result
            if len(self._kept) > self.entries:
                self._kept.popitem(last=False)

    def _note_recent(self, text: str, result: Result) -> None:
        self._recent.insert(0, (text, result))
        del self._recent[RECENT_TEXTS:]

    def remember(self, text: str, result: Result) -> None:
        """Keep ``result`` as the function's answer for ``text``, worked out another way (the
        caller answers for it being the very answer the function gives)."""
        self._keep(text_digest(text), result)
        self._note_recent(text, result)

    def cache_clear(self) -> None:
        """Forget every result."""
        self._kept.clear()
        self._recent.clear()


def by_text_digest(
    entries: int = DEFAULT_ENTRIES,
) -> Callable[[Callable[[str], Result]], TextMemo[Result]]:
    """Decorate a pure function of one string: its results kept for the last ``entries`` texts.

    The result is shared between calls: return something immutable (a tuple) or a copy.
    """

    def decorate(function: Callable[[str], Result]) -> TextMemo[Result]:
        return TextMemo(function, entries)

    return decorate
