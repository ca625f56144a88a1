"""The theme's HTML over every page of the real production build, its byte budgets, and a few
small builds for what the real content does not show (drafts, reviewed articles, booking)."""

from __future__ import annotations

import gzip
import itertools
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup
from conftest import PROJECT_ROOT

FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])"
STYLESHEET_BUDGET = 10 * 1024
ARTICLE_BUDGET = 40 * 1024

ARTICLE = """Title: Test article
Slug: test-article
Date: 2026-01-05
Category: Ketamine
Tags: safety
Summary: A short summary.
Reviewed_by: {reviewed_by}
Last_reviewed: {last_reviewed}
Next_review:
{status}

## First

Some words.

!!! care-emergency "Call 911 if:"
    - you cannot breathe
"""


def gz(data: bytes) -> int:
    """Size in bytes after gzip at the highest level (what a server precompresses)."""
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def stylesheet_paths(soup: BeautifulSoup) -> list[str]:
    return [link["href"] for link in soup.select('link[rel="stylesheet"]')]


def local_path(site, href: str) -> str:
    return urlparse(href).path if href.startswith(site.url) else href


def test_every_page_has_one_main_and_one_h1(site) -> None:
    for path in site.page_paths():
        soup = site.soup(path)
        assert len(soup.find_all("main")) == 1, path
        assert len(soup.find_all("h1")) == 1, path


def test_headings_descend_without_gaps(site) -> None:
    for path in site.page_paths():
        levels = [int(h.name[1]) for h in site.soup(path).find_all(re.compile(r"^h[1-6]$"))]
        assert levels and levels[0] == 1, f"{path}: first heading is not the h1"
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, f"{path}: h{before} followed by h{after}"


def test_skip_link_is_the_first_focusable_element(site) -> None:
    for path in site.page_paths():
        soup = site.soup(path)
        first = soup.body.select_one(FOCUSABLE)
        assert first is not None and "skip-link" in first.get("class", []), path
        target = first["href"].lstrip("#")
        assert soup.find(id=target).name == "main", path


def test_no_request_to_another_origin(site) -> None:
    for path in site.page_paths():
        soup = site.soup(path)
        urls = [tag["src"] for tag in soup.select("[src]")]
        urls += [tag.get("srcset", "") for tag in soup.select("[srcset]")]
        urls += [
            link["href"]
            for link in soup.select("link[href]")
            if set(link.get("rel", [])) & {"stylesheet", "icon", "preload", "modulepreload"}
        ]
        for url in filter(None, urls):
            assert url.startswith((site.url + "/", "/")) or "://" not in url, f"{path}: {url}"


def test_the_stylesheet_is_at_most_10_kb_gzipped(site) -> None:
    hrefs = stylesheet_paths(site.soup("/"))
    assert len(hrefs) == 1, "one stylesheet"
    size = gz(site.file_for(local_path(site, hrefs[0])).read_bytes())
    print(f"stylesheet: {size} bytes gzipped")
    assert size <= STYLESHEET_BUDGET


def test_every_article_page_html_and_css_are_at_most_40_kb_gzipped(site) -> None:
    for path in site.article_paths():
        html = site.file_for(path).read_bytes()
        css = b"".join(
            site.file_for(local_path(site, href)).read_bytes()
            for href in stylesheet_paths(site.soup(path))
        )
        total = gz(html) + gz(css)
        print(f"{path}: HTML {gz(html)} + CSS {gz(css)} = {total} bytes gzipped")
        assert total <= ARTICLE_BUDGET, path


def test_navigation_marks_the_current_section(site) -> None:
    def current(path: str) -> list[str]:
        return [a.get_text() for a in site.soup(path).select(".site-nav [aria-current]")]

    assert current("/topics/") == ["Topics"]
    assert current(site.article_paths()[0]) == ["Topics"]
    assert current("/book-a-consultation/") == ["Book a consultation"]
    assert current("/search/") == ["Search"]
    assert current("/") == []


def test_footer_has_both_offices_and_the_policy_links(site) -> None:
    footer = site.soup("/").find("footer")
    assert len(footer.select('a[href^="tel:+1"]')) == 2
    hrefs = {urlparse(a["href"]).path for a in footer.select("a[href]")}
    for slug in ("medical-disclaimer", "editorial-policy", "privacy", "accessibility"):
        assert f"/{slug}/" in hrefs, slug


def test_a_guide_with_warning_signs_links_to_them_from_its_first_screen(site) -> None:
    """A reader who feels unwell reaches the first urgent or emergency card from the top, in
    their language; a guide without one has no such link."""
    linked = 0
    for path in site.article_paths() + [f"/es{path}" for path in site.article_paths()]:
        soup = site.soup(path)
        cards = soup.select(".prose .care-card--urgent, .prose .care-card--emergency")
        jump = soup.select_one(".article-header .warning-jump a")
        if not cards:
            assert jump is None, path
            continue
        assert jump is not None and jump["href"] == f"#{cards[0]['id']}", path
        spanish = soup.html["lang"].startswith("es")
        assert ("Ayuda urgente" if spanish else "Urgent help") in jump.get_text(), path
        linked += 1
    assert linked >= 8


