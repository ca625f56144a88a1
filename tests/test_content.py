"""Checks over the real ``content/``: the articles and pages a patient reads.

These read the Markdown source files directly, so they run in a second and need no build.
A future edit that makes an article too long or too hard to read, drops a reference, adds a
marketing superlative or breaks the metadata fails here, with a message that names the file.

The rules the writer's check also applies are the check's own, read from it (one source): its
claim lists (``content_check.settings.claims_of``), its reading of the text a reader reads and its
readability scores (``content_check.readability``), and its thresholds (``pelicanconf.py``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import sys
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup, Tag
from content_check import checks, citations, readability
from content_check.runner import load_pelican_settings
from content_check.settings import check_settings
from content_check.source import SourceFile, read_source

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

import pelicanconf  # noqa: E402  (the settings file lives at the project root)

ARTICLES_DIR = PROJECT_ROOT / "content" / "articles"
PAGES_DIR = PROJECT_ROOT / "content" / "pages"

ARTICLE_FILES = [
    "ketamine-for-chronic-pain.md",
    "is-ketamine-safe.md",
    "ketamine-and-surgery.md",
    "ketamine-infusions-faq.md",
]
# Page slug -> metadata a page must carry besides Title, Slug and Summary.
PAGES = {
    "about": {},
    "book-a-consultation": {},  # see test_booking_page_shows_the_clinic_details
    "medical-disclaimer": {"disclaimer": "off"},
    "editorial-policy": {},
    "privacy": {},
    "accessibility": {},
}

# The writer's check's settings, as `invoke check` reads them (thresholds, claim lists).
CHECK = check_settings(load_pelican_settings(PROJECT_ROOT, production=False))

MIN_WORDS, MAX_WORDS = 700, 1600
MIN_REFERENCES = CHECK["CHECK_MIN_REFERENCES"]
MIN_ARTICLE_LINKS = 2
MAX_TITLE_CHARS = CHECK["CHECK_MAX_TITLE"]
MAX_SUMMARY_CHARS = CHECK["CHECK_MAX_SUMMARY"]

REQUIRED_ARTICLE_KEYS = (
    "title",
    "slug",
    "date",
    "category",
    "tags",
    "summary",
    "reviewed_by",
    "last_reviewed",
    "next_review",
)
REQUIRED_PAGE_KEYS = ("title", "slug", "summary")

# A paragraph that uses one of these terms makes a clinical claim and needs a footnote. (A
# figure needs one in its own sentence: that is the writer's check, ref-uncited-number.)
CLINICAL_TERMS = re.compile(
    r"\b(mg|doses?|dosing|infusions?|stud(?:y|ies)|trials?|FDA|guidelines?|evidence|"
    r"risks?|side effects?|reviews?|research|approved|off-label|percent)\b",
    re.IGNORECASE,
)

CONTRACTIONS = re.compile(
    r"\b(?:do|does|did|ca|wo|is|are|was|were|should|would|could|has|have|had)n[\u2019']t\b", re.I
)
# Mood and trauma words (not "respiratory depression", slowed breathing).
MENTAL_HEALTH = re.compile(
    r"(?<!respiratory )\bdepress(?:ion|ed|ive)\b|\bPTSD\b|\bpost-?traumatic\b|\bsuicid", re.I
)
# Hosts the fact brief used only to verify something: copies, mirrors, blogs and summaries.
NOT_PRIMARY_HOSTS = (
    "fda.report",
    "pdfslide.net",
    "120ty.net",
    "blogspot.com",
    "resus.me",
    "guidelinecentral.com",
    "medcentral.com",
    "clinicalpainadvisor.com",
    "tomwademd.net",
    "criticalcare.news",
    "medscape.com",
    "edrugswiki.com",
    "drugcentral.org",
    "medlibrary.org",
    "skyscape.com",
    "nursingcenter.com",
    "silive.com",
    "beckershospitalreview.com",
    "foxnews.com",
    "nervanamedical.com",
)
PHONE_PATTERN = re.compile(r"\(?\b\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b")


# --- Pure helpers ------------------------------------------------------------------------------


def source_file(path: Path) -> SourceFile:
    """A content file as the writer's check reads it."""
    kind = "page" if PAGES_DIR in path.parents else "article"
    src = read_source(path, PROJECT_ROOT, kind)
    assert isinstance(src, SourceFile), src
    return src


