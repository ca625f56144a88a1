"""plugins/article_markup: the site's components, made on Markdown's tree while it renders."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import PROJECT_ROOT
from markdown import Markdown
from pelican.settings import read_settings

SETTINGS = read_settings(str(PROJECT_ROOT / "pelicanconf.py"))

EMERGENCY = '!!! care-emergency "Call 911 if:"\n    - you cannot breathe\n'
REFERENCE = "[^a]: Cohen SP. Title. 2018. doi:10.1097/AAP.808. See https://example.org/a?b=1&c=2.\n"


def render(source: str, **options: object) -> tuple[BeautifulSoup, dict]:
    """Convert Markdown with the site's settings; the HTML and the extension's facts."""
    config = copy.deepcopy(SETTINGS["MARKDOWN"])
    config["extension_configs"]["article_markup"].update(options)
    config["extensions"] = list(config["extension_configs"])
    md = Markdown(**config)
    html = md.convert(source)
    facts = next(e for e in md.registeredExtensions if hasattr(e, "document_facts"))
    return BeautifulSoup(html, "html.parser"), facts.document_facts()


def test_emergency_admonition_becomes_a_care_card_with_hidden_context() -> None:
    soup, _ = render("## When to get help\n\n" + EMERGENCY)
    card = soup.select_one("div.care-card.care-card--emergency")
    assert card is not None and not soup.select(".admonition")
    heading = card.select_one("h3.care-card__heading")
    assert heading.select_one(".visually-hidden").get_text() == "Emergency advice: "
    assert heading.get_text() == "Emergency advice: Call 911 if:"
    assert card.select_one(".care-card__content li").get_text() == "you cannot breathe"


def test_a_cards_crisis_numbers_are_links_to_tap_that_a_review_does_not_count() -> None:
    """In a card's text and the page's, 911 and 988 are tel: links (a reader in crisis taps
    them); not in a heading, a reference mark or the references, not in 9110 or 988-1; the text
    a review approves is the same as without them, while a writer's own link with their class
    keeps its address."""
    from reviewed_text import html_lines

    source = (
        '!!! care-emergency "Call 911 if:"\n'
        "    - you cannot breathe: call 911 or 988.[^a] Not 9110, 988-1 or 911.5.\n\n"
        "Call 911 here too, outside a card.[^a]\n\n" + REFERENCE.replace("Title", "Title 911")
    )
    soup, _ = render(source)
    card = soup.select_one(".care-card")
    links = [(a["href"], a.get_text()) for a in card.select("a.crisis-line")]
    assert links == [("tel:911", "911"), ("tel:988", "988")]
    assert not card.select_one(".care-card__heading a")
    # outside a card too (a "When to get help" list), but not in the references
    assert [a["href"] for a in soup.select("p > a.crisis-line")] == ["tel:911"]
    assert not soup.select(".references a.crisis-line, .footnote a.crisis-line")
    lines = html_lines(str(soup))
    assert not [line for line in lines if "<tel:" in line]
    for link in soup.select("a.crisis-line"):
        link.unwrap()
    assert html_lines(str(soup)) == lines
    own = '<p><a class="crisis-line" href="https://example.org/">911</a></p>'
    assert html_lines(own) == ["<https://example.org/> 911"]


def test_a_crisis_number_is_one_that_stands_alone() -> None:
    """911 and 988 at a text's start or after a space or bracket; not inside another number,
    word, address or version, nor in the lines' own names."""
    from article_markup.crisis_lines import CRISIS_LINES

    text = (
        "911 first. (988) or 911, then 1911, x988, 2-911, a/988, v.911, _988, 9110, 988-1, 911.5, "
        "911/1, the 988 Suicide line, la Línea 988 de Prevención, Línea 911"
    )
    found = [(match.start(), match.group(1)) for match in CRISIS_LINES.finditer(text)]
    assert found == [(0, "911"), (12, "988"), (20, "911")]


