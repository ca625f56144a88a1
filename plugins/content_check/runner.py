"""Running the checks over a project: find the sources, read the settings, collect findings."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

from content_guard import Refusal, content_files, content_root, format_refusal, links_outside

from content_check import (
    addresses,
    checks,
    citations,
    clarity,
    clinic_rules,
    figure_check,
    glossary_check,
    links,
    raw_html,
    readability,
    scaffold,
    translation_check,
)
from content_check.findings import Finding
from content_check.settings import check_settings
from content_check.source import SourceFile, read_source

# Per-file checks, in the order a writer would fix things.
FILE_CHECKS = (
    checks.check_control_characters,
    checks.check_metadata_block,
    checks.check_metadata,
    addresses.check_slug_reserved,
    checks.check_review,
    checks.check_references,
    citations.check_uncited_numbers,
    citations.check_uncited_instructions,
    scaffold.check_scaffold,
    checks.check_claims,
    readability.check_readability,
    glossary_check.check_glossary_terms,
    links.check_links,
    figure_check.check_figures,
    clarity.check_clarity,
    raw_html.check_raw_html,
)
PLACEHOLDER_SITEURL = "https://check.invalid"


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
    unreadable = [_refusal_finding(refusal, root) for refusal in outside]
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
        for check in FILE_CHECKS:
            try:
                findings += check(src, context)
            except Exception as error:  # a bug in a check must not hide the other findings
                findings.append(
                    Finding(
                        src.name,
                        None,
                        "error",
                        "check-crashed",
                        f"{check.__name__} failed on this file: {error!r}",
                        "This is a bug in the check; please report it with the file.",
                    )
                )
    site = across or sources
    names = {src.name for src in sources}
    findings += [
        finding
        for finding in checks.check_duplicates(site, context.settings["DEFAULT_LANG"])
        + translation_check.check_translations(site, context)
        if finding.file in names
    ]
    return findings


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
    index = links.build_index(sources, content_dir, settings)
    if loaded and not production:
        _reserve_what_publishing_writes(index, root)
    findings += check_sources(
        sources, settings, today or dt.date.today(), production=production, index=index
    )
    findings += clinic_rules.check_clinic_rules(settings)
    return sort_findings(findings), checked


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
