"""The full audit of a built site, auditing only what changed since it last passed.

Internal links, the Nu HTML Checker (one Java run for every page that needs it), axe-core
(pages in parallel browser pages, under the site's own response headers: the content rules on
every page, the theme's colour rules in light and dark on one page of each template shape and
on a specimen page built for the audit, ``content_check.specimen_site``) and one real search.
A page whose HTML, and every file it loaded, are byte-identical to when it last passed the
same audit with the same tools and rules is not audited again (``content_check.audit_cache``),
nor is a search that found its word while every file it loaded is; ``audit_all`` audits every
page and searches again.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from content_check.audit_cache import AuditCache, SiteFiles, cache_folder
from content_check.browser_audit import (
    VIEWPORT,
    AxeRun,
    HostedSite,
    PageAudit,
    PageJob,
    SearchOutcome,
    SearchProbe,
    run_browser_audits,
    run_search,
    search_word,
)
from content_check.findings import Finding
from content_check.html_checks import (
    AXE_TAGS,
    CONTENT_GROUP,
    NU_OPTIONS,
    THEME_GROUP,
    THEME_RULES,
    Tools,
    axe_findings,
    check_built_links,
    display_path,
    html_files,
    page_paths,
    run_nu_checker,
    settings_links,
)
from content_check.progress import Progress

SCHEMES = ("light", "dark")
# The content rules read no colour, and the dark scheme changes only colours (theme/static/css:
# custom properties): one scheme is enough for them. The theme's rules run in both.
CONTENT_RUN = AxeRun("light", CONTENT_GROUP)
THEME_RUNS = tuple(AxeRun(scheme, THEME_GROUP) for scheme in SCHEMES)
# The element around a page's body in our theme (article.html, page.html): what is inside it
# comes from the content, whose elements the specimen shows; the rest is the template's.
BODY_CLASS = "prose"
SPECIMEN_FILE = "plugins/content_check/specimen/article.md"
# Where a development build (root-relative links, no SITEURL) is served during the audit.
LOCAL_ADDRESS = "http://site.invalid"
CSP_FIX = (
    'Move scripts and styles into the theme\'s files; no inline <script>, style="", '
    "event-handler attributes or javascript: links in the content."
)


@dataclass
class AuditOptions:
    """How to audit: every page or only what changed, how many browser pages, which tools."""

    audit_all: bool = False
    tags: tuple[str, ...] = tuple(AXE_TAGS)
    workers: int = field(default_factory=lambda: max(2, min(4, os.cpu_count() or 1)))
    tools: Tools = field(default_factory=Tools)


def run_full_audit(
    site_dir: Path,
    settings: Mapping[str, Any],
    root: Path,
    progress: Progress,
    options: AuditOptions | None = None,
) -> list[Finding]:
    """Every check of the built site; findings for what fails (and for missing checkers)."""
    options = options or AuditOptions()
    site_dir = Path(site_dir)
    try:
        folder = cache_folder(settings, root)
        site = hosted_site(site_dir, settings)
    except ValueError as error:
        fix = "Correct the setting named above."
        return [Finding("pelicanconf.py", None, "error", "html-checker-failed", str(error), fix)]
    cache = AuditCache(folder, site.files, reuse=not options.audit_all)
    findings = options.tools.missing()
    with progress.step("Links in the built site"):
        findings += check_built_links(
            site_dir,
            str(settings.get("SITEURL") or ""),
            settings_links(dict(settings)),
            str(settings.get("THEME_STATIC_DIR") or "theme"),
        )
    if options.tools.nu_ready():
        findings += nu_audit(site_dir, cache, options.tools, progress)
    if options.tools.browser_ready():
        with tempfile.TemporaryDirectory(prefix="audit-specimen-") as scratch:
            specimen, problems = specimen_pages(site, settings, Path(scratch), progress)
            findings += problems + axe_audit(site, cache, options, progress, specimen)
        findings += search_check(site, settings, options.tools, progress, cache)
    return findings


def hosted_site(site_dir: Path, settings: Mapping[str, Any]) -> HostedSite:
    """The built site at its own address, with the headers ``assets.headers`` defines."""
    from assets.headers import header_rules, headers_for_path

    rules = header_rules(settings)
    base_url = str(settings.get("SITEURL") or "").rstrip("/") or LOCAL_ADDRESS
    return HostedSite(SiteFiles(site_dir), base_url, lambda path: headers_for_path(rules, path))


# --- The Nu HTML Checker ---------------------------------------------------------------------


def nu_plan(site_dir: Path, cache: AuditCache, tools: Tools) -> tuple[dict[Path, str], list[Path]]:
    """The cache key of every HTML file, and the files that have not passed as they are now."""
    rules = {"nu": tools.nu_version(), "options": NU_OPTIONS}
    keys = {
        file: cache.key("nu", rules, "/" + file.relative_to(site_dir).as_posix())
        for file in html_files(site_dir)
    }
    return keys, [file for file, key in keys.items() if not cache.passed(key)]


def nu_audit(site_dir: Path, cache: AuditCache, tools: Tools, progress: Progress) -> list[Finding]:
    """Validate, in one Java run, every HTML file that has not passed as it is now."""
    keys, todo = nu_plan(site_dir, cache, tools)
    progress.note(f"HTML check (Nu): {len(keys) - len(todo):,} unchanged pages passed before")
    with progress.step("HTML check (Nu)", len(todo), "pages") as step:
        findings = run_nu_checker(site_dir, todo, step.advance, tools)
    if all(finding.code == "html-invalid" for finding in findings):
        failed = {finding.file for finding in findings}
        for file in todo:
            if display_path(str(file), site_dir) not in failed:
                cache.record_pass(keys[file])
    return findings


# --- axe-core ---------------------------------------------------------------------------------


def axe_audit(
    site: HostedSite,
    cache: AuditCache,
    options: AuditOptions,
    progress: Progress,
    specimen_pages: Iterable[str] = (),
) -> list[Finding]:
    """axe-core on every page and run that has not passed as it is now.

    The content rules run on every page, in one scheme; the theme's rules (colours) in light
    and dark on one page of each template shape and on the specimen's pages (``site.files``
    serves them): ``axe_runs``.
    """
    keys = axe_keys(site, cache, options, specimen_pages)
    jobs = plan_jobs(keys, cache)
    total = sum(len(job.runs) for job in jobs)
    shapes = sum(1 for (_, run) in keys if run == THEME_RUNS[0])
    progress.note(
        f"Accessibility (axe-core): {len(keys) - total:,} unchanged page audits passed before "
        f"(content rules on each page; colours in light and dark on {shapes:,} pages: one of "
        "each template shape, and the specimen)"
    )
    with progress.step("Accessibility (axe-core)", total, "page audits") as step:
        results = run_browser_audits(
            site, jobs, options.tools, step.advance, workers=options.workers, tags=options.tags
        )
    findings: list[Finding] = []
    for result in results:
        findings += page_findings(result, site.files.site_dir)
        record_passes(result, keys, cache)
    return findings


def axe_runs(site_dir: Path, specimen_pages: Iterable[str] = ()) -> dict[str, tuple[AxeRun, ...]]:
    """Each page's runs: the content rules on every page, the theme's rules too on one page
    of each template shape, the theme's rules alone on the specimen's pages."""
    paths = page_paths(site_dir)
    shaped = set(theme_pages(site_dir, paths))
    runs = {path: (CONTENT_RUN, *(THEME_RUNS if path in shaped else ())) for path in paths}
    runs.update(dict.fromkeys(specimen_pages, THEME_RUNS))
    return runs


def theme_pages(site_dir: Path, paths: Iterable[str]) -> list[str]:
    """The first page (in path order) of each template shape (``template_shape``)."""
    first: dict[frozenset, str] = {}
    for path in paths:
        file = Path(site_dir) / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
        first.setdefault(template_shape(file.read_bytes()), path)
    return list(first.values())


def template_shape(html: bytes) -> frozenset:
    """What a page's colours depend on besides its body: its language and each element outside
    the body (``BODY_CLASS``): tag, classes and attribute names. Two pages of one shape show
    the same colours on the same kinds of element; the body's elements are on the specimen."""
    from lxml import html as lxml_html

    tree = lxml_html.document_fromstring(html or b"<html></html>")
    for body in tree.find_class(BODY_CLASS):
        for child in list(body):
            body.remove(child)
    shape = {("lang", tree.get("lang") or "")}
    for element in tree.iter():
        if isinstance(element.tag, str):
            classes = tuple(sorted(set((element.get("class") or "").split())))
            shape.add((element.tag, classes, tuple(sorted(element.attrib))))
    return frozenset(shape)


