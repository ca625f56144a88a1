"""Running the checks over a project: find the sources, read the settings, collect findings."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from content_guard import (
    ContentFile,
    Refusal,
    content_files,
    content_root,
    format_refusal,
    links_outside,
    static_folders,
    unsafe_static_files,
    unsafe_theme_files,
)

from content_check import (
    addresses,
    checks,
    citations,
    clarity,
    clinic_rules,
    figure_check,
    glossary_check,
    images,
    links,
    markup,
    readability,
    scaffold,
    structure_check,
    translation_check,
)
from content_check.clinic_rules import PLACEHOLDER_SITEURL
from content_check.file_cache import FileFindings
from content_check.findings import Finding
from content_check.settings import check_settings
from content_check.site_facts import SiteFacts
from content_check.source import SourceFile, read_source

# Per-file checks, in the order a writer would fix things.
FILE_CHECKS = (
    checks.check_control_characters,
    checks.check_invisible_characters,
    checks.check_language_parts,
    markup.check_limits,
    checks.check_metadata_block,
    checks.check_metadata,
    addresses.check_slug_reserved,
    checks.check_review,
    checks.check_references,
    structure_check.check_structure,
    citations.check_uncited_numbers,
    citations.check_uncited_instructions,
    citations.check_page_kind,
    scaffold.check_scaffold,
    checks.check_claims,
    readability.check_readability,
    glossary_check.check_glossary_terms,
    glossary_check.check_glossary_entry_length,
    links.check_links,
    figure_check.check_figures,
    clarity.check_clarity,
    markup.check_raw_html,
    markup.check_markup,
)
# The checks that read the body's text: some take minutes on pathological Markdown, so a file
# over the limits (file-too-complex) gets only the others.
BODY_CHECKS = frozenset(FILE_CHECKS[FILE_CHECKS.index(checks.check_references) :])
# The checks that read the rest of the site (``Context.index``): run every time, never kept.
SITE_CHECKS = frozenset({
    addresses.check_slug_reserved,
    glossary_check.check_glossary_terms,
    glossary_check.check_glossary_entry_length,
    links.check_links,
})  # fmt: skip


@contextlib.contextmanager
def _in_folder(folder: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def load_pelican_settings(root: Path, production: bool) -> dict:
    """pelicanconf.py, or publishconf.py for the production rules (SITEURL need not be set)."""
    from pelican.settings import read_settings

    name = "publishconf.py" if production else "pelicanconf.py"
    saved = os.environ.get("SITEURL")
    if production and not (saved or "").startswith(("https://", "http://")):
        os.environ["SITEURL"] = PLACEHOLDER_SITEURL
    try:
        with _in_folder(root):
            return read_settings(str(root / name))
    finally:
        if saved is None:
            os.environ.pop("SITEURL", None)
        else:
            os.environ["SITEURL"] = saved


def collect_sources(root: Path, settings: dict) -> tuple[list[SourceFile], list[Finding], Path]:
    """Read every article and page Pelican would read (its readers, folders and exclusions).

    A file the check cannot vouch for (a link out of content/, a format other than Markdown)
    is never read: it becomes a finding, as the build (plugins/content_guard) refuses it.
    """
    content_dir = content_root(settings, root)
    outside = links_outside(content_dir)
    refused = outside + unsafe_static_files(settings, content_dir, skip=[r.path for r in outside])
    unreadable = [
        _refusal_finding(refusal, root) for refusal in refused + unsafe_theme_files(settings)
    ]
    sources: list[SourceFile] = []
    for file in content_files(settings, content_dir, skip=[r.path for r in outside]):
        if not file.markdown:
            unreadable.append(_refusal_finding(format_refusal(file, content_dir), root))
            continue
        result = read_source(file.path, root, file.kind)
        (unreadable if isinstance(result, Finding) else sources).append(result)
    return sources, unreadable, content_dir


def _refusal_finding(refusal: Refusal, root: Path) -> Finding:
    """What the build refuses, as the check's finding (named as found, links not followed)."""
    name = Path(os.path.relpath(refusal.path, root)).as_posix()
    return Finding(name, None, "error", refusal.code, refusal.message, refusal.fix)