def test_every_pages_footer_gives_911_and_988_as_numbers_to_tap(site) -> None:
    """A reader in crisis on a phone taps the number to call, or to text; in Spanish, the line
    says how to reach 988 in Spanish (press 2 on a call, text AYUDA)."""
    for path in site.page_paths():
        soup = site.soup(path)
        note = soup.select_one(".site-footer__note")
        # 988 twice: to call, and to text (a text message opens, not a call); in Spanish the
        # message opens with AYUDA, the word that reaches 988's Spanish line
        spanish = soup.html["lang"].startswith("es")
        text = "sms:988?&body=AYUDA" if spanish else "sms:988"
        assert [a["href"] for a in note.select("a")] == ["tel:911", "tel:988", text], path
        if spanish:
            assert "marque 2" in note.get_text() and "AYUDA" in note.get_text(), path
    for missing in ("/404.html", "/es/404.html"):  # the 404 page's own line, above the footer
        links = site.soup(missing).select("main a.crisis-line")
        assert [a["href"] for a in links] == ["tel:911"], missing


def test_the_home_page_claims_no_review_the_guides_have_not_had(site) -> None:
    lead = site.soup("/").select_one(".intro__lead").get_text()
    assert "checked" not in lead and "says whether a clinician has reviewed it" in lead


def test_articles_show_dates_reading_time_references_and_review_box(site) -> None:
    for path in site.article_paths():
        soup = site.soup(path)
        header = soup.select_one(".article-header")
        assert header.select("time[datetime]"), path
        assert re.search(r"\d+ minute read", header.get_text()), path
        assert soup.select_one("[data-pagefind-body] h2#references + ol.references__list"), path
        review = " ".join(soup.select_one(".review-dates").get_text().split())
        assert review.startswith(("Reviewed by ", "This page has not yet been reviewed"))


def test_articles_say_who_wrote_them_and_who_pays(site) -> None:
    for path in site.article_paths():
        soup = site.soup(path)
        byline = soup.select_one(".article-header .article-header__byline").get_text()
        team = {"en": "By Westside Pain Specialists editorial team",
                "es": "Por: Equipo editorial de Westside Pain Specialists"}  # fmt: skip
        assert byline.replace("\xa0", " ") == team[soup.html["lang"][:2]], path
        disclosure = soup.select_one("article .disclosure")
        assert "Westside Pain Specialists" in disclosure.get_text(), path
        assert urlparse(disclosure.select_one("a")["href"]).path.endswith("/editorial-policy/")
    for path in site.page_paths():
        footer = site.soup(path).select_one(".site-footer__copyright").get_text()
        assert re.fullmatch(r"© 20\d\d Westside Pain Specialists", footer.strip()), path


def test_care_cards_carry_hidden_context(site) -> None:
    cards = [card for path in site.article_paths() for card in site.soup(path).select(".care-card")]
    assert cards
    for card in cards:
        hidden = card.select_one(".care-card__heading .visually-hidden").get_text()
        assert hidden.endswith("advice: ")


def test_long_articles_have_a_table_of_contents(site) -> None:
    for path in site.article_paths():
        soup = site.soup(path)
        sections = soup.select("[data-pagefind-body] h2[id]:not([class])")
        toc = soup.select(".toc a")
        assert bool(toc) == (len(sections) >= 4), path
        assert [a["href"] for a in toc] == [f"#{h['id']}" for h in sections][: len(toc)]


def test_404_page_offers_search_and_topics(site) -> None:
    soup = site.soup("/404.html")
    form = soup.select_one("form[role=search]")
    assert urlparse(form["action"]).path == "/search/" and form["method"] == "get"
    assert form.select_one("input[name=q]")["id"] == form.select_one("label")["for"]
    assert soup.select('a[href*="/topics/"]')


def test_the_search_index_reads_only_bodies(site) -> None:
    for path in site.page_paths():
        # The body, and the key points box shown above it (part of what the page says).
        bodies = site.soup(path).select("[data-pagefind-body]:not(.key-points)")
        if path.startswith("/articles/"):
            assert len(bodies) == 1, path


# --- Small builds: drafts, a reviewed article, the booking template ---------------------


def test_a_draft_shows_a_draft_mark(build_small_site) -> None:
    text = ARTICLE.format(reviewed_by="", last_reviewed="", status="Status: draft")
    built = build_small_site({"articles/test-article.md": text})
    soup = built.soup("drafts/test-article/index.html")
    assert "Draft" in soup.select_one(".draft-mark").get_text()


