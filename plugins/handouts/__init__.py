"""Printable handouts: one tagged PDF per article (and per ``Kind: clinical`` page), printed
from a built site by Chromium with JavaScript off, under the site's own CSP.

A library, not a Pelican plugin: the build stays HTML-only, and ``invoke preview``/``publish``
(or ``python -m commands.handouts --site DIR``, commands/handouts.py) write the handouts after it.
"""

from handouts.handouts import HandoutReport, write_handouts, write_packet
from handouts.packet import PacketSource, packet_source
from handouts.pages import HandoutError, handout_path
from handouts.settings import HandoutSettingError, paper_setting
from handouts.wording import WordBook, Wording

__all__ = [
    "HandoutError",
    "HandoutReport",
    "HandoutSettingError",
    "PacketSource",
    "WordBook",
    "Wording",
    "handout_path",
    "packet_source",
    "paper_setting",
    "write_handouts",
    "write_packet",
]
