"""plugins/handouts: one tagged PDF per article, printed from the built site, kept by content.

The real content is built as publishing builds it (with HANDOUTS on), its handouts are written
once for the module, and the PDFs are read back the way a reader's tools read them: text with
pypdf, the QR code with zxing-cpp, the catalogue's accessibility entries.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from bs4 import BeautifulSoup
from conftest import PROJECT_ROOT, run_production_build, small_site_settings
from content_check.html_checks import check_built_links
from handouts import (
    HandoutError,
    HandoutReport,
    HandoutSettingError,
    WordBook,
    handout_path,
    paper_setting,
    write_handouts,
    write_packet,
)
from handouts.blocks import footer_template, online_block, qr_png, signoff_block
from handouts.compose import handout_page
from handouts.pages import Fingerprints, find_articles
from handouts.printing import PrintJob, browser_args, print_pages, site_hosting
from handouts.progress import Step
from handouts.settings import kit_settings
from handouts.store import handout_key
from pelican.settings import read_settings
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import BooleanObject
from test_tasks import copy_project, git, invoke

from commands.handouts import main as handouts_command

pytestmark = pytest.mark.browser

SITE_URL = "https://www.clinic.test"
ARTICLE = "/articles/is-ketamine-safe/"
LETTER = (216, 279)  # millimetres, rounded
A4 = (210, 297)
SMALL_ARTICLE = """Title: A small guide
Date: 2025-01-01
Category: Ketamine
Summary: A short summary.

Some text about ketamine.

!!! care-urgent "Call your doctor today if:"
    - you feel unwell
"""


@dataclass
class HandoutSite:
    """A production build with its handouts written once."""

    path: Path
    cache: Path
    report: HandoutReport

    def html(self, url_path: str) -> BeautifulSoup:
        """The parsed page at ``url_path``."""
        file = self.path / url_path.strip("/") / "index.html"
        return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")

    def handout(self, url_path: str) -> Path:
        """The handout written for the page at ``url_path``."""
        return handout_path(self.path / url_path.strip("/") / "index.html")


def site_words() -> WordBook:
    """The site's own words (each language's catalogue and date format), as invoke uses."""
    return WordBook.from_settings(read_settings(str(PROJECT_ROOT / "pelicanconf.py")))


@pytest.fixture(scope="module")
def handout_site(tmp_path_factory: pytest.TempPathFactory) -> HandoutSite:
    """The real content built for publishing (HANDOUTS on), then its handouts written."""
    root = tmp_path_factory.mktemp("handouts")
    output = root / "output"
    run_production_build(output, SITE_URL, "HANDOUTS=true")
    report = write_handouts(output, cache_dir=root / "cache", words=site_words())
    assert not report.failures, report.failures
    return HandoutSite(output, root / "cache", report)


def pdf_text(pdf: Path | PdfReader, pages: slice = slice(None)) -> str:
    """The text of a PDF as a reader would search it: Unicode normalised, spaces collapsed."""
    reader = pdf if isinstance(pdf, PdfReader) else PdfReader(pdf)
    text = " ".join(page.extract_text() for page in reader.pages[pages])
    return " ".join(unicodedata.normalize("NFKC", text).split())


def shown_text(tag: Any) -> str:
    """What a page shows in a tag (visually hidden words left out), spaces collapsed."""
    for hidden in tag.select(".visually-hidden"):
        hidden.decompose()
    return " ".join(unicodedata.normalize("NFKC", tag.get_text()).split())


def outline_titles(outline: list) -> list[str]:
    """Every bookmark's title, nested ones after their parent."""
    titles = []
    for item in outline:
        if isinstance(item, list):
            titles += outline_titles(item)
        else:
            titles.append(" ".join(item.title.replace("\xa0", " ").split()))
    return titles


def page_size(pdf: Path) -> tuple[int, int]:
    """The first page's width and height in millimetres, rounded."""
    box = PdfReader(pdf).pages[0].mediabox
    return round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)


# --- One handout per article, with what the page says -----------------------------------


