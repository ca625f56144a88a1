"""The check's settings: defaults here, overridable in pelicanconf.py / publishconf.py."""

from __future__ import annotations

from typing import Any

from clinical_review.review import review_settings
from site_config import SOURCE_SETTINGS, site_config

# Absolute and superlative phrases a health page must not use (docs/writing-rules.md).
# name -> pattern (a regular expression, case-insensitive), why it is a problem, what to write.
DEFAULT_ABSOLUTE_CLAIMS: dict[str, dict[str, str]] = {
    "non-addictive": {
        "pattern": r"\bnon-?addictive\b|\bnot addictive\b|\bcannot be addictive\b"
        r"|\bnot habit-forming\b|\bno (?:risk|chance) of (?:addiction|dependence)\b"
        r"|\b(?:does|do|will|can) not (?:cause|lead to) (?:addiction|dependence)\b"
        r"|\b(?:doesn't|don't|won't|can't|cannot) (?:cause|lead to) (?:addiction|dependence)\b"
        r"|\b(?:won't|will not|cannot|can't) get (?:you )?addicted\b"
        r"|\bwithout (?:the |any )?withdrawal\b",
        "why": "Ketamine can be misused and cause dependence; no medicine that acts on the "
        "brain can promise this.",
        "instead": 'Say what is known: "Misuse and dependence are possible, mostly with '
        'repeated use outside medical care."',
    },
    "cure": {
        "pattern": r"\bcur(?:e|es|ed|ing)\b",
        "why": "Ketamine eases some pain for a time; no study shows it cures chronic pain.",
        "instead": '"may ease", "may reduce", "can give some people relief for a time".',
    },
    "guaranteed": {
        "pattern": r"\bguarantee(?:d|s)?\b|\bwe promise\b|\bworks for everyone\b"
        r"|\bworks every time\b",
        "why": "No treatment works for everyone; a promise misleads and may break "
        "advertising rules.",
        "instead": '"It helps some people. It does not help everyone."',
    },
    "no side effects": {
        "pattern": r"\b(?:no|zero|without(?: any)?) side[- ]effects?\b"
        r"|\b(?:does|do|will) not (?:cause|have|give|bring) (?:you )?(?:any )?side[- ]effects?\b"
        r"|\b(?:doesn't|don't|won't) (?:cause|have|give|bring) (?:you )?(?:any )?side[- ]effects?\b"
        r"|\bside[- ]effects?[- ]free\b|\bfree (?:of|from) side[- ]effects?\b",
        "why": "Every medicine has side effects; ketamine's are listed on its label.",
        "instead": "Name the common side effects and say how long they last.",
    },
    "completely safe": {
        "pattern": r"\b(?:completely|perfectly|totally|entirely|absolutely|100%) safe\b"
        r"|\brisk[- ]free\b|\bharmless\b|\bno risks?\b(?! is)|\bwithout (?:any )?risks?\b"
        r"|\bfree (?:of|from) risks?\b|\bsafe and reliable\b|\bheart[- ]friendly\b",
        "why": "No medicine is free of risk; the reader needs the risks to decide.",
        "instead": '"Serious problems are rare when trained staff monitor you."',
    },
    "most powerful": {
        "pattern": r"\bmost (?:powerful|effective)\b|\bbest (?:treatment|option|medicine)\b",
        "why": "A superlative is a comparison that no study supports.",
        "instead": "Say what the evidence shows and how strong it is.",
    },
    "miracle": {
        "pattern": r"\bmiracle\b|\bbreakthrough\b|\bwonder drug\b|\brevolutionary\b",
        "why": "Marketing language raises false hope.",
        "instead": "Describe what the treatment does in plain words.",
    },
    "proven": {
        "pattern": r"\bproven\b|\bclinically proven\b"
        r"|\b(?:scientifically|clinically) (?:shown|demonstrated)\b",
        "why": "Evidence for ketamine in pain is mixed and mostly from small studies.",
        "instead": '"Studies suggest", "some small studies found", with a footnote.',
    },
    "ideal": {
        "pattern": r"\bideal(?:ly)?\b|\bperfect (?:for|solution)\b",
        "why": "Whether a treatment suits someone is for them and their care team to decide.",
        "instead": '"may be an option for", "may suit".',
    },
    "100%": {
        "pattern": r"(?<![\w.])100 ?%(?! safe)|\b100 percent\b",
        "why": "Nothing in medicine works 100% of the time.",
        "instead": 'Give the real figure with its source, as "1 in 10".',
    },
    "ends pain": {
        "pattern": r"\beliminat(?:e|es|ed|ing) (?:your |all |the )?pain\b"
        r"|\bend(?:s|ed)? (?:your )?pain\b|\bget(?:s)? rid of (?:your |the )?pain\b"
        r"|\bpain[- ]free (?:for good|forever|for life)\b|\bpermanent(?:ly)? (?:relief|results)\b"
        r"|\bFDA[- ]approved (?:for|to treat) (?:chronic )?pain\b",
        "why": "Ketamine eases some pain for some people, for a time; relief often fades, and its "
        "use for pain is off-label.",
        "instead": '"may ease your pain for a time", "relief often fades".',
    },
    # Was only in tests/test_content.py's own list: one list now, here.
    "is safe": {
        "pattern": r"\b(?:is|are) (?:very |quite )?safe\b",
        "why": "Safe for whom, at what dose, compared with what? Said flatly, it promises what "
        "no medicine can.",
        "instead": 'Say what the risks are and how they are kept low: "Serious problems are rare '
        'when trained staff monitor you."',
    },
}