def axe_keys(
    site: HostedSite,
    cache: AuditCache,
    options: AuditOptions,
    specimen_pages: Iterable[str] = (),
) -> dict[tuple[str, AxeRun], str]:
    """The cache key of each (page, run): the page by hash, tools, rules and headers."""
    rules = {
        "axe": options.tools.axe_version(),
        "tags": list(options.tags),
        "theme_rules": list(THEME_RULES),
        "viewport": VIEWPORT,
        "browser": options.tools.chromium_version(),
    }
    return {
        (path, run): cache.key(
            "axe",
            {**rules, "scheme": run.scheme, "group": run.group, "headers": site.headers_for(path)},
            path,
        )
        for path, page_runs in axe_runs(site.files.site_dir, specimen_pages).items()
        for run in page_runs
    }


def plan_jobs(keys: Mapping[tuple[str, AxeRun], str], cache: AuditCache) -> list[PageJob]:
    """The pages to load, each with the runs it has not passed."""
    runs: dict[str, list[AxeRun]] = {}
    for (path, run), key in keys.items():
        if not cache.passed(key):
            runs.setdefault(path, []).append(run)
    return [PageJob(path, tuple(wanted)) for path, wanted in runs.items()]


def page_findings(result: PageAudit, site_dir: Path) -> list[Finding]:
    """axe's violations, what the CSP blocked, or why the page could not be audited."""
    findings = []
    for run, violations in result.violations.items():
        findings += axe_findings({result.path: violations}, run.scheme)
    for text in dict.fromkeys(result.blocked):
        blocked = "The site's Content-Security-Policy blocked this, as readers' browsers will: "
        findings.append(
            Finding(result.path, None, "error", "csp-violation", blocked + text[:240], CSP_FIX)
        )
    if result.error:
        failed = f"axe-core could not audit this page: {result.error}"
        fix = "Run the check again; if it fails again, tell a developer."
        findings.append(Finding(result.path, None, "error", "html-checker-failed", failed, fix))
    return findings