def reader_sentences(path: Path) -> list[readability.Sentence]:
    """What a reader reads, sentence by sentence, as the check's readability reads it."""
    return [s for section in readability.sections_of(source_file(path)) for s in section.sentences]


def reader_text(path: Path) -> str:
    """Everything a reader reads in the body, one sentence per line."""
    return "\n".join(sentence.text for sentence in reader_sentences(path))


def claims_in(path: Path) -> list[str]:
    """The check's claim-absolute findings (its own list, title and summary included)."""
    context = checks.Context(settings=CHECK, today=dt.date.today())
    return [
        f"line {f.line}: {f.message}"
        for f in checks.check_claims(source_file(path), context)
        if f.code == "claim-absolute"
    ]


def split_metadata(source: str) -> tuple[dict[str, str], str]:
    """The ``Key: value`` block at the top of a Markdown file (keys lower-cased) and the rest."""
    metadata: dict[str, str] = {}
    lines = source.splitlines()
    index = 0
    for index, line in enumerate(lines):  # noqa: B007 - index is used after the loop
        if not line.strip():
            break
        key, sep, value = line.partition(":")
        if not sep or not re.fullmatch(r"[A-Za-z][\w-]*", key.strip()):
            break
        metadata[key.strip().lower()] = value.strip()
    else:
        index = len(lines)
    return metadata, "\n".join(lines[index:])


def render(source: str) -> BeautifulSoup:
    """The file's Markdown as HTML, rendered with the site's own Markdown settings."""
    configs = {
        name: dict(options) for name, options in pelicanconf.MARKDOWN["extension_configs"].items()
    }
    # What plugins/reading gives the site's extension from the settings.
    configs["article_markup"]["clinic_rules"] = {
        code: language.get("clinic_rules", {}) for code, language in pelicanconf.LANGUAGES.items()
    }
    converter = markdown.Markdown(
        extensions=list(configs),
        extension_configs=configs,
        output_format=pelicanconf.MARKDOWN.get("output_format", "html5"),
    )
    return BeautifulSoup(converter.convert(source), "html.parser")


def strip_non_body(soup: BeautifulSoup) -> BeautifulSoup:
    """Remove the references, the headings and the footnote markers (in place)."""
    for element in soup.select("div.footnote, section.references, h1, h2, h3, h4, h5, h6"):
        element.decompose()
    for marker in soup.select("sup"):
        if marker.find("a", class_="footnote-ref"):
            marker.decompose()
    return soup


def block_text(block: Tag) -> str:
    """The text of one block without nested lists or paragraphs, whitespace collapsed."""
    parts = [
        str(piece) for piece in block.find_all(string=True) if not _in_nested_block(piece, block)
    ]
    return " ".join("".join(parts).split())


def _in_nested_block(piece: object, block: Tag) -> bool:
    """Whether a string sits in a list or paragraph inside ``block`` (read as its own block)."""
    for parent in piece.parents:  # type: ignore[attr-defined]
        if parent is block:
            return False
        if parent.name in ("ul", "ol", "p"):
            return True
    return False


def footnote_definitions(source: str) -> dict[str, str]:
    """Footnote label -> the reference text it defines."""
    return dict(re.findall(r"^\[\^([^\]]+)\]:[ \t]*(.+)$", source, re.MULTILINE))


def footnote_references(source: str) -> set[str]:
    """Footnote labels cited in the body (``[^label]`` not followed by a colon)."""
    return set(re.findall(r"\[\^([^\]]+)\](?!:)", source))


def needs_reference(text: str) -> bool:
    """Whether a block uses a clinical term (figures: the check's ref-uncited-number)."""
    if re.fullmatch(r"(?:[^?]*\?\s*)+", text):  # questions for the reader claim nothing
        return False
    return bool(CLINICAL_TERMS.search(text))


def has_footnote(block: Tag) -> bool:
    """Whether a block carries a footnote marker."""
    return block.find("a", class_="footnote-ref") is not None