def test_every_article_gets_one_handout_beside_its_page(handout_site: HandoutSite) -> None:
    # Each language's articles: /articles/x/ and its translation /es/articles/x/; and the pages
    # that link to their own handout (Kind: clinical, such as the tool pages).
    articles = [
        path.parent
        for pattern in ("articles/*/index.html", "*/articles/*/index.html")
        for path in handout_site.path.glob(pattern)
    ]
    assert len(articles) >= 8
    clinical = [
        path.parent
        for path in handout_site.path.glob("**/index.html")
        if path.parent not in articles and 'class="handout__link"' in path.read_text("utf-8")
    ]
    pages = sorted(articles + clinical)
    pdfs = sorted(handout_site.path.rglob("*.pdf"))
    assert pdfs == [folder / f"{folder.name}.pdf" for folder in pages]
    assert sorted(handout_site.report.printed) == pdfs and handout_site.report.cached == []
    assert not list(handout_site.path.rglob("*.part")), "a temporary file was left behind"
    for pdf in pdfs:
        assert pdf.read_bytes().startswith(b"%PDF-")


def test_handout_holds_title_care_card_references_review_line_and_phones(
    handout_site: HandoutSite,
) -> None:
    page = handout_site.html(ARTICLE)
    text = pdf_text(handout_site.handout(ARTICLE))
    title = shown_text(page.select_one("h1"))
    care_card = shown_text(page.select_one(".care-card__heading"))
    review_line = shown_text(page.select_one(".review-dates"))
    phones = [shown_text(tag) for tag in page.select(".site-footer__phone")]
    first_reference = shown_text(page.select_one(".references__list li"))
    assert title.startswith("Is ketamine safe?") and title in text
    assert care_card and care_card in text
    assert "References" in text and first_reference[:60] in text
    assert review_line and review_line in text
    assert len(phones) == 2 and all(phone in text for phone in phones)
    # Navigation is not printed: no menu, no breadcrumbs, no related articles, no link to itself.
    for gone in ("Skip to main content", "Related articles", "Contents", "Print or download"):
        assert gone not in text


def test_every_sheet_names_the_clinic_its_phone_numbers_and_the_page(
    handout_site: HandoutSite,
) -> None:
    reader = PdfReader(handout_site.handout(ARTICLE))
    phones = [shown_text(tag) for tag in handout_site.html(ARTICLE).select(".site-footer__phone")]
    assert len(reader.pages) > 1
    for number, page in enumerate(reader.pages, start=1):
        sheet = " ".join(page.extract_text().split())
        assert all(phone in sheet for phone in phones), number
        assert f"Page {number} of {len(reader.pages)}" in sheet


def test_qr_code_decodes_to_the_article_address(handout_site: HandoutSite) -> None:
    for article in find_articles(handout_site.path):
        canonical = handout_site.html(article.url_path).select_one('link[rel="canonical"]')
        first_page = PdfReader(article.handout).pages[0]
        decoded = [
            result.text
            for image in first_page.images
            for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))
        ]
        assert decoded == [canonical["href"]], article.url_path
        assert re.match(re.escape(SITE_URL) + r"(/[a-z]{2})?/", canonical["href"])
        assert canonical["href"] in pdf_text(article.handout, slice(0, 1))


def test_handout_is_tagged_with_language_title_and_outline(handout_site: HandoutSite) -> None:
    reader = PdfReader(handout_site.handout(ARTICLE))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == BooleanObject(True)
    page_title = handout_site.html(ARTICLE).title.get_text()
    assert reader.metadata.title.replace("\xa0", " ") == page_title.replace("\xa0", " ")
    bookmarks = " ".join(outline_titles(reader.outline))
    assert bookmarks.startswith("Is ketamine safe?")
    assert "What can happen during a dose?" in bookmarks and "References" in bookmarks


def test_handouts_are_letter_by_default(handout_site: HandoutSite) -> None:
    assert page_size(handout_site.handout(ARTICLE)) == LETTER


# --- Kept by content --------------------------------------------------------------------


def test_second_run_prints_nothing_and_a_changed_article_is_printed_again(
    handout_site: HandoutSite,
) -> None:
    pdfs = {pdf: pdf.read_bytes() for pdf in handout_site.path.rglob("*.pdf")}
    again = write_handouts(handout_site.path, cache_dir=handout_site.cache, words=site_words())
    assert again.printed == [] and sorted(again.cached) == sorted(pdfs)
    assert {pdf: pdf.read_bytes() for pdf in pdfs} == pdfs

    changed = handout_site.path / "articles" / "ketamine-and-surgery" / "index.html"
    html = changed.read_text(encoding="utf-8")
    title_tag = '<h1 class="article-header__title">'
    assert html.count(title_tag) == 1
    changed.write_text(html.replace(title_tag, title_tag + "Edited: "), encoding="utf-8")
    after_edit = write_handouts(handout_site.path, cache_dir=handout_site.cache, words=site_words())
    handout = handout_path(changed)
    assert after_edit.printed == [handout] and len(after_edit.cached) == len(pdfs) - 1
    assert "Edited: Ketamine and surgery" in pdf_text(handout, slice(0, 1))
    changed.write_text(html, encoding="utf-8")  # the other tests read the page as built


