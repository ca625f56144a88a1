"""Every page of the production build, served with exactly the headers of its ``_headers`` file.

The ``site`` fixture serves the build on 127.0.0.1 at the address it was built for. Chromium
fetches each response from it, and the test adds the headers the generated ``_headers`` file
gives that path (as Cloudflare Pages applies it: every matching rule, repeated values joined
with a comma; Netlify sends the same, test_header_hosts.py proves it) before the page sees it.
Then it checks what a reader's browser would: no Content-Security-Policy violation, no console
error, no request to another origin, every page and file answers 200.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from assets import headers, static_hosts
from conftest import BuiltSite
from playwright.sync_api import Page, Route, expect

CANARY_PATH = "/__csp-canary__/"
QUIET_MS = 100  # no request in flight for this long: the page is done (late reports included)
QUIET_STEP_MS = 50
SETTLE_LIMIT_MS = 10_000
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`securitypolicyviolation: ${event.violatedDirective} ${event.blockedURI}`);
});
"""


class HeaderServer:
    """Adds the ``_headers`` file's headers to every response of the site; records problems."""

    def __init__(self, site: BuiltSite) -> None:
        self.site = site
        self.origin = site.url
        text = (site.path / "_headers").read_text(encoding="utf-8")
        self.rules = static_hosts.parse_headers_file(text)
        self.problems: list[str] = []
        self.in_flight: set[object] = set()

    def watch(self, page: Page) -> None:
        """Keep count of the tab's requests that have not finished (see ``settle``)."""

        # Plain functions: Playwright marks each handler with an attribute, which a built-in
        # method such as set.add cannot take.
        def started(request: object) -> None:
            self.in_flight.add(request)

        def ended(request: object) -> None:
            self.in_flight.discard(request)

        page.on("request", started)
        page.on("requestfinished", ended)
        page.on("requestfailed", ended)

    def settle(self, page: Page) -> None:
        """Wait until no request has been in flight for QUIET_MS: a late request (an icon, a
        script's fetch) is still served, and its violation reported, before the page counts
        as checked. Playwright's "networkidle" waits 500 ms of quiet on every page; the pages'
        own requests are all counted here, so a shorter quiet is the same check."""
        quiet = 0
        for _ in range(SETTLE_LIMIT_MS // QUIET_STEP_MS):
            page.wait_for_timeout(QUIET_STEP_MS)
            quiet = 0 if self.in_flight else quiet + QUIET_STEP_MS
            if quiet >= QUIET_MS:
                return
        self.problems.append(f"{page.url}: requests still in flight after {SETTLE_LIMIT_MS} ms")

    def headers_for(self, path: str) -> dict[str, str]:
        """What Cloudflare Pages sends for ``path`` (all matching rules, values joined)."""
        return static_hosts.cloudflare_headers(self.rules, path)

    def handle(self, route: Route) -> None:
        """Serve one request from the site with its headers; refuse other origins."""
        url = route.request.url
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.problems.append(f"request to another origin: {url}")
            route.abort()
            return
        if parts.path == CANARY_PATH:
            body = "<!doctype html><title>c</title><p style='color:red'>x</p><script>1</script>"
            route.fulfill(
                status=200,
                headers={"Content-Type": "text/html", **self.headers_for("/")},
                body=body,
            )
            return
        response = route.fetch()
        if response.status != 200:
            self.problems.append(f"{parts.path} answered {response.status}")
        route.fulfill(
            response=response, headers={**response.headers, **self.headers_for(parts.path)}
        )


def open_page(page: Page, server: HeaderServer, path: str) -> list[str]:
    """Load one page with the headers; return its console errors and CSP violations."""
    messages: list[str] = []
    page.on(
        "console",
        lambda message: (
            messages.append(f"console {message.type}: {message.text}")
            if message.type == "error" or "Refused to" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: messages.append(f"page error: {error}"))
    response = page.goto(server.origin + path, wait_until="load")
    if response is None or response.status != 200:
        messages.append(f"{path} answered {response.status if response else 'nothing'}")
    server.settle(page)
    return messages


@pytest.fixture
def server(site: BuiltSite, page: Page) -> HeaderServer:
    """The header-adding server, routed into this Chromium tab."""
    header_server = HeaderServer(site)
    header_server.watch(page)
    page.context.route("**/*", header_server.handle)
    page.context.add_init_script(REPORT_VIOLATIONS)
    return header_server


def test_the_harness_enforces_the_csp(server: HeaderServer, page: Page) -> None:
    """A page with an inline style and script does report violations (the check can fail)."""
    messages = open_page(page, server, CANARY_PATH)
    assert any("securitypolicyviolation: style-src" in message for message in messages), messages
    assert any("securitypolicyviolation: script-src" in message for message in messages)


def test_every_page_loads_under_the_headers(
    site: BuiltSite, server: HeaderServer, page: Page
) -> None:
    problems = []
    for path in site.page_paths():
        problems += [f"{path}: {message}" for message in open_page(page, server, path)]
    problems += server.problems
    assert not problems, "\n".join(problems)


def test_responses_carry_the_security_headers(site: BuiltSite, server: HeaderServer) -> None:
    for path in ("/", "/search/", *site.article_paths()[:1]):
        sent = server.headers_for(path)
        assert sent["Referrer-Policy"] == "no-referrer"
        assert sent["X-Content-Type-Options"] == "nosniff"
        assert sent["Cross-Origin-Opener-Policy"] == "same-origin"
        assert sent["Cross-Origin-Resource-Policy"] == "same-origin"
        assert "max-age=" in sent["Strict-Transport-Security"]
        assert sent["Cache-Control"] == "no-cache"
        assert "default-src 'none'" in sent["Content-Security-Policy"]
    stylesheet = next(site.path.glob("theme/css/*.css")).relative_to(site.path).as_posix()
    assert server.headers_for("/" + stylesheet)["Cache-Control"] == headers.IMMUTABLE


def test_search_works_under_the_search_pages_own_headers(
    site: BuiltSite, server: HeaderServer, page: Page
) -> None:
    """The search page, served with the headers the build wrote for it, finds the safety
    article first for "bladder": Pagefind compiles its WebAssembly and fetches its index under
    that policy, with no violation and no console error (the one test of search under CSP)."""
    messages = open_page(page, server, "/search/?q=bladder")
    results = page.locator(".search-results__list .search-results__link")
    expect(results.first).to_be_visible(timeout=10_000)
    assert results.first.evaluate("a => a.pathname") == "/articles/is-ketamine-safe/"
    page.wait_for_timeout(200)
    assert not messages + server.problems, "\n".join(messages + server.problems)


def test_a_page_may_fetch_the_sites_robots_txt_and_nothing_else() -> None:
    # Lighthouse's SEO audit reads robots.txt from within the page, under its CSP.
    settings = {"SITEURL": "https://clinic.test/guides", "CLINIC": {}}
    directives = dict(
        part.strip().split(" ", 1) for part in headers.content_security_policy(settings).split(";")
    )
    assert directives["default-src"] == "'none'"
    assert directives["connect-src"] == "https://clinic.test/robots.txt"
    search = headers.content_security_policy(settings, search=True)
    assert "connect-src 'self'" in search
    assert "connect-src" not in headers.content_security_policy({"CLINIC": {}})
