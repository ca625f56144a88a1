"""The handouts' settings: their defaults, and the one check of the paper size.

``HANDOUTS`` (default False) tells the theme that handouts will be written after the build, so
article pages (and ``Kind: clinical`` pages) link to theirs. Only the tasks that write them
(``invoke build --production``, ``preview``, ``publish``) turn it on for their build, so no
build links to a handout it did not write. ``HANDOUT_PAPER`` is the paper every handout is
printed on.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from site_errors import SiteError

# The kit's settings, for a run that is given none (python -m commands.handouts, a test's small
# site).
KIT_SETTINGS = Path(__file__).resolve().parents[2] / "pelicanconf.py"

# Chromium's names for the paper sizes we print on (page.pdf(format=...)).
PAPERS = ("Letter", "A4")
DEFAULTS: dict[str, Any] = {
    "HANDOUTS": False,
    "HANDOUT_PAPER": "Letter",  # a US clinic; clinics elsewhere set "A4"
}


@functools.cache
def kit_settings(path: Path = KIT_SETTINGS) -> Mapping[str, Any]:
    """Pelican's settings read from ``path`` (default: the kit's pelicanconf.py), read once."""
    from pelican.settings import read_settings

    return read_settings(str(path))


class HandoutSettingError(SiteError, ValueError):
    """A handout setting has a value we cannot print with; the message says which and why."""


def paper_setting(settings: Mapping[str, Any] | None = None) -> str:
    """``HANDOUT_PAPER`` from Pelican's settings (default "Letter"), checked.

    Raises :class:`HandoutSettingError` naming the setting and the accepted values.
    """
    value = (settings or {}).get("HANDOUT_PAPER", DEFAULTS["HANDOUT_PAPER"])
    return check_paper(value)


def check_paper(value: object, source: str = "HANDOUT_PAPER") -> str:
    """The paper name in Chromium's spelling ("a4" -> "A4"), or an error naming ``source``."""
    if isinstance(value, str):
        for paper in PAPERS:
            if value.strip().lower() == paper.lower():
                return paper
    accepted = " or ".join(f'"{paper}"' for paper in PAPERS)
    raise HandoutSettingError(
        f"{source} is {value!r}: handouts are printed on {accepted} paper. "
        f'Set HANDOUT_PAPER = "Letter" (or "A4") in pelicanconf.py.'
    )
