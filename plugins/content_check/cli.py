"""The command line: ``invoke check`` and ``python -m content_check`` both end up here."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from content_check.findings import Finding
from content_check.report import format_human, format_json
from content_check.runner import run_fast_check, sort_findings


def full_checks(site_dir: Path, site_url: str = "") -> list[Finding]:
    """The built-site checks: links in the output, the Nu HTML Checker, axe (light and dark)."""
    from content_check.html_checks import (
        axe_findings,
        check_built_links,
        page_paths,
        run_axe,
        run_nu_checker,
        serve_folder,
    )

    findings = check_built_links(site_dir, site_url)
    findings += run_nu_checker(site_dir)
    with serve_folder(site_dir) as base:
        for scheme in ("light", "dark"):
            results = run_axe(
                base, page_paths(site_dir), scheme, site_dir=site_dir, site_url=site_url
            )
            findings += axe_findings(results, scheme)
    return findings


def run(  # noqa: PLR0917
    root: Path,
    production: bool = False,
    full: bool = False,
    output_format: str = "human",
    site_dir: Path | None = None,
    today: dt.date | None = None,
    stream=None,
) -> int:
    """Run the check, print the report; return the exit status (1 on any error)."""
    stream = stream or sys.stdout
    started = time.perf_counter()
    findings, checked = run_fast_check(root, production=production, today=today)
    if full or site_dir is not None:
        findings += _full(root, production, site_dir)
    findings = sort_findings(findings)
    seconds = time.perf_counter() - started
    formatter = format_json if output_format == "json" else format_human
    print(formatter(findings, checked, seconds), file=stream)
    return 1 if any(f.is_error for f in findings) else 0


def _full(root: Path, production: bool, site_dir: Path | None) -> list[Finding]:
    """Build the site into a temporary folder (unless given one) and check the HTML."""
    from pelican.settings import read_settings

    from content_check.runner import PLACEHOLDER_SITEURL, load_pelican_settings

    if site_dir is not None:
        settings = load_pelican_settings(root, production)
        return full_checks(site_dir, settings.get("SITEURL", "") if production else "")
    from pelican import Pelican

    settings = load_pelican_settings(root, production)
    with tempfile.TemporaryDirectory(prefix="content-check-") as scratch:
        output = Path(scratch) / "site"
        name = "publishconf.py" if production else "pelicanconf.py"
        override = {
            "OUTPUT_PATH": str(output),
            "CACHE_CONTENT": False,
            "LOAD_CONTENT_CACHE": False,
            "REFUSE_EXAMPLE_CLINIC_DETAILS": False,
            # This build writes no handouts (invoke publish does), so no page links to one.
            "HANDOUTS": False,
        }
        import os

        previous = Path.cwd()
        os.chdir(root)
        try:
            if production and not settings.get("SITEURL"):
                os.environ.setdefault("SITEURL", PLACEHOLDER_SITEURL)
            build_settings = read_settings(str(root / name), override=override)
            Pelican(build_settings).run()
        except Exception as error:
            return [
                Finding(
                    name,
                    None,
                    "error",
                    "build-failed",
                    f"The site could not be built for the full check: {error}",
                    "Run `invoke build` to see Pelican's message.",
                )
            ]
        finally:
            os.chdir(previous)
        return full_checks(output, build_settings.get("SITEURL", "") if production else "")


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and run the check from the current folder (the project root)."""
    parser = argparse.ArgumentParser(
        prog="content_check", description="The writer's check: what is wrong with the content."
    )
    parser.add_argument(
        "--production",
        action="store_true",
        help="production rules (publishconf.py): unreviewed articles are errors",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="also build the site and run the Nu HTML Checker and axe-core",
    )
    parser.add_argument("--site", type=Path, help="check this built site instead of building")
    parser.add_argument("--format", choices=("human", "json"), default="human")
    parser.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    parser.add_argument(
        "--schema",
        action="store_true",
        help="print the metadata reference table (Markdown) and exit",
    )
    args = parser.parse_args(argv)
    if args.schema:
        from content_check.schema import markdown_table

        print(markdown_table())
        return 0
    return run(Path.cwd(), args.production, args.full, args.format, args.site, args.today)
