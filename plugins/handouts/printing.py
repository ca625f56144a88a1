"""Printing pages of a built site to PDF with headless Chromium, several browser pages at once.

The site is served on 127.0.0.1; requests for its production address (a production build links
its stylesheet absolutely) are answered by that local server, and every other request is
refused, so nothing leaves the machine and nothing else can change a handout.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from content_check.html_checks import CHROMIUM, CHROMIUM_ARGS, serve_folder

from handouts.blocks import ENGLISH, footer_template
from handouts.pages import HandoutError
from handouts.store import write_atomically
from handouts.wording import Wording

# Room for the footer Chromium prints on every sheet (clinic, phone numbers, page number).
MARGINS = {"top": "14mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}
# Adds the handout's blocks: one after the article's title, one at the very end, after the
# site's footer (the packet's sign-off box: the last thing on the last sheet, where a reviewer
# signs); then waits until every image (the QR code) is decoded.
ADD_BLOCKS = """async ([afterTitle, atEnd]) => {
  const main = document.querySelector("main") || document.body;
  const title = main.querySelector("h1");
  const header = title ? title.closest("header") || title : null;
  if (header) header.insertAdjacentHTML("afterend", afterTitle);
  else main.insertAdjacentHTML("afterbegin", afterTitle);
  if (atEnd) document.body.insertAdjacentHTML("beforeend", atEnd);
  await Promise.all([...document.images].map((image) => image.decode().catch(() => null)));
}"""
# The clinic's name and each office's phone number, from the site footer (partials/footer.html).
READ_CLINIC = """() => ({
  name: document.querySelector(".site-footer__heading")?.textContent.trim() || "",
  offices: [...document.querySelectorAll(".site-footer__office")].map((office) => [
    office.querySelector(".site-footer__office-name")?.textContent.trim() || "",
    office.querySelector(".site-footer__phone")?.textContent.trim() || "",
  ]),
})"""


@dataclass(frozen=True)
class PrintJob:
    """One page to print, what to add to it, and where its PDF goes."""

    url_path: str
    site_root: str  # the production address its absolute links start with
    after_title: str  # HTML added after the article's title (the QR block)
    at_end: str  # HTML added at the end of the page ("" for none)
    destination: Path
    shown: str  # the page's file, as error messages name it
    words: Wording = ENGLISH  # the footer's words, in the page's language


def default_workers() -> int:
    """One browser page per core."""
    return max(1, os.cpu_count() or 1)


def print_pages(
    site_dir: Path,
    jobs: list[PrintJob],
    paper: str,
    workers: int | None = None,
    on_printed: Callable[[PrintJob], None] | None = None,
) -> list[str]:
    """Print every job's page into its destination; return one message per page that failed.

    ``workers`` browser pages print at once (default: one per core); ``on_printed`` is called
    after each PDF is written.
    """
    if not jobs:
        return []
    count = max(1, min(workers or default_workers(), len(jobs)))
    with serve_folder(Path(site_dir)) as base:
        return _run(_print_all(base, jobs, paper, count, on_printed or (lambda job: None)))


def _run(coroutine: Coroutine[Any, Any, list[str]]) -> list[str]:
    """Run the printing's event loop here, or in a thread of its own when this thread already
    runs one (Playwright's sync API does, as do notebooks): asyncio allows one per thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@dataclass
class _Run:
    """What the browser pages of one run share: the queue of jobs and what came of them."""

    base: str  # the local server's address
    paper: str
    queue: asyncio.Queue
    failures: list[str]
    on_printed: Callable[[PrintJob], None]


async def _print_all(
    base: str, jobs: list[PrintJob], paper: str, workers: int, on_printed: Callable
) -> list[str]:
    from playwright.async_api import async_playwright

    run = _Run(base, paper, asyncio.Queue(), [], on_printed)
    for job in jobs:
        run.queue.put_nowait(job)
    roots = sorted({job.site_root for job in jobs}, key=len, reverse=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        local = await playwright.request.new_context()
        try:
            context = await browser.new_context(bypass_csp=True)
            await context.route("**/*", _router(base, roots, local))
            await asyncio.gather(*(_printer(context, run) for _ in range(workers)))
        finally:
            await local.dispose()
            await browser.close()
    return run.failures


def _router(base: str, roots: list[str], local: Any) -> Callable:
    """Let requests to the local server through, answer the production address from it, and
    refuse everything else."""

    async def route(route: Any) -> None:
        url = route.request.url
        if url.startswith(base + "/"):
            await route.continue_()
            return
        for root in roots:
            if url.startswith(root + "/"):
                await route.fulfill(response=await local.get(base + url[len(root) :]))
                return
        await route.abort()

    return route


async def _printer(context: Any, run: _Run) -> None:
    """One browser page printing jobs from the queue until it is empty."""
    from playwright.async_api import Error as PlaywrightError

    page = await context.new_page()
    try:
        while not run.queue.empty():
            job = run.queue.get_nowait()
            try:
                pdf = await _print_one(page, run.base, job, run.paper)
            except (HandoutError, PlaywrightError) as error:
                run.failures.append(f"{job.shown}: the handout could not be printed: {error}")
                continue
            write_atomically(job.destination, pdf)
            run.on_printed(job)
    finally:
        await page.close()


async def _print_one(page: Any, base: str, job: PrintJob, paper: str) -> bytes:
    """Open the page, add the handout's blocks, and print it with the print stylesheet."""
    response = await page.goto(base + job.url_path, wait_until="load")
    if response is None or not response.ok:
        status = response.status if response is not None else "no answer"
        raise HandoutError(f"the local server answered {status} for {job.url_path}")
    await page.evaluate(ADD_BLOCKS, [job.after_title, job.at_end])
    clinic = await page.evaluate(READ_CLINIC)
    return await page.pdf(
        format=paper,
        tagged=True,  # headings, lists, the language and the alt text, for screen readers
        outline=True,  # the headings as the PDF's bookmarks
        margin=MARGINS,
        display_header_footer=True,
        header_template="<span></span>",
        footer_template=footer_template(clinic["name"], clinic["offices"], job.words),
    )