@pytest.mark.parametrize(
    ("sentence", "href"),
    [
        # the message opens with the word that reaches the Spanish line already written
        ("O envíe la palabra AYUDA por mensaje de texto al 988.", "sms:988?&body=AYUDA"),
        ("Send the word HELP in a text message to 988.", "sms:988"),
        ("Llame o envíe un mensaje de texto al 988.", "tel:988"),  # calling comes first
        ("Call or text 988.", "tel:988"),
        (
            "Llame al 988 y marque 2. O envíe AYUDA por mensaje de texto al 988.",
            "sms:988?&body=AYUDA",
        ),
        ("Text to 911 is not everywhere: call 911.", "tel:911"),
        ("Call or text 988. The 988 Suicide and Crisis Lifeline is open.", "tel:988"),
        ("Llame al 988. La Línea 988 de Prevención del Suicidio y Crisis atiende.", "tel:988"),
    ],
)
def test_988_to_text_opens_a_text_message(sentence: str, href: str) -> None:
    """Tapping the number in "text AYUDA to 988" opens a text, not a call; a sentence that
    says to call (too) keeps the call. The text a review approves does not change."""
    from reviewed_text import html_lines

    soup, _ = render(f'!!! care-emergency "Help"\n    - {sentence}\n')
    assert soup.select("a.crisis-line")[-1]["href"] == href
    assert len(soup.select("a.crisis-line")) == sentence.count("988") + sentence.count("911") - (
        "Lifeline" in sentence or "Línea 988" in sentence
    )  # the number in the line's own name is not a second link
    lines = html_lines(str(soup))
    for link in soup.select("a.crisis-line"):
        link.unwrap()
    assert html_lines(str(soup)) == lines


def test_card_heading_is_one_below_the_heading_it_sits_under() -> None:
    soup, _ = render("## A\n\n### B\n\n" + EMERGENCY + "\n" + EMERGENCY)
    assert [h.name for h in soup.select(".care-card__heading")] == ["h4", "h4"]
    alone, _ = render(EMERGENCY)
    assert alone.select_one(".care-card__heading").name == "h2"  # under the page's h1


def test_every_kind_has_its_class_and_context() -> None:
    for kind, css, context in [
        ("care-non-urgent", "care-card--non-urgent", "Non-urgent advice: "),
        ("care-urgent", "care-card--urgent", "Urgent advice: "),
        ("info", "callout--info", "Important: "),
        ("warning", "callout--warning", "Warning: "),
        ("note", "callout--info", "Important: "),
    ]:
        soup, _ = render(EMERGENCY.replace("care-emergency", kind))
        assert soup.select_one(f".{css}"), kind
        assert soup.select_one(".visually-hidden").get_text() == context, kind


def test_nested_admonitions_are_both_converted() -> None:
    source = '!!! care-emergency "Outer"\n    !!! info "Inner"\n        - inside\n'
    soup, _ = render(source)
    assert len(soup.select(".care-card--emergency")) == 1
    inner = soup.select_one(".care-card--emergency .callout--info")
    assert inner is not None and inner.select_one("h3.callout__heading")


def test_footnotes_become_references_with_links() -> None:
    soup, _ = render("Text.[^a]\n\n" + REFERENCE)
    section = soup.select_one("section.references[data-pagefind-ignore]")
    assert section.select_one("h2#references.references__heading").get_text() == "References"
    links = [a["href"] for a in section.select("ol.references__list a:not(.footnote-backref)")]
    assert links == ["https://doi.org/10.1097/AAP.808", "https://example.org/a?b=1&c=2"]
    backref = section.select_one("a.footnote-backref")
    assert backref["aria-label"] and not backref.get("title")
    assert not soup.select("div.footnote")


def test_reference_marks_are_kept_out_of_search() -> None:
    soup, _ = render("Short-lived.[^a]\n\n" + REFERENCE)
    assert soup.select_one("sup[data-pagefind-ignore] a.footnote-ref")


def test_references_heading_id_does_not_clash() -> None:
    soup, _ = render("## References\n\nText.[^a]\n\n" + REFERENCE)
    assert soup.select_one("h2:not(.references__heading)")["id"] == "references"
    assert soup.select_one("section.references h2")["id"] == "references-1"


def test_reading_time_rounds_up_and_ignores_references() -> None:
    assert render("word " * 200)[1]["reading_time"] == 1
    assert render("word " * 201)[1]["reading_time"] == 2
    long_reference = REFERENCE.replace("Title", "word " * 500)
    assert render("hi.[^a]\n\n" + long_reference)[1]["reading_time"] == 1


