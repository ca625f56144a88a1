"""The full audit of a built site (``invoke check --full``, ``invoke publish``): it audits only
what changed since it passed, never keeps a failure, runs pages under the site's own CSP, runs
one real search, names a missing checker in one line, shows progress, and stops cleanly.

One small site is built and audited once per module; each test works on its own copy (the
site, its sources and its audit cache), so a test's edits never reach another test.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, BuiltSite, WarningCollector, small_site_settings
from content_check.audit import (
    CONTENT_RUN,
    THEME_RUNS,
    AuditOptions,
    axe_audit,
    axe_keys,
    axe_runs,
    hosted_site,
    nu_plan,
    plan_jobs,
    run_full_audit,
    search_check,
)
from content_check.audit_cache import AuditCache, SiteFiles, cache_folder
from content_check.browser_audit import (
    AxeRun,
    HostedSite,
    PageJob,
    SearchProbe,
    run_browser_audits,
    run_search,
)
from content_check.findings import Finding
from content_check.html_checks import AXE_JS, AXE_TAGS, THEME_RULES, Tools, page_paths
from content_check.progress import Progress

pytestmark = pytest.mark.browser
# The specimen's audits: its page in each language (en, es), light and dark.
SPECIMEN_AUDITS = 2 * len(THEME_RUNS)


def article(slug: str, body: str) -> str:
    return (
        f"Title: Article {slug}\nSlug: {slug}\nDate: 2026-01-02\nCategory: Ketamine\n"
        f"Tags: chronic pain\nSummary: A short summary of {slug}.\n\n{body}\n\n"
        "## What it is\n\nPlain words about nerve pain and treatment.\n"
    )


def page(slug: str) -> str:
    return f"Title: Page {slug}\nSlug: {slug}\nSummary: About {slug}.\n\nPage text.\n"


SOURCES = {
    "articles/one.md": article("one", "The first guide explains infusions."),
    "articles/two.md": article("two", "The second guide explains injections."),
    "pages/medical-disclaimer.md": page("medical-disclaimer"),
    "pages/book-a-consultation.md": page("book-a-consultation"),
}
# A script an attacker could plant in an article: if it runs, it adds an image without a text
# alternative, which axe reports (image-alt). Under the site's CSP it must not run.
PLANTED_SCRIPT = (
    "<script>document.querySelector('main').insertAdjacentHTML("
    "'beforeend', '<img src=\"/planted.png\">')</script>"
)


@dataclass
class Project:
    """A built small site, its sources and its audit cache, all under ``root``."""

    root: Path

    @property
    def output(self) -> Path:
        return self.root / "output"

    def settings(self) -> dict:
        return small_site_settings(self.root)

    def build(self) -> None:
        from pelican import Pelican

        Pelican(self.settings()).run()

    def audit(
        self, options: AuditOptions | None = None, stream: io.StringIO | None = None
    ) -> list[Finding]:
        with Progress(stream or io.StringIO(), interactive=False) as progress:
            return run_full_audit(self.output, self.settings(), self.root, progress, options)

    def planned(self, options: AuditOptions | None = None) -> set[tuple[str, AxeRun]]:
        """The (page, run) pairs axe would audit now (the specimen aside)."""
        options = options or AuditOptions()
        site = hosted_site(self.output, self.settings())
        cache = AuditCache(cache_folder(self.settings(), self.root), site.files)
        jobs = plan_jobs(axe_keys(site, cache, options), cache)
        return {(job.path, run) for job in jobs for run in job.runs}

    def nu_planned(self) -> list[str]:
        """The HTML files (relative to the output) the Nu HTML Checker would validate now."""
        site = hosted_site(self.output, self.settings())
        cache = AuditCache(cache_folder(self.settings(), self.root), site.files)
        _, todo = nu_plan(self.output, cache, Tools())
        return [file.relative_to(self.output).as_posix() for file in todo]

    def every_audit(self) -> set[tuple[str, AxeRun]]:
        return {(path, run) for path, runs in axe_runs(self.output).items() for run in runs}

    def runs_of(self, path: str) -> set[tuple[str, AxeRun]]:
        """Every run of one page: the content rules, and the theme's if its shape needs them."""
        return {(path, run) for run in axe_runs(self.output)[path]}


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The small site, built and audited once: every page passed, so every pass is kept."""
    project = Project(tmp_path_factory.mktemp("audited"))
    for name, text in SOURCES.items():
        path = project.root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    project.build()
    findings = project.audit()
    # The small site has no about/privacy pages or favicon: only links to them may fail.
    assert {f.code for f in findings} <= {"link-broken"}, findings
    return project


@pytest.fixture
def project(audited: Project, tmp_path: Path) -> Project:
    """This test's own copy of the audited site (sources, output and audit cache)."""
    copy = Project(tmp_path / "project")
    shutil.copytree(audited.root, copy.root)
    return copy


