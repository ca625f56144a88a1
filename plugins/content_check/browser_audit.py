"""The browser audits of a built site, in Chromium: axe-core on each page, and one real search.

The site is served the way its host serves it. Every request the browser makes goes through
Playwright's routing: a file of the built site is answered from the folder, at the site's own
address, with the response headers the host sends for that path (``assets.headers``, the one
definition: the Content-Security-Policy included); anything else is refused, so nothing leaves
the machine and no script that the site's CSP forbids runs on the publisher's machine. axe-core
is added as an init script (the browser's own channel, which a page's CSP does not govern).

Pages are audited by several browser pages at once, each in its own context; each page is
loaded once and audited with each group of rules, in each colour scheme, it needs
(``prefers-color-scheme`` emulated; ``html_checks.THEME_RULES`` says which rules are in which
group).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import mimetypes
import re
import threading
from collections.abc import Callable, Coroutine, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar
from urllib.parse import urlsplit

from content_check.audit_cache import MISSING, SiteFiles
from content_check.html_checks import (
    AXE_RUN_GROUPS,
    AXE_TAGS,
    CHROMIUM_ARGS,
    THEME_RULES,
    Tools,
    rule_group,
)

T = TypeVar("T")
VIEWPORT = {"width": 1280, "height": 720}
CLEANUP_SECONDS = 20
PAGE_TIMEOUT_MS = 30_000
SEARCH_TIMEOUT_MS = 15_000
# The theme's search page (theme/templates/search.html, theme/static/js/search.js).
SEARCH_FIELD = "form input[name=q]"
SEARCH_FORM = "form:has(input[name=q])"
SEARCH_RESULT_LINK = ".search-results__list a[href]"
SEARCH_STATUS = ".search-results__status"
# The words the status shows while a search runs, in the page's own language.
SEARCH_SEARCHING_WORDS = "data-searching"


@dataclass
class HostedSite:
    """A built site at its own address, answered from its folder with its host's headers."""

    files: SiteFiles
    base_url: str  # the site's address without a trailing slash: "https://www.clinic.test"
    headers_for: Callable[[str], dict[str, str]]  # URL path -> response headers

    def url(self, url_path: str) -> str:
        """The full address of a site-relative URL path ("/articles/a/")."""
        return self.base_url + url_path

    def site_path(self, url: str) -> str | None:
        """The site-relative path of an address on this site, None for any other address."""
        prefix = self.base_url + "/"
        if not url.startswith(prefix):
            return None
        return "/" + urlsplit(url[len(prefix) :]).path.lstrip("/")

    async def answer(self, route: Any, loads: dict[str, str]) -> None:
        """Answer one request as the host would; note what was served in ``loads``."""
        path = self.site_path(route.request.url)
        if path is None:
            await route.abort("blockedbyclient")
            return
        headers = self.headers_for(path)
        body = self.files.read(path)
        if body is None:
            loads[path] = MISSING
            not_found = self.files.read("/404.html") or b"Not found"
            await route.fulfill(
                status=404, headers=headers, body=not_found, content_type="text/html"
            )
            return
        loads[path] = self.files.digest(path)
        file = self.files.file_for(path)
        content_type = mimetypes.guess_type(file.name)[0] if file else None
        content_type = content_type or "application/octet-stream"
        await route.fulfill(status=200, headers=headers, body=body, content_type=content_type)


class AxeRun(NamedTuple):
    """One run of axe on a loaded page: a colour scheme and a group of rules."""

    scheme: str  # "light" or "dark"
    group: str  # html_checks.THEME_GROUP or CONTENT_GROUP


@dataclass(frozen=True)
class PageJob:
    """A page to audit and the runs it needs (light ones first: the scheme changes once)."""

    path: str
    runs: tuple[AxeRun, ...]


@dataclass
class PageAudit:
    """What axe found on one page in each run, and what the page loaded."""

    path: str
    violations: dict[AxeRun, list[dict]] = field(default_factory=dict)
    loads: dict[str, str] = field(default_factory=dict)
    blocked: list[str] = field(default_factory=list)  # what the CSP refused, as Chromium says
    error: str = ""