def test_contents_list_the_sections_and_show_from_the_setting() -> None:
    source = "## First part\n\n### Sub\n\n" + EMERGENCY + "\nText.[^a]\n\n" + REFERENCE
    _, facts = render(source)
    assert facts["toc_items"] == [{"id": "first-part", "text": "First part"}]
    assert facts["show_toc"] is False
    _, facts = render("\n\n".join(f"## Part {n}" for n in range(4)))
    assert facts["show_toc"] is True
    _, facts = render("\n\n".join(f"## Part {n}" for n in range(4)), toc_min_sections=5)
    assert facts["show_toc"] is False


TWO_REFERENCES = (
    "First.[^b] Both.[^a][^b]\n\n"
    "[^a]: Author A. Title A. 2018. doi:10.1/a\n"
    "[^b]: Author B. Title B. 2019. doi:10.1/b\n"
)


def test_reference_numbers_follow_the_first_citation() -> None:
    """[^b] is cited first, so it is reference 1 even though [^a] is defined first."""
    soup, _ = render(TWO_REFERENCES)
    marks = [(a.get_text(), a["href"]) for a in soup.select("a.footnote-ref")]
    assert marks == [("1", "#fn:b"), ("1", "#fn:b"), ("2", "#fn:a")]  # "Both" reads 1,2
    items = soup.select("ol.references__list > li")
    assert [li["id"] for li in items] == ["fn:b", "fn:a"]


def test_marks_side_by_side_are_separated_named_and_in_number_order() -> None:
    """[^a][^b] reads "1,2" (b is reference 1), not "2,1" nor "21"; each mark keeps its link
    and the text after the marks stays after them."""
    soup, _ = render(TWO_REFERENCES.replace("Both.[^a][^b]", "Both.[^a][^b] After."))
    paragraph = soup.select("p")[0]
    side_by_side = paragraph.select("sup")[1:]
    assert [mark.get_text() for mark in side_by_side] == ["1", ",2"]
    assert [mark.a["href"] for mark in side_by_side] == ["#fn:b", "#fn:a"]
    assert paragraph.get_text() == "First.1 Both.1,2 After."
    separator = side_by_side[1].select_one(".reference-mark__separator")
    assert separator["aria-hidden"] == "true"
    assert [a["aria-label"] for a in soup.select("a.footnote-ref")] == [
        "Reference 1",
        "Reference 1",
        "Reference 2",
    ]


def test_each_back_link_has_its_own_name() -> None:
    soup, _ = render(TWO_REFERENCES)
    names = [a["aria-label"] for a in soup.select("a.footnote-backref")]
    assert names == [
        "Back to citation 1 of 2 of reference 1",
        "Back to citation 2 of 2 of reference 1",
        "Back to text for reference 2",
    ]
    assert len(set(names)) == len(names)


def test_each_reference_ends_with_one_labelled_way_back_not_bare_arrows() -> None:
    soup, _ = render(TWO_REFERENCES)
    backs = soup.select("ol.references__list li .references__back")
    assert [
        len(item.select(".references__back")) for item in soup.select("ol.references__list li")
    ] == [1, 1]
    # Read as a sighted reader reads it (the arrow is decoration).
    shown = [" ".join(back.get_text(" ").split()) for back in backs]
    assert shown == ["\u21a9\ufe0e Back to text: 1 , 2", "\u21a9\ufe0e Back to text"]
    # Each number kept with its comma (a line never starts with ", 2").
    assert [item.get_text() for item in backs[0].select(".references__back-item")] == ["1,", "2"]
    for link in soup.select("a.footnote-backref"):  # the visible words are in the spoken name
        assert link.get_text() in link["aria-label"]


GLOSSARY = """Title: Glossary
Slug: glossary
Summary: Words.

## Anesthetic {#anesthetic}

Also called: anesthesia, general anesthetic

A medicine that puts you to sleep for surgery.

## Off-label {#off-label}

Using a medicine for something it is not approved for.
"""


def render_with_glossary(tmp_path: Any, source: str) -> tuple[BeautifulSoup, dict]:
    (tmp_path / "pages").mkdir(exist_ok=True)
    (tmp_path / "pages" / "glossary.md").write_text(GLOSSARY, encoding="utf-8")
    return render(source, glossaries={"en": "pages/glossary.md"}, content_path=str(tmp_path))


