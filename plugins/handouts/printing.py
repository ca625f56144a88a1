"""Printing pages of a built site to PDF with headless Chromium, several browser pages at once.

The browser prints with JavaScript off and under the site's own Content-Security-Policy (no
bypass): every request goes through Playwright's routing and is answered from the site's
folder, at the site's own address, with the headers its host sends (``assets.headers``, the one
definition); everything else is refused, so nothing leaves the machine. The page itself is the
built page with the handout's blocks added in Python (handouts.compose), and the footer's words
come from the settings, never from the page. Every browser step has a time limit, and a page
that stalls is named with what it was still waiting for.
"""

from __future__ import annotations

import asyncio
import mimetypes
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from content_check.audit_cache import SiteFiles
from content_check.browser_audit import run_in_own_loop
from content_check.html_checks import CHROMIUM, CHROMIUM_ARGS

from handouts.blocks import QR_PATH
from handouts.pages import HandoutError
from handouts.store import write_atomically

# Room for the footer Chromium prints on every sheet (clinic, phone numbers, page number).
MARGINS = {"top": "12mm", "bottom": "16mm", "left": "14mm", "right": "14mm"}
# How long one browser step (opening a page with everything it loads, printing it) may take.
STEP_SECONDS = 60.0


def browser_args() -> list[str]:
    """Chromium's switches: the kit's, with its sandbox on unless we run as root.

    Chromium refuses to start as root with its sandbox (containers and CI run as root), so
    only then is ``--no-sandbox`` kept; with JavaScript off and the site's CSP, a page runs no
    code in it either way.
    """
    args = [arg for arg in CHROMIUM_ARGS if arg != "--no-sandbox"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    return args


@dataclass(frozen=True)
class PrintJob:
    """One page to print, as the handout shows it, and where its PDF goes."""

    url_path: str  # "/articles/x/"
    site_root: str  # the production address the page lives at ("https://clinic.org")
    html: bytes  # the page to print (handouts.compose.handout_page)
    qr_png: bytes  # the QR code the page shows, answered at QR_PATH
    footer: str  # Chromium's footer template for every sheet (handouts.blocks)
    destination: Path
    shown: str  # the page's file, as error messages name it


@dataclass(frozen=True)
class Hosting:
    """The built site as its host serves it: the files and each path's response headers."""

    site_dir: Path
    headers_for: Callable[[str], Mapping[str, str]] = lambda path: {}


def site_hosting(site_dir: Path, settings: Mapping[str, Any]) -> Hosting:
    """The site in ``site_dir`` with the headers ``settings`` give it (its CSP included)."""
    from assets.headers import header_rules, headers_for_path

    rules = header_rules(settings)
    return Hosting(Path(site_dir), lambda path: headers_for_path(rules, path))


def default_workers() -> int:
    """One browser page per core."""
    return max(1, os.cpu_count() or 1)


def print_pages(
    hosting: Hosting,
    jobs: list[PrintJob],
    paper: str,
    workers: int | None = None,
    on_printed: Callable[[PrintJob], None] | None = None,
    *,
    step_seconds: float = STEP_SECONDS,
) -> list[str]:
    """Print every job's page into its destination; return one message per page that failed.

    ``workers`` browser pages print at once (default: one per core); ``on_printed`` is called
    after each PDF is written; a page that takes longer than ``step_seconds`` to open or to
    print fails with a message naming it.
    """
    if not jobs:
        return []
    count = max(1, min(workers or default_workers(), len(jobs)))
    run = _Run(hosting, SiteFiles(hosting.site_dir), paper, step_seconds, on_printed)
    return run_in_own_loop(_print_all(run, jobs, count))


@dataclass
class _Run:
    """What the browser pages of one run share."""

    hosting: Hosting
    files: SiteFiles
    paper: str
    step_seconds: float
    on_printed: Callable[[PrintJob], None] | None
    failures: list[str] = field(default_factory=list)


async def _print_all(run: _Run, jobs: list[PrintJob], workers: int) -> list[str]:
    from playwright.async_api import async_playwright

    queue: asyncio.Queue = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=browser_args())
        try:
            await asyncio.gather(*(_printer(browser, run, queue) for _ in range(workers)))
        finally:
            await browser.close()
    return run.failures