# The same phrases in Spanish (US Spanish, "usted"), for content in `Lang: es`. Negations
# ("no está comprobado") say what is not known, which is what we want written, so they pass.
DEFAULT_ABSOLUTE_CLAIMS_ES: dict[str, dict[str, str]] = {
    "no adictivo": {
        "pattern": r"\bno (?:es |son )?adictiv[oa]s?\b|\bno (?:crea|causa|produce|genera|provoca) "
        r"(?:ninguna )?(?:adicción|dependencia)\b|\bsin riesgo de (?:adicción|dependencia)\b"
        r"|\bno (?:crea hábito|engancha)\b|\bsin (?:síntomas de )?abstinencia\b",
        "why": "La ketamina se puede usar mal y puede causar dependencia; ningún medicamento "
        "que actúa sobre el cerebro puede prometer esto.",
        "instead": 'Diga lo que se sabe: "Es posible usarla mal y crear dependencia, sobre todo '
        'con el uso repetido fuera de la atención médica."',
    },
    "cura": {
        "pattern": r"\bcura(?:s|n|r|rá|rán|do|da|dos|das)?\b|\bcuración\b",
        "why": "La ketamina alivia algo de dolor por un tiempo; ningún estudio muestra que "
        "cure el dolor crónico.",
        "instead": '"puede aliviar", "puede reducir", "a algunas personas les da alivio por un '
        'tiempo".',
    },
    "garantizado": {
        # Not "garantizar su seguridad" (to make sure): only the promise.
        "pattern": r"\bgarantizad[oa]s?\b|\bgarantía de (?:éxito|resultados|alivio)\b"
        r"|\bgarantizamos\b|\ble garantiza(?:mos|n)?\b"
        r"|\bgarantiza (?:el|los|la|su) (?:alivio|resultados?|éxito|mejoría)\b",
        "why": "Ningún tratamiento funciona para todos; una promesa engaña y puede violar las "
        "reglas de publicidad.",
        "instead": '"Ayuda a algunas personas. No ayuda a todas."',
    },
    "sin efectos secundarios": {
        "pattern": r"\bsin (?:ningún |ningunos )?efectos? (?:secundarios?|adversos?)\b"
        r"|\bningún efecto (?:secundario|adverso)\b|\blibre de efectos (?:secundarios|adversos)\b"
        r"|\bno (?:tiene|causa|produce|provoca|da) (?:ningún |ningunos )?efectos? "
        r"(?:secundarios?|adversos?)\b",
        "why": "Todo medicamento tiene efectos secundarios; los de la ketamina están en su "
        "etiqueta.",
        "instead": "Nombre los efectos secundarios comunes y diga cuánto duran.",
    },
    "100 % seguro": {
        "pattern": r"(?:\b|(?<![\w.,])(?=\d))(?:100\s?%|completamente|totalmente|perfectamente"
        r"|absolutamente) segur[oa]s?\b|\binofensiv[oa]s?\b|\binocu[oa]s?\b"
        r"|\bsin (?:ningún )?riesgos?\b|\blibre de riesgos?\b"
        r"|\bno (?:tiene|hay|conlleva) (?:ningún )?riesgos?\b|\bsegur[oa] y confiable\b",
        "why": "Ningún medicamento está libre de riesgos; el lector necesita conocerlos para "
        "decidir.",
        "instead": '"Los problemas graves son poco comunes cuando personal capacitado lo vigila."',
    },
    "el más eficaz": {
        "pattern": r"\b(?:el|la|los|las) (?:\w+ )?más (?:eficaz|eficaces|potente|potentes"
        r"|efectiv[oa]s?|segur[oa]s?)\b|\b(?:el|la) mejor (?:tratamiento|opción|medicamento)\b",
        "why": "Un superlativo es una comparación que ningún estudio respalda.",
        "instead": "Diga lo que muestra la evidencia y qué tan sólida es.",
    },
    "milagro": {
        "pattern": r"\bmilagr(?:o|os|osa|osas|oso|osos)\b|\brevolucionari[oa]s?\b"
        r"|\bavance decisivo\b",
        "why": "El lenguaje de publicidad da falsas esperanzas.",
        "instead": "Describa con palabras sencillas lo que hace el tratamiento.",
    },
    "comprobado": {
        # Not "probado" alone: "ha probado otros tratamientos" is "has tried".
        "pattern": r"(?<!\bno está )(?<!\bno están )(?<!\bno se ha )(?<!\bno ha )"
        r"(?<!\bno han )(?<!\bno ha sido )\b(?:(?:clínica|científica)mente )?comprobad[oa]s?\b"
        r"|\b(?:clínica|científica)mente probad[oa]s?\b"
        r"|\bprobad[oa]s? (?:clínica|científica)mente\b"
        r"|(?<!\bno está )(?<!\bno están )(?<!\bno se ha )(?<!\bno ha )(?<!\bno han )"
        r"(?<!\bno ha sido )\b(?:(?:clínica|científica)mente )?demostrad[oa]s?\b",
        "why": "La evidencia sobre la ketamina para el dolor es variada y viene sobre todo de "
        "estudios pequeños.",
        "instead": '"Los estudios sugieren", "algunos estudios pequeños encontraron", con una '
        "nota de referencia.",
    },
    "ideal": {
        "pattern": r"\bideal(?:es|mente)?\b|\b(?:solución|opción) perfecta\b"
        r"|\bperfect[oa] para\b",
        "why": "Si un tratamiento le conviene a alguien lo deciden esa persona y su equipo de "
        "atención.",
        "instead": '"puede ser una opción para", "puede convenirle".',
    },
    "elimina el dolor": {
        "pattern": r"\belimin(?:a|an|ará|arán|ar|amos) (?:el|su|tu|todo el|todo su) dolor\b"
        r"|\bacab(?:a|an|ará|ar|amos) con (?:el|su|tu) dolor\b|\badiós al dolor\b"
        r"|\balivio (?:permanente|definitivo|total|para siempre)\b|\bcura definitiva\b"
        r"|\bsin dolor para siempre\b",
        "why": "La ketamina alivia algo de dolor a algunas personas, por un tiempo; el alivio "
        "suele pasar.",
        "instead": '"puede aliviar su dolor por un tiempo", "el alivio suele pasar".',
    },
    "100 %": {
        "pattern": r"(?<![\w.,])100\s?%(?!\s?segur)|\b(?:100|cien) por ciento\b",
        "why": "Nada en medicina funciona el 100 % de las veces.",
        "instead": 'Dé la cifra real con su fuente, como "1 de cada 10".',
    },
    "es seguro": {
        # A question ("¿Es segura la ketamina?") claims nothing; "es seguro que" is "surely".
        "pattern": r"(?<!¿)\b(?:es|son) (?:muy |bastante )?segur[oa]s?\b(?!\s*\?)(?!\s+que\b)",
        "why": "¿Seguro para quién, en qué dosis, comparado con qué? Dicho así, promete lo que "
        "ningún medicamento puede.",
        "instead": 'Diga cuáles son los riesgos y cómo se reducen: "Los problemas graves son '
        'poco comunes cuando personal capacitado lo vigila."',
    },
}