def test_all_prints_every_handout_again(small_site: Path, tmp_path: Path, capsys: Any) -> None:
    output = small_site
    cache = tmp_path / "cache"
    assert len(write_handouts(output, cache_dir=cache).printed) == 1
    status = handouts_command(["--site", str(output), "--cache", str(cache), "--all"])
    summary = capsys.readouterr().out
    assert status == 0
    assert "Handouts: 1 written (1 printed, 0 unchanged from the cache)" in summary


def test_cache_key_follows_page_stylesheet_address_paper_and_nothing_else(
    handout_site: HandoutSite, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(handout_site.path, site, ignore=shutil.ignore_patterns("pagefind", "*.pdf"))

    def keys(paper: str = "Letter") -> dict[str, str]:
        fingerprints = Fingerprints(site)
        return {a.url_path: handout_key(a, paper, fingerprints) for a in find_articles(site)}

    before = keys()
    assert keys() == before
    assert keys("A4").keys() == before.keys() and set(keys("A4").values()).isdisjoint(
        before.values()
    )
    (site / "about" / "index.html").write_text("changed", encoding="utf-8")
    assert keys() == before, "a page that is not an article changes no handout"
    article = site / ARTICLE.strip("/") / "index.html"
    article.write_text(article.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    after_page = keys()
    assert [path for path in before if before[path] != after_page[path]] == [ARTICLE]
    [stylesheet] = (site / "theme" / "css").glob("site*.css")
    stylesheet.write_text(stylesheet.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    after_css = keys()
    assert all(after_css[path] != after_page[path] for path in before)


# --- Paper, the link on the page, the packet ---------------------------------------------


@pytest.fixture(scope="module")
def small_built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One article built once for https://clinic.test (HANDOUTS off: no link to a handout)."""
    from pelican import Pelican
    from pelican_compat import reset_log_limits

    root = tmp_path_factory.mktemp("small")
    (root / "content" / "articles").mkdir(parents=True)
    (root / "content" / "articles" / "a-small-guide.md").write_text(SMALL_ARTICLE, "utf-8")
    reset_log_limits()
    Pelican(small_site_settings(root, {"SITEURL": "https://clinic.test"})).run()
    return root / "output"


@pytest.fixture
def small_site(small_built_site: Path, tmp_path: Path) -> Path:
    """This test's own copy of the small site (handouts are written beside its pages)."""
    return Path(shutil.copytree(small_built_site, tmp_path / "small-site"))


def test_paper_follows_the_setting(small_site: Path, tmp_path: Path) -> None:
    output = small_site  # the paper is the handouts' setting, not the build's
    paper = paper_setting({"HANDOUT_PAPER": "A4"})
    report = write_handouts(output, paper, cache_dir=tmp_path / "cache")
    assert [page_size(pdf) for pdf in report.printed] == [A4]
    # Another paper is another handout: Letter is printed again, not taken from the cache.
    letter = write_handouts(output, paper_setting({}), cache_dir=tmp_path / "cache")
    assert [page_size(pdf) for pdf in letter.printed] == [LETTER]


@pytest.mark.parametrize("value", ["A5", "", 4, None])
def test_a_paper_we_cannot_print_on_names_the_setting(value: Any) -> None:
    with pytest.raises(HandoutSettingError) as caught:
        paper_setting({"HANDOUT_PAPER": value})
    assert "HANDOUT_PAPER" in str(caught.value) and '"Letter" or "A4"' in str(caught.value)
    assert paper_setting({"HANDOUT_PAPER": "a4"}) == "A4"


def test_command_refuses_an_unknown_paper(tmp_path: Path, capsys: Any) -> None:
    assert handouts_command(["--site", str(tmp_path), "--paper", "Legal"]) == 1
    error = capsys.readouterr().err
    assert "'Legal'" in error and "HANDOUT_PAPER" in error


def test_link_to_the_handout_only_when_handouts_are_written(
    small_built_site: Path, handout_site: HandoutSite
) -> None:
    without = small_built_site
    page = (without / "articles" / "a-small-guide" / "index.html").read_text(encoding="utf-8")
    assert "Print or download" not in page and ".pdf" not in page

    for article in find_articles(handout_site.path):
        links = handout_site.html(article.url_path).select("a.handout__link")
        assert len(links) == 1, article.url_path
        if not article.url_path.startswith("/es/"):  # translations say it in their language
            assert links[0].get_text() == "Print or download this guide (PDF)"
        relative = article.handout.relative_to(handout_site.path).as_posix()
        assert links[0]["href"] == f"{SITE_URL}/{relative}"
    for other in ("/", "/about/", "/topics/"):
        assert not handout_site.html(other).select("a.handout__link")
    # The link check that publishing runs finds every handout the pages link to.
    findings = check_built_links(handout_site.path, SITE_URL)
    assert [finding for finding in findings if ".pdf" in finding.message] == []


def test_packet_adds_the_sign_off_box(handout_site: HandoutSite, tmp_path: Path) -> None:
    """Printed where an event loop already runs, as Playwright's sync API (the browser tests'
    ``page``) and notebooks keep one."""

    async def inside_a_running_loop() -> Path:
        return write_packet(handout_site.path, ARTICLE, tmp_path / "packet.pdf", "A4")

    # In a thread of its own: in the whole suite, this thread may already run Playwright's loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        packet = pool.submit(asyncio.run, inside_a_running_loop()).result()
    reader = PdfReader(packet)
    text = pdf_text(reader)
    last_page = pdf_text(reader, slice(-1, None))
    assert page_size(packet) == A4
    assert shown_text(handout_site.html(ARTICLE).select_one("h1")) in text
    assert "Clinical review sign-off" in last_page
    for field in ("Reviewer name", "Credentials", "Date", "Signature", "What changed"):
        assert field in last_page
    assert f"{SITE_URL}{ARTICLE}" in last_page.replace(" ", "")  # the address may wrap
    assert "Clinical review sign-off" not in pdf_text(handout_site.handout(ARTICLE))


def test_packet_of_a_page_that_is_no_article_names_it(handout_site: HandoutSite) -> None:
    for wrong in ("/about/", "/articles/no-such-guide/"):
        with pytest.raises(HandoutError, match="no article page there"):
            write_packet(handout_site.path, wrong, handout_site.path / "x.pdf")
    assert not (handout_site.path / "x.pdf").exists()


# --- Bad input ---------------------------------------------------------------------------


def test_a_development_build_is_refused_naming_the_page(
    build_small_site: Callable, tmp_path: Path
) -> None:
    output = build_small_site({"articles/a-small-guide.md": SMALL_ARTICLE}).output
    with pytest.raises(HandoutError) as caught:
        write_handouts(output, cache_dir=tmp_path / "cache")
    message = str(caught.value)
    assert "articles/a-small-guide/index.html" in message and "production build" in message
    assert not list(output.rglob("*.pdf"))


def test_a_folder_without_a_built_site_is_refused(tmp_path: Path, capsys: Any) -> None:
    assert handouts_command(["--site", str(tmp_path), "--cache", str(tmp_path / "c")]) == 1
    assert "no built site" in capsys.readouterr().err


# --- Spanish: a translation's handout and packet speak Spanish --------------------------

SPANISH_ARTICLE = """Title: Una guía corta
Date: 2025-01-01
Category: Ketamine
Lang: es
Summary: Un resumen corto.

Un texto sobre la ketamina.
"""


@pytest.mark.slow  # a build, then Chromium prints
def test_a_spanish_article_gets_a_spanish_handout_and_packet(
    build_small_site: Callable, tmp_path: Path
) -> None:
    files = {"articles/a-small-guide.md": SMALL_ARTICLE, "articles/es/a-small-guide.md": (
        SPANISH_ARTICLE)}  # fmt: skip
    small = build_small_site(files, {"SITEURL": "https://clinic.test", "HANDOUTS": True})
    words = WordBook.from_settings(small.settings)
    report = write_handouts(small.output, cache_dir=tmp_path / "cache", words=words)
    english = small.output / "articles" / "a-small-guide" / "a-small-guide.pdf"
    spanish = small.output / "es" / "articles" / "a-small-guide" / "a-small-guide.pdf"
    assert sorted(report.printed) == sorted([english, spanish]) and not report.failures

    page = small.soup("es/articles/a-small-guide/index.html")
    [link] = page.select("a.handout__link")
    assert link.get_text() == "Imprima o descargue esta guía (PDF)"
    assert link["href"] == "https://clinic.test/es/articles/a-small-guide/a-small-guide.pdf"
    reader = PdfReader(spanish)
    text = pdf_text(reader)
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert "Una guía corta" in text and "Lea esta guía en internet" in text
    assert re.search(r"Página 1 de \d", text)  # the footer of every sheet
    assert "Read this guide online" not in text and "Page 1" not in text
    assert "Read this guide online" in pdf_text(english)

    packet = write_packet(small.output, "/es/articles/a-small-guide/", tmp_path / "p.pdf",
                          words=words)  # fmt: skip
    last_page = pdf_text(packet, slice(-1, None))
    for field in ("Aprobación de la revisión clínica", "Nombre del revisor", "Credenciales",
                  "Fecha", "Firma", "Qué cambió"):  # fmt: skip
        assert field in last_page
    assert re.search(r"Impresa para revisión el \d+ de \w+ de \d{4}", last_page)


# --- The commands: invoke handouts, invoke review --packet; the link check -----------------


def site_copy(handout_site: HandoutSite, destination: Path) -> Path:
    """A copy of the built site without its handouts (nor the search index: not needed)."""
    shutil.copytree(
        handout_site.path, destination, ignore=shutil.ignore_patterns("pagefind", "*.pdf")
    )
    return destination


def test_link_check_reports_a_handout_that_is_missing(
    handout_site: HandoutSite, tmp_path: Path
) -> None:
    """What keeps a published page from linking to a missing PDF: publishing's link check."""
    site = site_copy(handout_site, tmp_path / "site")
    for article in find_articles(handout_site.path):
        shutil.copy2(article.handout, site / article.handout.relative_to(handout_site.path))
    assert [f for f in check_built_links(site, SITE_URL) if ".pdf" in f.message] == []
    missing = handout_site.handout(ARTICLE).relative_to(handout_site.path).as_posix()
    (site / missing).unlink()
    broken = [f for f in check_built_links(site, SITE_URL) if ".pdf" in f.message]
    assert [(f.code, f.file) for f in broken] == [("link-broken", f"site{ARTICLE}index.html")]
    assert missing in broken[0].message


def test_invoke_handouts_writes_beside_each_page_and_keeps_unchanged_ones(
    handout_site: HandoutSite, tmp_path: Path
) -> None:
    project = copy_project(tmp_path / "project")
    nothing_built = invoke(project, "handouts")
    assert nothing_built.returncode == 1
    assert "no built site" in nothing_built.stderr and "invoke build --production" in (
        nothing_built.stderr
    )
    site = site_copy(handout_site, tmp_path / "site")
    # The project's cache already holds these handouts: the task uses it, prints none again.
    shutil.copytree(handout_site.cache, project / ".cache" / "pelican" / "handouts")
    # ...sealed with the secret of the cache they came from (result_cache.py): copy it along.
    shutil.copy2(handout_site.cache.parent / "cache-secret", project / ".cache" / "pelican")
    result = invoke(project, "handouts", "--output", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    articles = find_articles(site)
    count = len(articles)
    assert f"Handouts: {count} written (0 printed, {count} unchanged from the cache)" in (
        result.stdout
    )
    assert f"beside each article page in {site}" in result.stdout
    for article in articles:
        assert article.handout.read_bytes().startswith(b"%PDF-")


@pytest.mark.slow  # a build, then Chromium prints
def test_invoke_review_packet_prints_the_article_with_a_sign_off_box(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    file = "content/articles/is-ketamine-safe.md"
    no_address = invoke(project, "review", file, "--packet")
    assert no_address.returncode == 1 and "set SITEURL" in no_address.stderr
    not_article = invoke(project, "review", "content/pages/about.md", "--packet", siteurl=SITE_URL)
    assert not_article.returncode == 1
    assert "content/pages/about.md: it is not an article" in not_article.stderr

    result = invoke(project, "review", file, "--packet", siteurl=SITE_URL)
    assert result.returncode == 0, result.stdout + result.stderr
    packet = project / "output-packets" / "is-ketamine-safe-review-packet.pdf"
    assert str(packet) in result.stdout
    reader = PdfReader(packet)
    assert "Is ketamine safe?" in pdf_text(reader, slice(0, 1))
    last_page = pdf_text(reader, slice(-1, None))
    assert "Clinical review sign-off" in last_page
    for field in ("Reviewer name", "Credentials", "Date", "Signature", "What changed"):
        assert field in last_page
    assert f"{SITE_URL}{ARTICLE}" in last_page.replace(" ", "")  # the address may wrap
    assert git(project, "status", "--porcelain") == "", "printing a packet changed the project"


# --- Pure parts ---------------------------------------------------------------------------


def test_qr_block_and_sign_off_box_escape_what_they_show() -> None:
    import datetime as dt

    address = 'https://clinic.test/articles/a"b<c/'
    block = online_block(address)
    assert "a&quot;b&lt;c" in block and 'a"b<c' not in block
    assert zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_png(address))))[0].text == address
    box = signoff_block(address, dt.date(2026, 3, 3))
    assert "3 March 2026" in box and 'a"b<c' not in box
    footer = footer_template("A & B", [("North", "(555) 555-0101"), ("South", "")])
    assert "A &amp; B · North (555) 555-0101</span>" in footer and "pageNumber" in footer


def test_progress_prints_a_line_every_tenth_when_not_a_terminal() -> None:
    stream = io.StringIO()
    step = Step("Printing handouts", 25, "PDFs", stream, interactive=False)
    for _ in range(25):
        step.advance()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 10
    assert lines[0].startswith("Printing handouts: 3/25 PDFs (12 %)")
    assert lines[-1].startswith("Printing handouts: 25/25 PDFs (100 %)")


# --- Printed from the site's data: JavaScript off, the site's CSP, settings for the footer ---

FAKE_PHONE = "(555) 000-6666"
# What a careless or malicious edit could leave in a built page: scripts that change the words,
# an inline style the site's CSP refuses, and hidden elements named like the site footer's.
INJECTED = f"""
<script>document.querySelector("h1").textContent = "Take three times your usual dose";</script>
<script src="/theme/js/dose.js"></script>
<p style="display: none">Words the site's CSP shows to every reader.</p>
<div hidden><p class="site-footer__heading">Fake Clinic</p>
<p class="site-footer__office"><span class="site-footer__office-name">Fake office</span>
<a class="site-footer__phone" href="tel:5550006666">{FAKE_PHONE}</a></p></div>
"""


def test_handout_and_packet_print_the_pages_words_with_javascript_off_under_its_csp(
    small_site: Path, tmp_path: Path
) -> None:
    output = small_site
    page = output / "articles" / "a-small-guide" / "index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</main>", INJECTED + "</main>"), encoding="utf-8")
    script = 'document.querySelector(".prose p").textContent = "Take your usual dose twice";'
    (output / "theme" / "js").mkdir(parents=True, exist_ok=True)
    (output / "theme" / "js" / "dose.js").write_text(script, encoding="utf-8")

    [handout] = write_handouts(output, cache_dir=tmp_path / "cache").printed
    packet = write_packet(output, "/articles/a-small-guide/", tmp_path / "packet.pdf")
    for pdf in (handout, packet):
        reader = PdfReader(pdf)
        text = pdf_text(reader)
        assert "A small guide" in text and "Some text about ketamine." in text
        assert "usual dose" not in text, "a script in the page ran while printing"
        assert "Words the site's CSP shows to every reader." in text  # inline style refused
        for sheet in reader.pages:  # the footer is the clinic's, from the settings
            footer = " ".join(sheet.extract_text().split())
            assert "Westside Pain Specialists" in footer and "(555) 555-0101" in footer
            assert FAKE_PHONE not in footer and "Fake" not in footer