class _Tab:
    """One browser page in its own context (JavaScript off, the site's CSP in force), answering
    requests for the job it prints and noting which requests are still open."""

    def __init__(self, run: _Run) -> None:
        self.run = run
        self.job: PrintJob | None = None
        self.pending: dict[Any, str] = {}

    async def open(self, browser: Any) -> Any:
        context = await browser.new_context(java_script_enabled=False)
        await context.route("**/*", self.answer)
        page = await context.new_page()
        page.set_default_timeout(self.run.step_seconds * 1000)
        page.on("request", lambda request: self.pending.__setitem__(request, request.url))
        for event in ("requestfinished", "requestfailed"):
            page.on(event, lambda request: self.pending.pop(request, None))
        return page

    async def answer(self, route: Any) -> None:
        """Answer one request as the site's host would; refuse any other address."""
        job, url = self.job, route.request.url
        root = job.site_root + "/" if job else None
        if job is None or not url.startswith(root):
            await route.abort("blockedbyclient")
            return
        path = "/" + urlsplit(url[len(root) :]).path.lstrip("/")
        headers = dict(self.run.hosting.headers_for(path))
        if path == job.url_path:
            body, kind = job.html, "text/html; charset=utf-8"
        elif path == QR_PATH:
            body, kind = job.qr_png, "image/png"
        else:
            file = self.run.files.file_for(path)
            if file is None:
                await route.fulfill(status=404, headers=headers, body=b"Not found")
                return
            body = file.read_bytes()
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        await route.fulfill(status=200, headers=headers, body=body, content_type=kind)

    def stalled(self, step: str) -> str:
        """Which page stalled, on which step, and what it was still waiting for."""
        job = self.job
        waiting = sorted(set(self.pending.values()))
        still = f"; still waiting for {', '.join(waiting[:3])}" if waiting else ""
        return (
            f"the browser stalled {step} {job.site_root}{job.url_path} for more than "
            f"{self.run.step_seconds:g} s{still}"
        )


async def _printer(browser: Any, run: _Run, queue: asyncio.Queue) -> None:
    """One browser page printing jobs from the queue until it is empty."""
    from playwright.async_api import Error as PlaywrightError

    tab = _Tab(run)
    page = await tab.open(browser)
    try:
        while not queue.empty():
            job = queue.get_nowait()
            tab.job = job
            tab.pending.clear()
            try:
                pdf = await _print_one(page, tab, job, run)
            except (HandoutError, PlaywrightError) as error:
                first_line = str(error).strip().splitlines()[0]
                run.failures.append(f"{job.shown}: the handout could not be printed: {first_line}")
                continue
            write_atomically(job.destination, pdf)
            if run.on_printed:
                run.on_printed(job)
    finally:
        await page.context.close()


async def _print_one(page: Any, tab: _Tab, job: PrintJob, run: _Run) -> bytes:
    """Open the page with everything it loads, then print it with the print stylesheet."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    try:
        response = await page.goto(job.site_root + job.url_path, wait_until="load")
    except PlaywrightTimeout:
        raise HandoutError(tab.stalled("opening")) from None
    if response is None or not response.ok:
        status = response.status if response is not None else "no answer"
        raise HandoutError(f"the page answered {status} for {job.url_path}")
    printing = page.pdf(
        format=run.paper,
        tagged=True,  # headings, lists, the language and the alt text, for screen readers
        outline=True,  # the headings as the PDF's bookmarks
        margin=MARGINS,
        display_header_footer=True,
        header_template="<span></span>",
        footer_template=job.footer,
    )
    try:
        return await asyncio.wait_for(printing, run.step_seconds)
    except TimeoutError:
        raise HandoutError(tab.stalled("printing")) from None
