"""Site search: the Pagefind index of every searchable page, made while the pages are written
and checked before the build ends."""

from .search import (
    UNUSED_PAGEFIND_FILES,
    SearchIndexError,
    SearchIndexGenerator,
    add_generator,
    register,
    verify_bundle,
)

__all__ = [
    "UNUSED_PAGEFIND_FILES",
    "SearchIndexError",
    "SearchIndexGenerator",
    "add_generator",
    "register",
    "verify_bundle",
]
