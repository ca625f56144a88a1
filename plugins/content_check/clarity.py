"""The clarity score: the CDC Clear Communication Index items the kit can judge by rule.

Score = items met / items that apply x 100, per article and language. The input is one
article's record (``ArticleRecord``: its body HTML as the site's Markdown makes it, the key
points box and figures that ``article_markup`` reports, the readability check's verdict), so
every rule is a pure function tested without Pelican. What each item asks and which items need
a human are in docs/writers.md ("Clarity score").

``check_clarity`` is the writer's check (``clarity-low``: a warning, an error in production
under ``CLARITY_MIN_SCORE``); ``invoke clarity`` prints every item with its fix.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from html_structure import fragment_in_div

from content_check.findings import Finding
from content_check.source import SourceFile

# Per language: the two section headings the score looks for, and the words it reads.
# The CLARITY_LANGUAGES setting may add a language or change one of these.
DEFAULT_LANGUAGES: dict[str, dict[str, str]] = {
    "en": {
        "next_steps": "What to do next",
        "not_known": "What is not known yet",
        "risks": r"\b(?:risks?|side effects?|harms?|dangers?|problems?)\b",
        "benefits": r"\b(?:benefits?|helps?|relief|relieve[sd]?|eases?|improve[sd]?)\b",
        "in_words": r"\b\d+\s+(?:in|out of)\s+(?:every\s+)?\d+\b",
        "percent": r"\d\s*%|\bper ?cent\b",
        "fractions": r"\b(?:a|one)\s+(?:tenth|fifth|quarter|third)\b|\ba half\b",
    },
    "es": {
        "next_steps": "Qué hacer ahora",
        "not_known": "Lo que aún no se sabe",
        "risks": r"\b(?:riesgos?|efectos secundarios|efectos adversos|daños?|problemas?)\b",
        "benefits": r"\b(?:beneficios?|ayudan?|ayudar|alivio|alivia[rn]?|mejora[rn]?)\b",
        "in_words": r"\b\d+\s+de\s+cada\s+\d+\b",
        "percent": r"\d\s*%|\bpor ciento\b",
        "fractions": r"\b(?:una?)\s+(?:décima|quinta|cuarta|tercera)\s+parte\b|\bla mitad\b",
    },
}
KEY_POINTS_RANGE = (3, 5)
KEY_POINT_MAX_WORDS = 25
MAX_LIST_ITEMS = 7
MIN_SECTIONS = 3
MAX_WORDS_WITHOUT_HEADING = 250
DEFAULT_MIN_SCORE = 90
# Decimals ("1.5", "0,5"), but not thousands ("1,000") or reference details.
DECIMAL_RE = re.compile(r"(?<![\d.,])\d+[.,]\d+(?![\d.,]*\d)")
THOUSANDS_RE = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")


@dataclass
class ArticleRecord:
    """What the score reads about one article in one language."""

    name: str  # the source file, as the check names it
    language: str
    title: str
    html: str  # the body as the site's Markdown renders it (key points taken out)
    key_points: dict[str, Any] | None = None  # article_markup's fact
    figures: list[dict[str, str]] = field(default_factory=list)  # article_markup's fact
    readable: bool | None = None  # the readability check's verdict; None: not known
    glossary: re.Pattern[str] | None = None  # the language's glossary terms


@dataclass(frozen=True)
class Item:
    """One index item: met, missed, or not applicable (``met`` None), and how to fix it."""

    number: str  # the CDC Clear Communication Index item, e.g. "4" or "7b"
    name: str
    met: bool | None
    fix: str = ""


@dataclass
class Clarity:
    """An article's score and every item behind it."""

    name: str
    language: str
    items: list[Item]

    @property
    def applicable(self) -> list[Item]:
        """The items that apply to this article."""
        return [item for item in self.items if item.met is not None]

    @property
    def missed(self) -> list[Item]:
        """The items that apply and are not met."""
        return [item for item in self.applicable if not item.met]

    @property
    def score(self) -> int:
        """Items met / items that apply x 100, rounded down (100 when nothing applies)."""
        applicable = self.applicable
        if not applicable:
            return 100
        return 100 * sum(1 for item in applicable if item.met) // len(applicable)

    def to_dict(self) -> dict[str, Any]:
        """The score as plain data (``invoke clarity --format json``)."""
        return {
            "file": self.name,
            "language": self.language,
            "score": self.score,
            "items": [asdict(item) for item in self.items],
        }


# --- Reading the body ----------------------------------------------------------------------


def _normalise(text: str) -> str:
    """Text compared as words: accents kept, case and punctuation dropped."""
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def _parse(html: str) -> Any:
    return fragment_in_div(html or "<p></p>")


def _is_reference(element: Any) -> bool:
    """The References section (footnotes), which a reader does not read through."""
    return bool({"references", "footnote"} & set((element.get("class") or "").split()))


