"""Checks of the built HTML: the Nu HTML Checker and axe-core in Chromium.

These need a built site (``invoke check --full`` and ``invoke publish``); the writer's fast
checks never call them. ``content_check.audit`` runs them over a site (only what changed, axe
in parallel browser pages under the site's own headers); tests call them directly::

    from content_check.html_checks import axe_violations, run_nu_checker
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import importlib.util
import json
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
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
# axe-core's rules in two groups, by what their result depends on (docs/publishers.md,
# "What the accessibility audit runs where"). The theme's rules: axe's "cat.color" category
# (axe-core 4.14: color-contrast, link-in-text-block). They compare the colours the stylesheet
# gives text, links and backgrounds, which the colour scheme changes and content cannot: the
# build refuses raw HTML and style="", so a page's colours come from its template and the kinds
# of element its body holds. They run once per template shape and colour scheme, and on the
# specimen (every element our Markdown makes). Every other rule of AXE_TAGS is a content rule
# (names, alternatives, headings, lists, tables, ARIA, landmarks, sizes): it reads the page's
# own elements and text, not its colours, and runs on every page in one scheme. A rule axe adds
# later runs with the content rules (every page) until it is named here.
THEME_RULES = ("color-contrast", "link-in-text-block")
THEME_GROUP = "theme"
CONTENT_GROUP = "content"


def display_path(url: str, site_dir: Path) -> str:
    """Turn vnu's ``file:/srv/x/output/a/index.html`` into a path relative to the project."""
    path = Path(unquote(urlparse(url).path)) if url.startswith("file:") else Path(url)
    for base in (PROJECT_ROOT, site_dir.resolve().parent):
        try:
            return path.resolve().relative_to(base).as_posix()
        except ValueError:
            continue
    return str(path)


NU_OPTIONS = ["--errors-only", "--format", "json"]
# Java's quick compiler only: the Nu checker starts in a third of the time and checks 500 pages
# in half of it (the optimising compiler's work does not pay back in a run this short). Its
# larger stack frames need a larger thread stack (without it: StackOverflowError).
NU_JAVA_OPTIONS = ["-XX:TieredStopAtLevel=1", "-Xss16m"]
# The one command that installs every checker (Debian packages, Node tools, Playwright), once.
INSTALL_CHECKERS = "./quickstart tools"
# What a missing checker's finding is filed under: not a path (the writer edits no such file).
CHECKERS = "The HTML and accessibility checkers"


@dataclass(frozen=True)
class Tools:
    """Where the built-site checkers are: axe-core, the Nu HTML Checker, Java and Chromium."""

    axe_js: Path = AXE_JS
    vnu_jar: Path = VNU_JAR
    java: str = "java"
    chromium: str = CHROMIUM

    def missing(self) -> list[Finding]:
        """One ``html-checker-missing`` finding naming every checker that is not installed,
        and the one command that installs them all (none when everything is there)."""
        absent = []
        if not self.vnu_jar.is_file():
            absent.append("the Nu HTML Checker (vnu.jar)")
        if shutil.which(self.java) is None:
            absent.append("Java (for the Nu HTML Checker)")
        if not self.axe_js.is_file():
            absent.append("axe-core")
        if not Path(self.chromium).is_file():
            absent.append("Chromium")
        if importlib.util.find_spec("playwright") is None:
            absent.append("Playwright for Python")
        if not absent:
            return []
        return [
            Finding(
                CHECKERS,
                None,
                "error",
                "html-checker-missing",
                f"Not installed: {', '.join(absent)}. `invoke check --full` needs them "
                "(`./quickstart serve` installs only what the preview needs).",
                f"Run `{INSTALL_CHECKERS}` once (it may ask for your password to install "
                "Chromium and Java), then `invoke check --full` again.",
            )
        ]

    def nu_ready(self) -> bool:
        """True when the Nu HTML Checker can run (vnu.jar and Java are there)."""
        return self.vnu_jar.is_file() and shutil.which(self.java) is not None

    def browser_ready(self) -> bool:
        """True when the browser audits can run (axe-core, Chromium and Playwright are there)."""
        return (
            self.axe_js.is_file()
            and Path(self.chromium).is_file()
            and importlib.util.find_spec("playwright") is not None
        )

    def axe_version(self) -> str:
        """axe-core's version (its package.json) and the SHA-256 of the script we inject."""
        return _package_version(self.axe_js.parent) + " " + _sha256(self.axe_js.read_bytes())

    def nu_version(self) -> str:
        """The Nu HTML Checker's version (vnu-jar's package.json) and the jar's size."""
        package = self.vnu_jar.parents[2]
        return f"{_package_version(package)} ({self.vnu_jar.stat().st_size} bytes)"

    @functools.cache  # noqa: B019 (a frozen dataclass: one answer per set of tools)
    def chromium_version(self) -> str:
        """``Chromium 156.0.8078.108 ...``, as the browser says it."""
        result = subprocess.run(
            [self.chromium, "--version"], capture_output=True, text=True, check=False
        )
        return result.stdout.strip()