def test_nothing_changed_means_nothing_audited_again(project: Project) -> None:
    assert project.planned() == set()
    assert project.nu_planned() == []


def test_a_stylesheet_change_audits_every_page_again(project: Project) -> None:
    (stylesheet,) = (project.output / "theme" / "css").glob("*.css")
    css = stylesheet.read_text(encoding="utf-8")
    colour = re.search(r"#[0-9a-fA-F]{6}\b", css).group()
    stylesheet.write_text(css.replace(colour, "#123456", 1), encoding="utf-8")
    assert project.planned() == project.every_audit()
    # The Nu HTML Checker reads only the HTML, which did not change.
    assert project.nu_planned() == []


def test_an_edited_article_is_audited_and_an_unrelated_one_is_not(project: Project) -> None:
    source = project.root / "content" / "articles" / "one.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("explains infusions", "explains drips"),
        encoding="utf-8",
    )
    project.build()
    assert project.planned() == project.runs_of("/articles/one/")
    assert (("/articles/one/", CONTENT_RUN)) in project.planned()
    assert project.nu_planned() == ["articles/one/index.html"]


def test_all_audits_every_page_again_and_keeps_the_passes(project: Project) -> None:
    cache = project.root / "cache" / "audit"
    kept = {path.name for path in cache.rglob("*") if path.is_file()}
    shutil.rmtree(cache)
    shown = io.StringIO()
    findings = project.audit(AuditOptions(audit_all=True), shown)
    assert {f.code for f in findings} <= {"link-broken"}
    pages = len(page_paths(project.output))
    audits = len(project.every_audit()) + SPECIMEN_AUDITS
    assert f"Accessibility (axe-core): {audits} page audits\n" in shown.getvalue()
    assert f"HTML check (Nu): {pages} pages\n" in shown.getvalue()
    assert project.planned() == set()
    assert {path.name for path in cache.rglob("*") if path.is_file()} == kept


def test_a_pass_is_not_reused_after_axe_or_the_rules_change(
    project: Project, tmp_path: Path
) -> None:
    newer_axe = tmp_path / "axe-core"
    shutil.copytree(AXE_JS.parent, newer_axe, ignore=shutil.ignore_patterns("locales"))
    package = json.loads((newer_axe / "package.json").read_text(encoding="utf-8"))
    package["version"] += "-next"
    (newer_axe / "package.json").write_text(json.dumps(package), encoding="utf-8")
    assert project.planned(AuditOptions()) == set()
    newer = AuditOptions(tools=Tools(axe_js=newer_axe / "axe.min.js"))
    assert project.planned(newer) == project.every_audit()
    fewer_rules = AuditOptions(tags=tuple(tag for tag in AXE_TAGS if tag != "best-practice"))
    assert project.planned(fewer_rules) == project.every_audit()


