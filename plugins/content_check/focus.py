"""What a writer sees first: the files they are working on, in full; the rest in one line a code.

``invoke check FILE`` checks the files named alone (what their checks need of the others comes
from content_check.site_facts), and says that the whole check covers the other files. Without
FILE the whole site is checked, and ``invoke check`` prints in full only the findings of the
files changed since the last commit (git), and every error.
The other warnings become one line per code ("16 pages not yet reviewed by a clinician: see
`invoke reviews`"). ``--all`` prints everything.
"""

from __future__ import annotations

import subprocess
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from content_check.findings import Finding
from content_check.report import format_human, summary
from content_check.source import did_you_mean

# code -> what a line of the summary calls one of them, several of them, and where to see them.
SUMMARY_LINES = {
    "review-missing": ("page not yet reviewed by a clinician", "pages not yet reviewed by a "
                       "clinician", ": see `invoke reviews`"),
    "review-due-soon": ("review due soon", "reviews due soon", ": see `invoke reviews`"),
    "translation-missing": ("article not yet translated", "articles not yet translated", ""),
    "translation-stale": ("translation older than its original's last change",
                          "translations older than their original's last change", ""),
    "read-section": ("section harder to read than the limit",
                     "sections harder to read than the limit", ""),
    "read-ease-section": ("Spanish section harder to read than the limit",
                          "Spanish sections harder to read than the limit", ""),
    "ref-unused": ("reference nothing cites", "references nothing cites", ""),
    "glossary-term-missing": ("medical word the glossary does not explain",
                              "medical words the glossary does not explain", ""),
}  # fmt: skip


@dataclass(frozen=True)
class Focus:
    """The files to show in full: those named, or (``named`` empty) those changed in git."""

    named: frozenset[str] = frozenset()
    changed: frozenset[str] | None = None  # None: not a git repository
    show_all: bool = False

    @property
    def files(self) -> frozenset[str]:
        return self.named or self.changed or frozenset()


class UnknownFile(ValueError):
    """A file named on the command line that does not exist."""


def project_name(name: str, root: Path, cwd: Path | None = None) -> str:
    """A file as the findings name it (``content/articles/x.md``), from what the writer typed.

    Relative to the folder the writer is in, the project, or its content folder.
    """
    typed = Path(name).expanduser()
    root = root.resolve()
    candidates = [typed] if typed.is_absolute() else [
        (cwd or Path.cwd()) / typed, root / typed, root / "content" / typed,
    ]  # fmt: skip
    content = root / "content"
    for candidate in candidates:
        path = candidate.resolve()
        if path.is_file() and path.is_relative_to(content):
            return path.relative_to(root).as_posix()
        if path.is_file() and path.is_relative_to(root):
            raise UnknownFile(
                f"{name}: not an article or page: the check reads the files in content/. Name "
                "one, for example content/articles/is-ketamine-safe.md"
            )
    pages = [path.relative_to(root).as_posix() for path in content.rglob("*.md")]
    raise UnknownFile(
        f"{name}: no such file in this project. {did_you_mean(typed.as_posix(), pages)}"
        "Name an article or page, for example content/articles/is-ketamine-safe.md"
    )


def changed_since_last_commit(root: Path) -> frozenset[str] | None:
    """Files changed, added or new (untracked) since the last commit; None without git."""
    try:
        result = subprocess.run(
            ["git", "status", "--porcelain", "-z", "--untracked-files=all", "--", "."],
            cwd=root, capture_output=True, text=True, check=False, timeout=20,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    top = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True, text=True,
        check=False,
    ).stdout.strip()  # fmt: skip
    base = Path(top).resolve() if top else root.resolve()
    names = set()
    entries = iter(result.stdout.split("\0"))
    for entry in entries:
        if len(entry) < 4:
            continue
        status, path = entry[:2], entry[3:]
        if "R" in status or "C" in status:
            next(entries, None)  # the old name of a rename follows
        full = (base / path).resolve()
        if full.is_relative_to(root.resolve()):
            names.add(full.relative_to(root.resolve()).as_posix())
    return frozenset(names)


def focused_report(
    findings: list[Finding],
    checked: int,
    seconds: float | None,
    focus: Focus,
    whole_site: bool = True,
) -> str:
    """The human report: the focus files in full, the rest summarized (unless ``show_all``).

    ``whole_site`` False: only the named files were checked (runner.run_named_check), so what
    other files hold is not known, and the report says where to find it.
    """
    if focus.show_all:
        return format_human(findings, checked, seconds)
    if focus.named:
        shown = [f for f in findings if f.file in focus.named]
        report = format_human(shown, len(focus.named), seconds)
        others = len(findings) - len(shown)
        if not whole_site:
            report += (
                "\nOther files are not checked here: `invoke check` (no FILE) checks the whole "
                "site and lists their errors."
            )
        elif others:
            report += (
                f"\n{others} more finding{'s' * (others != 1)} in other files: `invoke check` "
                "lists them."
            )
        return report
    first = [f for f in findings if f.file in focus.files]
    errors = [f for f in findings if f.file not in focus.files and f.is_error]
    rest = [f for f in findings if f.file not in focus.files and not f.is_error]
    out = []
    if first or errors:
        out.append(format_human(first + errors, checked).rsplit("\n", 1)[0])
    with_findings = {f.file for f in first}
    clean = sorted(
        name for name in focus.files
        if name.startswith("content/") and name.endswith(".md") and name not in with_findings
    )  # fmt: skip
    if clean:
        out += [f"No problems in {', '.join(clean)}.", ""]
    lines = summary_lines(rest)
    if lines:
        heading = "In files you have not changed since the last commit:"
        if focus.changed is None:
            heading = "Warnings:"
        out += [heading, *[f"  {line}" for line in lines], ""]
        out.append("`invoke check --all` prints every finding; `invoke check FILE` one file's.")
    out.append(summary(findings, checked, seconds))
    return "\n".join(out)


def summary_lines(findings: list[Finding]) -> list[str]:
    """One line per code: how many, and where to look."""
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_code[finding.code].append(finding)
    lines = []
    for code, group in sorted(by_code.items(), key=lambda item: (-len(item[1]), item[0])):
        n, files = len(group), len({f.file for f in group})
        if code in SUMMARY_LINES:
            one, many, where = SUMMARY_LINES[code]
            lines.append(f"{n} {one if n == 1 else many}{where} ({code})")
        else:
            lines.append(f"{n} {code} warning{'s' * (n != 1)} in {files} file{'s' * (files != 1)}")
    return lines