def _package_version(folder: Path) -> str:
    try:
        return str(json.loads((folder / "package.json").read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return "unknown"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def html_files(site_dir: Path) -> list[Path]:
    """Every HTML file of a built site the Nu HTML Checker validates (not Pagefind's)."""
    return [
        file
        for file in sorted(Path(site_dir).rglob("*.html"))
        if "pagefind" not in file.relative_to(site_dir).parts
    ]


def run_nu_checker(
    site_dir: Path | str,
    files: list[Path] | None = None,
    on_file: Callable[[], None] | None = None,
    tools: Tools | None = None,
) -> list[Finding]:
    """Validate HTML files with the Nu HTML Checker (errors only), in one Java run.

    ``files`` defaults to every HTML file under ``site_dir``; ``on_file`` is called as the
    checker starts each file (for progress). Each error becomes a ``html-invalid`` finding
    naming the output file and line. A missing Java or vnu.jar is itself one
    ``html-checker-missing`` error, so that a broken toolchain never passes silently.
    """
    site_dir = Path(site_dir)
    tools = tools or Tools()
    files = html_files(site_dir) if files is None else files
    if not tools.nu_ready():
        return tools.missing()
    if not files:
        return []
    command = [tools.java, *NU_JAVA_OPTIONS, "-jar", str(tools.vnu_jar), *NU_OPTIONS, "--verbose"]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:
        said = _run_listing_lines([*command, *map(str, files)], errors, on_file)
        errors.seek(0)
        output = errors.read().strip()
    try:
        messages = json.loads(output)["messages"]
    except (ValueError, KeyError, TypeError):
        messages = None
    checked = sum(1 for line in said if line.strip() in {str(file) for file in files})
    if messages is None or checked < len(files):
        # No report, or not every file checked (a crash): never a silent pass.
        details = (output or " ".join(line.strip() for line in said[-3:]))[:300]
        failed = f"The Nu HTML Checker stopped after {checked} of {len(files)} files: {details}"
        fix = f"Run it again; if it fails again, reinstall it: `{INSTALL_CHECKERS}`."
        return [Finding(str(site_dir), None, "error", "html-checker-failed", failed, fix)]
    return [_nu_finding(message, site_dir) for message in messages if _is_nu_error(message)]


def _run_listing_lines(command: list[str], errors: Any, on_line: Callable | None) -> list[str]:
    """Run ``command``; call ``on_line`` for each line it prints (vnu --verbose: each file)
    and return those lines."""
    lines = []
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=errors, text=True, encoding="utf-8"
    ) as process:
        try:
            for line in process.stdout or ():
                lines.append(line)
                if on_line is not None:
                    on_line()
        finally:
            if process.poll() is None:
                process.kill()
    return lines


def _is_nu_error(message: dict) -> bool:
    return message.get("type") in ("error", "non-document-error")


def _nu_finding(message: dict, site_dir: Path) -> Finding:
    extract = (message.get("extract") or "").strip().replace("\n", " ")
    return Finding(
        file=display_path(message.get("url", str(site_dir)), site_dir),
        line=message.get("lastLine"),
        severity="error",
        code="html-invalid",
        message=message.get("message", "invalid HTML"),
        fix=(f"Near: {extract[:120]}. " if extract else "")
        + "Fix the template or the Markdown that produces this HTML.",
    )


# axe-core's rules, run in the page; only violations come back (the passes, incomplete and
# inapplicable results are most of axe's work to gather and of the data to send).
# One group of rules or both (THEME_GROUP, CONTENT_GROUP): the rules of the tags, less those
# of the groups not asked for (a rule disabled by ``rules`` stays off although its tags are
# selected). Both groups in one run share axe's setup of the page; ``rule_group`` sorts the
# violations back into their groups. axe fetches the page's stylesheets and media again before
# each run ("preload") for the few rules that read them, all content rules: a run of the
# theme's rules alone skips that (tests/test_audit.py checks that no theme rule needs it).
AXE_RUN_GROUPS = """([tags, themeRules, groups]) => {
  const skipped = axe.getRules(tags).map(rule => rule.ruleId)
    .filter(id => !groups.includes(themeRules.includes(id) ? 'theme' : 'content'));
  return axe.run(document, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
    rules: Object.fromEntries(skipped.map(id => [id, {enabled: false}])),
    preload: groups.includes('content'),
  }).then(results => results.violations);
}"""


def rule_group(rule_id: str) -> str:
    """The group an axe rule belongs to: THEME_GROUP for the theme's colour rules."""
    return THEME_GROUP if rule_id in THEME_RULES else CONTENT_GROUP


AXE_LOADED = "() => typeof axe !== 'undefined' && typeof axe.run === 'function'"


def axe_violations(
    page: Any, axe_source: str | None = None, group: str | None = None
) -> list[dict]:
    """Run axe-core with our rule tags on the page loaded in a Playwright ``page``: every rule,
    or one ``group`` of them (THEME_GROUP or CONTENT_GROUP).

    The one place the site's accessibility rules are set: the writer's check and the browser
    tests both call it. axe is added through the browser's own scripting channel, which a
    page's Content-Security-Policy does not block, so pages are audited under their CSP; a
    page whose context already adds it as an init script (``AXE_JS``, the same file) keeps
    that copy: compiling axe's 500 KB again costs about 0.15 s a page.
    """
    if not page.evaluate(AXE_LOADED):
        page.evaluate(axe_source or AXE_JS.read_text(encoding="utf-8"))
    groups = [group] if group else [THEME_GROUP, CONTENT_GROUP]
    return page.evaluate(AXE_RUN_GROUPS, [AXE_TAGS, list(THEME_RULES), groups])


def axe_findings(results: dict[str, list[dict]], color_scheme: str = "light") -> list[Finding]:
    """Turn ``{url_path: [violation, ...]}`` into ``a11y-violation`` findings (one a rule)."""
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


LINKING_TAGS = ("a", "link", "img", "script", "source")
LINK_FIX = "Use {filename} or {static} links in the Markdown, so the build can check them."


def check_built_links(
    site_dir: Path | str,
    site_url: str = "",
    settings_links: dict[str, str] | None = None,
    theme_static: str = "theme",
) -> list[Finding]:
    """Every internal ``href``/``src`` in the built HTML resolves to a file, and every
    ``#fragment`` to an id on the target page (``link-broken``, ``link-fragment``).

    ``settings_links`` maps a setting (``CLINIC['contact_url']``) to the address it holds: a
    broken link to one of them is the setting's fault, so it is one finding naming the setting,
    not one per page that shows it. Each page is parsed once, with lxml (a thousand pages in
    seconds).
    """
    site_dir = Path(site_dir)
    trees = {file: _parse_html(file) for file in html_files(site_dir)}
    links = SiteLinks(site_dir, site_url.rstrip("/"), {f: _ids(t) for f, t in trees.items()})
    findings = []
    for file, tree in sorted(trees.items()):
        findings += links.check_page(file, tree)
    findings = _blame_theme(findings, theme_static)
    return _blame_settings(findings, settings_links or {}, site_url.rstrip("/"))


def settings_links(settings: dict) -> dict[str, str]:
    """The addresses in settings that every page links to: the clinic's forms."""
    clinic = settings.get("CLINIC") or {}
    return {
        f"CLINIC['{key}']": str(clinic[key])
        for key in ("booking_url", "contact_url")
        if isinstance(clinic, dict) and clinic.get(key)
    }


def _blame_settings(
    findings: list[Finding], addresses: dict[str, str], site_url: str
) -> list[Finding]:
    """Each broken link to a setting's address, from every page, as one finding on the setting."""
    # A link is reported as written, less the site's own address (SiteLinks.problem).
    shown = {
        name: {url, url[len(site_url) :] or "/"} if site_url and url.startswith(site_url) else {url}
        for name, url in addresses.items()
    }

    def setting_of(finding: Finding) -> str | None:
        return next(
            (name for name, forms in shown.items()
             if any(finding.message.startswith(f"{form} ") for form in forms)),
            None,
        )  # fmt: skip

    kept, blamed = _broken_links_by(findings, setting_of)
    for setting, pages in blamed.items():
        kept.append(
            Finding(
                "pelicanconf.py",
                None,
                "error",
                "link-broken",
                f"{setting} = {addresses[setting]!r} points into this site ({site_url}), but the "
                f"site has no page there: the link on every page that shows it is broken "
                f"({len(pages)} pages).",
                f"Set {setting} in pelicanconf.py to the address of the clinic's form on its own "
                "service, or to the address of a page this site has.",
            )
        )
    return kept


def _blame_theme(findings: list[Finding], theme_static: str) -> list[Finding]:
    """Each broken link to a file of the theme's static folder (``THEME_STATIC_DIR``), from
    every page, as one finding on the theme: no Markdown can fix it."""

    def theme_file_of(finding: Finding) -> str | None:
        path = urlparse(finding.message.split(" ", 1)[0]).path  # the link, as reported
        return path if path.startswith(f"/{theme_static}/") else None

    kept, blamed = _broken_links_by(findings, theme_file_of)
    for path, pages in sorted(blamed.items()):
        kept.append(
            Finding(
                "theme/templates",
                None,
                "error",
                "link-broken",
                f"{path} does not exist in the built site, and the theme links it from "
                f"{len(pages)} page{'s' * (len(pages) != 1)} (e.g. {min(pages)}).",
                "A template names a file the theme's static folder lacks, or the build was "
                "stopped before it copied it: build again from scratch (`invoke clean`); if it "
                "stays, correct the template.",
            )
        )
    return kept


def _broken_links_by(
    findings: list[Finding], owner: Callable[[Finding], str | None]
) -> tuple[list[Finding], dict[str, set[str]]]:
    """The findings ``owner`` does not claim, and the pages of each owner's broken links."""
    kept: list[Finding] = []
    owned: dict[str, set[str]] = {}
    for finding in findings:
        name = owner(finding) if finding.code == "link-broken" else None
        if name is None:
            kept.append(finding)
        else:
            owned.setdefault(name, set()).add(finding.file)
    return kept, owned


def _parse_html(file: Path) -> Any:
    """The page's element tree (None for an empty file)."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        return lxml_html.document_fromstring(file.read_bytes(), parser=_utf8_parser())
    except etree.ParserError:
        return None


@functools.cache
def _utf8_parser() -> Any:
    from lxml import html as lxml_html

    return lxml_html.HTMLParser(encoding="utf-8")


def _ids(tree: Any) -> set[str]:
    """Every ``id`` on a page, and every ``<a name>``: what a ``#fragment`` can point to."""
    if tree is None:
        return set()
    return set(tree.xpath("//@id")) | set(tree.xpath("//a/@name"))


def _links(tree: Any) -> Iterator[tuple[str, int | None]]:
    """Each ``href``/``src`` on a page with its line (not canonical links: they are absolute)."""
    if tree is None:
        return
    for element in tree.iter(*LINKING_TAGS):
        canonical = element.tag == "link" and "canonical" in (element.get("rel") or "").split()
        for attr in ("href", "src"):
            url = element.get(attr)
            if url and not canonical:
                yield url, element.sourceline


@dataclass
class SiteLinks:
    """The built site's files and ids, for checking each page's links against them."""

    site_dir: Path
    site_url: str
    ids: dict[Path, set[str]]
    targets: dict[str, Path | None] = field(default_factory=dict)  # each path looked up once

    def check_page(self, file: Path, tree: Any) -> list[Finding]:
        """``link-broken`` and ``link-fragment`` findings for one page."""
        shown = display_path(str(file), self.site_dir)
        page_url = "/" + file.relative_to(self.site_dir).as_posix()
        findings = []
        for url, line in _links(tree):
            problem = self.problem(page_url, url)
            if problem:
                code, message, fix = problem
                findings.append(Finding(shown, line, "error", code, message, fix))
        return findings

    def problem(self, page_url: str, url: str) -> tuple[str, str, str] | None:
        """(code, message, fix) when an internal link is broken, else None."""
        if self.site_url and url.startswith(self.site_url):
            url = url[len(self.site_url) :] or "/"
        parsed = urlparse(urljoin(page_url, url))
        if parsed.scheme or parsed.netloc:
            return None
        target = self.target(unquote(parsed.path))
        if target is None:
            return "link-broken", f"{url} does not exist in the built site.", LINK_FIX
        if parsed.fragment and target in self.ids and parsed.fragment not in self.ids[target]:
            message = f'{url}: no element with id "{parsed.fragment}" on that page.'
            return "link-fragment", message, "Link to a heading that exists on the page."
        return None

    def target(self, path: str) -> Path | None:
        """The file a site path names (a folder's index.html), or None when there is none."""
        if path not in self.targets:
            target = self.site_dir / path.lstrip("/")
            if target.is_dir():
                target = target / "index.html"
            self.targets[path] = target if target.exists() else None
        return self.targets[path]