def test_a_failing_page_is_never_kept_as_passing(project: Project) -> None:
    built = project.output / "articles" / "two" / "index.html"
    html = built.read_text(encoding="utf-8")
    built.write_text(html.replace("</main>", '<img src="/none.png"></main>', 1), encoding="utf-8")
    for _ in range(2):  # the second run finds it again: it was not kept as a pass
        findings = [f for f in project.audit() if f.code != "link-broken"]
        assert {(f.file, f.code) for f in findings} == {
            ("/articles/two/", "a11y-violation"),
            ("output/articles/two/index.html", "html-invalid"),
        }, findings
        assert {f.message.split(":")[0] for f in findings if f.code == "a11y-violation"} == {
            "[light] image-alt",  # a content rule: in one colour scheme
        }
    assert project.planned() == {("/articles/two/", CONTENT_RUN)}
    assert project.nu_planned() == ["articles/two/index.html"]


def test_pages_are_audited_under_the_sites_content_security_policy(project: Project) -> None:
    built = project.output / "articles" / "two" / "index.html"
    html = built.read_text(encoding="utf-8")
    built.write_text(html.replace("</main>", PLANTED_SCRIPT + "</main>", 1), encoding="utf-8")
    site = hosted_site(project.output, project.settings())
    job = [PageJob("/articles/two/", (CONTENT_RUN,))]
    # Served without the site's headers, the planted script runs (the test could fail) ...
    bare = HostedSite(site.files, site.base_url, lambda path: {})
    (without_csp,) = run_browser_audits(bare, job, Tools(), lambda: None)
    assert [v["id"] for v in without_csp.violations[CONTENT_RUN]] == ["image-alt"]
    # ... as the audit serves it, with the site's CSP, it does not (no image-alt), and the
    # CSP's report of the script it refused is a finding; nothing is kept as a pass.
    cache = AuditCache(cache_folder(project.settings(), project.root), site.files)
    with Progress(io.StringIO(), interactive=False) as progress:
        findings = axe_audit(site, cache, AuditOptions(), progress)
    assert {(f.file, f.code) for f in findings} == {("/articles/two/", "csp-violation")}
    assert any("script-src" in f.message for f in findings), findings
    assert project.planned() == project.runs_of("/articles/two/")


# --- What runs where: the theme's colour rules once per shape and on the specimen ------------

# What the specimen must show in each language: every element our Markdown makes.
SPECIMEN_ELEMENTS = (
    "care-card--non-urgent", "care-card--urgent", "care-card--emergency", "callout--info",
    "callout--warning", "callout--clinic-rule", "glossary-link", 'class="key-points',
    'class="toc', "<figure", "<figcaption", "<table", 'align="center"', "<dl", "<blockquote",
    "<pre", "<code", "<h3", "<h4", "<hr", 'class="references', "footnote-ref",
    "footnote-backref", 'href="mailto:', 'href="tel:', "</a></strong>", "</a></em>",
)  # fmt: skip
# A stylesheet fault only the specimen shows: the small site's pages have no table or quote.
FAULTY_COLOURS = """
.prose td { color: #f4f4f4 !important; }
@media (prefers-color-scheme: dark) { .prose blockquote p { color: #202020 !important; } }
"""


def test_the_theme_rules_are_axes_own_colour_rules(page) -> None:
    """The theme's group is axe's "cat.color" category for our tags in the installed axe-core
    (a colour rule a new axe adds must be placed; until then it runs with the content rules)."""
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    colour_rules = page.evaluate(
        """tags => axe.getRules(tags).filter(rule => rule.tags.includes('cat.color')
             && !rule.tags.includes('experimental') && !rule.tags.includes('deprecated'))
           .map(rule => rule.ruleId)""",
        AXE_TAGS,
    )
    assert sorted(colour_rules) == sorted(THEME_RULES)
    # A run of the theme's rules alone skips axe's preload of stylesheets and media
    # (html_checks.AXE_RUN_GROUPS): only content rules may read what it fetches.
    preloading = page.evaluate("() => axe._audit.rules.filter(r => r.preload).map(r => r.id)")
    assert preloading and not set(preloading) & set(THEME_RULES)