def record_passes(
    result: PageAudit, keys: Mapping[tuple[str, AxeRun], str], cache: AuditCache
) -> None:
    """Keep a pass for each run with no violation, on a page nothing went wrong on."""
    if result.error or result.blocked:
        return
    for run, violations in result.violations.items():
        if not violations:
            cache.record_pass(keys[(result.path, run)], result.loads)


# --- The specimen -----------------------------------------------------------------------------


def specimen_pages(
    site: HostedSite, settings: Mapping[str, Any], folder: Path, progress: Progress
) -> tuple[list[str], list[Finding]]:
    """Build the specimen into ``folder`` and serve its pages with the site; their paths."""
    from site_errors import SiteError

    from content_check.specimen_site import build_specimen

    with progress.step("Specimen page (build)"):
        try:
            specimen = build_specimen(settings, folder)
        except SiteError as error:
            message = f"The audit's specimen page could not be built: {error}"
            fix = (
                "The site's settings refuse plugins/content_check/specimen/article.md; "
                "tell a developer."
            )
            return [], [Finding(SPECIMEN_FILE, None, "error", "html-checker-failed", message, fix)]
    site.files.add(specimen.pages)
    return list(specimen.pages), []


# --- Search ------------------------------------------------------------------------------------


def search_check(
    site: HostedSite,
    settings: Mapping[str, Any],
    tools: Tools,
    progress: Progress,
    cache: AuditCache | None = None,
) -> list[Finding]:
    """One real search in Chromium (when the site has a search index): at least one result.

    Like a page's audit, a search that found its word is kept in ``cache``: it is not run
    again while the search page, the word and every file the search loaded (the script,
    Pagefind's index) are byte-identical.
    """
    probe = search_probe(site, settings)
    if probe is None:
        return []
    key = None
    if cache is not None:
        rules = {"browser": tools.chromium_version(), "word": probe.word}
        key = cache.key("search", {**rules, "headers": site.headers_for(probe.page)}, probe.page)
        if cache.passed(key):
            progress.note("Search check: 1 unchanged search passed before")
            return []
    with progress.step("Search check", 1, "search") as step:
        outcome = run_search(site, probe, tools)
        step.advance()
    findings = search_findings(site, probe, outcome)
    if key is not None and not findings and not outcome.blocked:
        cache.record_pass(key, outcome.loads)
    return findings


def search_probe(site: HostedSite, settings: Mapping[str, Any]) -> SearchProbe | None:
    """The search page and a word from the first page the search index holds."""
    if not settings.get("SEARCH_INDEX"):
        return None
    from assets.headers import search_prefixes

    prefixes = search_prefixes(settings)
    for path in page_paths(site.files.site_dir):
        html = (site.files.read(path) or b"").decode("utf-8", "replace")
        word = search_word(html) if "data-pagefind-body" in html else ""
        if word:
            return SearchProbe(search_page_for(path, prefixes), word)
    return None


def search_page_for(path: str, prefixes: list[str]) -> str:
    """The search page of the page's language ("/es/search/" for "/es/articles/x/").

    ``prefixes`` is ``assets.headers.search_prefixes``: the default language's first, then
    one under each other language's folder. Pagefind indexes each language apart, so a word
    is searched for on its own language's search page.
    """
    default = prefixes[0]
    for prefix in prefixes[1:]:
        if path.startswith(prefix.removesuffix(default.lstrip("/"))):
            return prefix
    return default


def search_findings(site: HostedSite, probe: SearchProbe, outcome: SearchOutcome) -> list[Finding]:
    """``search-broken`` when the search showed no result for a word the site has."""
    if outcome.results:
        return []
    shown = site.files.file_for(probe.page)
    where = display_path(str(shown), site.files.site_dir) if shown else probe.page
    if outcome.answered:
        said = f" The page said: {outcome.status}" if outcome.status else ""
    else:
        said = f" The search page did not answer: {outcome.status or 'no result, no status'}"
    blocked = f" The CSP blocked: {outcome.blocked[0][:200]}" if outcome.blocked else ""
    message = f'Searching for "{probe.word}", a word on a built page, found nothing.'
    fix = (
        "Build again (`invoke build --production`) and look for Pagefind's message; "
        "the search index (pagefind/) must be complete."
    )
    return [Finding(where, None, "error", "search-broken", message + said + blocked, fix)]
