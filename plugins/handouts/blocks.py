"""The HTML a handout adds to its page just before printing: the QR block, the sign-off box and
the footer on every sheet.

The words are English message ids (``WORDS``, marked with ``N_`` for ``invoke translations``),
shown in the page's language through a :class:`~handouts.wording.Wording`. Everything here is a
pure function of its arguments, so it is tested without a browser.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from html import escape

import segno
from translations import N_

from handouts.wording import Wording

WORDS = {
    "online_heading": N_("Read this guide online"),
    "online_text": N_("Scan the code with your phone's camera, or type this address:"),
    "qr_alt": N_("QR code that opens this guide online"),
    "page_of": N_("Page {page} of {total}"),
    "signoff_heading": N_("Clinical review sign-off"),
    "signoff_intro": N_(
        "Printed for review on {date} from {address}. I have reviewed this guide as printed here."
    ),
    "reviewer_name": N_("Reviewer name"),
    "credentials": N_("Credentials"),
    "date": N_("Date"),
    "signature": N_("Signature"),
    "what_changed": N_("What changed"),
}
ENGLISH = Wording()
# Modules of 8 pixels: over 300 dpi at the 20 mm the stylesheet prints the code at.
QR_SCALE = 8
# Where the printing browser finds the QR code: on the site's own address, since the site's CSP
# allows images from there only (handouts.printing answers it; the site has no such file).
QR_PATH = "/handout-qr-code.png"
WHAT_CHANGED_LINES = 6


def qr_png(address: str) -> bytes:
    """A QR code (never a Micro QR, which phones read badly) of ``address``, as PNG bytes."""
    buffer = io.BytesIO()
    segno.make_qr(address, error="m").save(buffer, kind="png", scale=QR_SCALE, border=4)
    return buffer.getvalue()


def online_block(address: str, words: Wording = ENGLISH) -> str:
    """The print-only block after the title: the QR code of ``address`` (its PNG answered at
    ``QR_PATH``, see :func:`qr_png`) and the address itself.

    The code and its words (``handout__online-scan``) are apart from the address, so an
    article's handout shows them beside the title while the address keeps one whole line
    below (a wrapped address cannot be typed or searched as printed).
    """
    shown = escape(address)
    return (
        '<aside class="handout__online" aria-labelledby="handout-online-heading">'
        '<div class="handout__online-scan">'
        f'<img class="handout__qr" src="{QR_PATH}" alt="{escape(words(WORDS["qr_alt"]))}">'
        '<div class="handout__online-text">'
        '<p class="handout__online-heading" id="handout-online-heading">'
        f"{escape(words(WORDS['online_heading']))}</p>"
        f"<p>{escape(words(WORDS['online_text']))}</p>"
        "</div></div>"
        f'<p class="handout__address"><a href="{shown}">{shown}</a></p>'
        "</aside>"
    )


def signoff_block(address: str, printed_on: dt.date, words: Wording = ENGLISH) -> str:
    """The sign-off box a clinician fills in on paper: name, credentials, date, signature, and
    ruled lines for what changed."""
    intro = escape(words(WORDS["signoff_intro"])).format(
        address=escape(address), date=escape(words.date(printed_on))
    )
    fields = "".join(
        f'<p class="handout__field"><span class="handout__field-label">{escape(words(WORDS[key]))}'
        "</span></p>"
        for key in ("reviewer_name", "credentials", "date", "signature")
    )
    lines = '<div class="handout__write-line" aria-hidden="true"></div>' * WHAT_CHANGED_LINES
    return (
        '<section class="handout__signoff" aria-labelledby="handout-signoff-heading">'
        '<h2 class="handout__signoff-heading" id="handout-signoff-heading">'
        f"{escape(words(WORDS['signoff_heading']))}</h2>"
        f"<p>{intro}</p>{fields}"
        f'<p class="handout__field-label">{escape(words(WORDS["what_changed"]))}</p>{lines}'
        "</section>"
    )


def footer_template(
    clinic: str, offices: Sequence[tuple[str, str]], words: Wording = ENGLISH
) -> str:
    """Chromium's footer for every sheet: the clinic, each office's phone number, the page.

    Chromium prints it outside the page's own stylesheet, so it carries its own small style.
    """
    contacts = " · ".join(
        escape(f"{name} {phone}".strip()) for name, phone in offices if phone.strip()
    )
    who = " · ".join(part for part in (escape(clinic.strip()), contacts) if part)
    page = escape(words(WORDS["page_of"])).format(
        page='<span class="pageNumber"></span>', total='<span class="totalPages"></span>'
    )
    return (
        '<div style="box-sizing: border-box; width: 100%; padding: 0 16mm; display: flex; '
        "justify-content: space-between; gap: 4mm; font: 8pt system-ui, Arial, sans-serif; "
        f'color: #000;"><span>{who}</span><span style="white-space: nowrap;">{page}</span></div>'
    )


def clinic_contacts(settings: Mapping) -> tuple[str, list[tuple[str, str]]]:
    """The clinic's name and each office's (name, phone) from the ``CLINIC`` setting: what the
    footer of every sheet shows, taken from the settings and never from a page."""
    clinic = settings.get("CLINIC") or {}
    offices = [
        (str(office.get("name") or ""), str(office.get("phone") or ""))
        for office in clinic.get("offices") or []
        if isinstance(office, Mapping)
    ]
    return str(clinic.get("name") or ""), offices
