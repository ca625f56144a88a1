"""Findability: JSON-LD, head metadata, sitemap, robots.txt and feeds of the production build,
plus the seo plugin's pure builders with small fake objects."""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import PROJECT_ROOT, BuiltSite
from related import RelatedIndex, category_neighbours, related_by_tags
from seo import (
    build_breadcrumbs,
    build_clinic,
    build_medical_webpage,
    build_website,
    citation_nodes,
)
from seo.seo import dump_jsonld
from seo.settings import DEFAULT_DRUG
from sitemap_xml import render_robots

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?)?$")
URL_KEYS = {"url", "item", "@id", "urlTemplate"}
DATE_KEYS = {"datePublished", "dateModified", "lastReviewed"}
OPEN_GRAPH = (
    "og:type",
    "og:title",
    "og:description",
    "og:url",
    "og:image",
    "og:site_name",
    "og:locale",
)


# --- Helpers -----------------------------------------------------------------------------------


def jsonld_nodes(site: BuiltSite, path: str) -> list[dict[str, Any]]:
    """Every JSON-LD node of a page (each script parsed as JSON, @graph flattened)."""
    nodes = []
    for script in site.soup(path).find_all("script", type="application/ld+json"):
        document = json.loads(script.string)
        assert document["@context"] == "https://schema.org"
        nodes += document.get("@graph", [document])
    return nodes


def nodes_of(site: BuiltSite, path: str, kind: str) -> list[dict[str, Any]]:
    return [node for node in jsonld_nodes(site, path) if node["@type"] == kind]


def walk(value: Any, key: str = "") -> list[tuple[str, Any]]:
    """Every (key, value) pair in nested JSON."""
    pairs = []
    if isinstance(value, dict):
        for name, item in value.items():
            pairs += walk(item, name)
    elif isinstance(value, list):
        for item in value:
            pairs += walk(item, key)
    else:
        pairs.append((key, value))
    return pairs


def page_text(site: BuiltSite, path: str) -> str:
    return " ".join(site.soup(path).get_text(" ").split())


def source_slugs(folder: str) -> set[str]:
    """Slugs of the published Markdown files in content/<folder>."""
    slugs = set()
    for file in (PROJECT_ROOT / "content" / folder).glob("*.md"):
        head = file.read_text(encoding="utf-8").split("\n\n", 1)[0]
        pairs = (line.partition(":") for line in head.splitlines())
        meta = {key.strip().lower(): value.strip() for key, _, value in pairs}
        if meta.get("status", "published") == "published":
            slugs.add(meta.get("slug") or file.stem)
    return slugs


def meta_content(site: BuiltSite, path: str, **attrs: str) -> list[str]:
    return [tag.get("content", "") for tag in site.soup(path).find_all("meta", attrs=attrs)]


# --- JSON-LD on the built site -----------------------------------------------------------------


def test_every_pages_jsonld_parses_with_absolute_urls_and_iso_dates(site: BuiltSite) -> None:
    for path in site.page_paths():
        for key, value in walk(jsonld_nodes(site, path)):
            if key in URL_KEYS:
                assert str(value).startswith(site.url + "/") or str(value).startswith("https://"), (
                    path,
                    key,
                    value,
                )
            if key in DATE_KEYS:
                assert ISO_DATE.match(str(value)), (path, key, value)