class AuditTab:
    """One browser page in its own context, serving the site under its rules."""

    def __init__(self, site: HostedSite, tags: tuple[str, ...] = tuple(AXE_TAGS)) -> None:
        self.site = site
        self.tags = list(tags)
        self.loads: dict[str, str] = {}
        self.console_errors: list[str] = []
        self.context: Any = None
        self.page: Any = None

    async def open(self, browser: Any, axe_source: str | None = None) -> AuditTab:
        """Open the context and the page (with axe-core added to every page it loads)."""
        self.context = await browser.new_context(viewport=VIEWPORT)
        await self.context.route("**/*", functools.partial(self.site.answer, loads=self.loads))
        if axe_source:
            await self.context.add_init_script(script=axe_source)
        self.page = await self.context.new_page()
        self.page.set_default_timeout(PAGE_TIMEOUT_MS)
        self.page.on("console", self._note_console)
        return self

    def _note_console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    async def close(self) -> None:
        """Close the context (quietly: the browser may already be gone after Ctrl-C)."""
        if self.context is not None:
            with contextlib.suppress(Exception):
                await self.context.close()

    async def audit(self, job: PageJob, on_done: Callable[[], None]) -> PageAudit:
        """Load the page once; run axe once per colour scheme, for that scheme's runs."""
        from playwright.async_api import Error as PlaywrightError

        self.loads.clear()
        self.console_errors.clear()
        result = PageAudit(job.path)
        try:
            for scheme, scheme_runs in itertools.groupby(job.runs, key=lambda run: run.scheme):
                runs = list(scheme_runs)
                await self.page.emulate_media(color_scheme=scheme)
                if not result.violations:
                    await self.page.goto(self.site.url(job.path), wait_until="load")
                groups = [run.group for run in runs]
                arguments = [self.tags, list(THEME_RULES), groups]
                violations = await self.page.evaluate(AXE_RUN_GROUPS, arguments)
                for run in runs:
                    result.violations[run] = [
                        v for v in violations if rule_group(v["id"]) == run.group
                    ]
                    on_done()
        except PlaywrightError as error:
            result.error = str(error).strip().splitlines()[0]
        result.loads = dict(self.loads)
        result.blocked = [text for text in self.console_errors if is_csp_report(text)]
        return result


def is_csp_report(text: str) -> bool:
    """Whether a console message is Chromium reporting something the CSP refused."""
    return "Content Security Policy" in text


async def _work(tab: AuditTab, jobs: Iterator[PageJob], on_done: Callable, out: list) -> None:
    """Take the next job until there are none (the workers share one iterator)."""
    for job in jobs:
        out.append(await tab.audit(job, on_done))


async def audit_pages(
    browser: Any,
    site: HostedSite,
    jobs: Iterable[PageJob],
    axe_source: str,
    *,
    on_done: Callable[[], None],
    workers: int = 2,
    tags: tuple[str, ...] = tuple(AXE_TAGS),
) -> list[PageAudit]:
    """Run axe on every job, ``workers`` browser pages at once; results in finishing order.

    No more browser pages than jobs (each costs Chromium a renderer process, about a second:
    a check after one edit audits one page), opened at the same time.
    """
    todo = list(jobs)
    shared = iter(todo)
    results: list[PageAudit] = []
    tabs = [AuditTab(site, tags) for _ in range(max(1, min(workers, len(todo))))]
    try:
        await asyncio.gather(*(tab.open(browser, axe_source) for tab in tabs))
        await asyncio.gather(*(_work(tab, shared, on_done, results) for tab in tabs))
    finally:
        for tab in tabs:
            await tab.close()
    return results


@dataclass(frozen=True)
class SearchProbe:
    """One real search: the search page's path and a word from a built page."""

    page: str  # "/search/"
    word: str


@dataclass
class SearchOutcome:
    """What one search showed: result links, and the page's status text when there were none.

    ``answered``: the page ended its search (results, or a status such as "no results" or
    "unavailable"); False when it said nothing within ``SEARCH_TIMEOUT_MS`` or could not be
    searched at all.
    """

    results: int = 0
    status: str = ""
    blocked: list[str] = field(default_factory=list)
    answered: bool = False
    loads: dict[str, str] = field(default_factory=dict)  # what the search page loaded


async def search_once(browser: Any, site: HostedSite, probe: SearchProbe) -> SearchOutcome:
    """Type ``probe.word`` into the search page as a reader would; count the result links.

    The wait ends as soon as the page answers (``search_answer``): a broken search says so in
    its status at once, and is not waited on for the whole timeout.
    """
    from playwright.async_api import Error as PlaywrightError

    tab = await AuditTab(site).open(browser)
    outcome = SearchOutcome()
    try:
        await tab.page.goto(site.url(probe.page), wait_until="load")
        answer = await search_answer(tab.page)
        await tab.page.fill(SEARCH_FIELD, probe.word)
        await tab.page.press(SEARCH_FIELD, "Enter")
        await answer.first.wait_for(timeout=SEARCH_TIMEOUT_MS)
        outcome.answered = True
        outcome.results = await tab.page.locator(SEARCH_RESULT_LINK).count()
        if not outcome.results:
            outcome.status = await _status_text(tab)
    except PlaywrightError as error:
        outcome.status = await _status_text(tab) or str(error).strip().splitlines()[0]
    finally:
        outcome.blocked = [text for text in tab.console_errors if is_csp_report(text)]
        outcome.loads = dict(tab.loads)
        await tab.close()
    return outcome