def unreferenced_claims(source: str) -> list[str]:
    """Paragraphs and list items that make a claim but carry no footnote.

    A list item is covered by a footnote on the item or on the paragraph that introduces the
    list; a card's title and a link to another page are labels, not claims.
    """
    _, markdown_body = split_metadata(source)
    soup = render(markdown_body)
    # The references, and the clinic's own rules (from its settings: not claims).
    for element in soup.select("div.footnote, section.references, .callout--clinic-rule"):
        element.decompose()
    missing = []
    for block in soup.find_all(["p", "li"]):
        if "admonition-title" in (block.get("class") or []):
            continue
        if block.name == "p" and block.find_parent("li"):
            continue
        if has_footnote(block):
            continue
        if block.name == "li":
            lead_in = block.find_parent(["ul", "ol"]).find_previous_sibling()
            if lead_in is not None and lead_in.name == "p" and has_footnote(lead_in):
                continue
        copy = strip_non_body(BeautifulSoup(str(block), "html.parser"))
        for link in copy.find_all("a"):  # another page's title is not a claim
            link.decompose()
        text = block_text(copy.find(block.name))
        if needs_reference(text):
            missing.append(text)
    return missing


def linked_articles(source: str) -> set[str]:
    """File names of the articles this file links to with ``{filename}`` links (links to the
    site's pages, such as the tool pages, are not articles)."""
    targets = re.findall(r"\{filename\}([^)\s#]+\.md)", source)
    return {Path(target).name for target in targets if "pages/" not in target}


def heading_levels(source: str) -> list[int]:
    """Heading levels in the body, in order (2 for ``##``)."""
    _, markdown_body = split_metadata(source)
    soup = render(markdown_body)
    return [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]


def read(path: Path) -> str:
    """A content file's text."""
    return path.read_text(encoding="utf-8")


# --- Articles ----------------------------------------------------------------------------------

articles = pytest.mark.parametrize("name", ARTICLE_FILES)


def test_the_four_articles_exist() -> None:
    missing = [name for name in ARTICLE_FILES if not (ARTICLES_DIR / name).is_file()]
    assert not missing, f"missing articles: {missing}"


@articles
def test_article_metadata_is_complete(name: str) -> None:
    metadata, _ = split_metadata(read(ARTICLES_DIR / name))
    missing = [key for key in REQUIRED_ARTICLE_KEYS if key not in metadata]
    assert not missing, f"{name}: missing metadata {missing}"
    for key in ("title", "slug", "date", "category", "tags", "summary"):
        assert metadata[key], f"{name}: {key} is empty"
    assert metadata["slug"] == Path(name).stem, f"{name}: slug must match the file name"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", metadata["date"]), f"{name}: date not YYYY-MM-DD"
    assert len(metadata["title"]) <= MAX_TITLE_CHARS, f"{name}: title over {MAX_TITLE_CHARS}"
    assert len(metadata["summary"]) <= MAX_SUMMARY_CHARS, (
        f"{name}: summary is {len(metadata['summary'])} characters (max {MAX_SUMMARY_CHARS})"
    )
    assert metadata["category"] in pelicanconf.ALLOWED_CATEGORIES, f"{name}: unknown category"
    tags = [tag.strip() for tag in metadata["tags"].split(",") if tag.strip()]
    unknown = [tag for tag in tags if tag not in pelicanconf.ALLOWED_TAGS]
    assert tags and not unknown, f"{name}: tags not in ALLOWED_TAGS: {unknown}"


@articles
def test_review_dates_are_not_claimed_without_a_reviewer(name: str) -> None:
    metadata, _ = split_metadata(read(ARTICLES_DIR / name))
    if not metadata.get("reviewed_by"):
        assert not metadata.get("last_reviewed"), f"{name}: review date without a reviewer"


@articles
def test_article_length_is_700_to_1600_words(name: str) -> None:
    _, _, words = readability.scores(reader_sentences(ARTICLES_DIR / name))
    assert MIN_WORDS <= words <= MAX_WORDS, f"{name}: {words} words of body text"


