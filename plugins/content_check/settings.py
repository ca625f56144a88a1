"""The check's settings: defaults here, overridable in pelicanconf.py / publishconf.py."""

from __future__ import annotations

from typing import Any

from clinical_review.review import review_settings
from languages.languages import DEFAULT_LANGUAGES, LanguagesSettingsError, site_languages

# Absolute and superlative phrases a health page must not use (content-brief/WRITING.md).
# name -> pattern (a regular expression, case-insensitive), why it is a problem, what to write.
DEFAULT_ABSOLUTE_CLAIMS: dict[str, dict[str, str]] = {
    "non-addictive": {
        "pattern": r"\bnon-?addictive\b|\bnot addictive\b|\bcannot be addictive\b",
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
        "pattern": r"\bguarantee(?:d|s)?\b",
        "why": "No treatment works for everyone; a promise misleads and may break "
        "advertising rules.",
        "instead": '"It helps some people. It does not help everyone."',
    },
    "no side effects": {
        "pattern": r"\b(?:no|zero|without(?: any)?) side[- ]effects?\b",
        "why": "Every medicine has side effects; ketamine's are listed on its label.",
        "instead": "Name the common side effects and say how long they last.",
    },
    "completely safe": {
        "pattern": r"\b(?:completely|perfectly|totally|entirely|absolutely|100%) safe\b"
        r"|\brisk[- ]free\b|\bharmless\b",
        "why": "No medicine is free of risk; the reader needs the risks to decide.",
        "instead": '"Serious problems are rare when trained staff monitor you."',
    },
    "most powerful": {
        "pattern": r"\bmost (?:powerful|effective)\b|\bbest treatment\b",
        "why": "A superlative is a comparison that no study supports.",
        "instead": "Say what the evidence shows and how strong it is.",
    },
    "miracle": {
        "pattern": r"\bmiracle\b|\bbreakthrough\b|\bwonder drug\b|\brevolutionary\b",
        "why": "Marketing language raises false hope.",
        "instead": "Describe what the treatment does in plain words.",
    },
    "proven": {
        "pattern": r"\bproven\b|\bclinically proven\b",
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
        "pattern": r"\bno (?:es |son )?adictiv[oa]s?\b|\bno (?:crea|causa|produce) "
        r"(?:adicción|dependencia)\b|\bsin riesgo de (?:adicción|dependencia)\b",
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
        "pattern": r"\bgarantizad[oa]s?\b|\bgarantía de (?:éxito|resultados|alivio)\b",
        "why": "Ningún tratamiento funciona para todos; una promesa engaña y puede violar las "
        "reglas de publicidad.",
        "instead": '"Ayuda a algunas personas. No ayuda a todas."',
    },
    "sin efectos secundarios": {
        "pattern": r"\bsin (?:ningún |ningun )?efectos? (?:secundarios?|adversos?)\b"
        r"|\bningún efecto secundario\b",
        "why": "Todo medicamento tiene efectos secundarios; los de la ketamina están en su "
        "etiqueta.",
        "instead": "Nombre los efectos secundarios comunes y diga cuánto duran.",
    },
    "100 % seguro": {
        "pattern": r"(?:\b|(?<![\w.,])(?=\d))(?:100\s?%|completamente|totalmente|perfectamente"
        r"|absolutamente) segur[oa]s?\b|\binofensiv[oa]s?\b",
        "why": "Ningún medicamento está libre de riesgos; el lector necesita conocerlos para "
        "decidir.",
        "instead": '"Los problemas graves son poco comunes cuando personal capacitado lo vigila."',
    },
    "el más eficaz": {
        "pattern": r"\b(?:el|la|los|las) más (?:eficaz|eficaces|potente|potentes|efectiv[oa]s?)\b"
        r"|\b(?:el|la) mejor (?:tratamiento|opción|medicamento)\b",
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
        r"|\bprobad[oa]s? (?:clínica|científica)mente\b",
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
    "CHECK_HARDEST_SENTENCES": 3,
    "CHECK_MIN_REFERENCES": 4,  # per clinical article (an article; pages are not clinical)
    "CHECK_MAX_TITLE": 70,
    "CHECK_MAX_SUMMARY": 160,
    # A slug is a folder name and part of every address: 80 characters hold a title's words
    # (titles have at most 70), read well when shared, and stay far below the 255 bytes a
    # file system allows (a 300-character slug stopped the build with "File name too long").
    "CHECK_MAX_SLUG": 80,
    # The review settings (REVIEW_INTERVAL_MONTHS, REVIEW_DUE_SOON_DAYS, REVIEWERS) and their
    # defaults live in plugins/clinical_review: check_settings adds them as "REVIEW".
    "REQUIRE_CLINICAL_REVIEW": False,
    "CHECK_ABSOLUTE_CLAIMS": DEFAULT_ABSOLUTE_CLAIMS,
    "ALLOWED_CATEGORIES": [],
    "ALLOWED_TAGS": [],
    "CTA_VARIANTS": {},
    "DISCLAIMER_VARIANTS": {},
    # --- The clarity score (content_check.clarity): the site's Markdown renders each article.
    "CLARITY_MIN_SCORE": 90,  # out of 100: `invoke check` warns under it, publishing refuses
    "CLARITY_LANGUAGES": {},  # language -> headings and words (defaults in clarity.py)
    "MARKDOWN": {},
    "PATH": "",
    "THEME": "",
    "CLINIC_RULES": {},
    "CLINIC_RULES_BY_LANG": {},
    # Who writes the pages (plugins/authors): `Author:` must be a key of AUTHORS.
    "AUTHORS": {},
    "AUTHOR": "",
    # --- Languages (LANGUAGES and DEFAULT_LANG are the site's, read by plugins/languages) ---
    "DEFAULT_LANG": "en",
    "LANGUAGES": DEFAULT_LANGUAGES,
    # Fernández-Huerta reading ease for Spanish (higher is easier): 70 to 80 is "bastante
    # fácil" (fairly easy), the band of plain-language health text; below 60 is "algo difícil".
    "CHECK_MIN_READING_EASE_ES": 70.0,
    # Each other language's claim list; the default language's is CHECK_ABSOLUTE_CLAIMS.
    "CHECK_ABSOLUTE_CLAIMS_BY_LANG": {"es": DEFAULT_ABSOLUTE_CLAIMS_ES},
    # Numbers that are not figures needing a source: emergency and crisis phone lines.
    "CHECK_NUMBERS_NOT_FIGURES": ["911", "988"],
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
        "CHECK_SECTION_MIN_WORDS",
        "CHECK_HARDEST_SENTENCES",
    ):
        if not isinstance(merged[key], int) or merged[key] < 0:
            raise ValueError(f"content_check: {key} must be a whole number >= 0")
    _check_claim_list("CHECK_ABSOLUTE_CLAIMS", merged["CHECK_ABSOLUTE_CLAIMS"])
    _check_language_settings(merged)
    # The one reading of the review settings, the build's own (a ValueError naming the setting).
    merged["REVIEW"] = review_settings(pelican_settings)
    return merged


def _check_claim_list(name: str, claims: Any) -> None:
    if not isinstance(claims, dict) or not all(
        isinstance(v, dict) and "why" in v and "instead" in v for v in claims.values()
    ):
        raise ValueError(
            f"content_check: {name} must map a phrase to "
            '{"why": ..., "instead": ..., optional "pattern": regex}'
        )


def _check_language_settings(merged: dict[str, Any]) -> None:
    """LANGUAGES as plugins/languages reads it, and the check's settings per language."""
    try:
        site_languages(merged)
    except LanguagesSettingsError as error:
        raise ValueError(f"content_check: {error}") from None
    if not isinstance(merged["CHECK_MIN_READING_EASE_ES"], int | float):
        raise ValueError("content_check: CHECK_MIN_READING_EASE_ES must be a number (0-100)")
    by_lang = merged["CHECK_ABSOLUTE_CLAIMS_BY_LANG"]
    if not isinstance(by_lang, dict):
        raise ValueError('content_check: CHECK_ABSOLUTE_CLAIMS_BY_LANG must map "es" to a list')
    for language, claims in by_lang.items():
        _check_claim_list(f"CHECK_ABSOLUTE_CLAIMS_BY_LANG[{language!r}]", claims)
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