def check_sources(
    sources: list[SourceFile],
    settings: dict,
    today: dt.date,
    *,
    production: bool = False,
    index: checks.SiteIndex | None = None,
    across: list[SourceFile] | None = None,
    kept: FileFindings | None = None,
) -> list[Finding]:
    """Every per-file check on every source, then the checks across files.

    ``across`` is the whole site when only some of its files are checked (a review checks one
    file, but its translation and duplicate findings need every file).
    """
    context = checks.Context(
        settings=check_settings(settings),
        today=today,
        production=production,
        index=index or checks.SiteIndex(),
    )
    findings: list[Finding] = []
    for src in sources:
        findings += scaffold.one_finding_per_skeleton_line(_file_findings(src, context, kept))
    site = across or sources
    names = {src.name for src in sources}
    findings += [
        finding
        for finding in checks.check_duplicates(site, context.settings["SITE"].default_lang)
        + translation_check.check_translations(site, context, names if across else None)
        if finding.file in names
    ]
    return findings


def _file_findings(
    src: SourceFile, context: checks.Context, kept: FileFindings | None = None
) -> list[Finding]:
    """Every per-file check on one source; a check that crashes is a finding, not an end.

    The checks that read only the file (not the rest of the site) come from ``kept`` when it
    holds them for this very text, settings, day and code.
    """
    too_complex = bool(markup.check_limits(src, context))

    def work_out() -> dict[str, list[Finding]]:
        return {
            _check_name(check): _run_check(check, src, context, too_complex)
            for check in FILE_CHECKS
            if check not in SITE_CHECKS
        }

    own = kept.findings(src, work_out) if kept is not None else work_out()
    findings: list[Finding] = []
    for check in FILE_CHECKS:
        if check in SITE_CHECKS:
            findings += _run_check(check, src, context, too_complex)
        else:
            findings += own[_check_name(check)]
    return findings


def _check_name(check: Callable) -> str:
    return f"{check.__module__}.{check.__name__}"


def _run_check(
    check: Callable, src: SourceFile, context: checks.Context, too_complex: bool
) -> list[Finding]:
    if too_complex and check in BODY_CHECKS:
        return []
    try:
        return check(src, context)
    except Exception as error:  # a bug in a check must not hide the other findings
        return [
            Finding(
                src.name,
                None,
                "error",
                "check-crashed",
                f"{check.__name__} failed on this file: {error!r}",
                "This is a bug in the check; please report it with the file.",
            )
        ]


def run_fast_check(
    root: Path,
    production: bool = False,
    today: dt.date | None = None,
    settings: dict | None = None,
) -> tuple[list[Finding], int]:
    """The fast checks over a project's sources: (findings, number of files checked)."""
    root = Path(root).resolve()
    loaded = settings is None
    settings = settings if settings is not None else load_pelican_settings(root, production)
    sources, findings, content_dir = collect_sources(root, settings)
    checked = len(sources) + len(findings)
    facts = SiteFacts(root, settings, content_dir)
    facts.reuse_anchors(sources)
    index = links.build_index(sources, content_dir, settings)
    facts.remember(sources)
    facts.keep_only(src.path for src in sources)
    facts.save()
    if loaded and not production:
        _reserve_what_publishing_writes(index, root)
    today = today or dt.date.today()
    kept = FileFindings(root, settings, content_dir, today, production)
    findings += check_sources(
        sources, settings, today, production=production, index=index, kept=kept
    )
    findings += translation_check.check_catalogues(settings, root)
    findings += images.check_image_sizes(settings, content_dir, root)
    findings += clinic_rules.check_clinic_rules(settings)
    if production:
        findings += clinic_rules.check_example_values(settings, root)
    return sort_findings(drafts_do_not_block(findings, sources)), checked


