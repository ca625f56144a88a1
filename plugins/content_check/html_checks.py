"""Checks of the built HTML: the Nu HTML Checker and axe-core in Chromium.

These need a built site (``invoke check --full`` and ``invoke publish``); the writer's fast
checks never call them. Both are usable from tests::

    from content_check.html_checks import run_axe, run_nu_checker
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import mimetypes
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlparse

from content_check.findings import Finding

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def _display_path(url: str, site_dir: Path) -> str:
    """Turn vnu's ``file:/tmp/x/output/a/index.html`` into a path relative to the project."""
    path = Path(unquote(urlparse(url).path)) if url.startswith("file:") else Path(url)
    for base in (PROJECT_ROOT, site_dir.resolve().parent):
        try:
            return path.resolve().relative_to(base).as_posix()
        except ValueError:
            continue
    return str(path)


def run_nu_checker(site_dir: Path | str) -> list[Finding]:
    """Validate every HTML file under ``site_dir`` with the Nu HTML Checker (errors only).

    Each error becomes a ``html-invalid`` finding naming the output file and line. A missing
    Java or vnu.jar is itself reported as one ``html-checker-missing`` error, so that a
    broken toolchain never passes silently.
    """
    site_dir = Path(site_dir)
    command = [
        "java",
        "-jar",
        str(VNU_JAR),
        "--skip-non-html",
        "--errors-only",
        "--format",
        "json",
        str(site_dir),
    ]
    fix_setup = "Install Java 17 and run `npm ci --no-audit --no-fund` in the project folder."
    if not VNU_JAR.exists():
        return [
            Finding(
                str(VNU_JAR),
                None,
                "error",
                "html-checker-missing",
                "The Nu HTML Checker (vnu.jar) is not installed.",
                fix_setup,
            )
        ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return [
            Finding(
                "java",
                None,
                "error",
                "html-checker-missing",
                "Java is not installed, so the HTML could not be validated.",
                fix_setup,
            )
        ]
    output = result.stderr.strip() or result.stdout.strip()
    try:
        messages = json.loads(output).get("messages", []) if output else []
    except json.JSONDecodeError:
        return [
            Finding(
                str(site_dir),
                None,
                "error",
                "html-checker-failed",
                f"The Nu HTML Checker failed: {output[:300]}",
                fix_setup,
            )
        ]
    findings = []
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        extract = (message.get("extract") or "").strip().replace("\n", " ")
        findings.append(
            Finding(
                file=_display_path(message.get("url", str(site_dir)), site_dir),
                line=message.get("lastLine"),
                severity="error",
                code="html-invalid",
                message=message.get("message", "invalid HTML"),
                fix=(f"Near: {extract[:120]}. " if extract else "")
                + "Fix the template or the Markdown that produces this HTML.",
            )
        )
    return findings


def axe_violations(page: Any, axe_source: str | None = None) -> list[dict]:
    """Run axe-core with our rule tags on the page loaded in a Playwright ``page``.

    The one place the site's accessibility rules are set: the writer's check and the browser
    tests both call it.
    """
    page.add_script_tag(content=axe_source or AXE_JS.read_text(encoding="utf-8"))
    outcome = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return outcome["violations"]


def run_axe(
    base_url: str,
    url_paths: list[str],
    color_scheme: str = "light",
    site_dir: Path | None = None,
    site_url: str = "",
) -> dict[str, list[dict]]:
    """Run axe-core in Chromium on each page; return ``{url_path: [violation, ...]}``.

    ``color_scheme`` is "light" or "dark" (emulated ``prefers-color-scheme``). Every path is
    a key of the result, with an empty list when axe finds no violation there. A production
    build links its stylesheet at its real address (``site_url``); give ``site_dir`` too and
    those requests are answered from the built files, so nothing leaves the machine.
    """
    from playwright.sync_api import sync_playwright

    axe_source = AXE_JS.read_text(encoding="utf-8")
    results: dict[str, list[dict]] = {}
    base = base_url.rstrip("/")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(color_scheme=color_scheme)
            if site_dir is not None and site_url.startswith(("http://", "https://")):
                context.route(
                    site_url.rstrip("/") + "/**",
                    functools.partial(_answer_from_folder, Path(site_dir), site_url),
                )
            page = context.new_page()
            for path in url_paths:
                page.goto(base + "/" + path.lstrip("/"), wait_until="load")
                results[path] = axe_violations(page, axe_source)
            context.close()
        finally:
            browser.close()
    return results


def axe_findings(results: dict[str, list[dict]], color_scheme: str = "light") -> list[Finding]:
    """Turn :func:`run_axe` results into ``a11y-violation`` findings (one per rule and page)."""
    findings = []
    for path, violations in results.items():
        for violation in violations:
            targets = [", ".join(node.get("target", [])) for node in violation.get("nodes", [])]
            findings.append(
                Finding(
                    file=path,
                    line=None,
                    severity="error",
                    code="a11y-violation",
                    message=f"[{color_scheme}] {violation['id']}: {violation['help']} "
                    f"({len(targets)} element(s): {'; '.join(targets[:3])})",
                    fix=violation.get("helpUrl", ""),
                )
            )
    return findings


def _answer_from_folder(site_dir: Path, site_url: str, route, request) -> None:
    """Answer a request for the production address with the built file (or a 404)."""
    relative = unquote(urlparse(request.url).path)[len(urlparse(site_url).path) :].lstrip("/")
    file = site_dir / relative
    if file.is_dir() or not relative:
        file = file / "index.html"
    if file.is_file():
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        route.fulfill(status=200, body=file.read_bytes(), content_type=content_type)
    else:
        route.fulfill(status=404, body=b"not found")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_folder(folder: Path, port: int = 0) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 while the block runs; yield its URL (port 0: a free one)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def page_paths(site_dir: Path) -> list[str]:
    """Every HTML page of a built site as a URL path ("/", "/articles/x/", "/404.html")."""
    paths = []
    for file in sorted(Path(site_dir).rglob("*.html")):
        relative = file.relative_to(site_dir).as_posix()
        if "pagefind" in relative.split("/") or relative.startswith("drafts/"):
            continue
        paths.append("/" + relative.removesuffix("index.html"))
    return paths


def check_built_links(site_dir: Path | str, site_url: str = "") -> list[Finding]:
    """Every internal ``href``/``src`` in the built HTML resolves to a file, and every
    ``#fragment`` to an id on the target page (``link-broken``, ``link-fragment``)."""
    from bs4 import BeautifulSoup

    site_dir = Path(site_dir)
    site_url = site_url.rstrip("/")
    ids: dict[Path, set[str]] = {}
    soups = {}
    for file in site_dir.rglob("*.html"):
        if "pagefind" in file.parts:
            continue
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        soups[file] = soup
        ids[file] = {tag["id"] for tag in soup.find_all(id=True)} | {
            tag["name"] for tag in soup.find_all("a", attrs={"name": True})
        }
    findings = []
    for file, soup in sorted(soups.items()):
        shown = _display_path(str(file), site_dir)
        page_url = "/" + file.relative_to(site_dir).as_posix()
        for tag in soup.find_all(["a", "link", "img", "script", "source"]):
            for attr in ("href", "src"):
                url = tag.get(attr)
                if not url or (tag.name == "link" and "canonical" in (tag.get("rel") or [])):
                    continue
                if site_url and url.startswith(site_url):
                    url = url[len(site_url) :] or "/"
                parsed = urlparse(urljoin(page_url, url))
                if parsed.scheme or parsed.netloc:
                    continue
                target = site_dir / unquote(parsed.path).lstrip("/")
                if target.is_dir():
                    target = target / "index.html"
                if not target.exists():
                    findings.append(
                        Finding(
                            shown,
                            tag.sourceline,
                            "error",
                            "link-broken",
                            f"{url} does not exist in the built site.",
                            "Use {filename} or {static} links in the Markdown, "
                            "so the build can check them.",
                        )
                    )
                elif parsed.fragment and target in ids and parsed.fragment not in ids[target]:
                    findings.append(
                        Finding(
                            shown,
                            tag.sourceline,
                            "error",
                            "link-fragment",
                            f'{url}: no element with id "{parsed.fragment}" on that page.',
                            "Link to a heading that exists on the page.",
                        )
                    )
    return findings
