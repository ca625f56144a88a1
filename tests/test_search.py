"""Site search (Pagefind) in Chromium against the production build served on 127.0.0.1.

Also records, in test-artifacts/search-bytes.json, how many bytes of Pagefind files the
browser fetches for a first search: the figure the issue asks for.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from assets.headers import content_security_policy
from bs4 import BeautifulSoup
from conftest import BuiltSite
from content_check.html_checks import axe_violations
from playwright.sync_api import Browser, BrowserContext, Page, Response, Route, expect
from search import UNUSED_PAGEFIND_FILES

SEARCH_PATH = "/search/"
RESULT_LINKS = ".search-results__list .search-results__link"
# The search page's own policy, as the build writes it into the headers (assets.headers).
SEARCH_PAGE_CSP = content_security_policy({}, search=True)


def search_for(page: Page, base_url: str, query: str) -> list[str]:
    """Type ``query`` into the search page; return the result links' paths, best first."""
    page.goto(base_url + SEARCH_PATH)
    page.get_by_label("Search our patient guides").fill(query)
    page.get_by_role("button", name="Search").click()
    expect(page.locator(RESULT_LINKS).first).to_be_visible(timeout=10_000)
    hrefs = page.locator(RESULT_LINKS).evaluate_all("links => links.map(a => a.pathname)")
    return list(hrefs)


def test_only_the_search_index_is_published_not_pagefinds_ready_made_uis(site: BuiltSite) -> None:
    published = {path.name for path in (site.path / "pagefind").iterdir()}
    assert "pagefind.js" in published and "pagefind-entry.json" in published
    for name in UNUSED_PAGEFIND_FILES:
        assert not {name, name + ".gz", name + ".br"} & published, name