def run_named_check(
    root: Path,
    names: frozenset[str],
    production: bool = False,
    today: dt.date | None = None,
    settings: dict | None = None,
) -> tuple[list[Finding], int] | None:
    """The findings of the files ``names`` (as the findings name them) alone: exactly those
    the whole check gives them, with (findings, number of files checked).

    Only those files are read and checked; what their checks need of the other files (the link
    index, duplicate slugs and titles, translations) comes from content_check.site_facts'
    table, which reads only the files changed since it was written. None when a name is not
    an article or page in Markdown (a static file, a setting, a refused link): its findings
    come from checks of the whole site.
    """
    root = Path(root).resolve()
    loaded = settings is None
    settings = settings if settings is not None else load_pelican_settings(root, production)
    content_dir = content_root(settings, root)
    files = _markdown_sources(settings, content_dir)
    named = _named_files(files, names, root)
    if named is None or any(_is_static(path, settings, content_dir) for path in named):
        return None
    fresh = {path: read_source(path, root, file.kind) for path, file in named.items()}
    facts = SiteFacts(root, settings, content_dir)
    sources = facts.sources(files, root, fresh)
    index = links.build_index(sources, content_dir, settings)
    facts.save()
    if loaded and not production:
        _reserve_what_publishing_writes(index, root)
    today = today or dt.date.today()
    kept = FileFindings(root, settings, content_dir, today, production)
    own = [src for src in fresh.values() if isinstance(src, SourceFile)]
    findings = [read for read in fresh.values() if isinstance(read, Finding)]
    findings += check_sources(
        own, settings, today, production=production, index=index, across=sources, kept=kept
    )
    return sort_findings(drafts_do_not_block(findings, own)), len(names)


def _markdown_sources(settings: dict, content_dir: Path) -> list[ContentFile]:
    """The Markdown article and page sources Pelican would read, in the whole check's order
    (a link out of content/ is never entered; a file in another format is no source)."""
    outside = links_outside(content_dir)
    return [
        file
        for file in content_files(settings, content_dir, skip=[r.path for r in outside])
        if file.markdown
    ]


def _named_files(
    files: list[ContentFile], names: frozenset[str], root: Path
) -> dict[Path, ContentFile] | None:
    """The sources named (as read_source names them: their real path under ``root``), or None
    when a name is no Markdown source."""
    wanted = {root / name for name in names}  # names are real paths: no link to resolve
    named = {file.path: file for file in files if file.path in wanted}
    if len(named) < len(wanted):  # a source reached through a link inside content/
        named = {file.path: file for file in files if file.path.resolve() in wanted}
    return named if len(named) == len(wanted) else None


def _is_static(path: Path, settings: dict, content_dir: Path) -> bool:
    """Whether a source also lies in ``STATIC_PATHS`` (whose files the guard vets)."""
    return any(path.is_relative_to(static) for static, _ in static_folders(settings, content_dir))


def drafts_do_not_block(findings: list[Finding], sources: list[SourceFile]) -> list[Finding]:
    """A draft's errors shown as warnings: a draft is never published (publishconf.py writes
    no drafts), so one `invoke new` draft must not block every publish (issue 24). Each of its
    findings says it is a draft's: "publishing will refuse it" means once it is not one."""
    drafts = {src.name for src in sources if src.meta("status") == "draft"}
    return [
        dataclasses.replace(f, severity="warning", message=f"Draft (not published): {f.message}")
        if f.file in drafts
        else f
        for f in findings
    ]


def _reserve_what_publishing_writes(index: checks.SiteIndex, root: Path) -> None:
    """Also reserve the folders only a production build writes (feeds, the search index), so
    `invoke check` warns about a slug before publishing refuses it."""
    if not (root / "publishconf.py").exists():
        return
    try:
        production = load_pelican_settings(root, production=True)
    except (Exception, SystemExit):  # publishing's own settings report their own errors
        return
    for kind, slugs in addresses.reserved_slugs(production).items():
        index.reserved_slugs[kind] = {**slugs, **index.reserved_slugs.get(kind, {})}


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Sorted by file, then line (file-wide findings first), errors before warnings."""
    return sorted(
        findings, key=lambda f: (f.file, f.line or 0, f.severity != "error", f.code, f.message)
    )
