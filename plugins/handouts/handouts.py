"""Writing the handouts into a built site, and the reviewer's packet of one article."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from handouts.blocks import clinic_contacts, footer_template, online_block, qr_png, signoff_block
from handouts.compose import handout_page
from handouts.pages import ArticlePage, Fingerprints, HandoutError, find_articles, read_article
from handouts.pages import page_file as built_file
from handouts.printing import PrintJob, print_pages, site_hosting
from handouts.progress import Step
from handouts.settings import check_paper, kit_settings
from handouts.store import DEFAULT_CACHE, HandoutStore, handout_key
from handouts.wording import WordBook, Wording


@dataclass
class HandoutReport:
    """What a run did: handouts printed, handouts taken from the cache, pages that failed."""

    printed: list[Path] = field(default_factory=list)
    cached: list[Path] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        """One line for the person waiting."""
        total = len(self.printed) + len(self.cached)
        line = (
            f"Handouts: {total} written ({len(self.printed)} printed, "
            f"{len(self.cached)} unchanged from the cache) in {self.seconds:.1f} s"
        )
        return line + (f"; {len(self.failures)} failed" if self.failures else "")


def _footer(settings: Mapping[str, Any], words: Wording) -> str:
    """Every sheet's footer: the clinic and its phone numbers from the settings, the page."""
    name, offices = clinic_contacts(settings)
    return footer_template(name, offices, words)


def _job(
    article: ArticlePage, words: Wording, footer: str, destination: Path, at_end: str = ""
) -> PrintJob:
    """What the browser prints for ``article``: its built page with the handout's blocks."""
    html = handout_page(article.file.read_bytes(), online_block(article.canonical, words), at_end)
    return PrintJob(
        url_path=article.url_path,
        site_root=article.site_root,
        html=html,
        qr_png=qr_png(article.canonical),
        footer=footer,
        destination=destination,
        shown=str(article.file),
    )


def write_handouts(
    site_dir: Path | str,
    paper: str = "Letter",
    *,
    cache_dir: Path | str = DEFAULT_CACHE,
    everything: bool = False,
    workers: int | None = None,
    stream: TextIO | None = None,
    words: WordBook | None = None,
    settings: Mapping[str, Any] | None = None,
) -> HandoutReport:
    """Write one handout PDF beside each page of the built site in ``site_dir`` that gets one
    (every article, and each page that links to its handout).

    ``settings`` are the site's Pelican settings (default: the kit's pelicanconf.py): the
    clinic's details in every sheet's footer, the response headers (the CSP) the pages are
    printed under, and each language's words (``words`` overrides them). A handout is printed
    again only when its page, a file the page loads, its address, the paper, its words, the
    footer or the handout code changed (``everything``: print them all). Raises
    :class:`HandoutError` or ``HandoutSettingError`` for a site or paper it cannot print.
    """
    started = time.perf_counter()
    paper = check_paper(paper)
    site_dir = Path(site_dir)
    settings = kit_settings() if settings is None else settings
    store = HandoutStore(cache_dir)
    fingerprints = Fingerprints(site_dir)
    report = HandoutReport()
    book = words or WordBook.from_settings(settings)
    wording = {article: book.of(article.language) for article in find_articles(site_dir)}
    footers = {article: _footer(settings, wording[article]) for article in wording}
    hosting = site_hosting(site_dir, settings)

    def printed_with(article: ArticlePage) -> str:
        """What else a handout depends on: its words, its footer, the headers (CSP) it is
        printed under."""
        headers = sorted(hosting.headers_for(article.url_path).items())
        return f"{wording[article].signature()} {footers[article]} {headers}"

    keys = {
        article: handout_key(article, paper, fingerprints, printed_with(article))
        for article in wording
    }
    to_print = {}
    for article, key in keys.items():
        if everything or not store.has(key):
            to_print[article.url_path] = (article, key)
        else:
            store.copy_to(key, article.handout)
            report.cached.append(article.handout)
    step = Step("Printing handouts", len(to_print), "PDFs", stream)

    def printed(job: PrintJob) -> None:
        article, key = to_print[job.url_path]
        store.copy_to(key, article.handout)
        report.printed.append(article.handout)
        step.advance()

    jobs = [
        _job(article, wording[article], footers[article], store.path(key))
        for article, key in to_print.values()
    ]
    report.failures = print_pages(hosting, jobs, paper, workers, printed)
    report.seconds = time.perf_counter() - started
    return report


def write_packet(
    site_dir: Path | str,
    article_url_path: str,
    output_pdf: Path | str,
    paper: str = "Letter",
    words: WordBook | None = None,
    *,
    settings: Mapping[str, Any] | None = None,
) -> Path:
    """Print one article's handout with a sign-off box at the end, for a clinician who reviews
    on paper, into ``output_pdf``. ``article_url_path`` is its address in the site
    ("/articles/x/"); ``words`` and ``settings`` as for :func:`write_handouts`. Never cached:
    a packet is printed when it is asked for. It is the handout's page, so it shows the words
    the page and the handout show."""
    paper = check_paper(paper)
    site_dir = Path(site_dir)
    settings = kit_settings() if settings is None else settings
    url_path = "/" + article_url_path.strip("/") + "/"
    file = built_file(site_dir, url_path)
    article = read_article(site_dir, url_path) if file.is_file() else None
    if article is None:
        raise HandoutError(
            f"{file}: no article page there, so there is no packet to print. Give the article's "
            "address in the built site, such as /articles/is-ketamine-safe/."
        )
    wording = (words or WordBook.from_settings(settings)).of(article.language)
    at_end = signoff_block(article.canonical, dt.date.today(), wording)
    output_pdf = Path(output_pdf).resolve()
    job = _job(article, wording, _footer(settings, wording), output_pdf, at_end)
    failures = print_pages(site_hosting(site_dir, settings), [job], paper, workers=1)
    if failures:
        raise HandoutError(failures[0])
    return output_pdf