def test_a_lazy_image_is_printed_and_never_stalls_the_run(
    build_small_site: Callable, tmp_path: Path
) -> None:
    """An image with `{: loading="lazy" }` far down the page once hung publishing for minutes."""
    filler = "\n\n".join(f"Paragraph {n} about ketamine and pain." for n in range(60))
    picture = '![A test picture](/images/dot.png){: loading="lazy" }'
    article = f"{SMALL_ARTICLE}\n{filler}\n\n{picture}\n"
    output = build_small_site(
        {"articles/a-small-guide.md": article}, {"SITEURL": "https://clinic.test"}
    ).output
    assert 'loading="lazy"' in (output / "articles/a-small-guide/index.html").read_text("utf-8")
    (output / "images").mkdir(exist_ok=True)
    Image.new("RGB", (40, 40), "red").save(output / "images" / "dot.png")

    outcome: list[HandoutReport] = []
    worker = threading.Thread(
        target=lambda: outcome.append(write_handouts(output, cache_dir=tmp_path / "c")),
        daemon=True,  # a run that hangs must not keep the test process alive
    )
    worker.start()
    worker.join(timeout=120)
    assert outcome, "printing a page with a lazy image did not finish in 2 minutes"
    [handout] = outcome[0].printed
    images = [page_image for sheet in PdfReader(handout).pages for page_image in sheet.images]
    assert len(images) == 2, "the QR code and the lazy image are both printed"