def test_every_article_is_a_medical_web_page_with_what_the_page_shows(site: BuiltSite) -> None:
    assert len(site.article_paths()) >= 4
    for path in site.article_paths():
        (node,) = nodes_of(site, path, "MedicalWebPage")
        soup = site.soup(path)
        assert node["url"] == site.url + path
        assert node["name"] == soup.find("h1").get_text(" ", strip=True).replace("\xa0", " ")
        assert node["description"] == meta_content(site, path, name="description")[0]
        assert node["medicalAudience"]["audienceType"] == "Patient"
        assert node["publisher"]["@type"] == "MedicalClinic"
        assert node["publisher"]["name"] in page_text(site, path)
        assert node["datePublished"] and node["dateModified"]
        # The writer from AUTHORS, as the byline shows it (a team is an Organization).
        assert node["author"]["@type"] in {"Organization", "Person"}
        byline = soup.select_one(".article-header__byline").get_text(" ", strip=True)
        assert node["author"]["name"] in byline.replace("\xa0", " ")
        drug = node["about"]
        assert drug["@type"] == "Drug" and drug["nonProprietaryName"] == "ketamine"
        citations = node["citation"]
        references = soup.select("div.footnote li, .references ol > li")
        assert len(citations) == len(references) > 0
        assert all(c["@type"] == "CreativeWork" and c["name"] for c in citations)
        # Each citation is the reference as the page shows it (from the article's record, not
        # from this HTML): its text without the way back, and its first web address.
        for citation, shown in zip(citations, references, strict=True):
            item = copy.copy(shown)  # the site's soup is shared: change a copy
            for back in item.select(".references__back, .footnote-backref"):
                back.decompose()
            assert citation["name"] == " ".join(item.get_text(" ").split()), path
            links = [a["href"] for a in item.find_all("a") if a["href"].startswith("http")]
            assert citation.get("url") == (links[0] if links else citation.get("url")), path


def test_drug_facts_are_only_those_the_article_states(site: BuiltSite) -> None:
    for path in site.article_paths():
        (node,) = nodes_of(site, path, "MedicalWebPage")
        text = page_text(site, path)
        drug = node["about"]
        if "legalStatus" in drug:
            assert "Schedule III" in text, path
        if "drugClass" in drug:
            assert "anesthetic" in text.lower(), path
        if "description" in drug:
            assert "off-label" in text, path
    (overview,) = nodes_of(site, "/articles/ketamine-for-chronic-pain/", "MedicalWebPage")
    assert overview["about"]["legalStatus"]["name"] == "Schedule III controlled substance"


def test_no_reviewer_in_jsonld_where_the_page_shows_none(site: BuiltSite) -> None:
    for path in site.article_paths():
        (node,) = nodes_of(site, path, "MedicalWebPage")
        text = page_text(site, path)
        if "reviewedBy" in node:
            assert node["reviewedBy"]["name"] in text, path
            assert node["lastReviewed"], path
        else:
            assert "lastReviewed" not in node, path


def test_clinic_on_home_about_and_booking_pages_with_each_office(site: BuiltSite) -> None:
    for path in ("/", "/about/", "/book-a-consultation/"):
        (clinic,) = nodes_of(site, path, "MedicalClinic")
        addresses = clinic["address"]
        assert len(addresses) >= 1
        for address in addresses:
            assert address["@type"] == "PostalAddress"
            assert address["streetAddress"] and address["telephone"]
    text = page_text(site, "/book-a-consultation/")
    for address in nodes_of(site, "/book-a-consultation/", "MedicalClinic")[0]["address"]:
        assert address["streetAddress"] in text and address["telephone"] in text


@pytest.mark.parametrize("path", ["/", "/about/"])
def test_clinic_addresses_are_visible_where_they_are_marked_up(site: BuiltSite, path: str) -> None:
    text = page_text(site, path)
    for address in nodes_of(site, path, "MedicalClinic")[0]["address"]:
        assert address["telephone"] in text
        assert address["streetAddress"] in text, f"{path} does not show {address['name']}'s address"


HOMES = {"/": "en", "/es/": "es"}  # each language's home page


def language_home(path: str) -> str:
    """The home page of the language a page is in ("/es/articles/x/" -> "/es/")."""
    return "/es/" if path.startswith("/es/") else "/"


def test_website_on_each_home_page_only(site: BuiltSite) -> None:
    for home, language in HOMES.items():
        (website,) = nodes_of(site, home, "WebSite")
        assert website["url"] == site.url + "/"
        assert website["inLanguage"] == language
        assert website["potentialAction"]["target"]["urlTemplate"].startswith(site.url + "/search/")
    for path in site.page_paths():
        if path not in HOMES:
            assert not nodes_of(site, path, "WebSite"), path


