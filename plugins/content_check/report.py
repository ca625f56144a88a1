"""Reporters: for people (grouped by file, with a summary line) and for machines (JSON)."""

from __future__ import annotations

import json
from itertools import groupby

from content_check.findings import Finding


def summary(findings: list[Finding], files_checked: int, seconds: float | None = None) -> str:
    """``2 errors and 4 warnings in 3 files (12 files checked in 0.4 s)``."""
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    files = len({f.file for f in findings})
    timing = f" in {seconds:.1f} s" if seconds is not None else ""
    checked = f"{files_checked} file{'s' * (files_checked != 1)} checked{timing}"
    if not findings:
        return f"No problems found ({checked})."
    return (
        f"{errors} error{'s' * (errors != 1)} and {warnings} warning{'s' * (warnings != 1)} "
        f"in {files} file{'s' * (files != 1)} ({checked})."
        + (" Errors must be fixed before publishing." if errors else "")
    )


def format_human(findings: list[Finding], files_checked: int, seconds: float | None = None) -> str:
    """Findings grouped by file: ``  line 12  error    meta-unknown-key  message`` + fix."""
    out = []
    for file, group in groupby(findings, key=lambda f: f.file):
        out.append(file)
        for finding in group:
            where = f"line {finding.line}" if finding.line else "file"
            out.append(f"  {where:<9} {finding.severity:<7}  {finding.code}: {finding.message}")
            if finding.fix:
                out.append(f"  {'':<9} {'':<7}  fix: {finding.fix}")
        out.append("")
    out.append(summary(findings, files_checked, seconds))
    return "\n".join(out)


def format_json(findings: list[Finding], files_checked: int, seconds: float | None = None) -> str:
    """``{"findings": [...], "errors": n, "warnings": n, "files_checked": n}``."""
    errors = sum(f.is_error for f in findings)
    return json.dumps(
        {
            "findings": [f.to_dict() for f in findings],
            "errors": errors,
            "warnings": len(findings) - errors,
            "files_checked": files_checked,
            "seconds": None if seconds is None else round(seconds, 3),
        },
        indent=2,
    )