def test_a_reviewed_article_shows_the_review_wording(build_small_site) -> None:
    text = ARTICLE.format(reviewed_by="test-reviewer", last_reviewed="2026-03-03", status="")
    text = text.replace("Next_review:\n", "Next_review:\nReview_history:\n"
                        "    2026-03-03 | test-reviewer | First review\n")  # fmt: skip
    reviewers = {"test-reviewer": {"name": "Jane Doe", "credentials": "MD", "role": "clinician"}}
    built = build_small_site({"articles/test-article.md": text}, {"REVIEWERS": reviewers})
    soup = built.soup("articles/test-article/index.html")
    review = " ".join(soup.select_one(".review-dates").get_text().split())
    assert review == "Reviewed by Jane Doe, MD on 3 March 2026; next review due 3 March 2028."
    assert not soup.select(".draft-mark")


def test_an_unreviewed_article_says_so(build_small_site) -> None:
    text = ARTICLE.format(reviewed_by="", last_reviewed="", status="")
    soup = build_small_site({"articles/test-article.md": text}).soup(
        "articles/test-article/index.html"
    )
    assert soup.select_one(".review-dates").get_text().strip() == (
        "This page has not yet been reviewed by a clinician."
    )


def test_booking_template_renders_the_clinic_details(build_small_site) -> None:
    page = "Title: Book a consultation\nSlug: book-a-consultation\nSummary: Book.\n"
    page += "Template: booking\nCta: off\n\n## How to book\n\nCall us.\n"
    built = build_small_site({"pages/book-a-consultation.md": page})
    soup = built.soup("book-a-consultation/index.html")
    clinic = built.settings["CLINIC"]
    section = soup.select_one(".booking")
    phones = [a["href"] for a in section.select("a.consult-cta__phone")]
    assert phones == [office["tel"] for office in clinic["offices"]]
    for office in clinic["offices"]:
        assert office["name"] in section.get_text() and office["street"] in section.get_text()
    assert section.select_one("a.consult-cta__book")["href"] == clinic["booking_url"]
    assert section.select_one("a.consult-cta__contact")["href"] == clinic["contact_url"]
    assert (
        soup.select_one("[data-pagefind-body] h2").get_text().replace("\xa0", " ") == "How to book"
    )


@pytest.mark.parametrize("runs", [2])
def test_markup_is_applied_once_in_two_builds(build_small_site, runs: int) -> None:
    text = ARTICLE.format(reviewed_by="", last_reviewed="", status="")
    for _ in range(runs):
        built = build_small_site({"articles/test-article.md": text})
    soup = built.soup("articles/test-article/index.html")
    assert len(soup.select(".care-card")) == 1
    assert len(soup.select(".care-card__heading .visually-hidden")) == 1


def test_the_templates_are_indented_as_djhtml_indents_them() -> None:
    """One formatter for the Jinja templates (djhtml): `djhtml theme/templates` fixes them."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("djhtml")), "--check", "theme/templates"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


# Classes the tests select by (no style of their own): a hook each, named here so that a new
# unstyled class is a decision, not an accident.
TEST_HOOKS = {
    "article-header", "article-header__title", "booking", "handout__link", "page",
    "search-fallback", "topic",
}  # fmt: skip


def test_every_class_in_a_template_is_styled_scripted_or_a_named_test_hook() -> None:
    """BEM names, each with a rule in the stylesheet (or used by the site's one script)."""
    css = "".join(path.read_text() for path in (PROJECT_ROOT / "theme").rglob("*.css"))
    styled = set(re.findall(r"\.([a-zA-Z][\w-]*)", re.sub(r"/\*.*?\*/", "", css, flags=re.S)))
    script = "".join(path.read_text() for path in (PROJECT_ROOT / "theme").rglob("*.js"))
    bem = re.compile(
        r"[a-z0-9]+(-[a-z0-9]+)*(__[a-z0-9]+(-[a-z0-9]+)*)?(--[a-z0-9]+(-[a-z0-9]+)*)?"
    )
    problems = []
    for template in (PROJECT_ROOT / "theme" / "templates").rglob("*.html"):
        for value in re.findall(r'class="([^"]*)"', template.read_text()):
            for name in re.sub(r"\{[{%].*?[%}]\}", " ", value).split():
                if not bem.fullmatch(name):
                    problems.append(f"{template.name}: {name} is not block__element--modifier")
                elif name not in styled | TEST_HOOKS and not re.search(rf"[.\"']{name}\b", script):
                    problems.append(f"{template.name}: .{name} has no rule in the stylesheet")
    assert not problems, "\n".join(sorted(set(problems)))


# --- Key points and figures (issue 22) ----------------------------------------------------

FIGURE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 360" role="img">'
    "<title>A day</title><text x='10' y='20'>Arrive</text></svg>"
)
KEY_POINTS_BODY = """
!!! key-points "Key points"
    - Ketamine may *ease* some pain for a short time.
    - It does not help everyone.
    - Ask your care team, and read [the glossary]({filename}/pages/glossary.md).

Some words first.

## First

![A timeline from arrival to the ride home]({static}/images/figures/day.svg "An infusion day")

## Second

## Third

## Fourth
"""