def _reader_text(root: Any) -> str:
    """The body's text without the references (what a reader reads through)."""
    pieces: list[str] = []

    def walk(element: Any) -> None:
        if _is_reference(element) or element.tag == "sup":
            if element.tail:
                pieces.append(element.tail)
            return
        if element.text:
            pieces.append(element.text)
        for child in element:
            walk(child)
        if element.tail:
            pieces.append(element.tail)

    walk(root)
    return " ".join(" ".join(pieces).split())


def _sections(root: Any) -> list[str]:
    """The body's own ``h2`` headings (not cards or the references), as written."""
    return [
        " ".join(heading.text_content().split())
        for heading in root.iter("h2")
        if not heading.get("class")
    ]


def _longest_stretch(root: Any) -> int:
    """The most words of paragraphs and lists in a row with no heading between them."""
    longest = current = 0
    for element in root:
        if _is_reference(element):
            continue
        if element.tag in {"h2", "h3", "h4"}:
            current = 0
            continue
        current += len(element.text_content().split())
        longest = max(longest, current)
    return longest


def _lists(root: Any) -> list[int]:
    """How many items each list of the body has (not the references')."""
    counts = []
    for block in root.iter("ul", "ol"):
        if any(_is_reference(parent) for parent in block.iterancestors()):
            continue
        counts.append(sum(1 for child in block if child.tag == "li"))
    return counts


def _has_heading(sections: list[str], wanted: str) -> bool:
    return _normalise(wanted) in {_normalise(section) for section in sections}


# --- The items -----------------------------------------------------------------------------


def _key_point_items(record: ArticleRecord) -> list[Item]:
    """Items 1, 2, 3 and 10: the main message, at the top, set off, summarised first."""
    box = record.key_points or {}
    points = box.get("points") or []
    low, high = KEY_POINTS_RANGE
    title = "Puntos clave" if record.language == "es" else "Key points"
    add_box = (
        f'Start the body with `!!! key-points "{title}"` and {low} to {high} bullets indented '
        "4 spaces, the one main message first."
    )
    words = [len(re.sub(r"<[^>]+>", " ", point).split()) for point in points]
    long_points = [n + 1 for n, count in enumerate(words) if count > KEY_POINT_MAX_WORDS]
    if not points:
        sized_fix = add_box
    elif long_points:
        sized_fix = (
            f"Shorten key point {', '.join(map(str, long_points))} to at most "
            f"{KEY_POINT_MAX_WORDS} words, so the box fits the first screen of a phone."
        )
    else:
        sized_fix = f"Give the key points box {low} to {high} bullets (it has {len(points)})."
    first = bool(points) and box.get("first") and box.get("lists") == 1
    return [
        Item("1", "One main message", bool(points), add_box),
        Item(
            "2",
            "Main message at the top, seen on a phone's first screen",
            bool(points) and low <= len(points) <= high and not long_points,
            sized_fix,
        ),
        Item("3", "Main message set off visually (the key points box)", bool(points), add_box),
        Item(
            "10",
            "Most important information summarised first",
            bool(first),
            add_box
            if not points
            else "Move the key points box to the very start of the body, as one bulleted list.",
        ),
    ]


def _visual_item(record: ArticleRecord) -> Item:
    complete = [f for f in record.figures if f.get("alt", "").strip() and f.get("caption")]
    return Item(
        "4",
        "A visual that supports the main message (a figure with a caption and a text alternative)",
        bool(complete),
        'Add a figure: ![What the picture shows]({static}/images/figures/name.svg "The caption"), '
        "our own SVG in content/images/figures/.",
    )


def _terms_item(record: ArticleRecord) -> Item:
    """Item 7a: each glossary term is explained where a reader first meets it.

    The body links each term's first use to the glossary; the key points box comes first on
    the page but has no glossary links, so a term there needs its plain words in brackets
    (or is the page's subject, named in its title).
    """
    if record.glossary is None:
        return Item("7a", "Medical terms explained where they first appear", None)
    title = _normalise(record.title)
    unexplained: list[str] = []
    for point in (record.key_points or {}).get("points") or []:
        text = re.sub(r"<[^>]+>", "", point)
        for match in record.glossary.finditer(text):
            term = match.group(0)
            after, before = text[match.end() :], text[: match.start()]
            explained = re.match(r"\s*\(", after) or before.rstrip().endswith("(")
            if not explained and _normalise(term) not in title and term not in unexplained:
                unexplained.append(term)
    return Item(
        "7a",
        "Medical terms explained where they first appear",
        not unexplained,
        "In the key points, explain "
        + ", ".join(f'"{term}"' for term in unexplained)
        + " in plain words with the term in brackets, e.g. 'a drip into a vein (infusion)'.",
    )