def test_a_page_that_stalls_is_named_with_the_step(small_built_site: Path, tmp_path: Path) -> None:
    output = small_built_site
    [article] = find_articles(output)
    job = PrintJob(
        article.url_path, article.site_root, article.file.read_bytes(), qr_png("x"),
        "<span></span>", tmp_path / "a.pdf", str(article.file),
    )  # fmt: skip
    hosting = site_hosting(output, kit_settings())
    [failure] = print_pages(hosting, [job], "Letter", step_seconds=0.001)
    assert failure.startswith(f"{article.file}: the handout could not be printed")
    assert "stalled opening https://clinic.test/articles/a-small-guide/" in failure
    assert not (tmp_path / "a.pdf").exists()


@pytest.mark.slow  # Chromium prints until the Ctrl-C
def test_ctrl_c_while_printing_says_in_one_line_what_is_left(
    handout_site: HandoutSite, tmp_path: Path
) -> None:
    """Before, Ctrl-C ended the printing with Playwright's "Future exception was never
    retrieved" and status 1, or a traceback from ``python -m commands.handouts``."""
    site = site_copy(handout_site, tmp_path / "site")
    printing = subprocess.Popen(
        [sys.executable, "-m", "commands.handouts", "--site", str(site), "--all",
         "--cache", str(tmp_path / "cache")],
        cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    said: list[str] = []  # stderr, line by line as it comes
    reader = threading.Thread(target=said.extend, args=(printing.stderr,), daemon=True)
    reader.start()
    deadline = time.monotonic() + 120
    while not any(line.startswith("Printing handouts: ") for line in list(said)):
        assert printing.poll() is None and time.monotonic() < deadline, "".join(said)
        time.sleep(0.05)
    os.killpg(printing.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    printing.wait(timeout=60)
    reader.join(10)
    errors = "".join(said)
    assert printing.returncode == 130, errors
    assert "Traceback" not in errors and "exception" not in errors, errors
    assert said[-1].startswith("Stopped by Ctrl-C: the handouts printed so far are beside"), errors
    assert "Run python -m commands.handouts again to print only those" in said[-1]
    printed = sorted(site.rglob("*.pdf"))
    assert printed, "the handout printed before the Ctrl-C is kept"
    for handout in printed:
        assert handout.read_bytes().startswith(b"%PDF-"), handout
    assert not [path for path in site.rglob("*") if path.name.startswith(".")], "half a file"


def test_chromium_keeps_its_sandbox_unless_run_as_root() -> None:
    assert ("--no-sandbox" in browser_args()) == (os.geteuid() == 0)


# --- What a handout shows: the screen's text, key points and care cards first, few sheets ----


def test_glossary_words_print_as_the_screen_shows_them(handout_site: HandoutSite) -> None:
    page = handout_site.html(ARTICLE)
    assert page.select(".prose a.glossary-link")
    text = pdf_text(handout_site.handout(ARTICLE)).replace(" ", "")
    assert "/glossary/#" not in text and "(https://www.clinic.test/)" not in text
    # A reference still shows its address, and a link to another guide its own.
    assert "dailymed.nlm.nih.gov" in text
    assert f"({SITE_URL}/articles/ketamine-for-chronic-pain/)" in text


def test_key_points_and_care_cards_are_on_the_first_sheet(handout_site: HandoutSite) -> None:
    for article in find_articles(handout_site.path):
        page = handout_site.html(article.url_path)
        headings = [shown_text(h) for h in page.select(".care-card__heading")]
        key_points = [shown_text(point)[:40] for point in page.select(".key-points li")]
        first_sheet = pdf_text(article.handout, slice(0, 1))
        assert headings or "/articles/" not in article.url_path, article.url_path
        for words in headings + key_points:
            assert words in first_sheet, (article.url_path, words)


def test_handout_page_moves_key_points_and_care_cards_under_the_qr_block() -> None:
    page = b"""<!DOCTYPE html><html lang="en"><body><main><article>
    <header><h1>Title</h1></header><div class="prose"><p>Intro</p>
    <div class="care-card care-card--urgent"><p class="care-card__heading">Call</p></div>
    <p>Middle <img src="/a.png" loading="lazy"></p>
    <div class="key-points"><p>Main message</p></div></div></article></main></body></html>"""
    html = handout_page(page, '<aside class="handout__online">QR</aside>', "<p>End</p>")
    soup = BeautifulSoup(html, "html.parser")
    order = [tag.get("class", [tag.name])[0] for tag in soup.select("article > *")]
    assert order == ["header", "handout__online", "key-points", "care-card", "prose"]
    assert soup.select_one(".prose").get_text(" ", strip=True) == "Intro Middle"
    assert soup.img.get("loading") is None and soup.body.contents[-1].get_text() == "End"


def test_a_section_left_empty_by_the_boxes_it_held_prints_no_lone_heading() -> None:
    page = b"""<!DOCTYPE html><html lang="en"><body><main><article>
    <header><h1>Title</h1></header><div class="prose"><p>Intro</p>
    <h2>When to get help</h2><div class="care-card"><h3>Call 911 if</h3></div>
    <h2>Side effects</h2><div class="care-card"><h3>Call today if</h3></div><p>Most pass.</p>
    <h2>What to do next</h2><p>Ask.</p></div></article></main></body></html>"""
    soup = BeautifulSoup(handout_page(page, "<aside>QR</aside>"), "html.parser")
    headings = [h.get_text() for h in soup.select(".prose h2")]
    assert headings == ["Side effects", "What to do next"]  # a section with text keeps its own
    assert [h.get_text() for h in soup.select(".care-card h3")] == ["Call 911 if", "Call today if"]


def test_no_handout_is_longer_than_8_letter_pages(handout_site: HandoutSite) -> None:
    counts = {a.url_path: len(PdfReader(a.handout).pages) for a in find_articles(handout_site.path)}
    assert max(counts.values()) <= 8, counts


# --- Pages with a handout; no build links to a handout it did not write --------------------

DIARY_PAGE = """Title: Pain diary
Kind: clinical
Summary: A week of pain scores to bring to your visit.

Write down your pain each day.
"""
GLOSSARY_PAGE = """Title: Glossary
Kind: clinical
Handout: off
Summary: What the medical words mean.

A long list of words.
"""
ABOUT_PAGE = """Title: About us
Summary: Who we are.

We are a clinic.
"""


def test_a_clinical_page_gets_a_handout_linked_from_it(
    build_small_site: Callable, tmp_path: Path
) -> None:
    files = {"articles/a-small-guide.md": SMALL_ARTICLE, "pages/pain-diary.md": DIARY_PAGE,
             "pages/about-us.md": ABOUT_PAGE, "pages/glossary.md": GLOSSARY_PAGE}  # fmt: skip
    small = build_small_site(files, {"SITEURL": "https://clinic.test", "HANDOUTS": True})
    diary = small.output / "pain-diary" / "pain-diary.pdf"
    report = write_handouts(small.output, cache_dir=tmp_path / "cache")
    assert diary in report.printed and len(report.printed) == 2
    assert "Write down your pain each day." in pdf_text(diary)
    [link] = small.soup("pain-diary/index.html").select("a.handout__link")
    assert link["href"] == "https://clinic.test/pain-diary/pain-diary.pdf"
    assert not small.soup("about-us/index.html").select("a.handout__link")
    assert not small.soup("glossary/index.html").select("a.handout__link")  # Handout: off
    findings = check_built_links(small.output, "https://clinic.test")
    assert [finding for finding in findings if ".pdf" in finding.message] == []


@pytest.mark.slow  # a production build of the real content
def test_pelican_run_directly_links_to_no_handout_it_did_not_write(tmp_path: Path) -> None:
    output = tmp_path / "output"
    command = [
        sys.executable, "-m", "pelican", "content", "-s", "publishconf.py", "-o", str(output),
        "-e", "REFUSE_EXAMPLE_CLINIC_DETAILS=false", "SEARCH_INDEX=false",
    ]  # fmt: skip
    env = {**os.environ, "SITEURL": SITE_URL}
    env.pop("HANDOUTS", None)
    result = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert not list(output.rglob("*.pdf"))
    assert "handout__link" not in (output / ARTICLE.strip("/") / "index.html").read_text("utf-8")
    broken = [f for f in check_built_links(output, SITE_URL) if ".pdf" in f.message]
    assert broken == []