@articles
def test_article_reads_at_the_checks_grade_and_smog(name: str) -> None:
    grade, smog, _ = readability.scores(reader_sentences(ARTICLES_DIR / name))
    assert grade <= CHECK["CHECK_MAX_GRADE"], f"{name}: Flesch-Kincaid grade {grade}"
    assert smog <= CHECK["CHECK_MAX_SMOG"], f"{name}: SMOG {smog}"


@articles
def test_article_cites_at_least_4_primary_sources(name: str) -> None:
    source = read(ARTICLES_DIR / name)
    definitions = footnote_definitions(source)
    cited = footnote_references(source)
    assert len(cited) >= MIN_REFERENCES, f"{name}: only {len(cited)} references cited"
    assert not cited - definitions.keys(), f"{name}: undefined {sorted(cited - definitions.keys())}"
    assert not definitions.keys() - cited, f"{name}: unused {sorted(definitions.keys() - cited)}"
    for label, text in definitions.items():
        assert re.search(r"doi:\s*10\.\d+/|https://", text), f"{name}: [^{label}] has no DOI/URL"
        bad = [host for host in NOT_PRIMARY_HOSTS if host in text]
        assert not bad, f"{name}: [^{label}] cites a copy or summary, not the source: {bad}"


@articles
def test_every_claim_paragraph_has_a_footnote(name: str) -> None:
    missing = unreferenced_claims(read(ARTICLES_DIR / name))
    assert not missing, f"{name}: claims without a footnote:\n" + "\n".join(missing)


@articles
def test_every_figure_has_a_footnote_in_its_sentence_or_item(name: str) -> None:
    context = checks.Context(settings=CHECK, today=dt.date.today())
    findings = citations.check_uncited_numbers(source_file(ARTICLES_DIR / name), context)
    assert not findings, f"{name}: " + "\n".join(f"line {f.line}: {f.message}" for f in findings)


@articles
def test_article_makes_no_absolute_claims_and_uses_no_contractions(name: str) -> None:
    path = ARTICLES_DIR / name
    assert not claims_in(path), f"{name}: " + "\n".join(claims_in(path))
    metadata, _ = split_metadata(read(path))
    text = " ".join([metadata.get("title", ""), metadata.get("summary", ""), reader_text(path)])
    assert not CONTRACTIONS.search(text), f"{name}: write 'do not', not a contraction"


@articles
def test_article_links_to_two_other_articles(name: str) -> None:
    targets = linked_articles(read(ARTICLES_DIR / name)) - {name}
    assert len(targets) >= MIN_ARTICLE_LINKS, f"{name}: links to only {sorted(targets)}"
    assert not targets - set(ARTICLE_FILES), f"{name}: links to unknown {targets}"


@articles
def test_article_says_pain_use_is_off_label(name: str) -> None:
    assert "off-label" in reader_text(ARTICLES_DIR / name), f"{name}: no off-label statement"


@articles
def test_headings_descend_without_gaps(name: str) -> None:
    levels = heading_levels(read(ARTICLES_DIR / name))
    assert levels and levels[0] == 2, f"{name}: the first heading must be ##"
    gaps = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert not gaps, f"{name}: heading levels jump {gaps}"


@articles
def test_article_has_no_raw_html(name: str) -> None:
    _, markdown_body = split_metadata(read(ARTICLES_DIR / name))
    assert not re.search(r"<[a-zA-Z/!]", markdown_body), f"{name}: raw HTML in Markdown"


# --- Articles and pages ------------------------------------------------------------------------

ALL_FILES = [ARTICLES_DIR / name for name in ARTICLE_FILES] + [
    PAGES_DIR / f"{slug}.md" for slug in PAGES
]
all_files = pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)


@all_files
def test_mental_health_mentions_give_988(path: Path) -> None:
    if not path.is_file():
        pytest.skip("file checked by its own test")
    text = reader_text(path)
    if MENTAL_HEALTH.search(text):
        assert "988" in text, f"{path.name}: mentions mental health without the 988 Lifeline"


