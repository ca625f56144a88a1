"""Every page in its own language, and each language's listing pages."""

from pelican import signals

from .languages import (
    LanguagesSettingsError,
    check_settings,
    install,
    language_of,
)
from .pages import LanguagePagesGenerator


def add_generator(pelican: object) -> type:
    """``get_generators``: the other languages' listing pages."""
    return LanguagePagesGenerator


def register() -> None:
    """Connect the plugin to Pelican's signals."""
    signals.initialized.connect(check_settings)
    signals.generator_init.connect(install)
    signals.get_generators.connect(add_generator)


__all__ = [
    "LanguagePagesGenerator",
    "LanguagesSettingsError",
    "language_of",
    "register",
]