def test_the_first_use_of_a_term_links_to_its_entry(tmp_path: Any) -> None:
    source = (
        "## Anesthetic basics\n\n"
        "An [anesthetic](https://example.org) link. General anesthesia is an anesthetic. "
        "An anesthetic again, and off-label use.\n"
    )
    soup, facts = render_with_glossary(tmp_path, source)
    links = soup.select("a.glossary-link")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("anesthesia", "{filename}/pages/glossary.md#anesthetic"),
        ("off-label", "{filename}/pages/glossary.md#off-label"),
    ]
    assert not soup.select("h2 a")  # headings and existing links are left alone
    assert facts["glossary_terms"] == ["anesthetic", "off-label"]


def test_the_glossary_page_marks_up_its_entries(tmp_path: Any) -> None:
    soup, facts = render_with_glossary(tmp_path, GLOSSARY)
    entries = soup.select("section.glossary-entry")
    assert [entry["aria-labelledby"] for entry in entries] == ["anesthetic", "off-label"]
    assert entries[0].select_one("h2#anesthetic dfn").get_text() == "Anesthetic"
    synonyms = entries[0].select_one(".glossary-entry__synonyms")
    assert "general anesthetic" in synonyms.get_text()
    assert not soup.select("a.glossary-link") and facts["glossary_terms"] == []