def test_every_page_below_home_has_breadcrumbs_ending_at_itself(site: BuiltSite) -> None:
    for path in site.page_paths():
        if path in HOMES or path.endswith("404.html"):
            continue
        (crumbs,) = nodes_of(site, path, "BreadcrumbList")
        items = crumbs["itemListElement"]
        assert items[0]["item"] == site.url + language_home(path)
        assert items[-1]["item"] == site.url + path
        assert [item["position"] for item in items] == list(range(1, len(items) + 1))


# --- Head metadata -----------------------------------------------------------------------------


def test_every_page_has_a_unique_title(site: BuiltSite) -> None:
    titles: dict[str, str] = {}
    for path in site.page_paths():
        title = site.soup(path).title.get_text(strip=True)
        assert title, path
        assert title not in titles, f"{path} and {titles.get(title)} share the title {title!r}"
        titles[title] = path


def test_every_page_has_one_description_a_canonical_url_and_link_preview_tags(
    site: BuiltSite,
) -> None:
    for path in site.page_paths():
        soup = site.soup(path)
        descriptions = meta_content(site, path, name="description")
        assert len(descriptions) == 1 and descriptions[0].strip(), path
        canonical = soup.find_all("link", rel="canonical")
        if path.endswith("404.html"):
            assert not canonical
            assert meta_content(site, path, name="robots") == ["noindex"]
            continue
        assert [link["href"] for link in canonical] == [site.url + path]
        for name in OPEN_GRAPH:
            values = meta_content(site, path, property=name)
            assert len(values) == 1 and values[0], (path, name)
        assert meta_content(site, path, property="og:url") == [site.url + path]
        assert meta_content(site, path, name="twitter:card") == ["summary_large_image"]
        assert not meta_content(site, path, name="robots"), path


def test_article_descriptions_are_their_summaries(site: BuiltSite) -> None:
    for path in site.article_paths():
        description = meta_content(site, path, name="description")[0]
        source = (PROJECT_ROOT / "content" / "articles" / f"{path.split('/')[2]}.md").read_text(
            encoding="utf-8"
        )
        summary = re.search(r"^Summary:\s*(.+)$", source, re.MULTILINE).group(1)
        assert description == summary


def test_share_image_is_a_small_1200_by_630_png(site: BuiltSite) -> None:
    from PIL import Image

    image_url = meta_content(site, "/", property="og:image")[0]
    file = site.path / image_url.removeprefix(site.url + "/")
    with Image.open(file) as image:
        assert image.format == "PNG" and image.size == (1200, 630)
    assert file.stat().st_size < 50_000


def test_every_page_links_the_feeds(site: BuiltSite) -> None:
    for path in site.page_paths():
        feeds = [
            link["href"]
            for link in site.soup(path).find_all("link", rel="alternate")
            if link.get("type") == "application/atom+xml"
        ]
        # Each language's pages link that language's feed (once it has an article).
        feed = "/feeds/all-es.atom.xml" if path.startswith("/es/") else "/feeds/all.atom.xml"
        assert (site.url + feed in feeds) == site.file_for(feed).exists(), path
        for href in feeds:
            assert site.file_for(href.removeprefix(site.url)).exists(), href
    article_feeds = site.soup(site.article_paths()[0]).find_all("link", rel="alternate")
    assert any(link["href"].endswith("/feeds/ketamine.atom.xml") for link in article_feeds)


# --- Sitemap, robots.txt, feeds ----------------------------------------------------------------