# --- Pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", PAGES)
def test_page_exists_with_title_slug_and_summary(slug: str) -> None:
    path = PAGES_DIR / f"{slug}.md"
    assert path.is_file(), f"missing page {path.name}"
    metadata, _ = split_metadata(read(path))
    for key in REQUIRED_PAGE_KEYS:
        assert metadata.get(key), f"{path.name}: {key} missing or empty"
    assert metadata["slug"] == slug, f"{path.name}: slug must be {slug}"
    assert len(metadata["summary"]) <= MAX_SUMMARY_CHARS, f"{path.name}: summary too long"
    for key, value in PAGES[slug].items():
        assert metadata.get(key) == value, f"{path.name}: needs '{key.title()}: {value}'"


def test_booking_page_shows_the_clinic_details() -> None:
    """The booking template renders offices, phones and links from CLINIC; until the theme
    has it, the page keeps the call to action, which lists the same details."""
    metadata, _ = split_metadata(read(PAGES_DIR / "book-a-consultation.md"))
    if (PROJECT_ROOT / "theme" / "templates" / "booking.html").is_file():
        assert metadata.get("template") == "booking", "book-a-consultation: add 'Template: booking'"
        assert metadata.get("cta") == "off", "book-a-consultation: add 'Cta: off'"
    else:
        assert "template" not in metadata, "no theme/templates/booking.html to render this page"
        assert metadata.get("cta") != "off", "without the booking template the CTA lists offices"


@pytest.mark.parametrize("slug", PAGES)
def test_page_makes_no_absolute_claims_or_typed_contact_details(slug: str) -> None:
    path = PAGES_DIR / f"{slug}.md"
    if not path.is_file():
        pytest.skip("missing page reported by its own test")
    source = read(path)
    assert not claims_in(path), f"{path.name}: " + "\n".join(claims_in(path))
    # Phone numbers and booking links come from CLINIC in pelicanconf.py, never typed twice.
    assert not PHONE_PATTERN.search(source), f"{path.name}: phone number typed into the page"
    assert "example.com" not in source, f"{path.name}: clinic link typed into the page"


# --- The helpers themselves --------------------------------------------------------------------


def test_needs_reference_finds_clinical_terms_but_not_questions() -> None:
    assert needs_reference("The guideline says so.")
    assert not needs_reference("Call 911 or call or text 988.")
    assert not needs_reference("What are my own risks?")


def test_contractions_are_caught() -> None:
    assert CONTRACTIONS.search("You can\u2019t drive.")
    assert CONTRACTIONS.search("Don't drive.")
    assert not CONTRACTIONS.search("Do not drive.")


def test_the_claim_list_is_the_checks_and_holds_what_the_old_test_list_did(tmp_path: Path) -> None:
    """The phrases this file once banned with its own list are all the check's now."""
    once_banned = ("non-addictive", "not addictive", "a cure", "guaranteed", "no side effects",
                   "without any side effects", "completely safe", "totally safe", "it is safe",
                   "risk-free", "most powerful", "ideal", "proven", "miracle", "breakthrough",
                   "100% of people")  # fmt: skip
    for phrase in once_banned:
        page = tmp_path / "pages" / "x.md"
        page.parent.mkdir(exist_ok=True)
        page.write_text(f"Title: X\nSlug: x\nSummary: y\n\nThis is {phrase}.\n", "utf-8")
        assert claims_in(page), phrase
    page.write_text("Title: X\nSlug: x\nSummary: y\n\nKeep it secure and accurate.\n", "utf-8")
    assert claims_in(page) == []


def test_every_translations_synced_text_is_kept_beside_the_project() -> None:
    """translation-stale says what changed in the original from the copy of the text a
    translation was synced with: a copy missing from reviews/approved/ (never committed) would
    leave it saying only "its text"."""
    synced = {
        path.relative_to(PROJECT_ROOT).as_posix(): match.group(1)
        for path in (PROJECT_ROOT / "content").rglob("*.md")
        if (
            match := re.search(r"^Synced_with:\s*([0-9a-f]{16})\s*$", path.read_text("utf-8"), re.M)
        )
    }
    assert synced, "no translation records its sync"
    missing = {
        file: print_
        for file, print_ in synced.items()
        if not (PROJECT_ROOT / "reviews" / "approved" / f"{print_}.txt").is_file()
    }
    assert not missing, f"run `invoke translations --synced FILE` and commit reviews/: {missing}"
