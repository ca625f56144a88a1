"""Printable handouts: one tagged PDF per article, printed from a built site by Chromium.

A library and a command (``python -m handouts --site DIR``), not a Pelican plugin: the build
stays HTML-only, and ``invoke preview``/``publish`` write the handouts after it.
"""

from handouts.handouts import HandoutReport, write_handouts, write_packet
from handouts.pages import HandoutError, handout_path
from handouts.settings import HandoutSettingError, paper_setting

__all__ = [
    "HandoutError",
    "HandoutReport",
    "HandoutSettingError",
    "handout_path",
    "paper_setting",
    "write_handouts",
    "write_packet",
]