def _structure_items(record: ArticleRecord, root: Any, words: dict[str, str]) -> list[Item]:
    """Items 8, 9, 11 and 12: lists, chunks under headings, known/not known, what to do."""
    sections = _sections(root)
    lists = _lists(root)
    too_long = [count for count in lists if count > MAX_LIST_ITEMS]
    stretch = _longest_stretch(root)
    cards = any("care-card" in (el.get("class") or "") for el in root.iter("div"))
    return [
        Item(
            "8",
            f"Bulleted or numbered lists, none over {MAX_LIST_ITEMS} items",
            bool(lists) and not too_long,
            (
                f"Split the list of {max(too_long)} items into groups of at most "
                f"{MAX_LIST_ITEMS}, each under its own short heading or sentence."
                if too_long
                else "Put steps or options in a bulleted list."
            ),
        ),
        Item(
            "9",
            "Information in chunks under headings",
            len(sections) >= MIN_SECTIONS and stretch <= MAX_WORDS_WITHOUT_HEADING,
            f"Use at least {MIN_SECTIONS} sections (##) and a heading at least every "
            f"{MAX_WORDS_WITHOUT_HEADING} words (the longest stretch has {stretch}).",
        ),
        Item(
            "11",
            "What is known and what is not known",
            _has_heading(sections, words["not_known"]),
            f'Add a section "## {words["not_known"]}" saying what studies have not shown yet.',
        ),
        Item(
            "12",
            "A behavioural recommendation (what to do next, care cards)",
            _has_heading(sections, words["next_steps"]) or cards,
            f'End the article with a section "## {words["next_steps"]}": the steps, and when '
            "to contact the care team.",
        ),
    ]


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "." if text else ""


def _number_items(text: str, words: dict[str, str]) -> list[Item]:
    """Items 15, 19 and 20: whole numbers in one format, risks and benefits, words for odds."""
    plain = THOUSANDS_RE.sub("1000", text)
    decimals = sorted(set(DECIMAL_RE.findall(plain)))
    fractions = sorted({m.group(0) for m in re.finditer(words["fractions"], text, re.I)})
    percent = bool(re.search(words["percent"], text, re.I))
    in_words = bool(re.search(words["in_words"], text, re.I))
    problems = []
    if decimals:
        problems.append(f"round {', '.join(decimals)} to whole numbers")
    if fractions:
        problems.append(f"say {', '.join(fractions)} as 'about N in 10'")
    if percent and in_words:
        problems.append("use one number format on the page ('3 in 10', not also percentages)")
    risks = bool(re.search(words["risks"], text, re.I))
    benefits = bool(re.search(words["benefits"], text, re.I))
    missing = [name for name, present in (("risks", risks), ("benefits", benefits)) if not present]
    return [
        Item(
            "15",
            "Numbers the reader uses (whole numbers, one format)",
            not problems,
            _sentence("; ".join(problems)),
        ),
        Item(
            "19",
            "Both risks and benefits",
            not missing,
            f"Say what the {' and '.join(missing)} are, as fully as the other side.",
        ),
        Item(
            "20",
            "Probabilities also in words ('about 3 in 10 people')",
            None if not (percent or in_words) else in_words and not percent,
            "Write each chance as 'about N in 10 (or 100) people' instead of a percentage.",
        ),
    ]


def score_article(record: ArticleRecord, languages: dict[str, dict[str, str]]) -> Clarity:
    """Score one article (a pure function of its record and the language words)."""
    words = {**DEFAULT_LANGUAGES["en"], **languages.get(record.language, {})}
    root = _parse(record.html)
    text = _reader_text(root)
    items = [
        *_key_point_items(record),
        _visual_item(record),
        _terms_item(record),
        Item(
            "7b",
            "Words the reader uses (the reading level the check sets)",
            record.readable,
            "Fix the readability findings of `invoke check` (shorter sentences, plain words).",
        ),
        *_structure_items(record, root, words),
        *_number_items(text, words),
    ]
    items.sort(key=lambda item: (int(re.match(r"\d+", item.number).group(0)), item.number))
    return Clarity(record.name, record.language, items)


# --- From a source file: render, score, report -----------------------------------------------