DEFAULTS: dict[str, Any] = {
    "CHECK_MAX_GRADE": 8.0,  # Flesch-Kincaid grade, article and section
    "CHECK_MAX_SMOG": 10.0,  # SMOG index, article and section (sections of 3+ sentences)
    "CHECK_SECTION_MIN_WORDS": 60,  # shorter sections are too small to score
    "CHECK_GLOSSARY_ENTRY_WORDS": 60,  # a glossary entry's meaning fits on a phone's screen
    "CHECK_HARDEST_SENTENCES": 3,
    "CHECK_MAX_SENTENCE_WORDS": 30,  # one sentence, in an article: over it, a warning
    "CHECK_MIN_REFERENCES": 4,  # per article
    # per `Kind: clinical` page: its advice cites at least one source (a tool page is short)
    "CHECK_MIN_REFERENCES_PAGE": 1,
    # A `Kind: general` page that gives dosing advice (regular expressions, case-insensitive,
    # every language's applied): an amount of a medicine, or an instruction about a dose.
    "CHECK_DOSING_ADVICE": [
        r"\b\d+(?:[.,]\d+)?\s?(?:mg(?:/kg)?|mcg|µg|ml|milligrams?|micrograms?|miligramos?"
        r"|microgramos?)\b",
        r"\b(?:take|taking|double|skip|increase|lower|reduce|halve|change)\b[^.;:]{0,40}"
        r"\byour\b[^.;:]{0,20}\bdoses?\b",
        r"\b(?:tome|tomar|duplique|salte|aumente|reduzca|baje|cambie)\b[^.;:]{0,40}"
        r"\bsu\b[^.;:]{0,20}\bdosis\b",
    ],
    "CHECK_MAX_TITLE": 70,
    "CHECK_MAX_SUMMARY": 160,
    # A slug is a folder name and part of every address: 80 characters hold a title's words
    # (titles have at most 70), read well when shared, and stay far below the 255 bytes a
    # file system allows (a 300-character slug stopped the build with "File name too long").
    "CHECK_MAX_SLUG": 80,
    # The review settings (REVIEW_INTERVAL_MONTHS, REVIEW_DUE_SOON_DAYS, REVIEWERS) and their
    # defaults live in plugins/clinical_review: check_settings adds them as "REVIEW".
    "REQUIRE_CLINICAL_REVIEW": False,
    "ALLOWED_CATEGORIES": [],
    "ALLOWED_TAGS": [],
    # --- The clarity score (content_check.clarity): the site's Markdown renders each article.
    "CLARITY_MIN_SCORE": 90,  # out of 100: `invoke check` warns under it, publishing refuses
    "CLARITY_LANGUAGES": {},  # language -> headings and words (defaults in clarity.py)
    # Who writes the pages (plugins/authors): `Author:` must be a key of AUTHORS.
    "AUTHORS": {},
    "AUTHOR": "",
    # --- Languages: LANGUAGES and DEFAULT_LANG are the site's (site_config, added as "SITE").
    # Fernández-Huerta reading ease for Spanish (higher is easier): 70 to 80 is "bastante
    # fácil" (fairly easy), the band of plain-language health text; below 60 is "algo difícil".
    "CHECK_MIN_READING_EASE_ES": 70.0,
    # Numbers that are not figures needing a source: emergency and crisis phone lines.
    "CHECK_NUMBERS_NOT_FIGURES": ["911", "988"],
    # The build's Markdown and content folder: the check converts each file as the build does
    # (content_check.markup) to hold its HTML against the allow-list.
    "MARKDOWN": None,
    "MARKDOWN_LIMITS": {},  # over article_markup.limits.DEFAULT_LIMITS
    "PATH": "",
    "THEME": "",
    # Safety advice to the reader, per language (regular expressions, case-insensitive): an
    # instruction at the start of a sentence, a list item or a clause.
    "CHECK_SAFETY_INSTRUCTIONS": {
        "en": r"(?:^|[,;:]\s+(?:and\s+|then\s+)?)(?:please\s+)?"
        r"(?:do\s+not|don[\u2019']t|never|avoid|stop\s+(?:taking|using))\b",
        "es": r"(?:^|[,;:]\s+(?:y\s+|luego\s+)?)(?:(?:no|nunca)\s+(?:maneje|conduzca|tome|beba"
        r"|use|utilice|mezcle|combine|opere|deje|suspenda|cambie|coma)|evite"
        r"|deje\s+de\s+(?:tomar|usar|utilizar)|suspenda)\b",
    },
}


