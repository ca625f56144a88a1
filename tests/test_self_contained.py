"""The kit stands on its own: no tracked file names a path outside the project.

A fresh clone has nothing beside it, so a guide that sends a writer to the team's notes beside
the repository (or a
comment that names a folder of the machine the project was written on) points at nothing.
The writing rules and the sources a writer may cite live in docs/.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from conftest import PROJECT_ROOT

CLIMB_RE = re.compile(r"(?:\.\./)+[A-Za-z0-9_.-]+")
# The team's notes that lived beside the repository (a climb into its shared or seed folder,
# or the brief's name); never part of a clone, so named here as a pattern.
OUTSIDE_RE = re.compile(r"content-brief|\.\./(?:shared|seed)/")


def tracked_text_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, check=True
    ).stdout.decode()
    files = []
    for name in filter(None, listed.split("\0")):
        path = PROJECT_ROOT / name
        if name.startswith("node_modules/") or not path.is_file() or path.is_symlink():
            continue
        data = path.read_bytes()
        if b"\0" not in data[:4096]:
            files.append(path)
    return files


def leaves_the_project(climb: str, start: Path) -> str | None:
    """The folder beside the project that ``climb`` (``../x``) reaches from ``start``, if any.

    Only folders that exist beside the project count: the check's own tests name escapes like
    ``../../etc/passwd`` on purpose, and those reach nothing beside it.
    """
    target = (start / climb).resolve()
    parent = PROJECT_ROOT.parent.resolve()
    if target.is_relative_to(PROJECT_ROOT.resolve()) or not target.is_relative_to(parent):
        return None
    beside = parent / target.relative_to(parent).parts[0]
    return str(beside) if beside.exists() else None


def outside_references(path: Path, text: str) -> list[str]:
    """Each place in ``text`` that names a path outside the project."""
    found = sorted(set(OUTSIDE_RE.findall(text)))
    # An absolute path into the folder that holds the project (this clone's place, or a folder
    # beside it): only names that exist there count, so an example such as /tmp/x/ in a
    # docstring is not taken for one when the project happens to sit in /tmp.
    parent = PROJECT_ROOT.parent.resolve()
    for match in re.finditer(re.escape(f"{parent}/") + r"([^/\s`'\"),;:]+)", text):
        if (parent / match.group(1)).exists():
            found.append(f"the absolute path {parent}/{match.group(1)}")
    for climb in set(CLIMB_RE.findall(text)):
        for start in (path.parent, PROJECT_ROOT):
            beside = leaves_the_project(climb, start)
            if beside:
                found.append(f"{climb} (reaches {beside})")
                break
    return found


def test_no_tracked_file_names_a_path_outside_the_project() -> None:
    problems = []
    for path in tracked_text_files():
        if path == Path(__file__).resolve():  # states the rule, so it names what it forbids
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for reference in outside_references(path, text):
            problems.append(f"{path.relative_to(PROJECT_ROOT)}: {reference}")
    assert not problems, "\n".join(problems)


def test_the_rule_sees_the_reference_a_guide_had() -> None:
    guide = PROJECT_ROOT / "docs" / "writers.md"
    text = "follows `../seed/README.md` (plain words)"
    assert outside_references(guide, text)
    assert not outside_references(guide, "[the glossary]({filename}../pages/glossary.md)")


def test_the_writing_rules_and_sources_are_in_the_guides() -> None:
    writers = (PROJECT_ROOT / "docs" / "writers.md").read_text(encoding="utf-8")
    assert "(writing-rules.md)" in writers and "(sources.md)" in writers
    sources = (PROJECT_ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    # The guideline every article cites, with its citation details.
    assert "doi:10.1097/AAP.0000000000000808" in sources
    assert len(re.findall(r"^- `[A-Z0-9-]+`: ", sources, re.M)) >= 100
