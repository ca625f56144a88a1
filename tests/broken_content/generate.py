"""Write the broken-content corpus: one fault per fixture, each from the same valid article.

Run ``python tests/broken_content/generate.py`` after changing a fixture here; it rewrites the
fixture folders and ``manifest.json`` (fixture -> the finding code and file the check must
report, any other error codes the fault causes, and whether the production rules apply).
The check runs with ``today = 2026-11-25`` so the review dates stay meaningful.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = "2026-11-25"
PROJECT_ROOT = HERE.parents[1]

META = {
    "Title": "Ketamine for nerve pain",
    "Slug": "ketamine-for-nerve-pain",
    "Date": "2026-01-10",
    "Category": "Ketamine",
    "Tags": "chronic pain, infusions",
    "Summary": "What ketamine may do for nerve pain, and what to ask your care team.",
    # The site's example reviewer (REVIEWERS in pelicanconf.py): the check accepts it; only a
    # production build and `invoke review` refuse example entries.
    "Reviewed_by": "example-reviewer",
    "Last_reviewed": "2026-06-01",
    "Next_review": "2027-06-01",
    "Review_history": ["2026-06-01 | example-reviewer | First review of the article"],
}
BODY = """\
!!! key-points "Key points"
    - Ketamine may ease some nerve pain for a short time.
    - Not everyone gets relief.
    - Ask your care team whether it could help you.

Ketamine is a medicine that can ease some pain for a short time.[^cohen] It does not help \
everyone. This page says what we know and what we do not know.

## What is it?

Ketamine is used to put people to sleep for surgery.[^label] At low doses, it can ease pain.[^bell]
Doctors use it for pain "off-label". That means the FDA has not checked it for pain.[^asra]

## Does it help?

Some small studies found less pain for a few weeks.[^cohen] The effect often fades. We do not \
know who will get relief.[^bell]

- Ask how many sessions you may need.
- Ask what side effects you may get.

