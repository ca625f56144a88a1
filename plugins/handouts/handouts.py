"""Writing the handouts into a built site, and the reviewer's packet of one article."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from handouts.blocks import online_block, signoff_block
from handouts.pages import ArticlePage, Fingerprints, HandoutError, find_articles, read_article
from handouts.pages import page_file as built_file
from handouts.printing import PrintJob, print_pages
from handouts.progress import Step
from handouts.settings import check_paper
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


def _job(article: ArticlePage, words: Wording, destination: Path, at_end: str = "") -> PrintJob:
    return PrintJob(
        url_path=article.url_path,
        site_root=article.site_root,
        after_title=online_block(article.canonical, words),
        at_end=at_end,
        destination=destination,
        shown=str(article.file),
        words=words,
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
) -> HandoutReport:
    """Write one handout PDF beside each article page of the built site in ``site_dir``.

    Each handout's own words are in its page's language (``words``: the site's catalogues and
    date formats, ``WordBook.from_settings``). A handout is printed again only when its page, a
    file the page loads, its address, the paper, its words or the handout code changed
    (``everything``: print them all). Raises :class:`HandoutError` or ``HandoutSettingError``
    for a site or paper it cannot print.
    """
    started = time.perf_counter()
    paper = check_paper(paper)
    site_dir = Path(site_dir)
    store = HandoutStore(cache_dir)
    fingerprints = Fingerprints(site_dir)
    report = HandoutReport()
    book = words or WordBook()
    wording = {article: book.of(article.language) for article in find_articles(site_dir)}
    keys = {
        article: handout_key(article, paper, fingerprints, wording[article].signature())
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

    jobs = [_job(article, wording[article], store.path(key)) for article, key in to_print.values()]
    report.failures = print_pages(site_dir, jobs, paper, workers, printed)
    report.seconds = time.perf_counter() - started
    return report


def write_packet(
    site_dir: Path | str,
    article_url_path: str,
    output_pdf: Path | str,
    paper: str = "Letter",
    words: WordBook | None = None,
) -> Path:
    """Print one article's handout with a sign-off box at the end, for a clinician who reviews
    on paper, into ``output_pdf``. ``article_url_path`` is its address in the site
    ("/articles/x/"); ``words`` as for :func:`write_handouts`. Never cached: a packet is
    printed when it is asked for."""
    paper = check_paper(paper)
    site_dir = Path(site_dir)
    url_path = "/" + article_url_path.strip("/") + "/"
    file = built_file(site_dir, url_path)
    article = read_article(site_dir, url_path) if file.is_file() else None
    if article is None:
        raise HandoutError(
            f"{file}: no article page there, so there is no packet to print. Give the article's "
            "address in the built site, such as /articles/is-ketamine-safe/."
        )
    wording = (words or WordBook()).of(article.language)
    at_end = signoff_block(article.canonical, dt.date.today(), wording)
    output_pdf = Path(output_pdf).resolve()
    job = _job(article, wording, output_pdf, at_end)
    failures = print_pages(site_dir, [job], paper, workers=1)
    if failures:
        raise HandoutError(failures[0])
    return output_pdf