def test_sitemap_lists_the_home_page_and_exactly_the_published_articles_and_pages(
    site: BuiltSite,
) -> None:
    tree = ET.parse(site.path / "sitemap.xml")
    entries = {
        url.find(f"{SITEMAP_NS}loc").text: url.find(f"{SITEMAP_NS}lastmod")
        for url in tree.getroot().iter(f"{SITEMAP_NS}url")
    }
    expected = {site.url + home for home in HOMES}
    articles = set()
    # Each language's sources sit in their own folder ("articles/es") and publish under its home.
    for home, language in HOMES.items():
        folder = "" if language == "en" else f"/{language}"
        articles |= {
            f"{site.url}{home}articles/{slug}/" for slug in source_slugs(f"articles{folder}")
        }
        expected |= {f"{site.url}{home}{slug}/" for slug in source_slugs(f"pages{folder}")}
    expected |= articles
    assert set(entries) == expected
    for article in articles:
        lastmod = entries[article]
        assert lastmod is not None and ISO_DATE.match(lastmod.text), article


def test_robots_txt_points_to_the_sitemap(site: BuiltSite) -> None:
    robots = (site.path / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {site.url}/sitemap.xml" in robots.splitlines()
    assert robots.count("Sitemap:") == 1


# Each feed and the homes of the languages whose articles it carries: the "all" feed has every
# language, each translation feed one language, and the category feed the site's default
# language (Pelican files translations under their own language, not under a category).
FEED_LANGUAGES = {
    "feeds/all.atom.xml": ("/", "/es/"),
    "feeds/all-en.atom.xml": ("/",),
    "feeds/all-es.atom.xml": ("/es/",),
    "feeds/ketamine.atom.xml": ("/",),
}


@pytest.mark.parametrize("feed", FEED_LANGUAGES)
def test_feed_entries_have_ids_absolute_links_dates_and_full_content(
    site: BuiltSite, feed: str
) -> None:
    root = ET.parse(site.path / feed).getroot()
    entries = root.findall(f"{ATOM}entry")
    expected = {
        site.url + path
        for path in site.page_paths()
        if any(path.startswith(home + "articles/") for home in FEED_LANGUAGES[feed])
    }
    assert len(expected) >= 4
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert sorted(links) == sorted(expected)
    ids = set()
    for entry in entries:
        entry_id = entry.findtext(f"{ATOM}id")
        assert entry_id and entry_id.startswith("tag:") and entry_id not in ids
        ids.add(entry_id)
        link = entry.find(f"{ATOM}link").get("href")
        assert ISO_DATE.match(entry.findtext(f"{ATOM}updated") or "")
        content = entry.findtext(f"{ATOM}content") or ""
        assert len(content) > 2000, link
        assert 'href="/' not in content and 'src="/' not in content, "relative URL in feed"
        # The writer as the byline names it (AUTHORS), never the key or Pelican's default.
        author = entry.findtext(f"{ATOM}author/{ATOM}name") or ""
        assert author in {"Westside Pain Specialists editorial team",
                          "Equipo editorial de Westside Pain Specialists"}, link  # fmt: skip


def test_feeds_carry_the_newest_guides_up_to_the_production_limit(
    build_small_site: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pelican.settings import read_settings

    monkeypatch.setenv("SITEURL", "https://clinic.example")
    limit = read_settings(str(PROJECT_ROOT / "publishconf.py"))["FEED_MAX_ITEMS"]
    assert isinstance(limit, int) and 10 <= limit <= 50, limit
    count = limit + 5
    files = {
        f"articles/guide-{number}.md": (
            f"Title: Guide {number}\nDate: 2025-01-01 {number // 60:02d}:{number % 60:02d}\n"
            "Category: Ketamine\nSummary: A short summary.\n\nSome text.\n"
        )
        for number in range(count)
    }
    built = build_small_site(
        files,
        {"FEED_ALL_ATOM": "feeds/all.atom.xml", "FEED_DOMAIN": "https://clinic.example",
         "FEED_MAX_ITEMS": limit},
    )  # fmt: skip
    root = ET.parse(built.output / "feeds/all.atom.xml").getroot()
    titles = [
        (entry.findtext(f"{ATOM}title") or "").replace("\xa0", " ")  # typogrify's widont
        for entry in root.findall(f"{ATOM}entry")
    ]
    assert titles == [f"Guide {number}" for number in range(count - 1, count - 1 - limit, -1)]


# --- Pure builders -----------------------------------------------------------------------------

SETTINGS = {
    "SITEURL": "https://clinic.example",
    "SITENAME": "Clinic",
    "SEARCH_URL": "search/",
    "SEO_DRUG": DEFAULT_DRUG,
    "CLINIC": {
        "name": "Clinic",
        "offices": [
            {
                "name": "North",
                "street": "1 A St",
                "locality": "Town",
                "region": "CA",
                "postal_code": "90000",
                "country": "US",
                "phone": "(555) 555-0101",
            },
        ],
    },
}


def record_of(markdown: str, *, components: bool = True) -> Any:
    """The record the reader makes of a Markdown body (with the site's components, or with
    Python-Markdown's footnotes only)."""
    from article_markup import ArticleMarkupExtension
    from article_markup.record import RecordExtension, document_record
    from markdown import Markdown

    extensions: list[Any] = ["footnotes", RecordExtension()]
    if components:
        extensions.append(ArticleMarkupExtension())
    md = Markdown(extensions=extensions)
    md.convert(markdown)
    return document_record(md)


def fake_article(markdown: str, **metadata: Any) -> SimpleNamespace:
    """An article whose body is ``markdown``, read into its record as the reader does."""
    return SimpleNamespace(
        title="Ketamine <em>basics</em>",
        summary="<p>What it is.</p>",
        url="articles/basics/",
        date=dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
        content="<p>HTML the JSON-LD never reads.</p>",
        record=record_of(markdown),
        metadata={"reviewed_by": "", "last_reviewed": "", **metadata},
    )


def test_reviewer_only_from_a_review_the_history_records() -> None:
    from clinical_review import parse_review_dates, review_settings

    unreviewed = build_medical_webpage(fake_article("ketamine"), SETTINGS)
    assert "reviewedBy" not in unreviewed and "lastReviewed" not in unreviewed
    registry = review_settings({"REVIEWERS": {"jane-doe": {
        "name": "Jane Doe", "credentials": "MD", "role": "clinician",
        "title": "Pain medicine physician"}}})  # fmt: skip
    fields = {"reviewed_by": "jane-doe", "last_reviewed": "2026-02-01"}
    claimed = fake_article("ketamine", **fields)
    claimed.review_dates = parse_review_dates(fields, registry)  # fields, but no history
    assert "reviewedBy" not in build_medical_webpage(claimed, SETTINGS)
    article = fake_article("ketamine", **fields)
    history = ["", "2026-02-01 | jane-doe | First review"]
    article.review_dates = parse_review_dates({**fields, "review_history": history}, registry)
    reviewed = build_medical_webpage(article, SETTINGS)
    assert reviewed["reviewedBy"] == {
        "@type": "Person",
        "name": "Jane Doe",
        "honorificSuffix": "MD",
        "jobTitle": "Pain medicine physician",
    }
    assert reviewed["lastReviewed"] == "2026-02-01"
    assert reviewed["name"] == "Ketamine basics"
    assert reviewed["url"] == "https://clinic.example/articles/basics/"
    assert reviewed["dateModified"] == reviewed["datePublished"] == "2026-01-02T00:00:00+00:00"


def test_author_only_from_the_registry() -> None:
    from authors import author_registry

    assert "author" not in build_medical_webpage(fake_article("ketamine"), SETTINGS)
    registry = author_registry({
        "team": {"name": "Our editorial team"},
        "jane-doe": {"name": "Jane Doe", "kind": "person", "credentials": "RN", "role": "Nurse"},
    })  # fmt: skip
    article = fake_article("ketamine")
    article.writer = registry["team"]
    assert build_medical_webpage(article, SETTINGS)["author"] == {
        "@type": "Organization",
        "name": "Our editorial team",
    }
    article.writer = registry["jane-doe"]
    assert build_medical_webpage(article, SETTINGS)["author"] == {
        "@type": "Person",
        "name": "Jane Doe",
        "honorificSuffix": "RN",
        "jobTitle": "Nurse",
    }


def test_drug_facts_need_the_text_and_ignore_references_and_blocks() -> None:
    bare = build_medical_webpage(fake_article("Ketamine is a medicine."), SETTINGS)
    assert bare["about"] == {"@type": "Drug", "name": "Ketamine", "nonProprietaryName": "ketamine"}
    only_in_references = fake_article("Ketamine.[^a]\n\n[^a]: DEA: Schedule III.\n")
    # A block added after reading (the disclaimer) is not the article's text either.
    only_in_references.content += (
        "<aside data-disclaimer><p>Off-label use of an approved anesthetic.</p></aside>"
    )
    about = build_medical_webpage(only_in_references, SETTINGS)["about"]
    assert not {"legalStatus", "drugClass", "description"} & set(about)
    stated = build_medical_webpage(
        fake_article(
            "Ketamine is approved only as an anesthetic. Pain use is off-label. "
            "It is in Schedule III."
        ),
        SETTINGS,
    )["about"]
    assert {"drugClass", "legalStatus", "description"} <= set(stated)
    assert "about" not in build_medical_webpage(fake_article("Physiotherapy."), SETTINGS)


def test_no_record_no_citations_or_drug_facts() -> None:
    """A page another reader made has no record: its HTML is not parsed to make up for it."""
    article = fake_article("Ketamine.")
    article.record = None
    article.content = "<p>Ketamine is in Schedule III.</p>"
    node = build_medical_webpage(article, SETTINGS)
    assert "about" not in node and "citation" not in node


def test_a_second_build_from_the_reading_cache_writes_the_same_jsonld(
    build_small_site: Any, caplog: Any
) -> None:
    files = {
        "articles/guide.md": (
            "Title: Ketamine guide\nDate: 2025-01-01\nCategory: Ketamine\n"
            "Summary: A short summary.\n\nKetamine is approved only as an anesthetic. "
            "Pain use is off-label.[^a]\n\n[^a]: Smith J. A study. 2020. doi:10.1000/x\n"
        )
    }
    caplog.set_level("INFO", logger="reading.workers")
    first = build_small_site(files).soup("articles/guide/index.html")
    second = build_small_site(files).soup("articles/guide/index.html")
    scripts = [
        [json.loads(tag.string) for tag in soup.select('script[type="application/ld+json"]')]
        for soup in (first, second)
    ]
    assert scripts[0] == scripts[1]
    page = scripts[0][0]["@graph"][0]
    assert page["citation"] == [{
        "@type": "CreativeWork",
        "name": "Smith J. A study. 2020. doi:10.1000/x",
        "url": "https://doi.org/10.1000/x",
    }]  # fmt: skip
    assert "drugClass" in page["about"]
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("reading: ")]
    assert any("from the cache, 0 converted" in message for message in logged), logged


def test_references_come_from_the_record_footnotes_or_references_section() -> None:
    source = (
        "Text.[^a][^b][^c]\n\n"
        "[^a]: Smith J. Study. 2020. [https://doi.org/10.1/x](https://doi.org/10.1/x)\n"
        "[^b]: Jones K. Guide. 2021. https://example.org/guide.\n"
        "[^c]: Lee M. A book with no address. 2019.\n"
    )
    expected = [
        {
            "@type": "CreativeWork",
            "name": "Smith J. Study. 2020. https://doi.org/10.1/x",
            "url": "https://doi.org/10.1/x",
        },
        {
            "@type": "CreativeWork",
            "name": "Jones K. Guide. 2021. https://example.org/guide.",
            "url": "https://example.org/guide",
        },
        {"@type": "CreativeWork", "name": "Lee M. A book with no address. 2019."},
    ]
    # Python-Markdown's own footnotes, and the References section the site's components make
    # (the back links are never part of a reference's name). The components link the written
    # address; as in the page's text, a link's text and what follows are joined by a space.
    assert citation_nodes(record_of(source, components=False)) == expected
    expected[1]["name"] = "Jones K. Guide. 2021. https://example.org/guide ."
    assert citation_nodes(record_of(source)) == expected


def test_clinic_website_and_breadcrumbs_use_absolute_urls() -> None:
    clinic = build_clinic(SETTINGS)
    assert clinic["address"][0]["streetAddress"] == "1 A St"
    assert clinic["address"][0]["telephone"] == "(555) 555-0101"
    assert build_website(SETTINGS)["url"] == "https://clinic.example/"
    crumbs = build_breadcrumbs([("Home", ""), ("Topics", "topics/")], "https://clinic.example")
    assert [item["item"] for item in crumbs["itemListElement"]] == [
        "https://clinic.example/",
        "https://clinic.example/topics/",
    ]


def test_jsonld_cannot_close_its_script_element() -> None:
    text = str(dump_jsonld({"name": "</script><script>alert(1)</script> & more"}))
    assert "</" not in text and "<" not in text and "&" not in text
    assert json.loads(text)["name"].startswith("</script>")


def test_related_articles_share_tags_and_neighbours_follow_the_category() -> None:
    day = dt.datetime(2026, 1, 1)
    a = SimpleNamespace(title="A", url="a/", tags=["x", "y"], category="K", date=day)
    b = SimpleNamespace(title="B", url="b/", tags=["x", "y"], category="K", date=day)
    c = SimpleNamespace(title="C", url="c/", tags=["y"], category="K", date=day)
    d = SimpleNamespace(title="D", url="d/", tags=["z"], category="Other", date=day)
    articles = [d, c, b, a]
    assert related_by_tags(a, articles, limit=3) == [b, c]
    assert related_by_tags(a, articles, limit=1) == [b]
    assert category_neighbours(a, articles) == (None, b)
    assert category_neighbours(b, articles) == (a, c)
    assert category_neighbours(d, articles) == (None, None)


def test_robots_txt_names_the_sitemap_only_where_the_site_has_an_address() -> None:
    rules = ["User-agent: *", "Allow: /"]
    assert render_robots("", rules) == "User-agent: *\nAllow: /\n"
    assert render_robots("https://clinic.test", rules).endswith(
        "\nSitemap: https://clinic.test/sitemap.xml\n"
    )


def test_related_index_matches_comparing_every_pair() -> None:
    """The per-build index gives what comparing every article with every other one gives."""
    rng = random.Random(8)
    tags = ["x", "y", "z", "w", "v"]
    articles = [
        SimpleNamespace(
            title=f"T{rng.randrange(5)}",
            url=f"a{number}/",
            tags=rng.sample(tags, k=rng.randrange(4)),
            category=rng.choice(["K", "L"]),
            date=dt.datetime(2026, 1, rng.randrange(1, 4)),
        )
        for number in range(60)
    ]
    draft = SimpleNamespace(title="D", url="drafts/d/", tags=["x"], category="K", date=None)

    def brute_related(article: Any, limit: int) -> list[Any]:
        own = {tag.lower() for tag in article.tags}
        scored = [
            (len(own & {tag.lower() for tag in other.tags}), other)
            for other in articles
            if other is not article and other.url != article.url
        ]
        scored = [pair for pair in scored if pair[0]]
        scored.sort(key=lambda pair: pair[1].title.lower())
        scored.sort(key=lambda pair: (pair[0], pair[1].date), reverse=True)
        return [other for _, other in scored[:limit]]

    index = RelatedIndex(articles)
    for article in [*articles, draft]:
        for limit in (1, 3, 5):
            assert index.related(article, limit) == brute_related(article, limit)
    for category in ("K", "L"):
        order = sorted(
            (other for other in articles if other.category == category),
            key=lambda other: (other.date, other.title.lower()),
        )
        for position, article in enumerate(order):
            expected = (
                order[position - 1] if position else None,
                order[position + 1] if position + 1 < len(order) else None,
            )
            assert index.neighbours(article) == expected
    assert index.neighbours(draft) == (None, None)
