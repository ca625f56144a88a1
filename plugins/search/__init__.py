"""Site search: the Pagefind index of every searchable page, checked before the build ends."""

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
