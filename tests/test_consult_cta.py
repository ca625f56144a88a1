"""The consultation call to action and the medical disclaimer (plugins/consult_cta, issue 3)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from assets.inline_code import find_inline_code
from bs4 import BeautifulSoup
from clinic import ClinicSettingsError
from conftest import PROJECT_ROOT, BuiltSite, SmallSite, languages_with
from consult_cta import (
    ConsultCtaError,
    build_cta_html,
    build_disclaimer_html,
    resolve_settings,
)
from html_structure import place_blocks
from pelican.readers import MarkdownReader

CLINIC = {
    "name": "Westside Pain Specialists",
    "offices": [
        {
            "name": "North Office",
            "street": "1 Main St",
            "locality": "Town",
            "region": "CA",
            "postal_code": "90000",
            "country": "US",
            "phone": "(310) 555-0101",
        },
        {
            "name": "South Office",
            "street": "2 Main St",
            "locality": "Town",
            "region": "CA",
            "postal_code": "90001",
            "country": "US",
            "phone": "310.555.0102",
        },
    ],
    "booking_url": "https://booking.test/westside",
    "contact_url": "https://forms.test/contact",
}
# Each language's variants, in that language's mapping (LANGUAGES in pelicanconf.py).
LANGUAGES = languages_with(
    en={
        "cta_variants": {
            "infusions": {"heading": "Ask us whether ketamine infusions could help you"}
        },
        "disclaimer_variants": {"off-label": {"extra": ["Ketamine is used off-label for pain."]}},
    },
    es={
        "cta_variants": {"infusions": {"heading": "Pregúntenos por las infusiones"}},
        "disclaimer_variants": {
            "off-label": {"extra": ["La ketamina se usa fuera de indicación para el dolor."]}
        },
    },
)
SETTINGS = {"CLINIC": CLINIC, "LANGUAGES": LANGUAGES}
CTA = "aside[data-consult-cta]"
DISCLAIMER = "aside[data-disclaimer]"
ATOM = "{http://www.w3.org/2005/Atom}"


def fake(kind: str = "article", **metadata: str) -> SimpleNamespace:
    """An article or page as the builders see it: metadata and a source path."""
    return SimpleNamespace(kind=kind, metadata=metadata, source_path=f"content/{kind}s/x.md")


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


# --- Pure builders ---------------------------------------------------------------------------


def test_cta_lists_every_way_to_reach_the_clinic() -> None:
    aside = soup(build_cta_html(SETTINGS, fake())).aside
    assert aside["class"] == ["consult-cta"]
    assert aside["aria-labelledby"] == "consult-cta-heading"
    assert aside.has_attr("data-consult-cta") and aside.has_attr("data-pagefind-ignore")
    heading = aside.find("h2", id="consult-cta-heading")
    assert heading["class"] == ["consult-cta__heading"]
    assert "Westside Pain Specialists" in aside.get_text()
    offices = aside.select("ul.consult-cta__offices > li.consult-cta__office")
    assert [li.get_text() for li in offices] == [
        "North Office: (310) 555-0101",
        "South Office: 310.555.0102",
    ]
    phones = [a["href"] for a in aside.select("a.consult-cta__phone")]
    assert phones == ["tel:+13105550101", "tel:+13105550102"]
    assert aside.select_one("a.consult-cta__book")["href"] == CLINIC["booking_url"]
    assert aside.select_one("a.consult-cta__contact")["href"] == CLINIC["contact_url"]
    # Reading order: heading, sentence, offices, booking, contact form.
    order = [tag.name for tag in aside.find_all(["h2", "p", "ul"], recursive=False)]
    assert order == ["h2", "p", "ul", "p", "p"]


def test_cta_variant_changes_only_its_own_fields() -> None:
    aside = soup(build_cta_html(SETTINGS, fake(cta="Infusions"))).aside
    assert aside.h2.get_text() == "Ask us whether ketamine infusions could help you"
    assert aside.select_one("a.consult-cta__book").get_text() == "Book a consultation online"


def test_cta_off_and_empty_value() -> None:
    assert build_cta_html(SETTINGS, fake(cta="off")) == ""
    assert build_cta_html(SETTINGS, fake("page", cta=" OFF ")) == ""
    assert build_cta_html(SETTINGS, fake(cta="")) == build_cta_html(SETTINGS, fake())


def test_disclaimer_says_what_the_page_is_and_links_the_full_disclaimer() -> None:
    aside = soup(build_disclaimer_html(SETTINGS, fake())).aside
    assert aside["class"] == ["disclaimer"]
    assert aside["aria-labelledby"] == "disclaimer-heading"
    assert aside.has_attr("data-disclaimer") and aside.has_attr("data-pagefind-ignore")
    assert aside.find("h2", id="disclaimer-heading")["class"] == ["disclaimer__heading"]
    text = aside.get_text(" ")
    for words in ("general information", "not medical advice", "start or stop", "911"):
        assert words in text
    assert (
        aside.select_one("a.disclaimer__link")["href"] == "{filename}/pages/medical-disclaimer.md"
    )
    # the emergency number is one to tap, as everywhere else on the page
    assert [a["href"] for a in aside.select("a.crisis-line")] == ["tel:911"]


def test_disclaimer_variant_adds_its_extra_wording_first() -> None:
    paragraphs = soup(build_disclaimer_html(SETTINGS, fake(disclaimer="off-label"))).select("p")
    assert paragraphs[0].get_text() == "Ketamine is used off-label for pain."
    assert "911" in paragraphs[-2].get_text()


def test_a_page_may_turn_the_disclaimer_off() -> None:
    assert build_disclaimer_html(SETTINGS, fake("page", disclaimer="off")) == ""


def test_turning_the_disclaimer_off_on_an_article_names_the_file_and_key() -> None:
    with pytest.raises(ConsultCtaError, match=r"articles/x\.md.*'disclaimer: off'.*default"):
        build_disclaimer_html(SETTINGS, fake(disclaimer="off"))


def test_unknown_variant_names_the_file_key_and_accepted_values() -> None:
    with pytest.raises(ConsultCtaError, match=r"articles/x\.md.*'cta: nope'.*off, default"):
        build_cta_html(SETTINGS, fake(cta="nope"))
    with pytest.raises(ConsultCtaError, match=r"'disclaimer: nope'.*default, off-label"):
        build_disclaimer_html(SETTINGS, fake(disclaimer="nope"))


@pytest.mark.parametrize(
    ("setting", "value", "accepted"),
    [
        ("CTA_PLACEMENT", "middle", "'end', 'after-first-section'"),
        ("DISCLAIMER_PLACEMENT", "after-first-section", "'end', 'start'"),
        ("CTA_HEADING_LEVEL", 1, "2, 3, 4, 5, 6"),
    ],
)
def test_unknown_setting_value_names_the_setting_and_accepted_values(
    setting: str, value: object, accepted: str
) -> None:
    with pytest.raises(ConsultCtaError, match=rf"{setting} = {value!r}.*{re.escape(accepted)}"):
        resolve_settings({**SETTINGS, setting: value})


def test_unknown_variant_field_names_the_setting_and_accepted_fields() -> None:
    languages = languages_with(en={"cta_variants": {"x": {"title": "Hi"}}})
    with pytest.raises(
        ConsultCtaError, match=r"LANGUAGES\['en'\]\['cta_variants'\]\['x'\].*'title'.*'heading'"
    ):
        resolve_settings({**SETTINGS, "LANGUAGES": languages})


def test_heading_level_follows_the_setting() -> None:
    settings = {**SETTINGS, "CTA_HEADING_LEVEL": 3, "DISCLAIMER_HEADING_LEVEL": 3}
    assert soup(build_cta_html(settings, fake())).find("h3", id="consult-cta-heading")
    assert soup(build_disclaimer_html(settings, fake())).find("h3", id="disclaimer-heading")


def test_settings_text_is_escaped() -> None:
    clinic = {**CLINIC, "name": 'Smith & <Jones> "Pain"'}
    clinic["offices"] = [{**CLINIC["offices"][0], "name": "<b>North</b> & co"}]
    settings = {
        "CLINIC": clinic,
        "LANGUAGES": languages_with(
            en={"cta_variants": {"default": {"heading": "Call {clinic} <now>"}}}
        ),
    }
    html = build_cta_html(settings, fake()) + build_disclaimer_html(settings, fake())
    assert "<b>" not in html and "<now>" not in html
    parsed = soup(html)
    assert parsed.h2.get_text() == 'Call Smith & <Jones> "Pain" <now>'
    assert parsed.select_one("li").get_text().startswith("<b>North</b> & co")


def test_blocks_have_no_inline_style_or_script() -> None:
    html = build_cta_html(SETTINGS, fake()) + build_disclaimer_html(SETTINGS, fake())
    assert find_inline_code(html) == []


BODY = (
    "<p>Intro.</p>\n<h2>One</h2>\n<p>A.</p>\n<h2>Two</h2>\n<p>B.</p>\n"
    '<div class="footnote">\n<hr>\n<ol><li>Ref</li></ol>\n</div>'
)


def test_end_placement_keeps_the_references_last() -> None:
    html = place_blocks(BODY, "<aside>C</aside>", "<aside>D</aside>")
    assert html.index("<p>B.</p>") < html.index("C</aside>") < html.index("D</aside>")
    assert html.index("D</aside>") < html.index('<div class="footnote"')


def test_after_first_section_goes_before_the_second_h2() -> None:
    html = place_blocks(
        BODY,
        "<aside>C</aside>",
        "<aside>D</aside>",
        cta_placement="after-first-section",
        disclaimer_placement="start",
    )
    assert html.startswith("<aside>D</aside>")
    assert html.index("<p>A.</p>") < html.index("C</aside>") < html.index("<h2>Two</h2>")


def test_after_first_section_without_sections_goes_at_the_end() -> None:
    html = place_blocks("<p>Only.</p>", "<aside>C</aside>", cta_placement="after-first-section")
    assert html == "<p>Only.</p>\n<aside>C</aside>"


def test_places_from_the_events_the_lines_were_read_from_are_the_same() -> None:
    """The reading worker parses the body once (``html_events``, references decoded) for its
    lines and its places: each tag stands where a parse that leaves references alone puts it."""
    from html_structure import BlockPlaces, html_events

    tricky = (
        "<p>Fish &amp; chips &#x3c; &unknown; & <3 &am</p>\n<h2 id='a&amp;b'>One &lt;</h2>\n"
        "<p>x<br/>y<!-- c --><?pi?></p><h2>Two &#12</h2>\n<aside data-x=''>&nbsp;</aside>\n"
        '<section class="references"><ol><li>R &amp; S</li></ol></section>'
    )
    for html in (BODY, tricky, "", "text &amp; only", "<p>unclosed &"):
        assert BlockPlaces.of(html, html_events(html)) == BlockPlaces.of(html), html
    places = BlockPlaces.of(tricky, html_events(tricky))
    assert places.h2_starts == (tricky.index("<h2 id"), tricky.index("<h2>Two"))
    assert places.end_offset() == tricky.index("<section")


def test_places_from_the_record_only_for_the_html_they_were_read_from() -> None:
    """The reading worker reads the places once (the record keeps them, as JSON in the reading
    cache); a body changed after reading is read again."""
    from article_markup.record import ArticleRecord
    from consult_cta.consult_cta import block_places
    from html_structure import BlockPlaces

    record = ArticleRecord.from_dict(ArticleRecord("en", "").with_body_html(BODY, []).to_dict())
    assert record.block_places == BlockPlaces.of(BODY)
    assert record.block_places.second_section_offset() == BODY.index("<h2>Two</h2>")
    assert record.block_places.end_offset() == BODY.index('<div class="footnote"')
    content = fake(record=record)
    assert block_places(content, BODY) is record.block_places
    changed = "<p>New.</p>\n" + BODY
    assert block_places(content, changed).end_offset() == changed.index('<div class="footnote"')
    with_cta = place_blocks(BODY, '<aside data-consult-cta="">C</aside>')
    assert BlockPlaces.of(with_cta).has_block("data-consult-cta")
    assert not BlockPlaces.of(with_cta).has_block("data-disclaimer")


# --- Full builds -----------------------------------------------------------------------------


def article(slug: str, extra: str = "", summary: str | None = "A short summary.") -> str:
    """An article with an intro, two sections and a footnote."""
    lines = [
        f"Title: Article {slug}",
        f"Slug: {slug}",
        "Date: 2026-01-02",
        "Category: Ketamine",
        "Tags: chronic pain",
    ]
    if summary is not None:
        lines.append(f"Summary: {summary}")
    lines += [extra, "", "Intro paragraph about pain.", ""]
    lines += ["## First section", "", "Text one.[^ref]", "", "## Second section", "", "Text two."]
    lines += ["", "[^ref]: A reference, 2024."]
    return "\n".join(line for line in lines if line is not None) + "\n"


def page(slug: str, extra: str = "") -> str:
    return f"Title: Page {slug}\nSlug: {slug}\nSummary: About {slug}.\n{extra}\n\nPage text.\n"


FILES = {
    "articles/plain.md": article("plain", "Cta:\nDisclaimer:"),
    "articles/infusions.md": article("infusions", "Cta: infusions\nDisclaimer: off-label"),
    "articles/no-cta.md": article("no-cta", "Cta: off"),
    "articles/derived.md": article("derived", summary=None),
    "articles/draft.md": article("draft", "Status: draft"),
    "articles/hidden.md": article("hidden", "Status: hidden"),
    "articles/plain-es.md": article("plain", "Lang: es"),
    "pages/medical-disclaimer.md": page("medical-disclaimer", "Disclaimer: off"),
    "pages/book-a-consultation.md": page("book-a-consultation", "Cta: off"),
    "pages/about.md": page("about"),
    "pages/hidden-page.md": page("hidden-page", "Status: hidden"),
    "pages/draft-page.md": page("draft-page", "Status: draft"),
}
# Output file: (calls to action, disclaimers) expected on it.
EXPECTED = {
    "articles/plain/index.html": (1, 1),
    "articles/infusions/index.html": (1, 1),
    "articles/no-cta/index.html": (0, 1),
    "articles/derived/index.html": (1, 1),
    "drafts/draft/index.html": (1, 1),
    "articles/hidden/index.html": (1, 1),
    "articles/plain-es/index.html": (1, 1),
    "medical-disclaimer/index.html": (1, 0),
    "book-a-consultation/index.html": (0, 1),
    "about/index.html": (1, 1),
    "hidden-page/index.html": (1, 1),
    "drafts/pages/draft-page/index.html": (1, 1),
}
BUILD = {
    "SITEURL": "https://clinic.test",
    "CLINIC": CLINIC,
    "LANGUAGES": LANGUAGES,
    "ARTICLE_LANG_URL": "articles/{slug}-{lang}/",
    "ARTICLE_LANG_SAVE_AS": "articles/{slug}-{lang}/index.html",
    "FEED_DOMAIN": "https://clinic.test",
    "FEED_ALL_ATOM": "feeds/all.atom.xml",
    # RSS carrying full content, as a clinic may choose.
    "FEED_ALL_RSS": "feeds/all.rss.xml",
    "RSS_FEED_SUMMARY_ONLY": False,
}
# Pelican's own themes expect Pelican's default Jinja environment (no autoescape) and pages.
PELICAN_THEME = {
    "JINJA_ENVIRONMENT": {"trim_blocks": True, "lstrip_blocks": True, "extensions": []},
    "DIRECT_TEMPLATES": ["index", "tags", "categories", "archives"],
    "TEMPLATE_PAGES": {},
}
THEMES = {
    "ours": {},
    "simple": {"THEME": "simple", **PELICAN_THEME},
    "notmyidea": {"THEME": "notmyidea", **PELICAN_THEME},
}

Builder = Callable[..., SmallSite]


def counts(built: SmallSite, relative: str) -> tuple[int, int]:
    parsed = built.soup(relative)
    return len(parsed.select(CTA)), len(parsed.select(DISCLAIMER))


def assert_each_block_once(built: SmallSite) -> None:
    found = {relative: counts(built, relative) for relative in EXPECTED}
    assert found == EXPECTED


@pytest.fixture(scope="module")
def built_by_theme(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SmallSite]:
    """The small site built once under each theme."""
    from conftest import small_site_settings
    from pelican import Pelican

    sites = {}
    for theme, overrides in THEMES.items():
        root = tmp_path_factory.mktemp(theme)
        for name, text in FILES.items():
            (root / "content" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "content" / name).write_text(text, encoding="utf-8")
        settings = small_site_settings(root, {**BUILD, **overrides})
        Pelican(settings).run()
        sites[theme] = SmallSite(output=root / "output", warnings=[], settings=settings)
    return sites


@pytest.mark.parametrize("theme", THEMES)
def test_every_article_and_page_has_one_cta_and_one_disclaimer(
    built_by_theme: dict[str, SmallSite], theme: str
) -> None:
    assert_each_block_once(built_by_theme[theme])


@pytest.mark.parametrize("theme", THEMES)
def test_index_excerpts_and_meta_descriptions_have_no_blocks(
    built_by_theme: dict[str, SmallSite], theme: str
) -> None:
    built = built_by_theme[theme]
    index = built.soup("index.html")
    # notmyidea shows the newest article in full on the home page; the others as excerpts.
    featured = 1 if theme == "notmyidea" else 0
    assert len(index.select(CTA)) == featured
    assert len(index.select(DISCLAIMER)) == featured
    for relative in EXPECTED:
        for meta in built.soup(relative).select('meta[name="description"]'):
            assert "pain specialist" not in meta["content"]
            assert "general information" not in meta["content"]


@pytest.mark.parametrize("theme", THEMES)
def test_atom_feed_entries_carry_both_blocks_but_summaries_do_not(
    built_by_theme: dict[str, SmallSite], theme: str
) -> None:
    feed = ET.parse(built_by_theme[theme].output / "feeds/all.atom.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 5  # published articles and translations; no drafts or hidden
    for entry in entries:
        content = entry.find(f"{ATOM}content").text
        cta_expected = 0 if "no-cta" in entry.find(f"{ATOM}id").text else 1
        assert content.count("data-consult-cta") == cta_expected
        assert content.count("data-disclaimer") == 1
        # Links in the feed are absolute.
        assert 'href="https://clinic.test/medical-disclaimer/"' in content
        summary = entry.find(f"{ATOM}summary")
        if summary is not None:
            assert "data-consult-cta" not in summary.text
            assert "data-disclaimer" not in summary.text


def test_full_content_rss_items_carry_both_blocks(built_by_theme: dict[str, SmallSite]) -> None:
    channel = ET.parse(built_by_theme["ours"].output / "feeds/all.rss.xml").getroot()
    items = channel.findall("channel/item")
    assert len(items) == 5
    for item in items:
        description = item.find("description").text
        cta_expected = 0 if "no-cta" in item.find("link").text else 1
        assert description.count("data-consult-cta") == cta_expected
        assert description.count("data-disclaimer") == 1


def test_derived_summary_is_clean_with_links_resolved(build_small_site: Builder) -> None:
    text = article("derived", summary=None).replace(
        "Intro paragraph about pain.", "Intro about [us]({filename}/pages/about.md)."
    )
    files = {**FILES, "articles/derived.md": text}
    # Pelican's simple theme shows summaries as HTML, so their links can be checked.
    overrides = {**BUILD, **THEMES["simple"], "DISCLAIMER_PLACEMENT": "start"}
    built = build_small_site(files, overrides)
    listing = built.soup("index.html").get_text()
    assert "Intro about us" in listing
    assert "general information" not in listing and "pain specialist" not in listing
    link = built.soup("index.html").find("a", string="us")
    assert link["href"] == "https://clinic.test/about/"
    # The article itself has the disclaimer first.
    body = built.soup("articles/derived/index.html")
    assert body.select_one(DISCLAIMER).find_next_sibling("p").get_text() == "Intro about us."


def test_variants_reach_the_built_page(built_by_theme: dict[str, SmallSite]) -> None:
    page_soup = built_by_theme["ours"].soup("articles/infusions/index.html")
    heading = page_soup.select_one(f"{CTA} #consult-cta-heading").get_text()
    assert heading == "Ask us whether ketamine infusions could help you"
    first = page_soup.select_one(f"{DISCLAIMER} p").get_text()
    assert first == "Ketamine is used off-label for pain."
    link = page_soup.select_one(f"{DISCLAIMER} a.disclaimer__link")
    assert link["href"] == "https://clinic.test/medical-disclaimer/"


def test_cta_after_the_first_section_in_a_build(build_small_site: Builder) -> None:
    built = build_small_site(FILES, {**BUILD, "CTA_PLACEMENT": "after-first-section"})
    body = built.soup("articles/plain/index.html")
    cta = body.select_one(CTA)
    assert cta.find_previous_sibling("h2").get_text().startswith("First")
    assert cta.find_next_sibling("h2").get_text().startswith("Second")


def test_two_runs_in_one_process_add_each_block_once(build_small_site: Builder) -> None:
    build_small_site(FILES, BUILD)
    assert_each_block_once(build_small_site(FILES, BUILD))


@pytest.mark.parametrize("layer", ["reader", "generator"])
def test_cached_rebuild_adds_each_block_once(
    build_small_site: Builder, monkeypatch: pytest.MonkeyPatch, layer: str
) -> None:
    cached = {
        **BUILD,
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "CONTENT_CACHING_LAYER": layer,
    }
    first = build_small_site(FILES, cached)
    assert any(Path(first.settings["CACHE_PATH"]).iterdir()), "the content cache was not written"
    reads: list[str] = []
    read = MarkdownReader.read

    def counting_read(self: MarkdownReader, source_path: str) -> tuple:
        reads.append(source_path)
        return read(self, source_path)

    monkeypatch.setattr(MarkdownReader, "read", counting_read)
    assert_each_block_once(build_small_site({}, cached))
    rebuilt = build_small_site({}, cached)
    assert_each_block_once(rebuilt)
    link = rebuilt.soup("articles/plain/index.html").select_one("a.disclaimer__link")
    assert link["href"] == "https://clinic.test/medical-disclaimer/"
    assert reads == [], "the rebuild parsed Markdown instead of using the content cache"


def test_content_read_before_the_blocks_is_rendered_again(build_small_site: Builder) -> None:
    # Another plugin may read article.content early; Pelican memoizes it per article.
    from pelican import signals

    def read_early(generator: object) -> None:
        for item in generator.articles:
            assert "data-consult-cta" not in item.content

    signals.article_generator_finalized.connect(read_early)
    try:
        built = build_small_site(FILES, BUILD)
    finally:
        signals.article_generator_finalized.disconnect(read_early)
    assert_each_block_once(built)


def test_clinic_name_is_escaped_in_a_build(build_small_site: Builder) -> None:
    clinic = {**CLINIC, "name": "Smith & <Jones> Pain"}
    built = build_small_site(FILES, {**BUILD, **THEMES["simple"], "CLINIC": clinic})
    html = (built.output / "articles/plain/index.html").read_text(encoding="utf-8")
    assert "<Jones>" not in html
    assert "Smith & <Jones> Pain" in built.soup("articles/plain/index.html").select_one(CTA).text


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"articles/plain.md": article("plain", "Cta: nope")}, ConsultCtaError,
         r"plain\.md: metadata 'cta: nope'.*accepted: off, default, infusions"),
        ({"articles/plain.md": article("plain", "Disclaimer: nope")}, ConsultCtaError,
         r"plain\.md: metadata 'disclaimer: nope'.*accepted: default, off-label"),
        ({"articles/plain.md": article("plain", "Disclaimer: off")}, ConsultCtaError,
         r"plain\.md: metadata 'disclaimer: off' is not allowed on an article"),
        ({"CTA_PLACEMENT": "middle"}, ConsultCtaError,
         r"CTA_PLACEMENT = 'middle'.*accepted: 'end', 'after-first-section'"),
        ({"DISCLAIMER_PLACEMENT": "top"}, ConsultCtaError,
         r"DISCLAIMER_PLACEMENT = 'top'.*accepted: 'end', 'start'"),
        ({"CLINIC": {**CLINIC, "booking_url": ""}}, ClinicSettingsError,
         r"CLINIC\['booking_url'\] is missing"),
        ({"CLINIC": {**CLINIC, "offices": [{**CLINIC["offices"][0], "phone": "555-01"}]}},
         ClinicSettingsError, r"CLINIC\['offices'\]\[0\]\['phone'\].*'555-01'"),
    ],
)  # fmt: skip
def test_bad_input_fails_the_build_with_a_message(
    build_small_site: Builder, change: dict, error: type[Exception], message: str
) -> None:
    files = {**FILES, **{key: value for key, value in change.items() if key.endswith(".md")}}
    settings = {**BUILD, **{key: value for key, value in change.items() if key.isupper()}}
    with pytest.raises(error, match=message):
        build_small_site(files, settings)


def test_missing_disclaimer_page_is_reported(build_small_site: Builder) -> None:
    files = {name: text for name, text in FILES.items() if "medical-disclaimer" not in name}
    built = build_small_site(files, BUILD)
    assert any("/pages/medical-disclaimer.md" in warning for warning in built.warnings)


# --- The real site ---------------------------------------------------------------------------


def page_slugs() -> dict[str, str]:
    """Slug of every page in content/pages (read now: writers may be changing them)."""
    slugs = {}
    for source in sorted((PROJECT_ROOT / "content/pages").glob("*.md")):
        match = re.search(r"^Slug:\s*(\S+)", source.read_text(encoding="utf-8"), re.M)
        slugs[source.name] = match.group(1) if match else source.stem
    return slugs


def test_real_site_has_one_cta_and_one_disclaimer_per_article_and_page(site: BuiltSite) -> None:
    # Checks behaviour only (counts), never wording: the content is being written meanwhile.
    pages = [f"/{slug}/" for slug in page_slugs().values()]
    paths = set(site.page_paths())
    checked = 0
    for path in [*site.article_paths(), *pages]:
        if path not in paths:
            continue
        parsed = site.soup(path)
        found = (len(parsed.select(CTA)), len(parsed.select(DISCLAIMER)))
        expected = (
            0 if path == "/book-a-consultation/" else 1,
            0 if path == "/medical-disclaimer/" else 1,
        )
        assert found == expected, path
        checked += 1
    assert checked >= 3
    for listing in ("/", "/archives/", "/search/"):
        assert not site.soup(listing).select(f"{CTA}, {DISCLAIMER}"), listing
    feed = site.path / "feeds/all.atom.xml"
    if feed.exists():
        for entry in ET.parse(feed).getroot().findall(f"{ATOM}entry"):
            assert entry.find(f"{ATOM}content").text.count("data-disclaimer") == 1


def test_search_indexes_a_foreign_theme_whole_pages_as_pagefind_does(tmp_path: Path) -> None:
    """Under Pelican's ``simple`` theme (no ``data-pagefind-body``) search still builds: our check
    of Pagefind's bundle follows Pagefind's own rule and counts every page."""
    from conftest import small_site_settings
    from pelican import Pelican

    for name, text in FILES.items():
        (tmp_path / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "content" / name).write_text(text, encoding="utf-8")
    overrides = {**BUILD, "THEME": "simple", **PELICAN_THEME, "SEARCH_INDEX": True}
    Pelican(small_site_settings(tmp_path, overrides)).run()
    output = tmp_path / "output"
    entry = json.loads((output / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    indexed = sum(language["page_count"] for language in entry["languages"].values())
    pages = [p for p in output.rglob("*.html") if "pagefind" not in p.relative_to(output).parts]
    assert indexed == len(pages) > 0
    built = SmallSite(output=output, warnings=[], settings={})
    assert counts(built, "articles/plain/index.html") == (1, 1)