@pytest.mark.parametrize("source", ["pages/glossary.md", "pages/es/glossary.md"])
def test_the_glossary_pattern_finds_what_a_plain_alternation_finds(source: str) -> None:
    """The terms as a trie match exactly what every term as its own alternative did, longest
    first: each term alone, inside longer words (no match), glued by hyphens, and prefixes."""
    import re

    from article_markup.glossary import load_glossary

    glossary = load_glossary(PROJECT_ROOT / "content", source)
    assert glossary is not None and len(glossary.terms) > 50
    words = sorted(glossary.terms, key=len, reverse=True)
    flat = re.compile(
        r"(?<![\w-])(?:" + "|".join(map(re.escape, words)) + r")(?![\w-])", re.IGNORECASE
    )
    pieces: list[str] = []
    for term in words:
        pieces += [term, term.upper(), f"x{term}", f"{term}s", f"{term}-x", term[: len(term) // 2]]
    text = " ".join(pieces) + ". " + ", ".join(words) + " — " + "/".join(words)
    spans = [match.span() for match in flat.finditer(text)]
    assert len(spans) > 2 * len(words)
    assert [match.span() for match in glossary.pattern().finditer(text)] == spans


def test_a_clinic_rule_comes_from_the_setting() -> None:
    rules = {"after_treatment": {"heading": "Our advice", "text": ["Rest today."]}}
    soup, _ = render('## After\n\n!!! clinic-rule "after_treatment"\n', clinic_rules={"en": rules})
    box = soup.select_one(".callout--info")
    assert box.select_one("h3.callout__heading").get_text() == "Important: Our advice"
    assert box.select_one(".callout__content p").get_text() == "Rest today."


def test_an_unknown_clinic_rule_names_it_and_the_setting() -> None:
    setting = re.escape("LANGUAGES['en']['clinic_rules']")
    with pytest.raises(ValueError, match=rf'clinic-rule "driving" is not in {setting}'):
        render('!!! clinic-rule "driving"\n', clinic_rules={"en": {"after_treatment": {}}})


# --- Key points and figures (issue 22) ----------------------------------------------------

KEY_POINTS = '!!! key-points "Key points"\n    - The *main* message & more.\n    - Second.\n'


def test_the_key_points_box_leaves_the_body_as_data() -> None:
    soup, facts = render(KEY_POINTS + "\nIntro.\n\n## A\n\nText.\n")
    assert not soup.select(".admonition, .callout, .key-points")
    assert soup.get_text().split() == ["Intro.", "A", "Text."]
    assert facts["key_points"] == {
        "title": "Key points",
        "points": ["The <em>main</em> message &amp; more.", "Second."],
        "first": True,
        "lists": 1,
    }


def test_key_points_written_later_are_recorded_as_not_first() -> None:
    _, facts = render("Intro.\n\n" + KEY_POINTS.replace("Key points", "Puntos clave"))
    assert facts["key_points"]["first"] is False
    assert facts["key_points"]["title"] == "Puntos clave"
    _, none = render("Intro.\n")
    assert "key_points" not in none


def test_a_second_key_points_box_stays_in_the_body_as_a_callout() -> None:
    # An admonition left bare would be refused by the allow-list (class "admonition").
    soup, facts = render(KEY_POINTS + "\nIntro.\n\n" + KEY_POINTS.replace("Second", "Again"))
    assert facts["key_points"]["points"][1] == "Second."
    assert not soup.select(".admonition")
    (callout,) = soup.select(".callout--info")
    assert "Again." in callout.select_one(".callout__content").get_text()


def test_only_an_image_with_a_title_alone_in_its_paragraph_becomes_a_figure(tmp_path: Any) -> None:
    folder = tmp_path / "images" / "figures"
    folder.mkdir(parents=True)
    (folder / "a.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="320px" height="180" viewBox="0 0 1 1"/>'
    )
    source = (
        '![What it shows]({static}/images/figures/a.svg "The caption")\n\n'
        '![No title]({static}/images/figures/a.svg)\n\nText ![inline](/b.png "t") here.\n'
    )
    soup, facts = render(source, content_path=str(tmp_path))
    [figure] = soup.select("figure.figure")
    image = figure.select_one("img")
    assert (image["width"], image["height"], image["loading"]) == ("320", "180", "lazy")
    assert figure.select_one("figcaption").get_text() == "The caption"
    assert facts["figures"] == [
        {"src": "{static}/images/figures/a.svg", "alt": "What it shows", "caption": "The caption"}
    ]
    assert len(soup.select("p > img")) == 2  # the others stay images


def test_svg_size_reads_the_view_box_when_there_is_no_size(tmp_path: Any) -> None:
    from article_markup.figures import svg_size

    svg = tmp_path / "a.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 400.4"/>')
    assert svg_size(svg) == (640, 400)
    svg.write_text("<svg")
    assert svg_size(svg) is None
    assert svg_size(tmp_path / "missing.svg") is None


def test_the_reviewed_lines_list_marks_side_by_side_by_name() -> None:
    """A citation added earlier in a guide renumbers the references, and so reorders marks side
    by side elsewhere ("1,2" becomes "2,3" or "3,2" shown in number order): the lines a review
    approves stay the same, since the same sources are cited at the same place."""
    from reviewed_text import html_lines

    def mark(name: str, number: int) -> str:
        return f'<sup><a class="footnote-ref" href="#fn:{name}">{number}</a></sup>'

    before = f"<p>Relief is short.{mark('b', 1)}{mark('a', 2)} Ask first.{mark('c', 3)}</p>"
    after = f"<p>Relief is short.{mark('a', 1)}{mark('b', 2)} Ask first.{mark('c', 3)}</p>"
    assert html_lines(before) == html_lines(after) == ["Relief is short.[^a][^b] Ask first.[^c]"]
    apart = f"<p>One.{mark('b', 1)} Two.{mark('a', 2)}</p>"  # not side by side: as written
    assert html_lines(apart) == ["One.[^b] Two.[^a]"]


def test_words_in_another_language_say_so_to_a_screen_reader() -> None:
    """``[words]{lang=en}`` becomes a span with the language (the words converted as usual);
    a mark the site cannot read stays as typed; the reviewed text is the words alone."""
    from reviewed_text import html_lines

    source = (
        "Un texto.[^a] Y [no es]{lang=english} una marca.\n\n"
        "[^a]: Bell RF. [Ketamine for *pain* management]{lang=en} (en inglés). 2018.\n"
    )
    soup, _ = render(source)
    [span] = soup.select("span[lang]")
    assert (
        span["lang"] == "en"
        and str(span) == '<span lang="en">Ketamine for <em>pain</em> management</span>'
    )
    assert span.find_parent("section", class_="references") is not None
    assert "[no es]{lang=english}" in soup.p.get_text()
    plain, _ = render(
        source.replace(
            "[Ketamine for *pain* management]{lang=en}", "Ketamine for *pain* management"
        )
    )
    assert html_lines(str(soup)) == html_lines(str(plain))