def clarity_languages(settings: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The language words: the defaults with ``CLARITY_LANGUAGES`` over them."""
    merged = copy.deepcopy(DEFAULT_LANGUAGES)
    for language, words in (settings.get("CLARITY_LANGUAGES") or {}).items():
        merged[language] = {**merged.get(language, DEFAULT_LANGUAGES["en"]), **words}
    return merged


def render_body(src: SourceFile, settings: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The body's HTML and the extension's facts, made by the build's own Markdown
    (content_check.markup, which converts each file once for the whole check)."""
    from content_check.markup import converted_body

    return converted_body(src, settings)


def glossary_pattern(settings: dict[str, Any], language: str) -> re.Pattern[str] | None:
    """The glossary terms of ``language`` (article_markup's glossary), if the site has one."""
    from article_markup.glossary import load_glossary

    configs = (settings.get("MARKDOWN") or {}).get("extension_configs", {})
    source = configs.get("article_markup", {}).get("glossaries", {}).get(language)
    glossary = load_glossary(settings.get("PATH") or "", source) if source else None
    return glossary.pattern() if glossary else None


def article_record(
    src: SourceFile, settings: dict[str, Any], language: str, readable: bool | None
) -> ArticleRecord:
    """Render ``src`` and gather what the score reads."""
    html, facts = render_body(src, settings)
    return ArticleRecord(
        name=src.name,
        language=language,
        title=src.meta("title"),
        html=html,
        key_points=facts.get("key_points"),
        figures=facts.get("figures") or [],
        readable=readable,
        glossary=glossary_pattern(settings, language),
    )


def low_score_finding(clarity: Clarity, minimum: int, production: bool) -> Finding | None:
    """``clarity-low`` when the score is under ``minimum`` (an error when publishing)."""
    if clarity.score >= minimum:
        return None
    missed = "; ".join(f"{item.number} {item.name}" for item in clarity.missed)
    by_fix: dict[str, list[str]] = {}
    for item in clarity.missed:  # one fix may mend several items (the key points box)
        by_fix.setdefault(item.fix, []).append(item.number)
    fixes = " ".join(f"[{', '.join(numbers)}] {fix}" for fix, numbers in by_fix.items())
    return Finding(
        clarity.name,
        None,
        "error" if production else "warning",
        "clarity-low",
        f"Clarity score {clarity.score}/100 (CLARITY_MIN_SCORE is {minimum}); missed: {missed}.",
        f"{fixes} (`invoke clarity` lists every item.)",
    )


# Readability findings about the whole article (sections have their own, which do not count).
ARTICLE_READABILITY_CODES = ("read-grade", "read-ease")


def clarity_of(src: SourceFile, ctx: Any) -> Clarity:
    """Score one article source with the check's settings (kept on the source for reuse)."""
    cached = src.cache.get("clarity")
    if cached is None:
        from content_check.readability import check_readability

        findings = check_readability(src, ctx)
        readable = not any(f.code in ARTICLE_READABILITY_CODES for f in findings)
        record = article_record(src, ctx.settings, ctx.language(src), readable)
        cached = src.cache["clarity"] = score_article(record, clarity_languages(ctx.settings))
    return cached


def check_clarity(src: SourceFile, ctx: Any) -> list[Finding]:
    """``clarity-low``: an article's clarity score is under ``CLARITY_MIN_SCORE``."""
    if src.kind != "article" or not src.metadata:
        return []
    try:
        clarity = clarity_of(src, ctx)
    except ValueError:  # an unknown clinic rule stops the rendering: the build names it
        return []
    minimum = ctx.settings.get("CLARITY_MIN_SCORE", DEFAULT_MIN_SCORE)
    finding = low_score_finding(clarity, minimum, ctx.production)
    return [finding] if finding else []


# --- `invoke clarity` ------------------------------------------------------------------------


def run_clarity(
    root: Path, settings: dict[str, Any] | None = None, files: tuple[str, ...] = ()
) -> list[Clarity]:
    """The clarity of every article (or of ``files``) of the project in ``root``."""
    import datetime as dt

    from content_check import checks, links
    from content_check.runner import collect_sources, load_pelican_settings
    from content_check.settings import check_settings

    root = Path(root).resolve()
    settings = settings if settings is not None else load_pelican_settings(root, False)
    sources, _, content_dir = collect_sources(root, settings)
    context = checks.Context(
        settings=check_settings(settings),
        today=dt.date.today(),
        index=links.build_index(sources, content_dir, settings),
    )
    wanted = {Path(name).as_posix() for name in files}
    return [
        clarity_of(src, context)
        for src in sorted(sources, key=lambda s: (s.path.stem, s.name))
        if src.kind == "article" and src.metadata and (not wanted or src.name in wanted)
    ]


def format_clarity(results: list[Clarity], minimum: int) -> str:
    """The scores for a writer: each article and language, each missed item with its fix."""
    lines = []
    for clarity in results:
        mark = "ok" if clarity.score >= minimum else "under " + str(minimum)
        lines.append(f"{clarity.score:3d}/100  {clarity.name} ({clarity.language}) [{mark}]")
        for item in clarity.missed:
            lines += [f"         x {item.number}. {item.name}", f"           Fix: {item.fix}"]
    scored = ", ".join(f"{c.score}" for c in results)
    lines.append(f"{len(results)} article(s) scored: {scored or 'none'} (minimum {minimum}).")
    return "\n".join(lines)
