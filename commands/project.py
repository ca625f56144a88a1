"""Where the project's folders and settings files are, and the one reading of the settings."""

from __future__ import annotations

from pathlib import Path

from site_errors import SiteError

# The marker file that lets `clean` delete a folder. It holds nothing private: a fixed
# sentence, the same on every machine and every run.
BUILD_MARKER = ".invoke-build"
BUILD_MARKER_TEXT = (
    "This folder was made by `invoke build` (or serve, or preview); `invoke clean` may delete it.\n"
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = PROJECT_ROOT / "content"
ARTICLES_DIR = CONTENT_DIR / "articles"
DEV_SETTINGS = PROJECT_ROOT / "pelicanconf.py"
PROD_SETTINGS = PROJECT_ROOT / "publishconf.py"


class SettingsFileError(SiteError):
    """A settings file stopped with its own message (publishconf.py without SITEURL)."""


def load_settings(production: bool = False, overrides: dict | None = None) -> dict:
    """Pelican's settings from pelicanconf.py, or publishconf.py with ``production``.

    Each task reads them once here and hands the dict on: a task never reads the files twice.
    """
    from pelican.settings import read_settings

    path = PROD_SETTINGS if production else DEV_SETTINGS
    try:
        return read_settings(str(path), override=dict(overrides or {}))
    except SystemExit as stop:  # publishconf.py exits with a message when SITEURL is missing
        raise SettingsFileError(str(stop)) from None