# The check's own claim list of a language a clinic gives none for (LANGUAGES[<language>]
# ["absolute_claims"]); the default language falls back to the English list.
DEFAULT_CLAIMS_BY_LANG = {"en": DEFAULT_ABSOLUTE_CLAIMS, "es": DEFAULT_ABSOLUTE_CLAIMS_ES}


def claims_of(site: Any, language: str) -> dict[str, Any] | None:
    """The absolute-claim list of ``language``: the clinic's (``LANGUAGES[language]
    ["absolute_claims"]``), else the check's own for that language (the English one for the
    default language); None for a language with neither."""
    if language in site.codes and site.language(language).absolute_claims is not None:
        return dict(site.language(language).absolute_claims)
    if language == site.default_lang:
        return DEFAULT_ABSOLUTE_CLAIMS
    return DEFAULT_CLAIMS_BY_LANG.get(language)


def check_settings(pelican_settings: dict | None = None) -> dict[str, Any]:
    """Our defaults merged with the site's settings (only the keys the check reads).

    Raises ``ValueError`` naming the setting when a value has the wrong shape.
    """
    pelican_settings = pelican_settings or {}
    merged = {key: pelican_settings.get(key, default) for key, default in DEFAULTS.items()}
    for key in ("CHECK_MAX_GRADE", "CHECK_MAX_SMOG"):
        if not isinstance(merged[key], int | float):
            raise ValueError(f"content_check: {key} must be a number, not {merged[key]!r}")
    for key in (
        "CHECK_MAX_SLUG",
        "CHECK_MIN_REFERENCES",
        "CHECK_MIN_REFERENCES_PAGE",
        "CHECK_SECTION_MIN_WORDS",
        "CHECK_GLOSSARY_ENTRY_WORDS",
        "CHECK_HARDEST_SENTENCES",
        "CHECK_MAX_SENTENCE_WORDS",
    ):
        if not isinstance(merged[key], int) or merged[key] < 0:
            raise ValueError(f"content_check: {key} must be a whole number >= 0")
    _check_language_settings(merged)
    # The site's languages, their wording and the clinic: checked once, by site_config.
    # The same objects as the site's, so site_config(merged) is this very configuration.
    site = site_config(pelican_settings)
    merged["SITE"] = site
    for name in SOURCE_SETTINGS:
        if name in pelican_settings:
            merged[name] = pelican_settings[name]
    merged["DEFAULT_LANG"] = site.default_lang
    # The one reading of the review settings, the build's own (a ValueError naming the setting).
    merged["REVIEW"] = review_settings(pelican_settings)
    # The site's reader reads a file's text for its review fingerprint (clinical_review), with
    # Pelican's own settings; none in tests that check a few lines without a site.
    merged["READER_SETTINGS"] = pelican_settings if pelican_settings.get("MARKDOWN") else None
    return merged


def _check_language_settings(merged: dict[str, Any]) -> None:
    """The check's own settings per language."""
    if not isinstance(merged["CHECK_MIN_READING_EASE_ES"], int | float):
        raise ValueError("content_check: CHECK_MIN_READING_EASE_ES must be a number (0-100)")
    numbers = merged["CHECK_NUMBERS_NOT_FIGURES"]
    if not isinstance(numbers, list | tuple) or not all(isinstance(n, str) for n in numbers):
        raise ValueError('content_check: CHECK_NUMBERS_NOT_FIGURES must be a list like ["911"]')
    instructions = merged["CHECK_SAFETY_INSTRUCTIONS"]
    if not isinstance(instructions, dict) or not all(
        isinstance(pattern, str) for pattern in instructions.values()
    ):
        raise ValueError(
            "content_check: CHECK_SAFETY_INSTRUCTIONS must map a language to a regular expression"
        )