def searchable_pages_by_language(site: Path) -> Counter[str]:
    """How many published pages Pagefind should index, by their ``<html lang>``.

    Pagefind keeps one index per page language, so each language is counted on its own.
    """
    languages: Counter[str] = Counter()
    for path in site.rglob("*.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if soup.find(attrs={"data-pagefind-body": True}):
            languages[soup.html["lang"]] += 1
    return languages


def test_every_searchable_page_is_indexed_once(site: BuiltSite) -> None:
    """Each language's index holds exactly that language's searchable pages (the build checks
    only the total)."""
    entry = json.loads((site.path / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    searchable = searchable_pages_by_language(site.path)
    # The English and the Spanish edition each have their articles and pages to search.
    assert set(searchable) == {"en", "es"}
    assert all(count >= 10 for count in searchable.values()), searchable
    indexed = {lang: index["page_count"] for lang, index in entry["languages"].items()}
    assert indexed == dict(searchable)


def test_bladder_finds_the_safety_article_first(site: BuiltSite, page: Page) -> None:
    results = search_for(page, site.url, "bladder")
    assert results[0] == "/articles/is-ketamine-safe/", results


def test_anesthesia_finds_the_surgery_article_in_the_top_two(site: BuiltSite, page: Page) -> None:
    results = search_for(page, site.url, "anesthesia")
    assert "/articles/ketamine-and-surgery/" in results[:2], results


def test_a_label_term_is_found_by_its_own_word_not_the_cards_hidden_labels(
    site: BuiltSite, page: Page
) -> None:
    """Pagefind stems "emergence" like "emergency"; the care cards' hidden "Emergency advice"
    labels are read out but not indexed, so each result matches the term in its own text."""
    search_for(page, site.url, "emergence reactions")
    excerpts = page.locator(".search-results__excerpt").all_inner_texts()
    assert len(excerpts) >= 3, excerpts
    assert all("emergence" in excerpt.lower() for excerpt in excerpts), excerpts


def test_a_query_in_the_address_is_searched(site: BuiltSite, page: Page) -> None:
    """The 404 page's form (and any link) lands on /search/?q=... with results shown."""
    page.goto(site.url + SEARCH_PATH + "?q=bladder")
    expect(page.locator(RESULT_LINKS).first).to_be_visible(timeout=10_000)
    expect(page.get_by_label("Search our patient guides")).to_have_value("bladder")
    expect(page.get_by_role("status")).to_contain_text("bladder")
    # Switching language keeps the words searched (the reader need not type them again).
    spanish = page.locator('a[hreflang="es"]').first
    expect(spanish).to_have_attribute("href", re.compile(r"/es/search/\?q=bladder$"))


def test_results_show_only_indexed_bodies(site: BuiltSite, page: Page) -> None:
    """Navigation, the call to action and the disclaimer are not indexed: their words find
    nothing unless an article's own text has them."""
    results = search_for(page, site.url, "bladder")
    # Besides the articles, only the glossary's own definitions and the question sheet for a
    # consultation ("How will you check my bladder...") mention the bladder.
    own_text = ("/articles/", "/glossary/", "/questions-for-your-consultation/")
    assert all(path.startswith(own_text) for path in results), results


def test_without_javascript_the_search_page_offers_topics_and_the_archive(
    site: BuiltSite, browser: Browser
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site.url + SEARCH_PATH + "?q=bladder")
        fallback = page.locator(".search-fallback")
        expect(fallback).to_be_visible()
        expect(fallback.get_by_role("link", name="Ketamine", exact=True)).to_be_visible()
        expect(fallback.get_by_role("link", name="All articles, newest first")).to_be_visible()
        assert fallback.locator("a[href$='/articles/is-ketamine-safe/']").count() == 1
    finally:
        context.close()


def test_only_the_search_page_loads_a_script(site: BuiltSite) -> None:
    loaders = {}
    for path in site.page_paths():
        scripts = [
            tag
            for tag in site.soup(path).find_all("script")
            if tag.get("type") != "application/ld+json"
        ]
        if scripts:
            loaders[path] = [tag.get("src") for tag in scripts]
    # Each language's search page, and nothing else (no inline script anywhere).
    assert sorted(loaders) == sorted(["/es" + SEARCH_PATH, SEARCH_PATH]), loaders
    for sources in loaders.values():
        (source,) = sources
        assert source and "/theme/js/search" in source, "a search page loads one script file"


def with_csp(context: BrowserContext, policy: str) -> None:
    """Serve every response of ``context`` with ``policy`` as its Content-Security-Policy."""

    def add_header(route: Route) -> None:
        response = route.fetch()
        route.fulfill(
            response=response,
            headers={**response.headers, "content-security-policy": policy},
        )

    context.route("**/*", add_header)


def test_without_wasm_unsafe_eval_search_fails_politely(site: BuiltSite, browser: Browser) -> None:
    """Why the search page needs 'wasm-unsafe-eval': without it Pagefind cannot compile its
    WebAssembly; the page then says search is unavailable, and the topic list stays."""
    context = browser.new_context()
    with_csp(context, SEARCH_PAGE_CSP.replace(" 'wasm-unsafe-eval'", ""))
    try:
        page = context.new_page()
        page.goto(site.url + SEARCH_PATH + "?q=bladder")
        expect(page.get_by_role("status")).to_contain_text("not available", timeout=10_000)
        expect(page.locator(".search-fallback")).to_be_visible()
    finally:
        context.close()


def test_first_search_fetches_a_small_part_of_the_index(
    site: BuiltSite, browser: Browser, artifacts_dir: Path
) -> None:
    """Record the bytes of Pagefind files a fresh browser fetches for one query."""
    context = browser.new_context()
    fetched: dict[str, int] = {}

    def record(response: Response) -> None:
        if "/pagefind/" in response.url:
            name = response.url.split("/pagefind/", 1)[1].split("?", 1)[0]
            fetched[name] = int(response.headers.get("content-length", "0"))

    try:
        page = context.new_page()
        page.on("response", record)
        search_for(page, site.url, "bladder")
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    total = sum(fetched.values())
    report = {"query": "bladder", "total_bytes": total, "files": fetched}
    (artifacts_dir / "search-bytes.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nPagefind, first search: {total} bytes in {len(fetched)} files")
    assert "pagefind.js" in fetched
    assert total < 400_000, report


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_search_page_has_no_axe_violations(
    site: BuiltSite, browser: Browser, color_scheme: str
) -> None:
    """axe-core finds nothing on the search page, empty and with results listed.

    (content_check.html_checks.run_axe starts its own Playwright, which cannot run inside
    pytest-playwright's session; its axe_violations runs the same rules in this page.)
    """
    context = browser.new_context(color_scheme=color_scheme)
    found = {}
    try:
        page = context.new_page()
        for path in (SEARCH_PATH, SEARCH_PATH + "?q=ketamine"):
            page.goto(site.url + path)
            if "?q=" in path:
                expect(page.locator(RESULT_LINKS).first).to_be_visible(timeout=10_000)
            found[path] = [
                (v["id"], [n["target"] for n in v["nodes"]]) for v in axe_violations(page)
            ]
    finally:
        context.close()
    assert found == {SEARCH_PATH: [], SEARCH_PATH + "?q=ketamine": []}, found