def key_points_site(build_small_site, lang: str = "") -> Any:
    text = ARTICLE.format(reviewed_by="", last_reviewed="", status=lang)
    text = text.replace("\n## First\n\nSome words.\n", KEY_POINTS_BODY)
    glossary = "Title: Glossary\nSlug: glossary\nSummary: Words.\n\n## Ketamine\n\nA medicine.\n"
    files = {
        "articles/test-article.md": text,
        "images/figures/day.svg": FIGURE_SVG,
        "pages/glossary.md": glossary,
    }
    return build_small_site(files)


def test_key_points_come_under_the_summary_before_the_contents(build_small_site) -> None:
    soup = key_points_site(build_small_site).soup("articles/test-article/index.html")
    box = soup.select_one("section.key-points[data-pagefind-body]")
    heading = box.select_one("h2.key-points__heading")
    assert box["aria-labelledby"] == heading["id"] and heading.get_text() == "Key points"
    points = [li.get_text().replace("\xa0", " ") for li in box.select("li")]
    assert points == [
        "Ketamine may ease some pain for a short time.",
        "It does not help everyone.",
        "Ask your care team, and read the glossary.",
    ]
    assert box.select_one("li a")["href"] == "/glossary/"
    assert box.select_one("li em").get_text() == "ease"
    # Taken out of the body, and placed after the header and before the contents list.
    assert not soup.select(".prose .key-points, .prose .admonition, .prose .callout")
    order = soup.select(".article-header, .key-points, .toc, .prose")
    assert [el["class"][0] for el in order] == ["article-header", "key-points", "toc", "prose"]


def test_an_image_with_a_title_becomes_a_sized_figure(build_small_site) -> None:
    soup = key_points_site(build_small_site).soup("articles/test-article/index.html")
    figure = soup.select_one(".prose figure.figure")
    image = figure.select_one("img")
    assert image["src"] == "/images/figures/day.svg" and image["loading"] == "lazy"
    assert (image["width"], image["height"]) == ("640", "360")
    assert image["alt"] == "A timeline from arrival to the ride home"
    assert not image.get("title")
    assert figure.select_one("figcaption").get_text() == "An infusion day"


def test_the_contents_list_is_a_closed_details_that_counts_its_sections(build_small_site) -> None:
    soup = key_points_site(build_small_site).soup("articles/test-article/index.html")
    details = soup.select_one("nav.toc details.toc__details")
    assert details is not None and not details.has_attr("open")  # no script needed, closed
    summary = " ".join(details.select_one("summary").get_text().split())
    assert summary == "Contents (4 sections)"
    assert len(details.select("ol.toc__list a")) == 4
    nav = soup.select_one("nav.toc")
    assert soup.select_one(f"#{nav['aria-labelledby']}").get_text() == "Contents"


def test_an_unknown_author_is_named_with_its_file_and_a_team_needs_no_credentials(
    build_small_site,
) -> None:
    from authors import AuthorSettingsError, author_registry

    text = ARTICLE.format(reviewed_by="", last_reviewed="", status="Author: nobody")
    built = build_small_site({"articles/test-article.md": text})
    assert any("test-article.md" in w and "Author: 'nobody'" in w for w in built.warnings)
    assert not built.soup("articles/test-article/index.html").select(".article-header__byline")
    with pytest.raises(AuthorSettingsError, match="credentials"):
        author_registry({"jane-doe": {"name": "Jane Doe", "kind": "person"}})
    team = author_registry({"team": {"name": "A team", "names": {"es": "Un equipo"}}})["team"]
    assert (team.kind, team.name_in("es"), team.name_in("en")) == ("team", "Un equipo", "A team")
    with pytest.raises(AuthorSettingsError, match="names"):
        author_registry({"team": {"name": "A team", "names": {"es": ""}}})


def test_production_refuses_the_example_author() -> None:
    from clinic import example_settings_values

    authors = {"example-author": {"name": "Example Author", "credentials": "RN (example)"}}
    found = example_settings_values({"CLINIC": {}, "AUTHORS": authors})
    assert any(where.startswith("AUTHORS['example-author']") for where, _ in found)
    team = {"editorial-team": {"name": "Westside Pain Specialists editorial team"}}
    assert not example_settings_values({"CLINIC": {}, "AUTHORS": team})
