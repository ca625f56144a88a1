"""The Spanish edition as a reader gets it: the real site (the ``site`` fixture) read page by
page, the theme's catalogue, and the Spanish articles scored by the writer's check.

- every Spanish page says ``<html lang="es">`` and shows no English string of the theme;
- the catalogue is complete and matches a fresh extraction from the templates and plugins;
- the Spanish search page finds a Spanish article with a Spanish word (Pagefind, in Chromium);
- each Spanish article and its English original link to each other (hreflang and a link);
- each Spanish article says that no clinician has reviewed the translation yet;
- each Spanish article reads at or above CHECK_MIN_READING_EASE_ES (Fernández-Huerta).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, Tag
from conftest import PROJECT_ROOT, BuiltSite
from content_check import readability
from content_check.runner import load_pelican_settings
from content_check.settings import check_settings
from content_check.source import SourceFile, read_source
from playwright.sync_api import Page, expect
from translations import missing_translations, translate

SPANISH = "es"
TRANSLATIONS = PROJECT_ROOT / "theme" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
SPANISH_CATALOGUE = TRANSLATIONS / SPANISH / "LC_MESSAGES" / "messages.po"
ARTICLES = PROJECT_ROOT / "content" / "articles"
SPANISH_ARTICLES = sorted(path.name for path in (ARTICLES / SPANISH).glob("*.md"))
SPANISH_PAGES = sorted(path.stem for path in (PROJECT_ROOT / "content/pages/es").glob("*.md"))
# The same command `invoke translations` runs to make messages.pot (tasks.py).
EXTRACT = [
    sys.executable, "-m", "babel.messages.frontend", "extract",
    "-F", str(TRANSLATIONS / "babel.cfg"), "-k", "N_", "-k", "_", "-k", "ngettext:1,2",
    "--no-location", "--omit-header", "--sort-output",
]  # fmt: skip
PLACEHOLDER = re.compile(r"%\(\w+\)s|%s|\{\w+\}|<[^>]+>")
# Attributes a reader hears or that scripts show (the search page's messages live in data-*).
READ_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "content", "value")
# An English fragment shorter than this ("of", "in") is an ordinary word, not a theme string.
MIN_FRAGMENT = 4


# --- Helpers -----------------------------------------------------------------------------------


def message_ids(pot_or_po: Path) -> set[str]:
    """Every message id (singular and plural forms) of a catalogue or template."""
    with open(pot_or_po, encoding="utf-8") as source:
        catalog = read_po(source)
    ids: set[str] = set()
    for message in catalog:
        if message.id:
            ids.update([message.id] if isinstance(message.id, str) else message.id)
    return ids


def spanish_strings() -> dict[str, str]:
    """English message id -> its Spanish text, for every message the catalogue translates."""
    with open(SPANISH_CATALOGUE, encoding="utf-8") as source:
        catalog = read_po(source)
    strings = {}
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        texts = [message.string] if isinstance(message.string, str) else list(message.string)
        for number, english in enumerate(ids):
            strings[english] = texts[min(number, len(texts) - 1)]
    return strings


def english_fragments(english: str, spanish: str) -> list[str]:
    """The pieces of an English message a reader could see (placeholders and tags removed),
    leaving out any piece the Spanish text also has (a name, "JavaScript")."""
    pieces = (piece.strip(" .,:;“”\"'") for piece in PLACEHOLDER.split(english))
    return [p for p in pieces if len(p) >= MIN_FRAGMENT and p not in spanish]


ENGLISH_FRAGMENTS = sorted(
    {fragment for english, spanish in spanish_strings().items()
     for fragment in english_fragments(english, spanish)}
)  # fmt: skip


def text_a_reader_gets(soup: BeautifulSoup) -> str:
    """The page's Spanish words: its text and read attributes, without scripts, without any
    passage marked as another language (the language switch) and without the references
    list (the sources' own titles, which the text says are in English)."""
    copy = BeautifulSoup(str(soup), "html.parser")
    for tag in copy.select("script, style, ol.references__list"):
        tag.decompose()
    for tag in copy.select("body [lang]"):
        if tag.get("lang") != SPANISH:
            tag.decompose()
    parts = [copy.get_text(" ")]
    for tag in copy.find_all(True):
        for name, value in tag.attrs.items():
            if name in READ_ATTRIBUTES or name.startswith("data-"):
                parts.append(" ".join(value) if isinstance(value, list) else str(value))
    return " ".join(" ".join(parts).split())


def untranslated_strings(soup: BeautifulSoup) -> list[str]:
    """English theme strings (from the catalogue's message ids) shown on a page."""
    text = text_a_reader_gets(soup)
    return [
        fragment
        for fragment in ENGLISH_FRAGMENTS
        if re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", text)
    ]


def spanish_page_paths(site: BuiltSite) -> list[str]:
    """Every page of the Spanish edition (under /es/)."""
    return [path for path in site.page_paths() if path.startswith(f"/{SPANISH}/")]


def local_path(address: str) -> str:
    """The path of an address, absolute (production SITEURL) or not."""
    return urlsplit(address).path


def alternates(soup: BeautifulSoup) -> dict[str, str]:
    """hreflang -> path of the page's <link rel="alternate"> elements."""
    return {
        link["hreflang"]: local_path(link["href"])
        for link in soup.select('head link[rel="alternate"][hreflang]')
    }


def visible_language_link(soup: BeautifulSoup, language: str) -> Tag | None:
    """The link a reader can click to read the page in ``language``."""
    return soup.select_one(f'body a[hreflang="{language}"][href]')


def spanish_source(name: str) -> SourceFile:
    """A Spanish article as the writer's check reads it."""
    src = read_source(ARTICLES / SPANISH / name, PROJECT_ROOT, "article")
    assert isinstance(src, SourceFile), src
    return src


# --- Every Spanish page ------------------------------------------------------------------------


def test_the_spanish_edition_has_every_article_and_page(site: BuiltSite) -> None:
    paths = set(spanish_page_paths(site))
    assert len(SPANISH_ARTICLES) == 4 and len(SPANISH_PAGES) >= 8
    expected = {f"/es/articles/{Path(name).stem}/" for name in SPANISH_ARTICLES}
    expected |= {f"/es/{slug}/" for slug in SPANISH_PAGES}
    expected |= {"/es/", "/es/search/", "/es/404.html"}
    assert expected <= paths, sorted(expected - paths)


def test_every_spanish_page_is_marked_spanish(site: BuiltSite) -> None:
    wrong = {
        path: site.soup(path).html.get("lang")
        for path in spanish_page_paths(site)
        if site.soup(path).html.get("lang") != SPANISH
    }
    assert not wrong, f'pages under /es/ without <html lang="es">: {wrong}'


def test_the_detector_finds_the_theme_strings_on_the_english_original(site: BuiltSite) -> None:
    """The check below can fail: on the English article it finds the theme's English words."""
    found = untranslated_strings(site.soup("/articles/is-ketamine-safe/"))
    assert {"Skip to main content", "References", "Related articles"} <= set(found), found


def test_no_spanish_page_shows_an_english_theme_string(site: BuiltSite) -> None:
    assert len(ENGLISH_FRAGMENTS) > 50, "the catalogue's messages were not read"
    leftovers = {
        path: found
        for path in spanish_page_paths(site)
        if (found := untranslated_strings(site.soup(path)))
    }
    assert not leftovers, f"English theme strings on Spanish pages: {leftovers}"


# --- The catalogue -----------------------------------------------------------------------------


def test_every_message_of_the_template_has_a_spanish_translation() -> None:
    assert len(message_ids(TEMPLATE)) > 50
    assert missing_translations(TRANSLATIONS, SPANISH) == []
    untranslated = message_ids(TEMPLATE) - set(spanish_strings())
    assert not untranslated, f"msgids without a Spanish msgstr: {sorted(untranslated)}"


def test_the_template_matches_a_fresh_extraction(tmp_path: Path) -> None:
    """messages.pot is what `invoke translations` makes from today's templates and plugins."""
    fresh = tmp_path / "messages.pot"
    result = subprocess.run(
        [*EXTRACT, "-o", str(fresh), "."],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    committed, extracted = message_ids(TEMPLATE), message_ids(fresh)
    assert extracted - committed == set(), "run `invoke translations`: new strings not in .pot"
    assert committed - extracted == set(), "run `invoke translations`: .pot has unused strings"


@pytest.mark.parametrize("autoescape", [True, False])
def test_the_templates_words_are_jinjas_newstyle_gettext(autoescape: bool) -> None:
    """The languages plugin calls its gettext functions directly (not through Jinja's wrappers)
    and keeps a message's words: every page shows what Jinja's newstyle gettext gives, in each
    language, with values escaped, "%%" as "%", and ``{% trans %}`` blocks."""
    from jinja2 import DictLoader, Environment
    from languages.languages import BuildCatalogues, install

    template = (
        '{{ _("Home") }}|{{ _("Home") }}|{{ _("100%% <sure>") }}|'
        '{{ _("By %(author)s", author="<Ana & Bo>") }}|{{ gettext("Search") }}|'
        '{{ ngettext("%(num)s guide", "%(num)s guides", n) }}|'
        '{{ ngettext("%(num)s minute read", "%(num)s minute read", 1) }}|'
        '{% trans a="<b>" %}See <a href="{{ a }}">all</a>{% endtrans %}'
    )
    rendered = {}
    for name in ("ours", "jinjas"):
        env = Environment(loader=DictLoader({"t": template}), autoescape=autoescape)
        generator = type("Generator", (), {"env": env})()
        install(generator)
        if name == "jinjas":  # Jinja's own ``_`` and wrappers around the same catalogues
            env.add_extension("jinja2.ext.i18n")
            env.install_gettext_callables(*BuildCatalogues().callables(), newstyle=True)
        rendered[name] = [
            env.get_template("t").render(THEME=str(PROJECT_ROOT / "theme"), lang=lang, n=n)
            for lang in ("en", SPANISH)
            for n in (1, 3)
        ]
    assert rendered["ours"] == rendered["jinjas"]
    assert "Inicio" in rendered["ours"][2] and "100% " in rendered["ours"][0]


# --- Search ------------------------------------------------------------------------------------


def test_a_spanish_search_finds_the_spanish_article_first(site: BuiltSite, page: Page) -> None:
    page.goto(f"{site.url}/es/search/")
    label = translate(TRANSLATIONS, SPANISH, "Search our patient guides")
    page.get_by_label(label).fill("vejiga")  # "bladder"
    page.get_by_role("button", name=translate(TRANSLATIONS, SPANISH, "Search")).click()
    results = page.locator(".search-results__list .search-results__link")
    expect(results.first).to_be_visible(timeout=10_000)
    paths = results.evaluate_all("links => links.map(a => a.pathname)")
    assert paths[0] == "/es/articles/is-ketamine-safe/", paths
    assert all(path.startswith("/es/") for path in paths), paths


# --- Each Spanish article ----------------------------------------------------------------------

spanish_articles = pytest.mark.parametrize("name", SPANISH_ARTICLES)


@spanish_articles
def test_the_spanish_article_and_its_original_link_to_each_other(
    site: BuiltSite, name: str
) -> None:
    slug = Path(name).stem
    english_path, spanish_path = f"/articles/{slug}/", f"/es/articles/{slug}/"
    spanish, english = site.soup(spanish_path), site.soup(english_path)
    assert alternates(spanish).get("en") == english_path, alternates(spanish)
    assert alternates(english).get(SPANISH) == spanish_path, alternates(english)
    to_english = visible_language_link(spanish, "en")
    to_spanish = visible_language_link(english, SPANISH)
    assert to_english and local_path(to_english["href"]) == english_path
    assert to_spanish and local_path(to_spanish["href"]) == spanish_path
    assert to_english.get_text(strip=True) == "English" and to_english.get("lang") == "en"
    assert to_spanish.get_text(strip=True) == "Español" and to_spanish.get("lang") == SPANISH


def test_a_topic_links_the_same_topic_in_the_other_language_not_its_home(site: BuiltSite) -> None:
    """The language switch on a topic went to the other language's home page, losing the
    reader's place."""
    english_path, spanish_path = "/topics/ketamine/", "/es/topics/ketamine/"
    english, spanish = site.soup(english_path), site.soup(spanish_path)
    assert alternates(english) == {"en": english_path, SPANISH: spanish_path,
                                   "x-default": english_path}  # fmt: skip
    assert alternates(spanish) == alternates(english)
    assert local_path(visible_language_link(english, SPANISH)["href"]) == spanish_path
    assert local_path(visible_language_link(spanish, "en")["href"]) == english_path


@spanish_articles
def test_the_spanish_article_says_it_is_not_yet_reviewed(site: BuiltSite, name: str) -> None:
    notice = translate(
        TRANSLATIONS,
        SPANISH,
        "This page is a translation. No clinician has reviewed this translation yet.",
    )
    assert notice.startswith("Esta página es una traducción"), notice
    soup = site.soup(f"/es/articles/{Path(name).stem}/")
    shown = [" ".join(tag.get_text().split()) for tag in soup.select(".translation-notice")]
    assert notice in shown, shown


@spanish_articles
def test_the_spanish_article_reads_at_the_checks_reading_ease(name: str) -> None:
    minimum = check_settings(load_pelican_settings(PROJECT_ROOT, production=False))[
        "CHECK_MIN_READING_EASE_ES"
    ]
    sentences = [
        sentence
        for section in readability.sections_of(spanish_source(name))
        for sentence in section.sentences
    ]
    with readability.textstat_language(SPANISH):
        ease, words = readability.spanish_ease(sentences)
    assert words >= 700, f"{name}: {words} words read"
    assert ease >= minimum, f"{name}: Fernández-Huerta {ease:.1f}, the check asks {minimum:g}"


@spanish_articles
def test_each_long_spanish_section_reads_at_the_checks_reading_ease(name: str) -> None:
    """The check warns on a section under the minimum; the shipped edition has none."""
    settings = check_settings(load_pelican_settings(PROJECT_ROOT, production=False))
    minimum, shortest = settings["CHECK_MIN_READING_EASE_ES"], settings["CHECK_SECTION_MIN_WORDS"]
    hard = {}
    with readability.textstat_language(SPANISH):
        for section in readability.sections_of(spanish_source(name)):
            ease, words = readability.spanish_ease(section.sentences)
            if words >= shortest and ease < minimum:
                hard[section.heading] = round(ease, 1)
    assert not hard, f"{name}: sections under Fernández-Huerta {minimum:g}: {hard}"


# --- What the Spanish edition says (issue 22) --------------------------------------------------

SPANISH_SOURCES = sorted(
    [*(ARTICLES / SPANISH).glob("*.md"), *(PROJECT_ROOT / "content/pages/es").glob("*.md")]
)
# A mention of mental health (not "depresión respiratoria", slowed breathing).
MENTAL_HEALTH = re.compile(
    r"suicidio|depresi[oó]n(?!\s+respiratoria)|TEPT|estr[eé]s postraum[aá]tico|"
    r"salud mental|enfermedad(?:es)? mental(?:es)?",
    re.IGNORECASE,
)
# The 988 Lifeline in Spanish (content brief, 12h): press 2 on a call, or text AYUDA.
SPANISH_988 = ("988 y marque 2", "AYUDA")
# English headings the pages agree on (COMMON conventions) and their Spanish.
SECTION_HEADINGS = {
    "What to do next": "Qué hacer ahora",
    "What is not known yet": "Lo que aún no se sabe",
    "Other options": "Otras opciones",
    "If you decide not to have ketamine": "Si decide no recibir ketamina",
}
FIGURE_RE = re.compile(r"!\[[^\]]+\]\(\{static\}/images/figures/(?P<path>[^ )]+)")
CITED_RE = re.compile(r"\[\^([^\]]+)\](?!:)")
H2_RE = re.compile(r"^## (.+?)\s*$", re.MULTILINE)
SVG = "{http://www.w3.org/2000/svg}"


def body_of(path: Path) -> str:
    """A source file's text after its metadata block."""
    return path.read_text(encoding="utf-8").split("\n\n", 1)[1]


def drawing(svg: Path) -> list[tuple[str, dict[str, str]]]:
    """The shapes of an SVG figure, without its words (text, title, desc) and language."""
    from xml.etree import ElementTree

    words = {f"{SVG}{tag}" for tag in ("text", "title", "desc", "style")}
    return [
        (element.tag, dict(element.attrib))
        for element in ElementTree.parse(svg).getroot().iter()
        if element.tag not in words and element.tag != f"{SVG}svg"
    ]


def test_every_spanish_mention_of_mental_health_gives_988_in_spanish() -> None:
    mentioning = [path for path in SPANISH_SOURCES if MENTAL_HEALTH.search(body_of(path))]
    without = {
        path.name: [words for words in SPANISH_988 if words not in body_of(path)]
        for path in mentioning
        if not all(words in body_of(path) for words in SPANISH_988)
    }
    assert not without, f"pages that mention mental health without 988 in Spanish: {without}"


def test_the_mental_health_detector_finds_the_pages_that_need_988() -> None:
    """The parametrized test above skips pages with no mention; it must not skip them all."""
    mentioning = {path.name for path in SPANISH_SOURCES if MENTAL_HEALTH.search(body_of(path))}
    assert {"ketamine-for-chronic-pain.md", "glossary.md", "medical-disclaimer.md"} <= mentioning
    assert not MENTAL_HEALTH.search("respira más lento (depresión respiratoria)")


@pytest.mark.parametrize("path", SPANISH_SOURCES, ids=lambda path: path.name)
def test_no_spanish_page_uses_a_phrase_that_says_something_else(path: Path) -> None:
    """'presión alta' is high blood pressure, not raised pressure in the skull or eye; in an
    article 'reacciones de emergencia' reads as an emergency (the glossary names that term
    once, to say what it means)."""
    text = body_of(path)
    assert "presión alta dentro" not in text, path.name
    if path.parent.name == SPANISH and path.parent.parent == ARTICLES:
        assert "reacciones de emergencia" not in text.lower(), path.name


@spanish_articles
def test_the_spanish_article_has_the_originals_parts(name: str) -> None:
    """Key points first, each agreed section the English has, and every source it cites."""
    english, spanish = body_of(ARTICLES / name), body_of(ARTICLES / SPANISH / name)
    assert spanish.lstrip().startswith('!!! key-points "Puntos clave"'), name
    english_h2, spanish_h2 = H2_RE.findall(english), H2_RE.findall(spanish)
    for heading, translated in SECTION_HEADINGS.items():
        if heading in english_h2:
            assert translated in spanish_h2, f"{name}: no '## {translated}'"
    if english_h2 and english_h2[-1] == "What to do next":
        assert spanish_h2[-1] == "Qué hacer ahora", spanish_h2
    missing = set(CITED_RE.findall(english)) - set(CITED_RE.findall(spanish))
    assert not missing, f"{name}: sources the English cites and the Spanish does not: {missing}"


@spanish_articles
def test_the_spanish_figure_is_the_same_drawing_with_spanish_words(name: str) -> None:
    english = FIGURE_RE.findall(body_of(ARTICLES / name))
    spanish = FIGURE_RE.findall(body_of(ARTICLES / SPANISH / name))
    assert len(spanish) == len(english) >= 1, (english, spanish)
    figures = PROJECT_ROOT / "content" / "images" / "figures"
    for original, translation in zip(english, spanish, strict=True):
        assert translation == f"{SPANISH}/{original}", translation
        assert drawing(figures / translation) == drawing(figures / original), translation
        title = (figures / translation).read_text(encoding="utf-8").split("<title", 1)[1]
        assert title not in (figures / original).read_text(encoding="utf-8"), "title untranslated"


REFERENCE_LINE = re.compile(r"^\[\^([^\]]+)\]:\s*(.*)$", re.MULTILINE)
IN_ENGLISH = re.compile(r"\s\([^()]*en inglés[^()]*\)")  # "(..., en inglés)" after the title


def references_of(path: Path) -> dict[str, str]:
    return dict(REFERENCE_LINE.findall(path.read_text(encoding="utf-8")))


def test_every_built_spanish_page_marks_its_english_titles(site: BuiltSite) -> None:
    """A Spanish screen reader voice mispronounces an English title: each Spanish reference
    that keeps its original's English words (then says "en inglés") marks them lang="en",
    and the page carries the mark (WCAG 2.2, 3.1.2 Language of Parts)."""
    unmarked, marked = [], 0
    for path in SPANISH_SOURCES:
        original = path.parent.parent / path.name
        if not original.exists():
            continue
        english = references_of(original)
        for key, text in references_of(path).items():
            in_english = IN_ENGLISH.search(text)
            if in_english is None or key not in english:
                continue
            before = text[: in_english.start()]
            if "{lang=en}" in before:
                marked += 1
            elif len(before.split()) >= 3 and before.split(". ", 1)[-1] in english[key]:
                unmarked.append(f"{path.name}: [^{key}]")
    assert not unmarked, unmarked
    assert marked >= 100
    spans = site.soup("/es/articles/is-ketamine-safe/").select(".references span[lang=en]")
    assert len(spans) >= 15