def test_a_contrast_fault_in_the_stylesheet_is_caught_on_the_specimen(project: Project) -> None:
    (stylesheet,) = (project.output / "theme" / "css").glob("*.css")
    stylesheet.write_text(stylesheet.read_text(encoding="utf-8") + FAULTY_COLOURS, "utf-8")
    findings = [f for f in project.audit() if f.code == "a11y-violation"]
    assert {(f.file, f.message.split(":")[0]) for f in findings} == {
        (specimen, f"[{scheme}] color-contrast")
        for specimen in ("/articles/audit-specimen/", "/es/articles/audit-specimen/")
        for scheme in ("light", "dark")
    }, findings
    # The specimen is served beside the site, never in it.
    assert not (project.output / "articles" / "audit-specimen").exists()


def test_a_content_fault_is_caught_on_the_page_that_has_it(project: Project) -> None:
    source = project.root / "content" / "articles" / "two.md"
    faults = (
        "The second guide explains [](https://www.example.org/empty) injections.\n\n"
        "#### A heading that skips two levels\n\nMore plain words."
    )
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("The second guide explains injections.", faults), "utf-8")
    project.build()
    # The colour rules do not visit this page (the first guide shows its shape) ...
    assert axe_runs(project.output)["/articles/two/"] == (CONTENT_RUN,)
    findings = [f for f in project.audit() if f.code == "a11y-violation"]
    # ... and the content rules still find its faults, there.
    assert {(f.file, f.message.split(":")[0]) for f in findings} == {
        ("/articles/two/", "[light] link-name"),
        ("/articles/two/", "[light] heading-order"),
    }, findings
    assert project.planned() == {("/articles/two/", CONTENT_RUN)}


def test_the_specimen_holds_every_element_builds_cleanly_and_never_ships(
    site: BuiltSite, tmp_path: Path
) -> None:
    from content_check.specimen_site import build_specimen
    from pelican_compat import reset_log_limits, set_fatal_warnings

    set_fatal_warnings(False)
    reset_log_limits()
    collector = WarningCollector()
    logging.getLogger().addHandler(collector)
    try:
        specimen = build_specimen(production_settings(site.url), tmp_path, quiet=False)
    finally:
        logging.getLogger().removeHandler(collector)
    # Only the site's pages' links to its articles, which the specimen's build leaves out.
    assert [
        message
        for message in collector.messages
        if not ("Unable to find" in message and "articles/" in message)
        and not message.startswith("Other resources were not found")
    ] == []
    assert sorted(specimen.pages) == ["/articles/audit-specimen/", "/es/articles/audit-specimen/"]
    for path, file in specimen.pages.items():
        html = file.read_text(encoding="utf-8")
        assert [element for element in SPECIMEN_ELEMENTS if element not in html] == [], path
    assert not [path for path in site.page_paths() if "audit-specimen" in path]


def test_missing_checkers_are_one_finding_naming_each_and_the_one_command(
    tmp_path: Path,
) -> None:
    tools = Tools(
        axe_js=tmp_path / "axe.min.js",
        vnu_jar=tmp_path / "vnu.jar",
        java="no-java-here",
        chromium=str(tmp_path / "chromium"),
    )
    [finding] = tools.missing()
    assert finding.file == "The HTML and accessibility checkers"  # not a path in node_modules
    assert str(tmp_path) not in finding.message + finding.fix
    for name in ("the Nu HTML Checker (vnu.jar)", "Java", "axe-core", "Chromium"):
        assert name in finding.message
    assert "`./quickstart tools`" in finding.fix
    writers = (PROJECT_ROOT / "docs" / "writers.md").read_text(encoding="utf-8")
    assert "./quickstart tools" in writers
    assert Tools().missing() == []