async def search_answer(page: Any) -> Any:
    """What shows that the search page has answered: a result link, or a status that is
    neither empty nor the form's words for a search still running (theme/static/js/search.js
    writes those first, then the outcome: results, none, or unavailable)."""
    form = page.locator(SEARCH_FORM).first
    searching = (await form.get_attribute(SEARCH_SEARCHING_WORDS) or "").strip()
    status = page.locator(SEARCH_STATUS).filter(has_text=re.compile(r"\S"))
    if searching:
        status = status.filter(has_not_text=re.compile(rf"^\s*{re.escape(searching)}\s*$"))
    return page.locator(SEARCH_RESULT_LINK).or_(status)


async def _status_text(tab: AuditTab) -> str:
    from playwright.async_api import Error as PlaywrightError

    try:
        return (await tab.page.locator(SEARCH_STATUS).first.text_content(timeout=1000)).strip()
    except (PlaywrightError, AttributeError):
        return ""


def search_word(html: str) -> str:
    """A word a reader might search for: the longest plain word in the page's indexed text."""
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(html)
    bodies = tree.xpath("//*[@data-pagefind-body]")
    text = " ".join(body.text_content() for body in bodies)
    words = re.findall(r"\b[A-Za-z]{5,}\b", text)[:300]
    return max(words, key=len, default="")


async def launch(playwright: Any, tools: Tools) -> Any:
    """Debian's Chromium, the network kept quiet."""
    return await playwright.chromium.launch(executable_path=tools.chromium, args=CHROMIUM_ARGS)


async def _in_browser(tools: Tools, work: Callable[[Any], Any]) -> Any:
    """Start Playwright and Chromium, await ``work(browser)``, close both whatever happens."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await launch(playwright, tools)
        try:
            return await work(browser)
        finally:
            with contextlib.suppress(Exception):  # after Ctrl-C it may be gone already
                await browser.close()


def run_browser_audits(
    site: HostedSite,
    jobs: list[PageJob],
    tools: Tools,
    on_done: Callable[[], None],
    *,
    workers: int = 2,
    tags: tuple[str, ...] = tuple(AXE_TAGS),
) -> list[PageAudit]:
    """Audit ``jobs`` with axe (rules: ``tags``) in one Chromium, ``workers`` pages at once."""
    if not jobs:
        return []
    axe_source = tools.axe_js.read_text(encoding="utf-8")

    async def work(browser: Any) -> list[PageAudit]:
        return await audit_pages(
            browser, site, jobs, axe_source, on_done=on_done, workers=workers, tags=tags
        )

    return run_in_own_loop(_in_browser(tools, work))


def run_search(site: HostedSite, probe: SearchProbe, tools: Tools) -> SearchOutcome:
    """One real search on the built site, in Chromium, under the site's headers."""

    async def work(browser: Any) -> SearchOutcome:
        return await search_once(browser, site, probe)

    return run_in_own_loop(_in_browser(tools, work))


def run_in_own_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` in a new event loop on its own thread; return its result.

    Its own thread, so that it also runs where a loop is already running (Playwright's sync
    API keeps one in the main thread, as in the test suite). On Ctrl-C the coroutine is
    cancelled and its cleanup (closing Chromium) finishes before KeyboardInterrupt goes on.
    """
    loop = asyncio.new_event_loop()
    finished = threading.Event()

    async def guarded() -> T:
        try:
            return await coroutine
        finally:
            finished.set()

    thread = threading.Thread(target=loop.run_forever, name="browser-audit", daemon=True)
    thread.start()
    future = asyncio.run_coroutine_threadsafe(guarded(), loop)
    try:
        return future.result()
    except KeyboardInterrupt:
        # Ctrl-C reached Playwright's driver and Chromium too: what their closed connection
        # reports from now on ("Future exception was never retrieved") is noise after the
        # one line that says the run stopped.
        loop.set_exception_handler(_ignore_after_stop)
        future.cancel()
        finished.wait(CLEANUP_SECONDS)
        raise
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(CLEANUP_SECONDS)
        if not thread.is_alive():
            loop.close()


def _ignore_after_stop(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """The event loop's exception handler once Ctrl-C has stopped the run: report nothing."""