See [Does it help?](#does-it-help) again if you are not sure.

## What is not known yet

Studies have not shown how long relief lasts.[^bell]

## What to do next

Talk with your care team about your pain and your choices.

[^cohen]: Cohen SP, et al. Consensus guidelines on intravenous ketamine infusions for chronic pain. *Reg Anesth Pain Med.* 2018;43(5):521-546. doi:10.1097/AAP.0000000000000808
[^label]: Hospira. Ketamine Hydrochloride Injection: prescribing information. DailyMed. https://dailymed.nlm.nih.gov/dailymed/
[^bell]: Bell RF, Kalso EA. Ketamine for pain management. *Pain Rep.* 2018;3(5):e674. doi:10.1097/PR9.0000000000000674
[^asra]: American Society of Regional Anesthesia and Pain Medicine. New ketamine guidelines. 2018. https://www.asra.com/
"""  # noqa: E501
PAGE = """\
Title: About us
Slug: about
Summary: Who we are and how we write our patient guides.

We are a pain clinic. We write these pages to help you talk with your care team.
"""


PAGE_ES = """\
Title: Sobre nosotros
Slug: about
Lang: es
Summary: Quiénes somos y cómo escribimos nuestras guías para pacientes.

Somos una clínica del dolor. Escribimos estas páginas para ayudarle a hablar con su equipo.
"""


# A clinical page (a tool page) with its source: what the page and translation fixtures need.
CLINICAL_PAGE = """\
Title: Pain diary
Slug: pain-diary
Kind: clinical
Summary: A diary of your pain to bring to your care team.

Write down your pain each day. Some small studies found less pain for a few weeks.[^cohen]

""" + BODY.split("\n\n[^cohen]:", maxsplit=1)[1].join(["[^cohen]:", ""]).split("\n")[0] + "\n"


CLINICAL_PAGE_ES = """\
Title: Diario del dolor
Slug: pain-diary
Lang: es
Kind: clinical
Summary: Un diario de su dolor para llevar a su equipo de atención.

Anote su dolor cada día. Algunos estudios pequeños vieron menos dolor durante unas semanas.[^cohen]

""" + BODY.split("\n\n[^cohen]:", maxsplit=1)[1].join(["[^cohen]:", ""]).split("\n")[0] + "\n"


RST = """\
Ketamine for nerve pain
#######################

:slug: ketamine-for-nerve-pain
:date: 2026-01-10
:category: Ketamine
:tags: chronic pain, infusions
:summary: What ketamine may do for nerve pain, and what to ask your care team.

Ketamine can ease some pain for a short time. It does not help everyone.
"""


def article(meta_changes: dict | None = None, body: str = BODY, drop: tuple = ()) -> str:
    """The valid article with some metadata changed (None removes a key) or the body replaced.

    A list value is written as Review_history is: the key, then one line per item, indented.
    """
    meta = {**META, **(meta_changes or {})}
    lines = []
    for key, value in meta.items():
        if value is None or key in drop:
            continue
        if isinstance(value, list):
            lines += [f"{key}:", *(f"    {item}" for item in value)]
        else:
            lines.append(f"{key}: {value}".rstrip())
    return "\n".join(lines) + "\n\n" + body


def history(*entries: str) -> list[str]:
    """A Review_history value: its lines, newest first."""
    return list(entries)


def body_with(old: str, new: str) -> str:
    """The valid body with one piece of text replaced."""
    assert old in BODY, old
    return BODY.replace(old, new, 1)


def with_picture(paragraph: str) -> dict[str, str]:
    """The valid article with ``paragraph`` (which shows images/drip.svg) before a section,
    and the picture itself."""
    body = body_with("## Does it help?", f"{paragraph}\n\n## Does it help?")
    return {A: article(body=body), "images/drip.svg": DRIP_SVG}


# The same article in Spanish: a translation (same Slug, Lang: es) reviewed with its original.
ES_META = {
    **META,
    "Title": "La ketamina para el dolor de los nervios",
    "Lang": "es",
    "Summary": "Lo que la ketamina puede hacer por el dolor de los nervios, y qué preguntarle a "
    "su equipo de atención.",
}
ES_BODY = """\
!!! key-points "Puntos clave"
    - La ketamina puede aliviar algo de dolor de los nervios por poco tiempo.
    - No todas las personas sienten alivio.
    - Pregunte a su equipo de atención si le podría ayudar.

La ketamina es un medicamento que puede aliviar algo de dolor por poco tiempo.[^cohen] No \
ayuda a todas las personas. Esta página dice lo que sabemos y lo que no sabemos.

## ¿Qué es?

La ketamina se usa para dormir a las personas en una cirugía.[^label] En dosis bajas, puede \
calmar el dolor.[^bell]
Los médicos la usan para el dolor "fuera de etiqueta". Eso quiere decir que la FDA no la ha \
revisado para el dolor.[^asra]

## ¿Ayuda?

Unos pocos estudios pequeños vieron menos dolor por unas semanas.[^cohen] El efecto se suele \
pasar. No sabemos quién va a tener alivio.[^bell]

- Pregunte cuántas sesiones le harían falta.
- Pregunte qué efectos secundarios puede tener.

Vuelva a leer [¿Ayuda?](#ayuda) si tiene dudas.

## Lo que aún no se sabe

Los estudios no han mostrado cuánto dura el alivio.[^bell]

## Qué hacer ahora

Hable con su equipo de atención sobre su dolor y sus opciones.

""" + BODY.split("\n\n[^cohen]:", maxsplit=1)[1].join(["[^cohen]:", ""])
ES = "articles/es/ketamine-for-nerve-pain.md"
BOTH = ["en", "es"]  # the fixture's site has both languages (LANGUAGES)


def spanish(meta_changes: dict | None = None, body: str = ES_BODY) -> str:
    """The Spanish translation, with some metadata changed or the body replaced."""
    return article({**ES_META, **(meta_changes or {})}, body)


def es_body_with(old: str, new: str) -> str:
    """The Spanish body with one piece of text replaced."""
    assert old in ES_BODY, old
    return ES_BODY.replace(old, new, 1)


def skeleton_summary() -> str:
    """The placeholder summary of `invoke new`'s skeleton, from commands/new_article.py (one source)."""
    sys.path.insert(0, str(PROJECT_ROOT))
    try:
        from commands.new_article import NEW_ARTICLE_TEMPLATE
    finally:
        sys.path.remove(str(PROJECT_ROOT))
    line = next(x for x in NEW_ARTICLE_TEMPLATE.splitlines() if x.startswith("Summary:"))
    return line.removeprefix("Summary:").strip()


GLOSSARY = """\
Title: Glossary of medical words
Slug: glossary
Summary: Plain meanings of the medical words in our guides.

## Dissociation {#dissociation}

Also called: feeling detached

Feeling cut off from your body or your surroundings.
"""
G = "pages/glossary.md"

HARD_ES = (
    "La administración intravenosa de ketamina demuestra una considerable heterogeneidad "
    "respecto de la efectividad analgésica, lo que hace imprescindible una consideración "
    "individualizada de comorbilidades, medicaciones concomitantes y vulnerabilidades "
    "psicológicas preexistentes.[^cohen] El antagonismo farmacológico de los receptores "
    "N-metil-D-aspartato posiblemente atenúa la sensibilización central, aunque las "
    "investigaciones longitudinales continúan siendo metodológicamente inconsistentes.[^bell] "
    "Consecuentemente, se recomienda una evaluación multidisciplinaria que incorpore una "
    "valoración neuropsicológica pormenorizada antes de la administración.[^asra]"
)

HARD = (
    "Intravenous ketamine administration demonstrates considerable heterogeneity regarding "
    "analgesic effectiveness, necessitating individualized consideration of comorbidities, "
    "concomitant medications and psychological vulnerabilities before commencement.[^cohen] "
    "Pharmacological antagonism of N-methyl-D-aspartate receptors potentially attenuates "
    "central sensitization, although longitudinal investigations remain methodologically "
    "inconsistent.[^bell] Consequently, multidisciplinary evaluation incorporating "
    "neuropsychological assessment is recommended preceding administration.[^asra]"
)

DOSING_PAGE = """\
Title: Before your infusion
Slug: before-your-infusion
Summary: What to do on the morning of your infusion.

On the morning of your infusion, take three times your usual dose of your pain medicine.

Most people need 6 infusions.
"""


def png_header(width: int, height: int) -> bytes:
    """The first bytes of a PNG of that size: what a check reading only the header sees."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b""))


A = "articles/ketamine-for-nerve-pain.md"
DRIP_SVG = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'/>"
FIXTURES: dict[str, dict] = {
    # Content Pelican itself cannot read: a finding naming the file, never a traceback.
    "broken-metadata-block": {
        "files": {A: article().replace("Category: Ketamine", "Category Ketamine")},
        # The keys after the broken line become text: their dates are figures with no source,
        # and the history line reads as a short section.
        "code": "meta-block-broken", "also": ["meta-missing", "ref-uncited-number"],
        "warnings": ["review-missing", "read-section", "clarity-low"],
    },
    "invalid-date": {"files": {A: article({"Date": "2026-02-30"})}, "code": "meta-date"},
    "date-not-iso": {"files": {A: article({"Date": "10/01/2026"})}, "code": "meta-date"},
    "missing-title": {"files": {A: article({"Title": None})}, "code": "meta-missing"},
    "not-utf8": {
        "files": {A: article({"Title": "Ketamine \u2013 caf\u00e9 guide"}).encode("cp1252")},
        "code": "file-encoding",
    },
    "empty-file": {"files": {A: ""}, "code": "file-empty"},
    "no-metadata-block": {"files": {A: BODY}, "code": "meta-block-missing"},
    # Metadata against the schema.
    "unknown-key-sumary": {
        "files": {A: article({"Summary": None, "Sumary": META["Summary"]})},
        "code": "meta-unknown-key", "also": ["meta-missing"], "message": 'did you mean "Summary"',
    },
    "summary-too-long": {"files": {A: article({"Summary": "Ketamine " * 21})},
                         "code": "meta-too-long"},
    "title-too-long": {"files": {A: article({"Title": "Ketamine and nerve pain " * 4})},
                       "code": "meta-too-long"},
    "slug-not-lower-case": {"files": {A: article({"Slug": "Ketamine_Nerve_Pain"})},
                            "code": "meta-form"},
    "duplicate-slug": {
        "files": {A: article(), "articles/second.md": article({"Title": "Another title"})},
        "code": "meta-duplicate", "file": "articles/second.md",
    },
    "duplicate-title": {
        "files": {A: article(), "articles/second.md": article({"Slug": "second"})},
        "code": "meta-duplicate", "file": "articles/second.md",
    },
    "bad-category": {"files": {A: article({"Category": "Ketamin"})}, "code": "meta-category"},
    "tag-not-in-vocabulary": {"files": {A: article({"Tags": "chronic pain, back pain"})},
                              "code": "meta-tag"},
    "bad-cta-variant": {"files": {A: article({"Cta": "infusion"})}, "code": "meta-value"},
    "category-on-a-page": {"files": {"pages/about.md": "Category: Ketamine\n" + PAGE},
                           "code": "meta-not-allowed"},
    "page-without-summary": {
        "files": {"pages/about.md": PAGE.replace(
            "Summary: Who we are and how we write our patient guides.\n", "")},
        "code": "meta-missing",
    },
    # Review status.
    "review-in-future": {"files": {A: article({
        "Last_reviewed": "2026-12-20", "Next_review": "2027-12-01",
        "Review_history": history("2026-12-20 | example-reviewer | A review dated ahead")})},
                         "code": "review-future"},
    "next-review-before-last": {"files": {A: article({"Next_review": "2026-05-01"})},
                                "code": "review-order"},
    "next-review-over-24-months": {"files": {A: article({"Next_review": "2028-07-01"})},
                                   "code": "review-interval"},
    "review-overdue": {"files": {A: article({
        "Last_reviewed": "2024-06-01", "Next_review": "2026-06-01",
        "Review_history": history("2024-06-01 | example-reviewer | First review")})},
                       "code": "review-overdue"},
    "review-overdue-by-default-interval": {
        "files": {A: article({"Last_reviewed": "2024-10-01", "Next_review": "",
                              "Review_history": history("2024-10-01 | example-reviewer | First")})},
        "code": "review-overdue",
    },
    "review-due-soon": {"files": {A: article({"Next_review": "2026-12-10"})},
                        "code": "review-due-soon", "severity": "warning"},
    "no-reviewer": {"files": {A: article({"Reviewed_by": "", "Last_reviewed": "",
                                           "Next_review": "", "Review_history": None})},
                    "code": "review-missing", "severity": "warning"},
    "no-reviewer-production": {
        "files": {A: article({"Reviewed_by": "", "Last_reviewed": "", "Next_review": "",
                              "Review_history": None})},
        "code": "review-missing", "production": True,
    },
    "reviewer-without-date": {"files": {A: article({"Last_reviewed": "", "Next_review": ""})},
                              "code": "review-incomplete"},
    # The review workflow: reviewers from REVIEWERS, the history records each review.
    "reviewer-unknown": {
        "files": {A: article({"Reviewed_by": "example-reviewr", "Review_history": history(
            "2026-06-01 | example-reviewr | First review of the article")})},
        "code": "meta-value", "message": 'did you mean "example-reviewer"',
    },
    "author-unknown": {"files": {A: article({"Author": "editorial-teem"})},
                       "code": "meta-value", "message": 'did you mean "editorial-team"'},
    "reviewed-without-history": {"files": {A: article({"Review_history": None})},
                                 "code": "review-incomplete", "message": "records no review"},
    "history-in-future": {
        "files": {A: article({"Review_history": history(
            "2026-12-01 | example-reviewer | A review dated ahead by mistake",
            "2026-06-01 | example-reviewer | First review of the article")})},
        "code": "review-future", "also": ["review-incomplete"], "message": "Review_history",
    },
    "history-without-reviewer": {
        "files": {A: article({"Review_history": history("2026-06-01 |  | First review")})},
        "code": "review-incomplete", "message": "names no reviewer",
    },
    "history-does-not-parse": {
        "files": {A: article({"Review_history": history(
            "2026-06-01 example-reviewer First review")})},
        "code": "meta-form", "also": ["review-incomplete"], "message": "Review_history line",
    },
    # A translated page is a new text a clinician signs off (the site's own pages are exempt).
    # A clinical page's translation needs a clinician (a general page needs no sign-off).
    "translated-page-unreviewed-production": {
        "files": {"pages/pain-diary.md": CLINICAL_PAGE, "pages/es/pain-diary.md": CLINICAL_PAGE_ES},
        "code": "review-missing", "file": "pages/es/pain-diary.md", "production": True,
        "languages": BOTH,
    },
    # References.
    "too-few-references": {
        "files": {A: article(body=BODY.split("[^cohen]:", maxsplit=1)[0].replace("[^label]", "")
                             .replace("[^bell]", "").replace("[^asra]", "")
                             + "[^cohen]: Cohen SP, et al. Consensus guidelines. 2018. "
                             "doi:10.1097/AAP.0000000000000808\n")},
        "code": "ref-too-few",
    },
    "undefined-footnote": {"files": {A: article(body=body_with("for a few weeks.[^cohen]",
                                                               "for a few weeks.[^cohen2019]"))},
                           "code": "ref-undefined", "also": [], "warnings": ["ref-unused"]},
    "unused-footnote": {
        "files": {A: article(body=BODY + "[^extra]: Smith A. A study. 2020. doi:10.1000/xyz\n")},
        "code": "ref-unused", "severity": "warning",
    },
    "reference-without-doi-or-url": {
        "files": {A: article(body=body_with("2018. https://www.asra.com/", "2018."))},
        "code": "ref-no-link",
    },
    # Claims.
    "claim-non-addictive": {
        "files": {A: article(body=body_with("It does not help everyone.",
                                            "It is non-addictive."))},
        "code": "claim-absolute",
    },
    "claim-cure": {"files": {A: article({"Summary": "Can ketamine cure nerve pain? What to ask."})},
                   "code": "claim-absolute"},
    "claim-no-side-effects": {
        "files": {A: article(body=body_with("- Ask what side effects you may get.",
                                            "- It has no side effects."))},
        "code": "claim-absolute",
    },
    "claim-allowed-without-reason": {
        "files": {A: article(body=body_with(
            "It does not help everyone.",
            "<!-- allow-claim: guaranteed -->\nSome ads say relief is guaranteed. It is not."))},
        "code": "claim-absolute",
    },
    # Readability.
    "hard-to-read": {"files": {A: article(body=body_with(
        "Some small studies found less pain for a few weeks.[^cohen] The effect often fades. "
        "We do not know who will get relief.[^bell]", HARD))},
        "code": "read-grade", "warnings": ["read-section", "clarity-low"]},
    # Links.
    "broken-internal-link": {
        "files": {A: article(body=body_with("See [Does it help?](#does-it-help)",
                                            "See [our guide]({filename}missing-article.md)"))},
        "code": "link-broken",
    },
    "broken-fragment": {
        "files": {A: article(body=body_with("(#does-it-help)", "(#does-ketamine-help)"))},
        "code": "link-fragment",
    },
    "missing-image": {
        "files": {A: article(body=body_with("## Does it help?",
                                            "![A drip](/images/drip.png \"A drip\")\n\n"
                                            "## Does it help?"))},
        "code": "image-missing",
    },
    # Clarity (issue 22): without its key points box the article scores under 90.
    "clarity-no-key-points": {
        "files": {A: article(body=BODY.split("\n\n", 1)[1])},
        "code": "clarity-low", "severity": "warning", "message": "missed: 1 One main message",
    },
    "figure-without-caption": {
        "files": with_picture("![A drip bag on a stand](/images/drip.svg)"),
        "code": "image-figure-incomplete", "message": "no caption",
    },
    "image-without-alt": {
        "files": with_picture("A bag like this one ![](/images/drip.svg) holds the medicine."),
        "code": "image-alt-missing", "message": "no text alternative",
    },
    "http-link": {
        "files": {A: article(body=body_with("2018. https://www.asra.com/",
                                            "2018. http://www.asra.com/"))},
        "code": "link-insecure",
    },
    "malformed-link": {
        "files": {A: article(body=body_with("(#does-it-help)", "(https://www asra com/)"))},
        # The sanitizer cannot read the address either, so the build refuses the page.
        "code": "link-malformed", "also": ["markup-not-allowed"],
    },
    "relative-link": {
        "files": {A: article(body=body_with("(#does-it-help)", "(other-article.md)"))},
        "code": "link-relative", "also": ["link-broken"],  # both at once: the file is missing
    },
    # Content the check cannot vouch for: the build refuses it too (plugins/content_guard).
    "other-format-rst": {"files": {"articles/ketamine-for-nerve-pain.rst": RST},
                         "code": "file-format"},
    "symlink-out-of-content": {
        "files": {A: article()}, "links": {"images/leak.txt": "../../generate.py"},
        "code": "file-outside", "file": "images/leak.txt",
    },
    "static-link-out-of-content": {
        "files": {A: article(body=body_with("## Does it help?",
                                            "![A drip]({static}../../../etc/passwd \"A drip\")\n\n"
                                            "## Does it help?"))},
        "code": "link-outside",
    },
    # Static files ship by an allow-list (issue 24): no private files, no scripts.
    "static-private-file": {
        "files": {A: article(), "images/patients.csv": "name,diagnosis\nJane Doe,CRPS\n"},
        "code": "file-type", "file": "images/patients.csv",
    },
    "static-hidden-file": {
        "files": {A: article(), "images/.env": "API_TOKEN=never-publish-this\n"},
        "code": "file-hidden", "file": "images/.env",
    },
    "static-script": {
        "files": {A: article(), "images/app.js": "document.title = 'Take three doses';\n"},
        "code": "file-script", "file": "images/app.js",
    },
    "svg-with-script": {
        "files": {A: article(), "images/drip.svg": '<svg xmlns="http://www.w3.org/2000/svg">'
                  "<script>alert(1)</script></svg>\n"},
        "code": "svg-unsafe", "file": "images/drip.svg",
    },
    "raw-html-iframe": {
        "files": {A: article(body=body_with(
            "It does not help everyone.",
            'It does not help everyone. <iframe src="https://video.example.org/"></iframe>'))},
        "code": "html-raw",
    },
    "nul-byte": {"files": {A: article(body=body_with("It does not help everyone.",
                                                      "It does not help\x00 everyone."))},
                 "code": "file-control-character"},
    "date-in-future": {"files": {A: article({"Date": "2030-01-01"})},
                       "code": "meta-date-future", "severity": "warning"},
    # (Its review was typed by hand, without the fingerprint of the text: production refuses it.)
    "date-in-future-production": {"files": {A: article({"Date": "2030-01-01"})},
                                  "code": "meta-date-future", "production": True,
                                  "also": ["review-changed"]},
    # The text changed after the review that approved it (its fingerprint differs).
    "review-changed": {
        "files": {A: article({"Review_history": [
            "2026-06-01 | example-reviewer | First review of the article | text 0123456789abcdef"
        ]})},
        "code": "review-changed", "severity": "warning", "message": "changed since its last review",
    },
    "slug-too-long": {"files": {A: article({"Slug": "-".join(["ketamine-for-nerve-pain"] * 13)})},
                      "code": "meta-too-long", "message": "Slug is 311 characters"},
    "page-slug-reserved": {"files": {"pages/search.md": PAGE.replace("Slug: about",
                                                                     "Slug: search")},
                           "code": "meta-slug-reserved", "message": "SEARCH_SAVE_AS"},
    # What needs a source (issue 15): figures, and safety advice to the reader.
    "uncited-number": {
        "files": {A: article(body=body_with("The effect often fades.",
                                            "The effect often fades after 12 weeks."))},
        "code": "ref-uncited-number", "message": '"12"',
    },
    # A footnote on the line that introduces a list does not cover its items.
    "uncited-number-in-list": {
        "files": {A: article(body=body_with(
            "- Ask how many sessions you may need.",
            "In the studies:[^cohen]\n\n- most people had 4 to 6 sessions\n\n"
            "- Ask how many sessions you may need."))},
        "code": "ref-uncited-number", "message": "This list item states a figure",
    },
    "uncited-instruction": {
        "files": {A: article(body=body_with("The effect often fades.",
                                            "The effect often fades. Do not drive on the day "
                                            "of a session."))},
        "code": "ref-uncited-instruction", "severity": "warning",
    },
    # The glossary.
    "glossary-term-missing": {
        "files": {A: article(body=body_with(
            "It does not help everyone.",
            "It does not help everyone. Some people feel cut off from their body "
            "(dissociation). Some have nerve damage (neuropathy).")), G: GLOSSARY},
        "code": "glossary-term-missing", "severity": "warning", "message": '"neuropathy"',
    },
    "glossary-entry-long": {
        "files": {A: article(), G: GLOSSARY.replace(
            "Feeling cut off from your body or your surroundings.",
            "Feeling cut off from your body or your surroundings. " * 8)},
        "code": "glossary-entry-long", "file": G, "severity": "warning",
        "message": '"Dissociation" is 72 words long',
    },
    "glossary-entry-missing": {
        "files": {A: article(body=body_with("(#does-it-help)",
                                            "({filename}../pages/glossary.md#no-such-id)")),
                  G: GLOSSARY},
        "code": "glossary-entry-missing", "message": "#no-such-id",
    },
    # `invoke new`'s skeleton left in.
    "scaffold-left": {"files": {A: article({"Summary": skeleton_summary()})},
                      "code": "scaffold-left", "message": "Summary is still the placeholder"},
    # Languages and translations (issue 18): the fixture's site has English and Spanish.
    "lang-unknown": {"files": {A: article({"Lang": "fr"})}, "code": "meta-value",
                     "message": 'Lang "fr"'},
    "translation-missing": {"files": {A: article()}, "code": "translation-missing",
                            "severity": "warning", "languages": BOTH},
    "translation-without-original": {"files": {ES: spanish()}, "code": "translation-missing",
                                     "languages": BOTH},
    "translation-duplicate": {
        "files": {A: article(), ES: spanish(),
                  "articles/es/ketamina-nervios.md": spanish({"Title": "Ketamina y nervios"})},
        "code": "translation-duplicate", "file": "articles/es/ketamine-for-nerve-pain.md",
        "message": "articles/es/ketamina-nervios.md", "languages": BOTH,
    },
    "translation-stale": {
        "files": {A: article({"Modified": "2026-09-01"}), ES: spanish()},
        "code": "translation-stale", "file": ES, "severity": "warning", "languages": BOTH,
    },
    "translation-stale-production": {
        "files": {A: article({"Modified": "2026-09-01"}), ES: spanish()},
        "code": "translation-stale", "file": ES, "production": True, "languages": BOTH,
        "also": ["review-changed"],
    },
    # The translation follows a version of the original whose text is no longer there.
    "translation-stale-synced": {
        "files": {A: article(), ES: spanish({"Synced_with": "0123456789abcdef"})},
        "code": "translation-stale", "file": ES, "severity": "warning", "languages": BOTH,
        "message": "has changed since this translation",
    },
    "hard-to-read-es": {
        "files": {A: article(), ES: spanish(body=es_body_with(
            "Unos pocos estudios pequeños vieron menos dolor por unas semanas.[^cohen] El "
            "efecto se suele pasar. No sabemos quién va a tener alivio.[^bell]", HARD_ES))},
        "code": "read-ease", "file": ES, "warnings": ["read-ease-section", "clarity-low"], "languages": BOTH,
    },
    "claim-cura-es": {
        "files": {A: article(), ES: spanish({"Summary": "¿La ketamina cura el dolor de los "
                                                        "nervios? Qué preguntar."})},
        "code": "claim-absolute", "file": ES, "message": "ningún estudio muestra que cure",
        "languages": BOTH,
    },
    # Boxes and sections that show nothing (content_check/structure_check.py).
    "care-card-not-indented": {
        "files": {A: article(body=body_with(
            "See [Does it help?]",
            '!!! care-emergency "Call 911 if:"\n\n- you have chest pain\n\nSee [Does it help?]'))},
        "code": "block-empty", "message": "not indented",
    },
    "key-points-empty": {  # the bullets not indented under the box
        "files": {A: article(body=BODY.replace('"Key points"\n    - ', '"Key points"\n\n- ', 1)
                             .replace("\n    - ", "\n- ", 2))},
        "code": "block-empty", "message": "Key points box",
        "warnings": ["clarity-low"],  # an empty box: no main message set off at the top
    },
    "clinic-rule-with-text": {
        "files": {A: article(body=body_with(
            "See [Does it help?]",
            '!!! clinic-rule "after_treatment"\n    Rest at home.\n\nSee [Does it help?]'))},
        "code": "block-clinic-rule-text",
    },
    "heading-empty": {
        "files": {A: article(body=body_with("## Does it help?", "## Who can have it?\n\n"
                                                                "## Does it help?"))},
        "code": "heading-empty", "message": "Who can have it?",
    },
    # Nothing in the content runs (issue 24).
    "forged-review-box": {
        "files": {A: article(body=body_with(
            "It does not help everyone.",
            "It does not help everyone.\n\nReviewed by Dr Fake, MD\n{: .review-dates }\n\n"))},
        "code": "markup-not-allowed", "message": 'the class "review-dates"',
    },
    "attribute-list-handler": {
        "files": {A: article(body=body_with(
            "It does not help everyone.",
            'It does not help everyone.\n{: onmouseover="alert(1)" }\n\n'))},
        "code": "markup-not-allowed", "message": "onmouseover",
    },
    "summary-javascript-link": {
        "files": {A: article({"Summary": "What ketamine may do: [read more](javascript:alert(1))."})},
        "code": "markup-not-allowed", "message": "javascript:",
    },
    "repeated-reviewed-by": {
        "files": {A: article().replace("Last_reviewed:", "Reviewed_by: dr-fake\nLast_reviewed:", 1)},
        "code": "meta-duplicate", "message": "Reviewed_by is written twice",
    },
    "invisible-characters": {
        "files": {A: article(body=body_with("It does not help everyone.",
                                            "A gua\u200branteed cu\u200bre for everyone."))},
        "code": "text-invisible", "also": ["claim-absolute"],
    },
    "english-claim-on-a-spanish-page": {
        "files": {A: article(), ES: spanish(body=es_body_with(
            "No sabemos quién va a tener alivio.",
            "No sabemos quién va a tener alivio. It does not cause side effects."))},
        "code": "claim-absolute", "file": ES, "message": "does not cause side effects",
        "languages": BOTH,
    },
    "spanish-claim-without-accents": {
        "files": {A: article(), ES: spanish(body=es_body_with(
            "No sabemos quién va a tener alivio.",
            "No sabemos quién va a tener alivio. La ketamina no genera adiccion."))},
        "code": "claim-absolute", "file": ES, "message": "no genera adiccion",
        "languages": BOTH,
    },
    "clinical-page-without-references": {
        "files": {"pages/before-your-infusion.md": DOSING_PAGE.replace(
            "Summary:", "Kind: clinical\nSummary:")},
        "code": "ref-too-few", "also": ["ref-uncited-number"],
        "warnings": ["review-missing"],  # a clinical page needs a clinician's sign-off
    },
    "general-page-with-dosing-advice": {
        "files": {"pages/before-your-infusion.md": DOSING_PAGE},
        "code": "page-kind", "message": "times your usual dose",
    },
    "too-many-brackets": {
        "files": {A: article(body=body_with("It does not help everyone.",
                                            "It does not help everyone. " + "[" * 3000))},
        "code": "file-too-complex", "message": '"[" in one paragraph',
    },
    "image-over-pixel-budget": {
        "files": {A: article(), "images/huge.png": png_header(20_000, 20_000)},
        "code": "image-too-large", "file": "images/huge.png", "message": "20,000 x 20,000",
    },
}  # fmt: skip


def main() -> None:
    """Rewrite every fixture folder and the manifest."""
    for old in HERE.iterdir():
        if old.is_dir() and not old.is_symlink() and not old.name.startswith(("_", ".")):
            shutil.rmtree(old)
    manifest = {}
    for name, spec in FIXTURES.items():
        for relative, text in spec["files"].items():
            path = HERE / name / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        for relative, target in spec.get("links", {}).items():
            path = HERE / name / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.symlink_to(target)
        manifest[name] = {
            "code": spec["code"],
            "file": spec.get("file", next(iter(spec["files"]))),
            "severity": spec.get("severity", "error"),
            "also": spec.get("also", []),
            "warnings": spec.get("warnings", []),
            "production": spec.get("production", False),
            "message": spec.get("message", ""),
            "languages": spec.get("languages", ["en"]),
        }
    manifest_text = json.dumps({"today": TODAY, "fixtures": manifest}, indent=1)
    (HERE / "manifest.json").write_text(manifest_text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