def test_a_missing_checker_is_reported_and_the_other_audits_still_run(project: Project) -> None:
    findings = project.audit(AuditOptions(tools=Tools(java="no-java-here")))
    missing = [f for f in findings if f.code == "html-checker-missing"]
    assert [f.message for f in missing] == [
        "Not installed: Java (for the Nu HTML Checker). `invoke check --full` needs them "
        "(`./quickstart serve` installs only what the preview needs)."
    ]
    assert {f.code for f in findings} <= {"link-broken", "html-checker-missing"}


def test_a_checker_that_stops_early_is_a_failure_and_keeps_nothing(
    project: Project, tmp_path: Path
) -> None:
    """A Nu checker that crashes (here: says it ran out of stack, prints no report, exits 0)
    must not pass every page."""
    java = tmp_path / "java"
    java.write_text("#!/bin/sh\necho StackOverflowError while evaluating HTML schema.\n")
    java.chmod(0o755)
    built = project.output / "articles" / "one" / "index.html"
    built.write_text(built.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    # Only the Nu checker matters here: no Chromium, so the browser audits wait for next time.
    tools = Tools(java=str(java), chromium=str(tmp_path / "no-chromium"))
    findings = project.audit(AuditOptions(tools=tools))
    failed = [f for f in findings if f.code == "html-checker-failed"]
    assert len(failed) == 1 and "stopped after 0 of 1 files" in failed[0].message
    assert "StackOverflowError" in failed[0].message
    assert project.nu_planned() == ["articles/one/index.html"], "kept as passing"


def test_search_check_finds_a_word_from_a_built_page(site: BuiltSite, tmp_path: Path) -> None:
    settings = production_settings(site.url)
    hosted = hosted_site(site.path, settings)
    folder = tmp_path / "cache" / "audit"
    shown = io.StringIO()
    with Progress(shown, interactive=False) as progress:
        assert (
            search_check(hosted, settings, Tools(), progress, AuditCache(folder, hosted.files))
            == []
        )
    assert "Search check: done, 1 search" in shown.getvalue()
    # Kept like a page's pass: with nothing it loaded changed, it is not run again.
    shown = io.StringIO()
    with Progress(shown, interactive=False) as progress:
        assert (
            search_check(hosted, settings, Tools(), progress, AuditCache(folder, hosted.files))
            == []
        )
    assert shown.getvalue() == "Search check: 1 unchanged search passed before\n"
    kept = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    # Pagefind's script cut short, as a production build once wrote it, and exited 0: a file
    # the kept search loaded changed, so it runs again (and its failure is not kept).
    copy = tmp_path / "site"
    shutil.copytree(site.path, copy)
    script = copy / "pagefind" / "pagefind.js"
    script.write_bytes(script.read_bytes()[: script.stat().st_size * 9 // 10])
    broken = hosted_site(copy, settings)
    with Progress(io.StringIO(), interactive=False) as progress:
        (finding,) = search_check(
            broken, settings, Tools(), progress, AuditCache(folder, broken.files)
        )
    assert finding.code == "search-broken" and finding.file.endswith("search/index.html")
    assert "found nothing" in finding.message
    assert {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()} == kept
    # The check ended on the page's own answer, not on the timeout: it quotes the status ...
    assert f"The page said: {form_words(copy / 'search', 'unavailable')}" in finding.message
    # ... in each language: the Spanish page's words for "searching" and "unavailable".
    spanish = SearchProbe("/es/search/", "dolor")
    outcome = run_search(broken, spanish, Tools())
    unavailable = form_words(copy / "es" / "search", "unavailable")
    assert unavailable != form_words(copy / "search", "unavailable")
    assert (outcome.answered, outcome.results, outcome.status) == (True, 0, unavailable)


def form_words(search_folder: Path, name: str) -> str:
    """The words a built search page's form gives for one state (its data-* attribute)."""
    from lxml import html as lxml_html

    tree = lxml_html.parse(str(search_folder / "index.html"))
    (form,) = tree.xpath("//form[@data-searching]")
    return form.get(f"data-{name}").strip()


def production_settings(siteurl: str) -> dict:
    from content_check.runner import load_pelican_settings

    return {**load_pelican_settings(PROJECT_ROOT, production=True), "SITEURL": siteurl}


def test_the_audit_serves_only_the_built_sites_files(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<p>a</p>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not the site's", encoding="utf-8")
    (site / "link.txt").symlink_to(tmp_path / "secret.txt")
    files = SiteFiles(site)
    assert files.read("/a/") == b"<p>a</p>" and files.read("/a") == b"<p>a</p>"
    assert files.read("/../secret.txt") is None
    assert files.read("/link.txt") is None
    assert files.digest("/missing/") == "missing"


# --- Progress -------------------------------------------------------------------------------


def test_plain_progress_prints_every_tenth() -> None:
    stream = io.StringIO()
    with Progress(stream, interactive=False) as progress, progress.step("Audit", 40, "pages") as s:
        for _ in range(40):
            s.advance()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "Audit: 40 pages"
    shares = [re.search(r"\((\d+) %\)", line).group(1) for line in lines[1:-1]]
    assert shares == ["10", "20", "30", "40", "50", "60", "70", "80", "90", "100"]
    assert re.fullmatch(r"Audit: done, 40 pages in \d+ s", lines[-1])


def test_plain_progress_prints_a_line_at_least_every_10_seconds() -> None:
    stream = io.StringIO()
    quick = Progress(stream, interactive=False, every_seconds=0.3)  # 10 s in real use
    with quick as progress, progress.step("Build") as step:
        time.sleep(1.4)  # nothing done: the lines still come
        step.advance()
    quiet_lines = [
        line for line in stream.getvalue().splitlines() if re.match(r"Build: \d+ s$", line)
    ]
    assert len(quiet_lines) >= 2, stream.getvalue()


def test_a_terminal_gets_a_bar_with_done_total_and_time_left() -> None:
    stream = io.StringIO()
    with Progress(stream, interactive=True) as progress, progress.step("Audit", 8, "pages") as s:
        for _ in range(3):
            s.advance()
        time.sleep(0.5)  # Rich redraws the bar 10 times a second
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stream.getvalue())  # colours, cursor
    assert re.search(r"Audit [━╸╺]+ 3/8 pages 0:00:0\d elapsed, 0:00:0\d left", shown), shown


def test_the_build_step_counts_articles_and_pages(project: Project) -> None:
    from content_check.progress import pelican_build_step

    stream = io.StringIO()
    with Progress(stream, interactive=False) as progress, pelican_build_step(progress) as step:
        project.build()
    assert step.total == step.done == 4  # two articles, two pages
    assert "Build: done, 4 articles and pages" in stream.getvalue()


# --- The command line ---------------------------------------------------------------------------


def linked_project(folder: Path, content: Path) -> Path:
    """A project made of links to this one (settings, plugins, theme) with its own content."""
    folder.mkdir()
    for name in (
        "pelicanconf.py",
        "publishconf.py",
        "plugins",
        "commands",
        "theme",
        "node_modules",
    ):
        (folder / name).symlink_to(PROJECT_ROOT / name)
    (folder / "content").symlink_to(content)
    return folder


@dataclass
class Check:
    """A running ``python -m commands.check``: its process and what it has said so far."""

    process: subprocess.Popen
    lines: list[str]  # stderr (progress), line by line as they come
    out: list[str]  # stdout (the report)
    readers: list[threading.Thread]

    def finish(self, seconds: float = 300) -> tuple[int, str, str]:
        """Wait for the end; (exit status, stdout, stderr)."""
        status = self.process.wait(timeout=seconds)
        for reader in self.readers:
            reader.join(timeout=10)
        return status, "".join(self.out), "".join(self.lines)


def start_check(cwd: Path, *args: str) -> Check:
    """``python -m commands.check`` in its own process group (as a terminal starts it)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "commands.check", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT / "plugins")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    out: list[str] = []
    readers = [
        threading.Thread(target=lines.extend, args=(process.stderr,), daemon=True),
        threading.Thread(target=out.extend, args=(process.stdout,), daemon=True),
    ]
    for reader in readers:
        reader.start()
    return Check(process, lines, out, readers)


def wait_for(lines: list[str], found: Callable[[str], bool], seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while not any(found(line) for line in list(lines)):
        assert time.monotonic() < deadline, "".join(lines)
        time.sleep(0.1)


def test_ctrl_c_stops_the_audit_with_one_line_and_no_traceback(
    project: Project, tmp_path: Path
) -> None:
    cwd = linked_project(tmp_path / "linked", project.root / "content")
    check = start_check(cwd, "--site", str(project.output), "--all")
    wait_for(check.lines, lambda line: re.match(r"Accessibility \(axe-core\): [1-9]\d*/", line))
    os.killpg(check.process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    status, stdout, errors = check.finish(60)
    lines = check.lines
    assert status == 130, errors
    assert "Traceback" not in errors + stdout
    stopped = [line for line in lines if line.startswith("Stopped by Ctrl-C")]
    assert len(stopped) == 1, errors
    assert stopped[0].startswith("Stopped by Ctrl-C during Accessibility (axe-core) (")
    assert "nothing was changed" in stopped[0]
    assert lines[-1] == stopped[0], "the stop line is the last thing said"


def child_pids(pid: int) -> list[int]:
    """The processes ``pid`` started (Linux: /proc)."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            children += [int(c) for c in (task / "children").read_text().split()]
    return children


def test_ctrl_c_while_the_site_builds_stops_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    """A production build reads Markdown in forked workers: Ctrl-C reaches them too."""
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    for number in range(150):
        body = "Plain words about nerve pain. " * 200
        text = article(f"guide-{number}", body)
        (content / "articles" / f"guide-{number}.md").write_text(text, encoding="utf-8")
    cwd = linked_project(tmp_path / "linked", content)
    check = start_check(cwd, "--production", "--full")
    deadline = time.monotonic() + 180
    while len(child_pids(check.process.pid)) < 2:  # the reading workers are starting
        assert time.monotonic() < deadline and check.process.poll() is None, "".join(check.lines)
        time.sleep(0.02)
    time.sleep(0.5)  # and now reading (a Ctrl-C during a fork itself may be lost, as ever)
    os.killpg(check.process.pid, signal.SIGINT)
    status, stdout, errors = check.finish(60)
    lines = check.lines
    assert status == 130, errors
    assert "Traceback" not in errors + stdout, errors
    stopped = [line for line in lines if line.startswith("Stopped by Ctrl-C")]
    assert len(stopped) == 1 and stopped[0].startswith("Stopped by Ctrl-C during Build"), errors


def test_the_command_line_shows_progress_and_skips_what_passed(
    project: Project, tmp_path: Path
) -> None:
    cwd = linked_project(tmp_path / "linked", project.root / "content")
    shutil.copytree(project.root / "cache" / "audit", cwd / ".cache" / "pelican" / "audit")
    # The same project's passes: its cache secret too (without it, no pass can be verified).
    shutil.copy2(project.root / "cache" / "cache-secret", cwd / ".cache" / "pelican")
    check = start_check(cwd, "--site", str(project.output))
    _, _, errors = check.finish()
    lines = check.lines
    pages = len(page_paths(project.output))
    audits = len(project.every_audit()) + SPECIMEN_AUDITS
    assert f"HTML check (Nu): {pages} unchanged pages passed before\n" in lines, errors
    assert f"Accessibility (axe-core): {audits} unchanged page audits passed before" in errors
    assert "Accessibility (axe-core): done, 0 page audits" in errors
